"""`make eval` counts a check-in as asked when its intent is answered by an action that asks it
(bot/tools/eval/__main__.py, INTENTS_THAT_CHECK_IN): that list must match what data/rules actually run."""

from __future__ import annotations

import itertools
from collections import defaultdict

import yaml

from bot.paths import ROOT
from bot.strategies.catalogue import THEMES
from bot.tools.eval.__main__ import INTENTS_THAT_CHECK_IN

# The actions that read the `safety_check` entity and ask (actions/strategies.py, actions/safety.py).
ASKING_ACTIONS = {"action_suggest_strategy", "action_crisis_response", "action_abuse_response"}


def answers_by_intent() -> dict[str, set[str]]:
    """For each intent a rule starts from (after the conditions), the action the rule answers it with."""
    answers: dict[str, set[str]] = defaultdict(set)
    for path in sorted((ROOT / "data" / "rules").glob("*.yml")):
        for rule in yaml.safe_load(path.read_text())["rules"]:
            steps = rule["steps"]
            for step, following in itertools.pairwise(steps):
                if "intent" in step and "action" in following:
                    answers[step["intent"]].add(following["action"])
    return answers


def test_every_intent_counted_as_asking_is_answered_only_by_an_asking_action() -> None:
    answers = answers_by_intent()
    for intent in (*THEMES, *INTENTS_THAT_CHECK_IN):
        assert answers[intent] and answers[intent] <= ASKING_ACTIONS, (intent, answers[intent])


def test_no_other_intent_is_answered_by_an_asking_action() -> None:
    asking = {intent for intent, actions in answers_by_intent().items() if actions & ASKING_ACTIONS}
    assert asking == {*THEMES, *INTENTS_THAT_CHECK_IN}
