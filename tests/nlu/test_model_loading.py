"""Loading the TensorFlow models without Rasa's training step (bot/runtime/patches/model_loading.py) changes nothing.

Rasa trains each model one step before it overwrites the weights from the checkpoint; the project's loader
restores the checkpoint directly. Both must end with the checkpoint's weights and give the same answers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import yaml
from rasa.core.agent import Agent
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

from bot.paths import ROOT
from bot.runtime import patches
from bot.runtime.patches import model_loading, traced_predict
from bot.tools.eval.parse import MODEL, parse_all

HELD_OUT = ROOT / "tests" / "nlu" / "test_nlu.yml"


def held_out_messages() -> list[str]:
    """The held-out NLU test messages (the examples of each intent, without their entity markup kept)."""
    messages = []
    for block in yaml.safe_load(HELD_OUT.read_text())["nlu"]:
        messages += [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
    return messages


def saved_weights(model: RasaModel, folder: Any) -> dict[str, np.ndarray]:
    """The model's weights as a checkpoint writes them: keyed by object path, not by layer name (Keras
    numbers layer names per process, so the two loads would name the same weight differently)."""
    path = str(folder / "weights")
    model.save_weights(path)
    return checkpoint_weights(path)


def checkpoint_weights(model_file: str) -> dict[str, np.ndarray]:
    """The weights a saved checkpoint holds, the optimizer's state left out."""
    import tensorflow as tf

    reader = tf.train.load_checkpoint(model_file)
    return {key: reader.get_tensor(key) for key, _ in tf.train.list_variables(model_file)
            if key.endswith("/.ATTRIBUTES/VARIABLE_VALUE") and "optimizer/" not in key}


Loaded = list[tuple[RasaModel, dict[str, np.ndarray], RasaModelData]]


def effective(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The weights a model computes with: Rasa's sparse dense layers (TED's) zero their kernel outside a
    saved mask, in place, at the start of every call, so a kernel is compared as the mask leaves it
    (training moved masked weights before the checkpoint was written; a layer not called yet keeps them)."""
    suffix = "/kernel/.ATTRIBUTES/VARIABLE_VALUE"
    mask_of = {key: key.replace(suffix, "/kernel_mask/.ATTRIBUTES/VARIABLE_VALUE") for key in weights
               if key.endswith(suffix)}
    return {key: value * weights[mask_of[key]] if mask_of.get(key) in weights else value
            for key, value in weights.items()}


def load_agent(monkeypatch: pytest.MonkeyPatch, loader: Any) -> tuple[Agent, Loaded]:
    """The trained model loaded with `loader` as `RasaModel.load`; also each TF model with the weights of
    its checkpoint (read at once: Rasa deletes the unpacked model when loading ends) and the example Rasa
    gives it to predict on."""
    loaded: Loaded = []

    def recording(cls: type[RasaModel], model_file_name: str, model_data_example: RasaModelData,
                  predict_data_example: RasaModelData, *args: Any, **kwargs: Any) -> RasaModel:
        model = loader(cls, model_file_name, model_data_example, predict_data_example, *args, **kwargs)
        loaded.append((model, checkpoint_weights(model_file_name), predict_data_example))
        return model

    with monkeypatch.context() as patch:
        patch.setattr(RasaModel, "load", classmethod(recording))
        agent = Agent.load(str(MODEL))
    return agent, loaded


def parse(agent: Agent, texts: list[str]) -> list[dict[str, Any]]:
    """Rasa's parse of each text: the intent ranking, and the FAQ answer where the selector gave one."""
    return [{"intent": result["intent"]["name"],
             "ranking": [(x["name"], x["confidence"]) for x in result["intent_ranking"]],
             "faq": result.get("response_selector", {}).get("faq", {}).get("response")}
            for result in parse_all(texts, agent).values()]


def assert_same(ours: Any, expected: Any, where: str) -> None:
    """Equal outputs, however nested: arrays element by element, dictionaries key by key."""
    if isinstance(expected, dict):
        assert isinstance(ours, dict) and ours.keys() == expected.keys(), where
        for key, value in expected.items():
            assert_same(ours[key], value, f"{where} {key}")
    elif expected is None:
        assert ours is None, where
    else:
        np.testing.assert_array_equal(ours, expected, err_msg=where)


@pytest.fixture(scope="module", autouse=True)
def served() -> None:
    """What the Rasa server applies before it loads the model (bot/runtime/rasa_server.py)."""
    patches.apply_all("rasa")


@pytest.fixture(scope="module")
def monkeymodule() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def lean(monkeymodule: pytest.MonkeyPatch) -> tuple[Agent, Loaded]:
    return load_agent(monkeymodule, model_loading._load_model)


@pytest.fixture(scope="module")
def rasas(monkeymodule: pytest.MonkeyPatch) -> tuple[Agent, Loaded]:
    return load_agent(monkeymodule, model_loading._rasa_load_model)


def test_the_project_loader_is_the_one_rasa_uses() -> None:
    assert RasaModel.load.__func__ is model_loading._load_model


def test_every_model_holds_exactly_its_checkpoint_weights(lean: Any, tmp_path_factory: Any) -> None:
    _, loaded = lean
    assert sorted(type(model).__name__ for model, _, _ in loaded) == ["DIET", "DIET2BOW", "TED"]
    for model, checkpoint, _ in loaded:
        saved = effective(saved_weights(model, tmp_path_factory.mktemp(type(model).__name__)))
        expected = effective(checkpoint)
        assert saved.keys() == expected.keys(), (type(model).__name__, sorted(saved.keys() ^ expected.keys()))
        for key, value in expected.items():
            np.testing.assert_array_equal(saved[key], value, err_msg=key)


def test_each_model_predicts_as_with_rasas_own_loader(lean: Any, rasas: Any) -> None:
    """All three models on Rasa's own prediction examples, TED included (its answers are not parses)."""
    theirs = {type(model).__name__: model for model, _, _ in rasas[1]}
    for model, _, example in lean[1]:
        ours, expected = model.run_inference(example), theirs[type(model).__name__].run_inference(example)
        assert ours
        assert_same(ours, expected, type(model).__name__)


def test_parses_are_those_of_rasas_own_loader(lean: Any, rasas: Any) -> None:
    texts = held_out_messages()
    assert len(texts) > 200
    assert parse(lean[0], texts) == parse(rasas[0], texts)


def test_predictions_call_the_one_traced_function_and_give_its_outputs(lean: Any, monkeypatch: Any) -> None:
    """bot/runtime/patches/traced_predict.py: after the first call, a prediction calls the traced step's
    concrete function directly. For messages of every length its outputs are exactly those of Rasa's own call."""
    agent, loaded = lean
    batches: list[tuple[RasaModel, Any]] = []

    def recording(model: RasaModel, batch_in: Any) -> Any:
        batches.append((model, batch_in))
        return traced_predict._predict(model, batch_in)

    monkeypatch.setattr(RasaModel, "_rasa_predict", recording)
    parse(agent, held_out_messages()[:60])
    diet = [(model, batch) for model, batch in batches if type(model).__name__ == "DIET"]
    assert len({batch[1].shape for _, batch in diet}) > 5  # token sequences of many lengths
    assert "_concrete_predict_step" in diet[0][0].__dict__
    for model, batch in batches:
        assert_same(traced_predict._predict(model, batch), traced_predict._rasa_predict(model, batch),
                    type(model).__name__)
    # Inputs that do not fit the signature go to Rasa's own call: the same answer or the same refusal.
    model, batch = diet[0]
    traced = model.__dict__["_concrete_predict_step"]
    fixed = next(i for i, (dims, _) in enumerate(traced.expected) if dims and dims[-1] is not None)
    wrong_size = list(batch)
    wrong_size[fixed] = np.zeros((*np.shape(batch[fixed])[:-1], traced.expected[fixed][0][-1] + 1),
                                 dtype=traced.expected[fixed][1])
    wrong_type = [*batch[:fixed], np.asarray(batch[fixed], dtype=np.float16), *batch[fixed + 1:]]
    for bad in (tuple(wrong_size), tuple(wrong_type)):
        assert not traced.accepts(bad)
        try:
            expected = traced_predict._rasa_predict(model, bad)
        except (ValueError, TypeError) as refused:
            with pytest.raises(type(refused)):
                traced_predict._predict(model, bad)
        else:
            assert_same(traced_predict._predict(model, bad), expected, "not fitting the signature")
