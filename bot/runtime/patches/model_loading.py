"""Fix 9: TensorFlow models loaded for prediction without Rasa's training step.

Replaces `RasaModel.load`. To load DIET, the ResponseSelector or TED, Rasa first trains the model for one
step on an example, only so that its weights exist, and then overwrites them all from the checkpoint; the
traced training function and the optimizer's state stay resident for nothing. For prediction the model is
compiled as Rasa compiles it, but not trained: the checkpoint's weights are restored as the prediction on
Rasa's own example creates them, and the restore must account for every weight the model made (the
optimizer's saved state is not read). The weights are the same, so every prediction is the same
(tests/nlu/test_model_loading.py). Fine-tuning (which needs the optimizer) and a call without a
prediction example go through Rasa's own method.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

REPLACES = ("rasa.utils.tensorflow.models:RasaModel.load",)
TARGETS = REPLACES

_rasa_load_model = RasaModel.load.__func__  # type: ignore[attr-defined]


def _load_model(cls: type[RasaModel], model_file_name: str, model_data_example: RasaModelData,
                predict_data_example: RasaModelData | None = None, finetune_mode: bool = False,
                *args: Any, **kwargs: Any) -> RasaModel:
    """Rasa's `RasaModel.load` for prediction without the training step: the checkpoint's weights are
    restored as the first prediction creates them. Fine-tuning (which needs the optimizer) and a call
    without a prediction example go through Rasa's own method."""
    if finetune_mode or predict_data_example is None:
        return _rasa_load_model(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                                *args, **kwargs)
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
                  run_eagerly=config.get(RUN_EAGERLY))
    restore = model.load_weights(model_file_name)
    model.run_inference(predict_data_example)
    restore.assert_existing_objects_matched()
    restore.expect_partial()  # the optimizer's saved state is for training only
    return model


def apply() -> None:
    RasaModel.load = classmethod(_load_model)  # type: ignore[method-assign, assignment]
