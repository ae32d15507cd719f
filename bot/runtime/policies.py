"""TEDPolicy that remembers its predictions per dialogue state (config.yml names it).

TED is trained and predicts exactly as Rasa's TEDPolicy; this class only avoids running the network twice
for the same input. With `max_history` and without end-to-end text features (this project's stories use
intents, not user text), TED's input is the last few dialogue states (intent, entity names, slots, the
previous action, the active form), and its output is a pure function of them. Those states repeat across
conversations, so the answer is kept in a bounded table, one per loaded model: under the benchmark load
TED inference was about a fifth of the Rasa server's time (README, "Measurements").

When the input could contain user text (end-to-end training data), nothing is cached.

And when RulePolicy has already made a final prediction for the same tracker (the Rasa server's patch
bot/runtime/patches/rules_decide.py), TED's could not be picked: it answers "no opinion" without building the
states. Where that patch is not applied (`rasa train`, `rasa test`, BOT_PATCHES_OFF), TED always predicts.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

from rasa.core.featurizers.precomputation import MessageContainerForCoreFeaturization
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

from bot.runtime.patches.rules_decide import rules_decided
from bot.runtime.recent import keep, recall

CACHE_SIZE = 20_000  # distinct dialogue-state windows kept; a few hundred occur in this bot's tests


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True)
class StateCachedTEDPolicy(TEDPolicy):
    """TEDPolicy plus a table from the featurized state window to TED's confidences."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._predictions: OrderedDict[str, tuple[list[float], dict[str, Any] | None]] = OrderedDict()

    def _cacheable(self) -> bool:
        """Only a model that never reads user text: its input is the dialogue states alone."""
        return self.model is not None and TEXT not in self.fake_features and not self.only_e2e

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        precomputations: MessageContainerForCoreFeaturization | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """TED's prediction, computed once per distinct state window (see the module docstring)."""
        if not self._cacheable():
            return super().predict_action_probabilities(tracker, domain, rule_only_data, precomputations,
                                                        **kwargs)
        if rules_decided(tracker, self):  # only a model that never reads user text: never end-to-end
            return self._prediction(self._default_predictions(domain))
        states = self._prediction_states(tracker, domain, rule_only_data=rule_only_data)
        key = json.dumps(states, sort_keys=True)
        kept = recall(self._predictions, key)
        if kept is None:
            prediction = super().predict_action_probabilities(tracker, domain, rule_only_data, precomputations,
                                                              **kwargs)
            kept = (prediction.probabilities, prediction.diagnostic_data)
            keep(self._predictions, key, kept, CACHE_SIZE)
        probabilities, diagnostic_data = kept
        return self._prediction(list(probabilities), diagnostic_data=diagnostic_data)
