"""Professional help: when it helps, the kinds that exist, how to find someone and low-cost options.

The wording is content (data/content/professional_help.yml via bot/help.py); this only orders it into
four short messages, one topic per chat bubble.
"""

from bot.dialogue.reply import Button, Reply
from bot.help import professional_help

BACK_TO_TIPS = Button("Back to ideas I can try", "/request_strategy")


def professional_help_reply() -> Reply:
    """The answer to "should I see a therapist?" and to a yes after the unprompted offer."""
    text = professional_help()
    return (
        Reply()
        .say(text["when_it_helps"])
        .say(text["kinds"])
        .say(text["how_to_find"])
        .say(text["low_cost"], [BACK_TO_TIPS])
    )
