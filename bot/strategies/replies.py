"""A theme message or "another idea": reflect, give one strategy that fits, and offer the next step.

Order of a reply: a reflection in the person's own words, one strategy never given before in this
conversation with the three buttons, and a gentle safety check-in last if the wording was ambiguous. After
three theme disclosures, or one message with signs of heavy or persistent distress, it also offers professional help
(once per conversation). While the bot waits to hear that someone in crisis is safe, it gives no
strategies at all; after an abuse disclosure it offers only self-care and professional-help strategies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, Tuple

from bot.dialogue.reply import ASKS_ANOTHER_IDEA, ASKS_PROFESSIONAL_HELP, Button, Reply
from bot.dialogue.wording import buttons, line
from bot.help import professional_help
from bot.safety.distress import distress_markers
from bot.safety.replies import check_in_reply, hold_reply
from bot.strategies import catalogue

HELP_AFTER_DISCLOSURES = 3
MIN_THEME_CONFIDENCE = 0.05
# After an abuse disclosure only these kinds are offered: couples exercises are wrong, even risky, there,
# and reflection or fact-checking strategies could read as "your part" or as doubting what they said.
KINDS_AFTER_ABUSE = frozenset({"self_esteem", "professional_help"})


@dataclass(frozen=True)
class StrategyTurn:
    """Everything the reply depends on, read from the conversation by the action."""

    intent: str
    text: str = ""
    cues: Tuple[Tuple[str, str], ...] = ()  # (theme, the person's words)
    safety_checks: Tuple[str, ...] = ()  # ambiguous phrases worth a gentle check-in
    current_theme: str | None = None
    given: Tuple[str, ...] = ()
    disclosures: int = 0
    help_offered: bool = False
    crisis_hold: bool = False
    abuse_disclosed: bool = False
    seed: int = 0  # varies the reflection wording between turns, deterministically


def _cue_for(theme: str, cues: Sequence[Tuple[str, str]]) -> str | None:
    """The person's own words for this theme, if they used any (a cue of another theme reads oddly)."""
    return next((text for cue_theme, text in cues if cue_theme == theme), None)


def _next(theme: str, given: Sequence[str], abuse_disclosed: bool) -> catalogue.Strategy | None:
    """The next unused strategy; after an abuse disclosure other kinds are skipped (marked given)."""
    skipped = list(given)
    while True:
        strategy = catalogue.next_strategy(theme, skipped)
        if strategy is None or not abuse_disclosed or strategy.kind in KINDS_AFTER_ABUSE:
            return strategy
        skipped.append(strategy.id)


def respond(turn: StrategyTurn) -> Reply:
    """The reply to a theme intent or to request_strategy; an unsure safety signal always adds a check-in,
    with or without a theme."""
    reply = Reply()
    if turn.crisis_hold:
        return hold_reply()
    theme = turn.intent if turn.intent in catalogue.THEMES else turn.current_theme
    if theme is None:
        themes = [Button(b["title"], b["payload"]) for b in catalogue.theme_buttons()]
        reply.say(line("strategies", "which_theme"), themes)
    else:
        _give_strategy(reply, turn, theme)
    if turn.safety_checks:  # last, so a typed "yes" answers the check-in
        check_in_reply(turn.safety_checks[0], reply)
    return reply


def _give_strategy(reply: Reply, turn: StrategyTurn, theme: str) -> None:
    """A reflection (for a theme message), the theme's next unused strategy, and professional help when the
    distress is heavy or the disclosures add up."""
    disclosures = turn.disclosures
    if turn.intent in catalogue.THEMES:
        disclosures += 1
        reply.say(catalogue.reflection(turn.intent, _cue_for(turn.intent, turn.cues), turn.seed))
    strategy = _next(theme, turn.given, turn.abuse_disclosed)
    ways_on = ("another_idea", "professional") if turn.abuse_disclosed else (
        "another_idea", "practise", "professional")
    if strategy is None:
        reply.say(line("strategies", "all_given"), buttons(*ways_on[1:]))
        given = turn.given
    else:
        reply.say(catalogue.strategy_message(strategy), buttons(*ways_on))
        given = (*turn.given, strategy.id)
    reply.set(current_theme=theme, strategies_given=list(given), disclosures=float(disclosures),
              pending_offer=ASKS_ANOTHER_IDEA)

    heavy = disclosures >= HELP_AFTER_DISCLOSURES or bool(distress_markers(turn.text))
    if heavy and not turn.help_offered:
        reply.say(professional_help()["offer"], buttons("tell_me_more", "not_now"))
        reply.set(help_offered=True, pending_offer=ASKS_PROFESSIONAL_HELP)


def best_theme(ranking: Sequence[dict]) -> str | None:
    """The theme DIET ranked highest, for answering a message it also thought might be a disclosure."""
    return next((r["name"] for r in ranking if r.get("name") in catalogue.THEMES
                 and r.get("confidence", 0) >= MIN_THEME_CONFIDENCE), None)

