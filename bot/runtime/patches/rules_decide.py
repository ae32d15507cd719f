"""Fix 12: when RulePolicy is fully confident, the lower-priority policies answer "no opinion" at once.

Replaces `RulePolicy.predict_action_probabilities` (Rasa's, noting on the tracker when its prediction is
final) and `MemoizationPolicy.predict_action_probabilities`; bot/runtime/policies.py's TED asks
`rules_decided` too. Every policy predicts at every step, and the ensemble then takes the most confident
prediction, the higher priority winning a tie (`DefaultPolicyPredictionEnsemble._pick_best_policy`), after
zeroing an action just rejected. So when RulePolicy (which runs first) is fully confident and no action
was just rejected, nothing a lower-priority policy says can change the pick, and their work (mostly
rebuilding dialogue states) is skipped. Only the picked prediction reaches the conversation and
`rasa test`. In every other case, each policy predicts as Rasa's does.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker

REPLACES = ("rasa.core.policies.rule_policy:RulePolicy.predict_action_probabilities",
            "rasa.core.policies.memoization:MemoizationPolicy.predict_action_probabilities")
TARGETS = (*REPLACES, "rasa.core.policies.ensemble:DefaultPolicyPredictionEnsemble._pick_best_policy",
           "rasa.core.policies.ensemble:DefaultPolicyPredictionEnsemble._best_policy_prediction")

_rasa_rule_predict = RulePolicy.predict_action_probabilities
_rasa_memo_predict = MemoizationPolicy.predict_action_probabilities


def _point(tracker: DialogueStateTracker) -> tuple[int, int]:
    """Where a conversation is: its number of events and its last event's identity."""
    return len(tracker.events), id(tracker.events[-1]) if tracker.events else 0


def _rejected_just_now(tracker: DialogueStateTracker) -> bool:
    """Whether the last action event is a rejection: the ensemble then zeroes that action everywhere."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecutionRejected):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False


def _rule_predict(self, tracker: DialogueStateTracker, domain: Domain,  # type: ignore[no-untyped-def]
                  rule_only_data: dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
    """Rasa's RulePolicy prediction, noted on the tracker with the policy's priority when it is final.
    `self` is not annotated, as in Rasa's method: Rasa's graph validation takes every annotated parameter
    of a run method for an input that some node must provide."""
    prediction = _rasa_rule_predict(self, tracker, domain, rule_only_data, **kwargs)
    final = prediction.max_confidence >= 1.0 and not _rejected_just_now(tracker)
    tracker.__dict__["_rules_decided"] = (_point(tracker), prediction.policy_priority) if final else None
    return prediction


def rules_decided(tracker: DialogueStateTracker, policy: Policy) -> bool:
    """Whether RulePolicy has already made a final prediction for this tracker as it is now, at a higher
    priority than `policy`'s: a prediction of `policy` (never end-to-end, never "no user", no events)
    cannot then be picked. Confidence 1.0 is the most any prediction has, and ties go to priority. Always
    False while this patch is not applied (nothing notes a decision)."""
    noted = tracker.__dict__.get("_rules_decided")
    return noted is not None and noted[0] == _point(tracker) and policy.priority < noted[1]


def _memo_predict(self, tracker: DialogueStateTracker, domain: Domain,  # type: ignore[no-untyped-def]
                  rule_only_data: dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
    """Rasa's MemoizationPolicy prediction, or no opinion when the rules have decided (`self`: as above)."""
    if rules_decided(tracker, self):
        return self._prediction(self._default_predictions(domain))
    return _rasa_memo_predict(self, tracker, domain, rule_only_data, **kwargs)


def apply() -> None:
    RulePolicy.predict_action_probabilities = _rule_predict  # type: ignore[method-assign]
    MemoizationPolicy.predict_action_probabilities = _memo_predict  # type: ignore[method-assign]
