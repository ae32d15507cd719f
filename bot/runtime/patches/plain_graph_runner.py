"""Fix 5: the model's graph run by a plain depth-first evaluation of a sub-graph built once per target set.

Replaces `DaskGraphRunner.run`, which rebuilt the sub-graph for its targets and handed it to dask's
general scheduler on every run, twice or more per message. The sub-graph is now built once per set of
targets and each node run once, after its inputs, with exactly the arguments dask would pass (a missing
input is passed by its name, which Rasa's nodes report, as with dask). Nothing falls back: what a node
raises is reported as Rasa's run reports it (`GraphRunError` for a `RuntimeError`).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

REPLACES = ("rasa.engine.runner.dask:DaskGraphRunner.run",)
TARGETS = REPLACES

_rasa_run_graph = DaskGraphRunner.run


def _evaluate(graph: dict[str, Any], targets: list[str]) -> dict[str, Any]:
    """Run a dask-style graph: `{key: (callable, *input keys)}` tasks and `{key: (name, value)}` inputs."""
    results: dict[str, Any] = {}

    def result(key: str) -> Any:
        if key not in graph:
            return key  # as dask does with a name it cannot find
        if key not in results:
            task = graph[key]
            results[key] = task[0](*(result(need) for need in task[1:])) if callable(task[0]) else task
        return results[key]

    return dict(result(target) for target in targets)


def _run_graph(self: DaskGraphRunner, inputs: dict[str, Any] | None = None,
               targets: list[str] | None = None) -> dict[str, Any]:
    run_targets = targets if targets else self._graph_schema.target_names
    plans: dict[tuple[str, ...], dict[str, Any]] = self.__dict__.setdefault("_plans", {})
    plan = plans.get(tuple(run_targets))
    if plan is None:
        plan = plans[tuple(run_targets)] = self._build_dask_graph(
            self._graph_schema.minimal_graph_schema(run_targets))
    graph = dict(plan)
    self._add_inputs_to_graph(inputs, graph)
    try:
        return _evaluate(graph, run_targets)
    except RuntimeError as e:  # as Rasa's own run reports it
        raise GraphRunError("Error running runner.") from e


def apply() -> None:
    DaskGraphRunner.run = _run_graph  # type: ignore[method-assign]
