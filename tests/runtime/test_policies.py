"""bot/runtime/policies.py: the state-cached TED answers exactly as TED does, and runs the network once per state."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph

from bot.runtime.patches import rules_decide
from bot.runtime.policies import StateCachedTEDPolicy

DOMAIN = Domain.from_yaml("""
intents: [greet, jealous, thanks]
responses:
  utter_hello: [{text: hello}]
  utter_idea: [{text: an idea}]
  utter_welcome: [{text: welcome}]
""")
STORIES = """
stories:
- story: jealousy
  steps: [{intent: greet}, {action: utter_hello}, {intent: jealous}, {action: utter_idea},
          {intent: thanks}, {action: utter_welcome}]
- story: straight in
  steps: [{intent: jealous}, {action: utter_idea}, {intent: thanks}, {action: utter_welcome}]
"""


@pytest.fixture(scope="module")
def ted(tmp_path_factory: pytest.TempPathFactory) -> StateCachedTEDPolicy:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("ted")))
    config = {**StateCachedTEDPolicy.get_default_config(), "epochs": 3, "max_history": 4, "random_seed": 1}
    policy = StateCachedTEDPolicy.create(config, storage, Resource("ted"), ExecutionContext(GraphSchema({}), "t"))
    steps = YAMLStoryReader(DOMAIN).read_from_string(STORIES)
    trackers = TrainingDataGenerator(StoryGraph(steps), DOMAIN, augmentation_factor=0).generate()
    policy.train(trackers, DOMAIN)
    return policy


def turns() -> list[DialogueStateTracker]:
    """Every point of a conversation where the bot predicts, twice over (the second pass repeats states)."""
    events = [ActionExecuted("action_listen")]
    trackers = []
    for _ in range(2):
        for intent, action in (("greet", "utter_hello"), ("jealous", "utter_idea"), ("thanks", "utter_welcome")):
            events += [UserUttered(intent, {"name": intent})]
            trackers.append(DialogueStateTracker.from_events("s", list(events), DOMAIN.slots))
            events += [ActionExecuted(action), ActionExecuted("action_listen")]
    return trackers


def test_predictions_are_the_same_as_teds(ted: StateCachedTEDPolicy) -> None:
    for tracker in turns():
        cached = ted.predict_action_probabilities(tracker, DOMAIN)
        plain = TEDPolicy.predict_action_probabilities(ted, tracker, DOMAIN)
        assert np.allclose(cached.probabilities, plain.probabilities)
        assert cached.policy_name == "StateCachedTEDPolicy" and not cached.is_end_to_end_prediction


def test_the_network_runs_once_per_distinct_state_window(ted: StateCachedTEDPolicy,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ted._predictions.clear()
    calls = []
    run = ted.model.run_inference
    monkeypatch.setattr(ted.model, "run_inference", lambda *a, **k: calls.append(1) or run(*a, **k))
    trackers = turns()
    windows = {str(ted._prediction_states(t, DOMAIN)) for t in trackers}
    for tracker in trackers + trackers:
        ted.predict_action_probabilities(tracker, DOMAIN)
    assert len(calls) == len(windows) < len(trackers)


def test_the_table_is_bounded(ted: StateCachedTEDPolicy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.runtime.policies.CACHE_SIZE", 2)
    ted._predictions.clear()
    for tracker in turns():
        ted.predict_action_probabilities(tracker, DOMAIN)
    assert len(ted._predictions) == 2


def test_when_the_rules_have_decided_ted_answers_no_opinion_without_building_states(
        ted: StateCachedTEDPolicy, monkeypatch: pytest.MonkeyPatch) -> None:
    tracker = turns()[1]
    tracker.__dict__["_rules_decided"] = (rules_decide._point(tracker), 6)  # what RulePolicy notes (the patch)
    monkeypatch.setattr(ted, "_prediction_states", lambda *_a, **_k: pytest.fail("states were built"))
    silent = ted.predict_action_probabilities(tracker, DOMAIN)
    assert silent.max_confidence == 0.0 and silent.policy_name == "StateCachedTEDPolicy"
    monkeypatch.undo()
    tracker.__dict__["_rules_decided"] = None  # the rules were not sure: TED speaks
    assert ted.predict_action_probabilities(tracker, DOMAIN).max_confidence > 0.0
