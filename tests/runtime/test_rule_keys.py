"""bot/runtime/patches/rule_matching_memo.py: RulePolicy trained on this project's rules and stories answers
every point of those conversations exactly as with Rasa's own rule lookup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from bot.paths import ROOT
from bot.runtime.patches import rule_matching_memo

DATA = [str(ROOT / "data" / part) for part in ("nlu", "rules", "stories")]
IMPORTER = TrainingDataImporter.load_from_config(str(ROOT / "config.yml"), str(ROOT / "domain.yml"), DATA)
DOMAIN = IMPORTER.get_domain()


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[RulePolicy, list[DialogueStateTracker]]:
    rule_matching_memo.apply()  # before training too: the memo must follow the tables training edits
    trackers = TrainingDataGenerator(IMPORTER.get_stories(), DOMAIN, augmentation_factor=0).generate()
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("rules")))
    policy = RulePolicy.create({**RulePolicy.get_default_config(), "core_fallback_action_name":
                                "action_default_fallback", "enable_fallback_prediction": True},
                               storage, Resource("rules"), ExecutionContext(GraphSchema({}), "t"))
    policy.train(trackers, DOMAIN)
    points = [DialogueStateTracker.from_events("t", list(tracker.events)[:i], DOMAIN.slots)
              for tracker in trackers for i, event in enumerate(tracker.events) if isinstance(event, ActionExecuted)]
    return policy, points


def with_words(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """The same conversation with every message written out, as in a live one (stories hold intents)."""
    events = []
    for number, event in enumerate(tracker.events):
        if isinstance(event, UserUttered):
            event = UserUttered(f"words of message {number}", event.intent, event.entities)  # as one arrives
        events.append(event)
    return DialogueStateTracker.from_events(tracker.sender_id, events, DOMAIN.slots)


def remembered_windows(policy: RulePolicy) -> list[str]:
    """The state windows the rule lookup answered and remembered, over all rule tables."""
    return [window for _, _, _, answers in policy.__dict__["_possible_keys"].values() for window in answers]


def predict(policy: RulePolicy, tracker: DialogueStateTracker) -> tuple[list[float], list[str]]:
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    return prediction.probabilities, [type(event).__name__ for event in prediction.events]


def test_every_prediction_is_rasas(trained: tuple[RulePolicy, list[DialogueStateTracker]],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    policy, points = trained
    assert len(points) > 100
    ours = [predict(policy, tracker) for tracker in points]
    ours_again = [predict(policy, tracker) for tracker in points]  # now answered from memory
    monkeypatch.setattr(RulePolicy, "_get_possible_keys", rule_matching_memo._rasa_possible_keys)
    rasas = [predict(policy, tracker) for tracker in points]
    assert ours == rasas
    assert ours_again == rasas
    assert policy.__dict__["_possible_keys"], "the answers were not remembered"


def test_messages_with_words_are_answered_as_rasa_does(trained: tuple[RulePolicy, list[DialogueStateTracker]],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    policy, points = trained
    written = [with_words(tracker) for tracker in points]
    policy.__dict__.pop("_possible_keys", None)
    ours = [predict(policy, tracker) for tracker in written]
    windows = remembered_windows(policy)
    assert any(rule_matching_memo._WORDS in window for window in windows), "messages with words were not remembered"
    assert not any("words of message" in window for window in windows)
    kept = len(windows)
    ours_again = [predict(policy, tracker) for tracker in reversed(written)][::-1]
    assert len(remembered_windows(policy)) == kept
    monkeypatch.setattr(RulePolicy, "_get_possible_keys", rule_matching_memo._rasa_possible_keys)
    assert ours == [predict(policy, tracker) for tracker in written] == ours_again


def test_a_rule_on_words_sends_quoting_states_to_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    words_rule = json.dumps([{"prev_action": {"action_name": "action_listen"}, "user": {"text": "hi"}}])
    intent_rule = json.dumps([{"prev_action": {"action_name": "action_listen"}, "user": {"intent": "greet"}}])
    asked: list[int] = []
    monkeypatch.setattr(rule_matching_memo, "_rasa_possible_keys",
                        lambda _policy, lookup, states: asked.append(1) or set(lookup))
    policy = RulePolicy.__new__(RulePolicy)
    quoting = [{"prev_action": {"action_name": "action_listen"}, "user": {"text": "my own words"}}]
    for lookup in ({intent_rule: "utter_greet"}, {words_rule: "utter_greet", intent_rule: "utter_greet"}):
        asked.clear()
        rule_matching_memo._possible_keys(policy, lookup, quoting)
        rule_matching_memo._possible_keys(policy, lookup, quoting)
        assert len(asked) == (1 if words_rule not in lookup else 2)


def test_states_that_quote_a_person_are_never_kept(trained: tuple[RulePolicy, list[DialogueStateTracker]]) -> None:
    policy = trained[0]
    tracker = DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"),
                                                     UserUttered("my very own words", {"name": "greet"})],
                                               DOMAIN.slots)
    policy.predict_action_probabilities(tracker, DOMAIN)  # Rasa looks the text up first, then the intent
    kept = remembered_windows(policy)
    assert kept and not any("my very own words" in window for window in kept)
