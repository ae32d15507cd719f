"""bot/runtime/patches/rules_decide.py: when the rules have decided, the other policies' silence changes nothing
the ensemble picks, and they keep Rasa's graph inputs."""

from __future__ import annotations

import copy
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.validation import _get_parameter_information
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime.patches import rules_decide
from tests.runtime.patches.dialogues import DOMAIN

REJECTED = "action_default_fallback"  # an action every domain has


def _policy(cls: type[Policy], **config: Any) -> Any:
    """A policy as Rasa creates one (untrained: these tests give it its predictions)."""
    return cls.create({**cls.get_default_config(), **config}, LocalModelStorage(Path(tempfile.mkdtemp())),
                      Resource(cls.__name__), ExecutionContext(GraphSchema({}), "t"))


def _predictions(rng: random.Random, actions: int) -> list[PolicyPrediction]:
    """A RulePolicy, a MemoizationPolicy and a TED prediction, each with the policy's default priority: the
    rule's sometimes fully confident, Memoization's sometimes too (it gives 1.0 when it remembers)."""
    rule, memo = [0.0] * actions, [0.0] * actions
    if rng.random() < 0.7:
        rule[rng.randrange(actions)] = rng.choice([1.0, 1.0, 0.3])
    if rng.random() < 0.7:
        memo[rng.randrange(actions)] = 1.0
    ted = [rng.random() for _ in range(actions)]
    return [PolicyPrediction(rule, "RulePolicy", 6, is_no_user_prediction=rng.random() < 0.2),
            PolicyPrediction(memo, "MemoizationPolicy", 3), PolicyPrediction(ted, "TEDPolicy", 1)]


def test_when_the_rules_have_decided_the_other_policies_cannot_change_the_ensembles_pick(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Fix 12's claim, against Rasa's own ensemble: whenever `rules_decided` holds, replacing the lower
    policies' predictions with "no opinion" picks the same action from the same policy."""
    rng = random.Random(12)
    ensemble = DefaultPolicyPredictionEnsemble()
    rule_policy = _policy(RulePolicy)
    memo = _policy(MemoizationPolicy)
    decided = 0
    for _ in range(400):
        events = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})]
        if rng.random() < 0.3:
            events.append(ActionExecutionRejected(REJECTED))
        tracker = DialogueStateTracker.from_events("e", events, DOMAIN.slots)
        predictions = _predictions(rng, len(DOMAIN.action_names_or_texts))
        if tracker.events[-1].type_name == "action_execution_rejected":
            predictions[0].probabilities[DOMAIN.index_for_action(REJECTED)] = 1.0
        monkeypatch.setattr(rules_decide, "_rasa_rule_predict", lambda *_a, _p=predictions[0], **_k: copy.deepcopy(_p))
        rules_decide._rule_predict(rule_policy, tracker, DOMAIN)
        if not rules_decide.rules_decided(tracker, memo):
            continue
        decided += 1
        silent = [PolicyPrediction([0.0] * len(p.probabilities), p.policy_name, p.policy_priority)
                  for p in predictions[1:]]
        full = ensemble.combine_predictions(copy.deepcopy(predictions), tracker, DOMAIN)
        short = ensemble.combine_predictions([copy.deepcopy(predictions[0]), *silent], tracker, DOMAIN)
        assert (full.policy_name, full.max_confidence_index, full.events) == (
            short.policy_name, short.max_confidence_index, short.events)
    assert 100 < decided < 400


def test_the_rules_decide_only_when_fully_confident_with_nothing_rejected_and_for_that_tracker_state(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rule_policy = _policy(RulePolicy)
    memo = _policy(MemoizationPolicy)
    actions = len(DOMAIN.action_names_or_texts)

    def decided(confidence: float, events: list[Event], policy: Policy = memo) -> bool:
        tracker = DialogueStateTracker.from_events("d", events, DOMAIN.slots)
        probabilities = [0.0] * actions
        probabilities[3] = confidence
        monkeypatch.setattr(rules_decide, "_rasa_rule_predict",
                            lambda *_a, **_k: PolicyPrediction(probabilities, "RulePolicy", 6))
        rules_decide._rule_predict(rule_policy, tracker, DOMAIN)
        return rules_decide.rules_decided(tracker, policy)

    turn = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})]
    assert decided(1.0, turn)
    assert not decided(0.3, turn)  # RulePolicy's core fallback: the others still count
    assert not decided(1.0, [*turn, ActionExecutionRejected("utter_greet")])
    assert not decided(1.0, turn, _policy(MemoizationPolicy, priority=7))  # would outrank the rules
    tracker = DialogueStateTracker.from_events("d", turn, DOMAIN.slots)
    tracker.__dict__["_rules_decided"] = ((len(turn), id(turn[-1])), 6)
    assert rules_decide.rules_decided(tracker, memo)
    tracker.update(ActionExecuted("utter_greet"))  # a later point of the conversation: decided again or not
    assert not rules_decide.rules_decided(tracker, memo)


def test_memoization_answers_no_opinion_only_when_the_rules_have_decided(monkeypatch: pytest.MonkeyPatch) -> None:
    memo = _policy(MemoizationPolicy)
    asked = []
    monkeypatch.setattr(rules_decide, "_rasa_memo_predict", lambda *a, **k: asked.append(1) or "rasa's")
    tracker = DialogueStateTracker.from_events("m", [ActionExecuted("action_listen")], DOMAIN.slots)
    assert rules_decide._memo_predict(memo, tracker, DOMAIN) == "rasa's"
    tracker.__dict__["_rules_decided"] = (rules_decide._point(tracker), 6)
    silent = rules_decide._memo_predict(memo, tracker, DOMAIN)
    assert silent.max_confidence == 0.0 and silent.policy_name == "MemoizationPolicy" and not silent.events
    assert asked == [1]


@pytest.mark.parametrize(("policy", "rasas"), [(RulePolicy, rules_decide._rasa_rule_predict),
                                               (MemoizationPolicy, rules_decide._rasa_memo_predict)])
def test_the_graph_sees_the_same_prediction_inputs_as_for_rasas_method(
        policy: type[Policy], rasas: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa validates a model's graph from the run method's annotated parameters before training."""
    def inputs() -> dict[str, tuple[bool, bool]]:
        found, _ = _get_parameter_information(policy, "predict_action_probabilities")
        return {name: (info.has_default, info.is_variable_length_keyword_arg) for name, info in found.items()}

    rules_decide.apply()
    ours = inputs()
    monkeypatch.setattr(policy, "predict_action_probabilities", rasas)
    assert ours == inputs()
