"""Fix 10: a TensorFlow model's prediction calls the one concrete function of its traced step.

Replaces `RasaModel._rasa_predict`, whose every call went through the traced function's dispatch, which
matches the inputs to a trace in Python. Rasa fixes the function's input signature (any length, any batch:
`RasaModel._dynamic_signature`), so there is exactly one trace: its concrete function is now called
directly, with the inputs converted to the signature's types, and the outputs are that same function's.
The first call (which traces it), eager mode and inputs that do not fit the signature go through Rasa's
own method.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf
from keras.utils import tf_utils
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow.models import RasaModel

REPLACES = ("rasa.utils.tensorflow.models:RasaModel._rasa_predict",)
TARGETS = (*REPLACES, "rasa.utils.tensorflow.models:RasaModel._dynamic_signature")

_rasa_predict = RasaModel._rasa_predict


class _Traced:
    """A concrete TensorFlow function, called with numpy inputs that fit its signature. TensorFlow's public
    call first matches the inputs against the signature in Python; the same check on plain numbers (rank,
    fixed sizes, type) is far cheaper, and the inputs then only need converting for `_call_flat`,
    TensorFlow's own next step (TF is pinned in requirements/runtime.lock)."""

    def __init__(self, concrete: Any) -> None:
        self.concrete = concrete
        specs = concrete.structured_input_signature[0][0]
        self.expected = [(tuple(spec.shape.as_list()), spec.dtype.as_numpy_dtype) for spec in specs]

    def accepts(self, batch_in: tuple[np.ndarray, ...]) -> bool:
        if len(batch_in) != len(self.expected):
            return False
        for value, (dims, dtype) in zip(batch_in, self.expected, strict=True):
            shape = getattr(value, "shape", None)
            if (getattr(value, "dtype", None) != dtype or shape is None or len(shape) != len(dims)
                    or any(size is not None and size != given for size, given in zip(dims, shape, strict=True))):
                return False
        return True

    def __call__(self, batch_in: tuple[np.ndarray, ...]) -> Any:
        tensors = [tf.convert_to_tensor(value, dtype=dtype)
                   for value, (_, dtype) in zip(batch_in, self.expected, strict=True)]
        return self.concrete._call_flat(tensors, self.concrete.captured_inputs)


def _predict(self: RasaModel, batch_in: tuple[np.ndarray, ...]) -> dict[str, Any]:
    """Rasa's `_rasa_predict` through the one concrete function of its traced prediction step. The first
    call (which traces it) and eager mode go through Rasa's own method."""
    if self._run_eagerly or self._tf_predict_step is None:
        return _rasa_predict(self, batch_in)
    traced = self.__dict__.get("_concrete_predict_step")
    if traced is None:
        traced = self.__dict__["_concrete_predict_step"] = _Traced(self._tf_predict_step.get_concrete_function())
    if not traced.accepts(batch_in):
        return _rasa_predict(self, batch_in)  # not what Rasa traced: Rasa's own call reports it
    outputs = tf_utils.sync_to_numpy_or_python_type(traced(batch_in))
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


def apply() -> None:
    RasaModel._rasa_predict = _predict  # type: ignore[method-assign]
