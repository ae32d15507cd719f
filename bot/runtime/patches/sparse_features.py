"""Fix 13: a message's sparse features joined in one step.

Replaces `Message._combine_features`. Before DIET classifies a message, the sparse features of its
featurizers are joined into one matrix per level (tokens, sentence), and Rasa joins them pairwise: a deep
copy of the first, then one `scipy.sparse.hstack` per further featurizer, each copying everything joined so
far. One `hstack` of them all gives the same matrix (same entries in the same order, same format and
type). Anything else (dense features, a shape mismatch Rasa reports, a single featurizer, none) goes
through Rasa's own method.
"""

from __future__ import annotations

import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

REPLACES = ("rasa.shared.nlu.training_data.message:Message._combine_features",)
TARGETS = REPLACES

_rasa_combine_features = Message._combine_features


def _combine_features(features: list[Features], featurizers: list[str]) -> Features | None:
    """Rasa's `Message._combine_features` for two or more sparse features of one length: one `hstack`."""
    if len(features) < 2 or not all(f.is_sparse() for f in features) \
            or len({f.features.shape[0] for f in features}) > 1:
        return _rasa_combine_features(features, featurizers)
    first = features[0]
    return Features(scipy.sparse.hstack([f.features for f in features]), first.type, first.attribute,
                    featurizers)


def apply() -> None:
    Message._combine_features = staticmethod(_combine_features)  # type: ignore[method-assign, assignment]
