"""A conversation of this project's domain, event by event, for the tests of the tracker patches."""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def conversation_so_far() -> list[DialogueStateTracker]:
    """A tracker after each event of a conversation that sets slots, runs the form and names entities."""
    events = [ActionExecuted("action_listen"),
              UserUttered("i checked his phone", {"name": "express_jealousy"},
                          [{"entity": "cue", "value": "checked his phone", "start": 2, "end": 19}]),
              ActionExecuted("action_suggest_strategy"), SlotSet("current_theme", "jealousy"),
              BotUttered("an idea"), ActionExecuted("action_listen"),
              UserUttered("you never listen", {"name": "state_accusation"}),
              ActionExecuted("rephrase_form"), ActiveLoop("rephrase_form"),
              SlotSet("requested_slot", "attempt"), ActionExecuted("action_listen"),
              UserUttered("/stop", {"name": "stop"}), ActionExecuted("rephrase_form"), ActiveLoop(None),
              SlotSet("requested_slot", None), ActionExecuted("action_listen")]
    return [DialogueStateTracker.from_events("s", events[:n], DOMAIN.slots) for n in range(len(events) + 1)]
