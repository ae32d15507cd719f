"""bot/runtime/patches/plain_graph_runner.py: the graph runs to dask's results, each needed node once, and fails
as with dask."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from bot.runtime.patches import plain_graph_runner


class Count(GraphComponent):
    """Graph steps for the runner tests: each call is recorded."""

    calls: list[str] = []

    def __init__(self, config: dict[str, Any]) -> None:
        self.name = config["name"]

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: Any, resource: Any, execution_context: Any) -> Count:
        return cls(config)

    def run(self, **inputs: Any) -> Any:
        Count.calls.append(self.name)
        if "boom" in inputs:
            raise ValueError("a node failed")
        return sum(inputs.values()) + 1


def node(name: str, **needs: str) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Count, fn="run", constructor_name="create", config={"name": name},
                      is_target=name == "total")


SCHEMA = GraphSchema({
    "left": node("left", x="__number__"), "right": node("right", x="__number__"),
    "total": node("total", a="left", b="right", c="left"), "unused": node("unused", x="left"),
    "broken": node("broken", boom="left"), "orphan": node("orphan", x="__not_given__"),
})


@pytest.fixture
def runner(tmp_path: Path) -> DaskGraphRunner:
    Count.calls = []
    return DaskGraphRunner(SCHEMA, LocalModelStorage(tmp_path), ExecutionContext(SCHEMA, "test"))


@pytest.mark.parametrize("targets", [None, ["total"], ["left", "total"], ["right"]])
def test_the_graph_runner_gives_dasks_results_running_each_needed_node_once(runner: DaskGraphRunner,
                                                                            targets: list[str] | None) -> None:
    expected = plain_graph_runner._rasa_run_graph(runner, {"__number__": 1}, targets)
    dask_calls, Count.calls = sorted(Count.calls), []
    assert plain_graph_runner._run_graph(runner, {"__number__": 1}, targets) == expected
    assert plain_graph_runner._run_graph(runner, {"__number__": 5}, targets) != expected  # not remembered
    assert sorted(Count.calls) == sorted(dask_calls * 2) and "unused" not in Count.calls


@pytest.mark.parametrize("target, error", [("broken", GraphComponentException), ("orphan", GraphRunError)])
def test_the_graph_runner_fails_as_dask_does(runner: DaskGraphRunner, target: str, error: type) -> None:
    for run in (plain_graph_runner._rasa_run_graph, plain_graph_runner._run_graph):
        with pytest.raises(error):
            run(runner, {"__number__": 1}, [target])
