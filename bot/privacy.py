""""Forget me": what the bot asks and says, and the one name that makes the deletion happen.

The deletion itself is the tracker store's (bot/runtime/tracker_store.py): when it saves a turn that ran
`FORGET_ACTION` (only after the person confirmed), it deletes the conversation's events instead of saving
them, and the reply carries `FORGET_SIGNAL` so the web widget clears what the browser kept too. Retention
(`make purge`) is bot/tools/purge.py.
"""

from bot.dialogue.reply import Reply
from bot.dialogue.wording import buttons, line

FORGET_ACTION = "action_forget_me"
FORGET_SIGNAL = {"forget": True}


def confirm_reply() -> Reply:
    """Before deleting: what will be lost, and a yes or no."""
    return Reply().say(line("privacy", "confirm_forget.text"), buttons("delete_yes", "delete_no"))


def kept_reply() -> Reply:
    return Reply().say(line("privacy", "keep_data"))


def forgotten_reply() -> Reply:
    return Reply().say(line("privacy", "forgotten"))
