"""bot/runtime/patches/sparse_features.py: sparse features are joined into Rasa's matrix, entry for entry."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features

from bot.runtime.patches import sparse_features


def _sparse(rng: np.random.Generator, rows: int, cols: int, fmt: str) -> Any:
    return scipy.sparse.random(rows, cols, density=0.2, format=fmt, random_state=rng, dtype=np.float32)


@pytest.mark.parametrize("formats", [("coo",) * 4, ("csr", "coo", "coo"), ("csr", "csr"), ("coo", "csr", "csc"),
                                     ("csc", "csc", "csc")])
def test_sparse_features_are_joined_as_rasa_joins_them(formats: tuple[str, ...]) -> None:
    rng = np.random.default_rng(len(formats))
    features = [Features(_sparse(rng, 5, 3 + 4 * i, fmt), "sequence", "text", f"f{i}")
                for i, fmt in enumerate(formats)]
    ours = sparse_features._combine_features(copy.deepcopy(features), ["all"])
    rasas = sparse_features._rasa_combine_features(copy.deepcopy(features), ["all"])
    assert (ours.type, ours.attribute, ours.origin) == (rasas.type, rasas.attribute, rasas.origin)
    assert (ours.features.format, ours.features.dtype, ours.features.shape) == \
        (rasas.features.format, rasas.features.dtype, rasas.features.shape)
    if ours.features.format == "coo":  # entries in the same order, not only the same matrix
        for part in ("row", "col", "data"):
            assert np.array_equal(getattr(ours.features, part), getattr(rasas.features, part))
    assert (ours.features != rasas.features).nnz == 0
    assert features[0].features.shape == (5, 3)  # the inputs are left as they were


def test_features_rasa_would_not_join_in_one_go_go_through_rasa() -> None:
    rng = np.random.default_rng(0)
    one = [Features(_sparse(rng, 2, 3, "coo"), "sentence", "text", "only")]
    assert sparse_features._combine_features(one, []).features is not one[0].features  # a copy, as Rasa's
    dense = [Features(np.ones((1, 2)), "sentence", "text", "a"), Features(np.ones((1, 3)), "sentence", "text", "b")]
    assert sparse_features._combine_features(dense, []).features.shape == (1, 5)
    mismatched = [Features(_sparse(rng, 2, 3, "coo"), "sequence", "text", "a"),
                  Features(_sparse(rng, 3, 3, "coo"), "sequence", "text", "b")]
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        sparse_features._combine_features(mismatched, [])
    assert sparse_features._combine_features([], []) is None
