"""bot/rasa_speedups.py: each replacement answers exactly as Rasa's own method does, only faster."""

from __future__ import annotations

import ast
import asyncio
import copy
import inspect
import logging
import random
import tempfile
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
import pytest
import scipy.sparse
import structlog
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.processor import MessageProcessor
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.validation import _get_parameter_information
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from bot import json_text, rasa_speedups
from bot.paths import ROOT


class FakeProcessor:
    """Stands in for a MessageProcessor: the cache lives on the instance, one per loaded model."""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replaces the NLU graph with one that records each text it really parses."""
    seen: list[str] = []

    def parse(_self: Any, message: UserMessage, _tracker: Any, _only_output: bool = True) -> dict[str, Any]:
        seen.append(message.text)
        entities = [{"entity": "cue", "value": "his ex"}] if "his ex" in message.text else []
        return {"text": message.text, "intent": {"name": "affirm", "confidence": 0.9}, "entities": entities}

    monkeypatch.setattr(rasa_speedups, "_rasa_parse", parse)
    return seen


def parse(processor: FakeProcessor, text: str, only_output: bool = True) -> dict[str, Any]:
    return rasa_speedups._parse_message_with_graph(processor, UserMessage(text), None, only_output)


def test_a_short_message_is_parsed_once_and_each_caller_gets_its_own_copy(parses: list[str]) -> None:
    processor = FakeProcessor()
    first = parse(processor, "yes please")
    first["intent"]["name"] = "changed by the caller"
    second = parse(processor, "yes please")
    assert parses == ["yes please"]
    assert second == {"text": "yes please", "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
    assert "yes please" not in str(processor._short_parses)  # kept by hash, without the text


def test_long_messages_and_other_models_are_parsed_every_time(parses: list[str]) -> None:
    long = "i checked his phone last night and saw messages from his ex again"
    processor = FakeProcessor()
    parse(processor, long)
    parse(processor, long)
    parse(processor, "yes", only_output=False)
    parse(processor, "yes", only_output=False)
    parse(FakeProcessor(), "hi")
    parse(FakeProcessor(), "hi")
    assert parses == [long, long, "yes", "yes", "hi", "hi"]
    assert not processor.__dict__.get("_short_parses")


def test_a_parse_that_quotes_the_person_is_never_kept(parses: list[str]) -> None:
    processor = FakeProcessor()
    parse(processor, "i miss his ex")
    assert parse(processor, "i miss his ex")["entities"] == [{"entity": "cue", "value": "his ex"}]
    assert parses == ["i miss his ex", "i miss his ex"] and not processor.__dict__.get("_short_parses")


def test_the_kept_parses_are_bounded(parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa_speedups, "PARSES_KEPT", 2)
    processor = FakeProcessor()
    for text in ("a", "b", "c", "a"):
        parse(processor, text)
    assert parses == ["a", "b", "c", "a"] and len(processor._short_parses) == 2


def test_every_event_type_resolves_to_the_class_rasa_finds() -> None:
    for cls in all_subclasses(Event):
        if getattr(cls, "type_name", None):
            assert rasa_speedups._resolve_by_type(cls.type_name) is rasa_speedups._rasa_resolve(cls.type_name)
    with pytest.raises(ValueError, match="Unknown event name"):
        rasa_speedups._resolve_by_type("no such event")


def test_action_answers_are_still_validated() -> None:
    action = RemoteAction("action_x", None)
    assert rasa_speedups._validate_action_result(action, {"events": [], "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        rasa_speedups._validate_action_result(action, {"events": "not a list"})


def test_loading_the_project_components_applies_every_replacement() -> None:
    import bot.nlu  # noqa: F401 - what config.yml makes every Rasa process import

    assert MessageProcessor._parse_message_with_graph is rasa_speedups._parse_message_with_graph
    assert DialogueStateTracker.past_states is rasa_speedups._past_states
    assert DialogueStateTracker.applied_events is rasa_speedups._applied_events
    assert DialogueStateTracker.copy is rasa_speedups._copy_tracker
    assert DialogueStateTracker.recreate_from_dialogue is rasa_speedups._recreate_from_dialogue
    assert RulePolicy._get_possible_keys is rasa_speedups._possible_keys
    assert EndpointConfig.session is rasa_speedups._session
    assert DaskGraphRunner.run is rasa_speedups._run_graph
    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result
    assert Event.__dict__["resolve_by_type"].__func__ is rasa_speedups._resolve_by_type
    assert Domain.is_empty is rasa_speedups._is_empty
    assert RulePolicy.predict_action_probabilities is rasa_speedups._rule_predict
    assert MemoizationPolicy.predict_action_probabilities is rasa_speedups._memo_predict
    assert all(isinstance(module.copy, rasa_speedups._DebugLogCopy) for module in rasa_speedups.DEBUG_LOG_COPY_MODULES)


@pytest.mark.parametrize("module", rasa_speedups.DEBUG_LOG_COPY_MODULES, ids=lambda module: module.__name__)
def test_every_deep_copy_in_the_modules_given_the_debug_log_copy_is_a_debug_log_argument(module: Any) -> None:
    """Fix 14 passes values uncopied when debug messages are dropped: safe only while nothing else in these
    modules relies on `copy.deepcopy` (a Rasa upgrade that adds such a use fails here)."""
    tree = ast.parse(inspect.getsource(module))

    def deep_copies(node: ast.AST) -> set[int]:
        return {id(call) for call in ast.walk(node) if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute) and call.func.attr == "deepcopy"
                and isinstance(call.func.value, ast.Name) and call.func.value.id == "copy"}

    in_debug_logs = {copied for call in ast.walk(tree) if isinstance(call, ast.Call)
                     and isinstance(call.func, ast.Attribute) and call.func.attr == "debug"
                     and isinstance(call.func.value, ast.Name) and call.func.value.id == "structlogger"
                     for keyword in call.keywords for copied in deep_copies(keyword.value)}
    assert in_debug_logs and deep_copies(tree) == in_debug_logs


@pytest.fixture
def debug_dropped() -> Any:
    """structlog as Rasa configures it at INFO: debug messages dropped by the bound logger itself."""
    before = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    yield
    structlog.configure(**before)


def test_debug_log_arguments_are_copied_only_while_debug_messages_are_kept(debug_dropped: None) -> None:
    events = [{"event": "slot", "name": "attempt", "value": ["nested"]}]
    debug_log_copy = rasa_speedups.DEBUG_LOG_COPY_MODULES[0].copy
    assert debug_log_copy.deepcopy(events) is events
    assert debug_log_copy.copy is copy.copy
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG))
    copied = debug_log_copy.deepcopy(events)
    assert copied == events and copied is not events and copied[0]["value"] is not events[0]["value"]


DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def conversation_so_far() -> list[DialogueStateTracker]:
    """A tracker after each event of a conversation that sets slots, runs the form and names entities."""
    events = [ActionExecuted("action_listen"),
              UserUttered("i checked his phone", {"name": "express_jealousy"},
                          [{"entity": "cue", "value": "checked his phone", "start": 2, "end": 19}]),
              ActionExecuted("action_suggest_strategy"), SlotSet("current_theme", "jealousy"),
              BotUttered("an idea"), ActionExecuted("action_listen"),
              UserUttered("you never listen", {"name": "state_accusation"}),
              ActionExecuted("rephrase_form"), ActiveLoop("rephrase_form"),
              SlotSet("requested_slot", "attempt"), ActionExecuted("action_listen"),
              UserUttered("/stop", {"name": "stop"}), ActionExecuted("rephrase_form"), ActiveLoop(None),
              SlotSet("requested_slot", None), ActionExecuted("action_listen")]
    return [DialogueStateTracker.from_events("s", events[:n], DOMAIN.slots) for n in range(len(events) + 1)]


@pytest.mark.parametrize("flags", [{}, {"ignore_rule_only_turns": True, "rule_only_data": {"slots": ["x"]}},
                                   {"omit_unset_slots": True}])
def test_dialogue_states_are_the_same_as_rasas_and_asking_twice_gives_a_fresh_copy(flags: dict) -> None:
    for tracker in conversation_so_far():
        expected = rasa_speedups._rasa_past_states(tracker, DOMAIN, **flags)
        first = rasa_speedups._past_states(tracker, DOMAIN, **flags)
        for state in first:  # callers edit what they get, as Rasa's featurizers do
            state.clear()
        assert rasa_speedups._past_states(tracker, DOMAIN, **flags) == expected


def test_a_new_event_or_other_arguments_are_not_answered_from_memory() -> None:
    tracker = conversation_so_far()[6]
    before = rasa_speedups._past_states(tracker, DOMAIN)
    tracker.update(ActionExecuted("utter_goodbye"))
    assert rasa_speedups._past_states(tracker, DOMAIN) == rasa_speedups._rasa_past_states(tracker, DOMAIN)
    assert rasa_speedups._past_states(tracker, DOMAIN) != before
    assert (rasa_speedups._past_states(tracker, DOMAIN, omit_unset_slots=True)
            == rasa_speedups._rasa_past_states(tracker, DOMAIN, omit_unset_slots=True))


FLAG_SETS = [{}, {"omit_unset_slots": True},
             {"ignore_rule_only_turns": True, "rule_only_data": {"slots": ["current_theme"], "active_loops": []}},
             {"ignore_rule_only_turns": True, "rule_only_data": {"slots": [], "active_loops": ["rephrase_form"]}}]


def test_one_tracker_growing_event_by_event_gets_rasas_states_at_every_step() -> None:
    """The live case: the same tracker asked again after each new event, including events that make Rasa
    drop earlier ones (a form running again, a rewind, an undo, a new session)."""
    events = [*conversation_so_far()[-1].events,
              UserUttered("hi again", {"name": "greet"}), ActionExecuted("utter_greet", hide_rule_turn=True),
              BotUttered("hi"), ActionExecuted("action_listen"),
              UserUttered("you always forget", {"name": "state_accusation"}), ActionExecuted("rephrase_form"),
              ActiveLoop("rephrase_form"), SlotSet("requested_slot", "attempt"), ActionExecuted("action_listen"),
              UserUttered("i feel sad", {"name": "inform"}), ActionExecuted("rephrase_form"),
              SlotSet("attempt", "i feel sad"), ActionExecuted("action_listen"),
              UserUttered("oops", {"name": "deny"}), UserUtteranceReverted(),
              ActionExecuted("utter_goodbye"), ActionReverted(), ActionExecuted("action_listen"),
              ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
              UserUttered("hello", {"name": "greet"}), ActionExecuted("utter_greet")]
    tracker = DialogueStateTracker.from_events("grow", [], DOMAIN.slots)
    for event in events:
        tracker.update(event)
        applied = rasa_speedups._applied_events(tracker)
        applied.clear()  # callers may edit what they get
        assert rasa_speedups._applied_events(tracker) == rasa_speedups._rasa_applied_events(tracker), event
        for flags in FLAG_SETS:
            assert rasa_speedups._past_states(tracker, DOMAIN, **flags) == \
                rasa_speedups._rasa_past_states(tracker, DOMAIN, **flags), (event, flags)


def random_events(rng: random.Random, count: int) -> list[Event]:
    """Events of every kind Rasa's `applied_events` treats differently, in any order: loop runs and
    rejections, reverts, restarts, new sessions, and an action whose name becomes a loop's later."""
    kinds = [lambda: ActionExecuted("action_listen"), lambda: UserUttered("hi", {"name": "greet"}),
             lambda: ActionExecuted(rng.choice(["rephrase_form", "other_form", "utter_greet"])),
             lambda: ActiveLoop(rng.choice(["rephrase_form", "other_form", None])),
             lambda: ActionExecutionRejected(rng.choice(["rephrase_form", "other_form"])),
             lambda: SlotSet("current_theme", "jealousy"), lambda: BotUttered("ok"), UserUtteranceReverted,
             ActionReverted, Restarted, SessionStarted, lambda: LoopInterrupted(rng.random() < 0.5)]
    weights = [6, 6, 6, 3, 2, 2, 2, 1, 1, 0.3, 0.3, 1]
    return [rng.choices(kinds, weights)[0]() for _ in range(count)]


def test_applied_events_continued_event_by_event_are_rasas_for_random_conversations() -> None:
    rng = random.Random(7)
    for _ in range(300):
        tracker = DialogueStateTracker.from_events("applied", [], DOMAIN.slots)
        for event in random_events(rng, 40):
            tracker.update(event)
            if rng.random() < 0.3:  # not asked after every event: several new events at once
                continue
            assert rasa_speedups._applied_events(tracker) == rasa_speedups._rasa_applied_events(tracker)
            if rng.random() < 0.2:  # a copy continues on its own
                clone = rasa_speedups._copy_tracker(tracker)
                clone.update(ActionExecuted("rephrase_form"))
                assert rasa_speedups._applied_events(clone) == rasa_speedups._rasa_applied_events(clone)
        assert rasa_speedups._applied_events(tracker) == rasa_speedups._rasa_applied_events(tracker)


def test_an_action_that_becomes_a_loops_name_later_is_counted_again() -> None:
    tracker = DialogueStateTracker.from_events("late", [], DOMAIN.slots)
    events = [ActionExecuted("action_listen"), UserUttered("a", {"name": "greet"}), ActionExecuted("late_form"),
              ActionExecuted("action_listen"), UserUttered("b", {"name": "greet"}), ActionExecuted("late_form")]
    for event in events:
        tracker.update(event)
        rasa_speedups._applied_events(tracker)
    tracker.update(ActiveLoop("late_form"))  # Rasa now treats the second run as the loop running again
    assert rasa_speedups._applied_events(tracker) == rasa_speedups._rasa_applied_events(tracker)
    assert len(rasa_speedups._applied_events(tracker)) < len(tracker.events)


EVERY_KIND_OF_TURN = [
    *conversation_so_far()[-1].events,
    UserUttered("you always forget", {"name": "state_accusation"}), ActionExecuted("rephrase_form"),
    ActiveLoop("rephrase_form"), SlotSet("requested_slot", "attempt"), ActionExecuted("action_listen"),
    UserUttered("stop", {"name": "stop"}), LoopInterrupted(True), ActionExecuted("rephrase_form"),
    ActionExecutionRejected("rephrase_form"), ActionExecuted("utter_ask_continue"), BotUttered("go on?"),
    FollowupAction("action_listen"), ActionExecuted("action_listen"), ConversationPaused(),
    UserUttered("hi", {"name": "greet"}), ConversationResumed(), UserUtteranceReverted(),
    ActionExecuted("action_restart"), Restarted(), ActionExecuted("action_listen"),
    UserUttered("hello", {"name": "greet"}, [{"entity": "cue", "value": "x", "start": 0, "end": 1}])]


def tracker_state(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Everything a tracker's events build, as comparable values."""
    return {**tracker.current_state(EventVerbosity.ALL), "events": [id(event) for event in tracker.events],
            "slots": {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
            "active_loop": copy.copy(tracker.active_loop), "followup": tracker.followup_action,
            "message": tracker.latest_message, "bot": tracker.latest_bot_utterance, "action": tracker.latest_action,
            "ids": (tracker.model_id, tracker.assistant_id, tracker.sender_source, tracker.is_rule_tracker)}


def test_a_tracker_copy_is_rasas_copy_at_every_point_and_independent_of_the_original() -> None:
    tracker = DialogueStateTracker.from_events("copy", [], DOMAIN.slots)
    tracker.model_id = "model"
    for event in EVERY_KIND_OF_TURN:
        tracker.update(event)
        ours, rasas = rasa_speedups._copy_tracker(tracker), rasa_speedups._rasa_copy(tracker)
        assert tracker_state(ours) == tracker_state(rasas), event
        before = tracker_state(tracker)
        changes = [ActionExecuted("action_listen"), SlotSet("current_theme", "overanalyze")]
        for clone in (ours, rasas):
            for change in changes:
                clone.update(change)
            clone.interrupt_loop(True)
            clone.reject_action("rephrase_form")
        assert tracker_state(ours) == tracker_state(rasas)
        assert tracker_state(tracker) == before
        tracker.clear_followup_action()  # as the processor does before running a follow-up action
        assert tracker_state(rasa_speedups._copy_tracker(tracker)) == tracker_state(rasa_speedups._rasa_copy(tracker))


@pytest.mark.parametrize("build", ["recreate_from_dialogue", "max_event_history"])
def test_a_tracker_whose_state_its_events_would_not_rebuild_is_copied_as_rasa_does(build: str) -> None:
    """A form that ran again: Rasa's applied events drop the repeated run and the message before it."""
    events = [ActionExecuted("action_listen"), UserUttered("you never listen", {"name": "state_accusation"}),
              ActionExecuted("rephrase_form"), ActiveLoop("rephrase_form"), SlotSet("requested_slot", "attempt"),
              ActionExecuted("action_listen"), UserUttered("i feel sad", {"name": "inform"}),
              ActionExecuted("rephrase_form"), SlotSet("attempt", "i feel sad")]
    if build == "recreate_from_dialogue":  # how Rasa's in-memory and Redis stores load a conversation
        tracker = DialogueStateTracker("d", DOMAIN.slots)
        tracker.recreate_from_dialogue(Dialogue("d", events))
    else:
        tracker = DialogueStateTracker.from_events("d", events, DOMAIN.slots, max_event_history=4)
    assert tracker_state(rasa_speedups._copy_tracker(tracker)) == tracker_state(rasa_speedups._rasa_copy(tracker))


def test_a_growing_tracker_is_replayed_only_from_where_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    starts: list[str] = []
    rasa_init_copy = DialogueStateTracker.init_copy
    monkeypatch.setattr(DialogueStateTracker, "init_copy",
                        lambda self: starts.append(self.sender_id) or rasa_init_copy(self))
    tracker = DialogueStateTracker.from_events("grow", conversation_so_far()[5].events, DOMAIN.slots)
    rasa_speedups._past_states(tracker, DOMAIN)
    for event in [UserUttered("hi", {"name": "greet"}), ActionExecuted("utter_greet"), BotUttered("hi")]:
        tracker.update(event)
        rasa_speedups._past_states(tracker, DOMAIN)
    assert starts == ["grow"]  # one replay from the start, then only the new events
    tracker.update(ActionReverted())  # earlier events no longer apply: replayed from the start again
    states = rasa_speedups._past_states(tracker, DOMAIN)
    assert len(starts) == 2
    assert states == rasa_speedups._rasa_past_states(tracker, DOMAIN)


def test_training_trackers_keep_their_own_cache() -> None:
    tracker = TrackerWithCachedStates.from_events("t", conversation_so_far()[-1].events, DOMAIN.slots,
                                                  domain=DOMAIN)
    rasa_speedups._past_states(tracker, DOMAIN)
    assert "_states_walks" not in tracker.__dict__


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
    expected = rasa_speedups._rasa_run_graph(runner, {"__number__": 1}, targets)
    dask_calls, Count.calls = sorted(Count.calls), []
    assert rasa_speedups._run_graph(runner, {"__number__": 1}, targets) == expected
    assert rasa_speedups._run_graph(runner, {"__number__": 5}, targets) != expected  # not remembered
    assert sorted(Count.calls) == sorted(dask_calls * 2) and "unused" not in Count.calls


@pytest.mark.parametrize("target, error", [("broken", GraphComponentException), ("orphan", GraphRunError)])
def test_the_graph_runner_fails_as_dask_does(runner: DaskGraphRunner, target: str, error: type) -> None:
    for run in (rasa_speedups._rasa_run_graph, rasa_speedups._run_graph):
        with pytest.raises(error):
            run(runner, {"__number__": 1}, [target])


def test_rasas_event_types_are_exclusive_so_checking_the_named_type_accepts_what_one_of_does() -> None:
    items = RemoteAction.action_response_format_spec()["properties"]["events"]["items"]
    assert rasa_speedups._one_of_is_any_of(items)
    named = {"properties": {"event": {"const": "a"}}}
    for not_exclusive in ({"required": ["event"], "oneOf": [named, {"properties": {}}]},
                          {"required": ["event"], "oneOf": [named, named]}, {"oneOf": [named]}):
        assert not rasa_speedups._one_of_is_any_of(not_exclusive)
    shared, types = rasa_speedups._validators()
    assert "oneOf" not in shared.schema["properties"]["events"]["items"] and len(types) == len(items["oneOf"])
    action = RemoteAction("action_x", None)
    answers = [
        {"events": [{"event": "slot", "name": "theme", "value": "jealousy"}, {"event": "active_loop", "name": None},
                    {"event": "followup", "name": "utter_x"}, {"event": "bot", "text": "hi"}]},
        {"events": [{"event": "slot", "value": "no name"}]},  # a slot event must name its slot
        {"events": [{"event": "no such event"}]},
        {"events": [{"name": "no event type"}]},
        {"events": [{"event": "user", "text": 5}]},  # a known type, with a wrong field
        {"events": None}, {"responses": [{"text": "no events at all"}]},
    ]
    for answer in answers:
        try:
            expected = rasa_speedups._rasa_validate(action, answer)
        except ValidationError:
            expected = False
        try:
            got = rasa_speedups._validate_action_result(action, answer)
        except ValidationError:
            got = False
        assert got == expected
    assert [rasa_speedups._is_valid(a) for a in answers] == [True, False, False, False, False, False, True]


def test_the_session_writes_bodies_with_it_and_keeps_rasas_settings() -> None:
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", headers={"X-Test": "1"},
                              basic_auth={"username": "u", "password": "p"})

    async def check() -> None:
        async with rasa_speedups._session(endpoint) as session:
            assert session._json_serialize is json_text.dumps
            assert session.headers["X-Test"] == "1"
            assert session.auth == aiohttp.BasicAuth("u", "p")
            assert session.timeout.total == DEFAULT_REQUEST_TIMEOUT
            assert session.connector.limit == 0  # type: ignore[union-attr]  # no cap, as a session per call
        await rasa_speedups.close_kept_sessions()

    asyncio.run(check())


async def _action_server(peers: list[Any], port: int = 0) -> web.AppRunner:
    """A stand-in action server on 127.0.0.1 that notes which client connection each call came on."""

    async def webhook(request: web.Request) -> web.Response:
        peers.append((request.transport.get_extra_info("peername"), dict(request.cookies)))  # type: ignore[union-attr]
        response = web.json_response({"events": [], "responses": []})
        response.set_cookie("sticky", "one-persons-turn")  # what a proxy in front might add
        return response

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def _port(runner: web.AppRunner) -> int:
    return runner.addresses[0][1]


def test_action_calls_reuse_one_kept_alive_connection() -> None:
    rasa_speedups.apply()
    peers: list[Any] = []

    async def calls() -> None:
        runner = await _action_server(peers)
        # A host name: for a bare IP address aiohttp's cookie jar would keep nothing anyway.
        endpoint = EndpointConfig(f"http://localhost:{_port(runner)}/webhook")
        for _ in range(3):
            assert await endpoint.request(json={"next_action": "action_x"}) == {"events": [], "responses": []}
        await rasa_speedups.close_kept_sessions()
        await runner.cleanup()

    asyncio.run(calls())
    assert len(peers) == 3 and len({peer for peer, _ in peers}) == 1
    assert [cookies for _, cookies in peers] == [{}, {}, {}]  # nothing carried from one call to the next


def test_a_call_after_the_action_server_restarted_gets_through() -> None:
    """The kept connection died with the old server; the next call must not fail on it."""
    rasa_speedups.apply()
    peers: list[Any] = []

    async def calls() -> None:
        runner = await _action_server(peers)
        port = _port(runner)
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        await endpoint.request(json={})
        await runner.cleanup()
        runner = await _action_server(peers, port)
        await asyncio.sleep(0.05)
        assert await endpoint.request(json={}) == {"events": [], "responses": []}
        await rasa_speedups.close_kept_sessions()
        await runner.cleanup()

    asyncio.run(calls())
    assert len({peer for peer, _ in peers}) == 2


def test_each_event_loop_gets_its_own_session_and_the_stopping_server_closes_it() -> None:
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook")

    async def kept() -> aiohttp.ClientSession:
        async with rasa_speedups._session(endpoint) as first, rasa_speedups._session(endpoint.copy()) as again:
            assert first is again  # same headers and credentials, same loop
        await rasa_speedups.close_kept_sessions()
        assert first.closed
        return first

    assert asyncio.run(kept()) is not asyncio.run(kept())
    assert rasa_speedups._kept_sessions == {}


def test_idle_connections_are_dropped_before_the_action_server_drops_them() -> None:
    from rasa_sdk.endpoint import create_app

    async def keep_alive() -> float:
        async with rasa_speedups._session(EndpointConfig("http://127.0.0.1:1/webhook")) as session:
            seconds = session.connector._keepalive_timeout  # type: ignore[union-attr]
        await rasa_speedups.close_kept_sessions()
        return seconds

    assert 0 < asyncio.run(keep_alive()) < create_app("actions").config.KEEP_ALIVE_TIMEOUT


@pytest.mark.parametrize(("domain", "empty"),
                         [(Domain.empty(), True), (Domain.from_dict({"intents": ["greet"]}), False), (DOMAIN, False)],
                         ids=["empty", "one intent", "project"])
def test_the_empty_domain_check_answers_as_rasas(domain: Domain, empty: bool) -> None:
    assert rasa_speedups._is_empty(domain) is rasa_speedups._rasa_is_empty(domain) is empty


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
            events.append(ActionExecutionRejected("utter_greet"))
        tracker = DialogueStateTracker.from_events("e", events, DOMAIN.slots)
        predictions = _predictions(rng, len(DOMAIN.action_names_or_texts))
        if tracker.events[-1].type_name == "action_execution_rejected":
            predictions[0].probabilities[DOMAIN.index_for_action("utter_greet")] = 1.0
        monkeypatch.setattr(rasa_speedups, "_rasa_rule_predict", lambda *_a, _p=predictions[0], **_k: copy.deepcopy(_p))
        rasa_speedups._rule_predict(rule_policy, tracker, DOMAIN)
        if not rasa_speedups.rules_decided(tracker, memo):
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
        monkeypatch.setattr(rasa_speedups, "_rasa_rule_predict",
                            lambda *_a, **_k: PolicyPrediction(probabilities, "RulePolicy", 6))
        rasa_speedups._rule_predict(rule_policy, tracker, DOMAIN)
        return rasa_speedups.rules_decided(tracker, policy)

    turn = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})]
    assert decided(1.0, turn)
    assert not decided(0.3, turn)  # RulePolicy's core fallback: the others still count
    assert not decided(1.0, [*turn, ActionExecutionRejected("utter_greet")])
    assert not decided(1.0, turn, _policy(MemoizationPolicy, priority=7))  # would outrank the rules
    tracker = DialogueStateTracker.from_events("d", turn, DOMAIN.slots)
    tracker.__dict__["_rules_decided"] = ((len(turn), id(turn[-1])), 6)
    assert rasa_speedups.rules_decided(tracker, memo)
    tracker.update(ActionExecuted("utter_greet"))  # a later point of the conversation: decided again or not
    assert not rasa_speedups.rules_decided(tracker, memo)


def test_memoization_answers_no_opinion_only_when_the_rules_have_decided(monkeypatch: pytest.MonkeyPatch) -> None:
    memo = _policy(MemoizationPolicy)
    asked = []
    monkeypatch.setattr(rasa_speedups, "_rasa_memo_predict", lambda *a, **k: asked.append(1) or "rasa's")
    tracker = DialogueStateTracker.from_events("m", [ActionExecuted("action_listen")], DOMAIN.slots)
    assert rasa_speedups._memo_predict(memo, tracker, DOMAIN) == "rasa's"
    tracker.__dict__["_rules_decided"] = (rasa_speedups._point(tracker), 6)
    silent = rasa_speedups._memo_predict(memo, tracker, DOMAIN)
    assert silent.max_confidence == 0.0 and silent.policy_name == "MemoizationPolicy" and not silent.events
    assert asked == [1]


@pytest.mark.parametrize(("policy", "rasas"), [(RulePolicy, rasa_speedups._rasa_rule_predict),
                                               (MemoizationPolicy, rasa_speedups._rasa_memo_predict)])
def test_the_graph_sees_the_same_prediction_inputs_as_for_rasas_method(
        policy: type[Policy], rasas: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa validates a model's graph from the run method's annotated parameters before training."""
    def inputs() -> dict[str, tuple[bool, bool]]:
        found, _ = _get_parameter_information(policy, "predict_action_probabilities")
        return {name: (info.has_default, info.is_variable_length_keyword_arg) for name, info in found.items()}

    rasa_speedups.apply()
    ours = inputs()
    monkeypatch.setattr(policy, "predict_action_probabilities", rasas)
    assert ours == inputs()


def _sparse(rng: np.random.Generator, rows: int, cols: int, fmt: str) -> Any:
    return scipy.sparse.random(rows, cols, density=0.2, format=fmt, random_state=rng, dtype=np.float32)


@pytest.mark.parametrize("formats", [("coo",) * 4, ("csr", "coo", "coo"), ("csr", "csr"), ("coo", "csr", "csc"),
                                     ("csc", "csc", "csc")])
def test_sparse_features_are_joined_as_rasa_joins_them(formats: tuple[str, ...]) -> None:
    rng = np.random.default_rng(len(formats))
    features = [Features(_sparse(rng, 5, 3 + 4 * i, fmt), "sequence", "text", f"f{i}")
                for i, fmt in enumerate(formats)]
    ours = rasa_speedups._combine_features(copy.deepcopy(features), ["all"])
    rasas = rasa_speedups._rasa_combine_features(copy.deepcopy(features), ["all"])
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
    assert rasa_speedups._combine_features(one, []).features is not one[0].features  # a copy, as Rasa's
    dense = [Features(np.ones((1, 2)), "sentence", "text", "a"), Features(np.ones((1, 3)), "sentence", "text", "b")]
    assert rasa_speedups._combine_features(dense, []).features.shape == (1, 5)
    mismatched = [Features(_sparse(rng, 2, 3, "coo"), "sequence", "text", "a"),
                  Features(_sparse(rng, 3, 3, "coo"), "sequence", "text", "b")]
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        rasa_speedups._combine_features(mismatched, [])
    assert rasa_speedups._combine_features([], []) is None
