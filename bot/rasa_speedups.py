"""Thirteen fixes to Rasa 3.6's hot path, one to how it loads a model, and one to its server process, applied
in every Rasa process that loads this project's model.

1. `RemoteAction._validate_action_result` calls `jsonschema.validate()` on each answer of the action server,
   and that function first checks the schema itself against the JSON Schema meta-schema. Measured here: about
   50 ms of CPU per custom action call, over a third of the Rasa server's time under the benchmark load. The
   schema never changes, so it is checked and compiled once; an invalid answer still goes through Rasa's own
   method, so the error people see is unchanged. Each event is checked against the event types with `oneOf`,
   which tries all 23; every type requires its own `event` name, so at most one can match: when that holds,
   each event is checked against the type its name picks, and nothing else (0.6 ms less per call).
2. `Event.resolve_by_type` walks every subclass of `Event` (recursively, checking each for abstractness) for
   each stored event it reads back: 60% of the time to load a conversation from the tracker store. The
   name -> class map is built once and rebuilt on a miss, so event classes defined later still resolve.
3. Short messages recur word for word across people ("yes", "another idea", "thanks", "bye", the widget's
   buttons), and the NLU pipeline's answer depends on the text alone (the project's components read
   nothing else), so the parse of a message of up to `SHORT_MESSAGE_CHARS` characters is kept per loaded
   model, in memory, keyed by a keyed hash of the text (the key is random per process, so the keys cannot
   be matched against guessed phrases), without the text, and only if it holds no entity (entities quote
   the person's words: a cue phrase, a country). Longer messages are personal and rarely repeat: they are
   always parsed, and never kept.
4. Every policy asks the conversation for its dialogue states on every prediction, and Rasa rebuilds them
   by replaying the whole conversation each time (about a fifth of the server's time), after working out
   again which events apply (`applied_events`, asked for eight times a turn). A live tracker now keeps
   Rasa's `applied_events` loop and continues it for new events only (a copy takes it over; it starts
   again when a name already seen as an action becomes a loop's, which changes how Rasa counts that
   action), and keeps the replay itself, per set of arguments: when the applied events have only grown,
   only the new ones are replayed, with Rasa's own loop body; when Rasa drops earlier events (a form
   running again, a rewind, a new session), it replays from the start.
   Callers get copies, since they edit them. Training trackers (Rasa's TrackerWithCachedStates, which
   caches on its own) are left alone.
5. The graph runner rebuilt the sub-graph for its targets and handed it to dask's general scheduler on
   every run, twice or more per message (about 8% of the server's time for a graph of 20 steps). The
   sub-graph is now built once per set of targets and run by a plain depth-first evaluation: each node
   once, after its inputs, with exactly the arguments dask would pass (a missing input is passed by name,
   which Rasa's nodes report, as with dask).
6. RulePolicy matches each of its rules (87 here) against the conversation's states on every prediction,
   going back through the whole conversation. A rule shorter than the distance back always matches there,
   so the answer depends only on the last states, as many as the longest rule has (3 here): it is
   remembered per rule table for those states. A rule compares only the keys it has, so while no rule
   mentions message text (no end-to-end rules here), the words in a state (Rasa looks each message up by
   its text first) cannot change the answer: a placeholder stands in for them, and the words are never
   kept.
7. Each action call sends the whole conversation as JSON (tens of kilobytes by the end): the standard
   library's encoder took a tenth of the server's time. Request bodies are written with orjson
   (bot/json_text.py), falling back to the standard library for what orjson refuses. And each call
   opened a new connection to the action server: the session and its connections now stay open.
8. Before each action, Rasa copies the conversation by replaying every event into a new tracker. The copy
   now takes over what that replay would rebuild (slots, latest action and messages, active loop, pause,
   and the follow-up action the events leave). It falls back to the replay after a rewind, for a tracker
   loaded from its applied events only (Rasa's in-memory and Redis stores) and for one that drops old
   events (`max_event_history`): there the events alone would not rebuild its state.

9. To load a TensorFlow model (DIET, the ResponseSelector, TED) for prediction, Rasa first trains it for one
   step on an example, only so that its weights exist, and then overwrites them all from the saved
   checkpoint. That step traces the training function and builds the optimizer's state, which stayed
   resident for nothing: the loaded model took 1,244 MB, now 770 MB (one process, measured here). For
   prediction (not for fine-tuning) the model is compiled as Rasa compiles it, but not trained: the
   weights are restored as the prediction on Rasa's own example creates them, and the restore must
   account for every weight the model made (the optimizer's saved state is not read). The weights are the
   same, so every prediction is the same (tests/nlu/test_model_loading.py).

10. Each prediction of a TensorFlow model went through the traced function's dispatch, which matches the
   inputs to a trace on every call. Rasa fixes the function's input signature (any length, any batch), so
   there is exactly one trace: its concrete function is now called directly, with the inputs converted
   to the signature's types; inputs that do not fit it go through Rasa's own call. A DIET call took
   1.2-1.5 ms, now about 0.7 ms (measured here); the outputs are the same function's.
11. On every message the processor checks that the domain is not empty, and Rasa's check builds an empty
   domain from scratch to compare with (2% of the server's time): the empty domain's dictionary is built
   once.
12. Every policy predicts at every step, and the ensemble then takes the most confident prediction, the
   higher priority winning a tie. When RulePolicy (which runs first) is fully confident and no action was
   just rejected, nothing a lower-priority policy says can change the pick (`rules_decided`), so
   MemoizationPolicy and the project's TED answer "no opinion" at once. They were 8% of the server's
   time, most of it rebuilding dialogue states; the agent now takes 9% less CPU per message (A/B in one
   process, the benchmark's conversations). Only the picked prediction reaches the conversation and
   `rasa test`.
13. Before DIET classifies a message, its sparse features from the four featurizers are joined into one
   matrix per level (tokens, sentence), and Rasa joins them pairwise: a deep copy of the first, then one
   `scipy.sparse.hstack` per further featurizer, each copying everything joined so far. One `hstack` of
   them all gives the same matrix (same entries in the same order, same format and type) in about half
   the time (0.35 -> 0.16 ms for four, measured here); anything else (dense features, a shape mismatch
   Rasa reports, a single featurizer) goes through Rasa's own method.
14. Rasa deep-copies what it passes to nine of its debug log calls (each action's events, each parse's
   entities, the form's slot candidates, RulePolicy's states...), before the call, so at any log level:
   4% of the server's time under the benchmark load. Where structlog drops debug messages before any
   processor sees them (its filtering logger, which Rasa configures from the log level; INFO by default),
   nothing reads the copy, so the three modules with such calls get a `copy` whose `deepcopy` then
   passes the value itself. All their deep copies are debug log arguments (a test reads their source to
   keep it so); at DEBUG, or before Rasa configures logging, they copy as before.

And `freeze_loaded_objects()`, which the channels run once the server has loaded the model: the loaded
server holds about 700,000 Python objects (TensorFlow, Rasa, the models) that live as long as the process,
and each full garbage collection walked all of them (370 ms here, stalling every conversation in flight).
`gc.freeze()` moves them out of the collector's reach; what is created afterwards is collected as before.
"""

from __future__ import annotations

import asyncio
import copy
import gc
import hashlib
import itertools
import json
import logging
import operator
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import aiohttp
import numpy as np
import rasa.core.actions.forms
import rasa.core.policies.rule_policy
import rasa.core.processor
import scipy.sparse
import structlog
import tensorflow as tf
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from keras.utils import tf_utils
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.processor import MessageProcessor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DEFAULT_SENDER_ID, DIAGNOSTIC_DATA
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME, PREVIOUS_ACTION, USER
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import AnySlotDict, DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_TEXT, ENTITIES, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

from bot import json_text
from bot.recent import keep, recall

logger = logging.getLogger(__name__)

SHORT_MESSAGE_CHARS = 40
PARSES_KEPT = 2000
RULE_ANSWERS_KEPT = 5000
_PARSE_KEY = os.urandom(32)

_rasa_validate = RemoteAction._validate_action_result
_rasa_resolve = Event.resolve_by_type
_rasa_parse = MessageProcessor._parse_message_with_graph
_rasa_past_states = DialogueStateTracker.past_states
_rasa_applied_events = DialogueStateTracker.applied_events
_rasa_copy = DialogueStateTracker.copy
_rasa_recreate = DialogueStateTracker.recreate_from_dialogue
_rasa_possible_keys = RulePolicy._get_possible_keys
_rasa_run_graph = DaskGraphRunner.run
_rasa_load_model = RasaModel.load.__func__  # type: ignore[attr-defined]
_rasa_predict = RasaModel._rasa_predict
_rasa_is_empty = Domain.is_empty
_rasa_rule_predict = RulePolicy.predict_action_probabilities
_rasa_memo_predict = MemoizationPolicy.predict_action_probabilities
_rasa_combine_features = Message._combine_features
_event_types: dict[str, type[Event]] = {}
_WORDS_IN_STATES = ((USER, TEXT), (PREVIOUS_ACTION, ACTION_TEXT))
_WORDS = "<words>"
KEEP_ALIVE_SECONDS = 2.0
_kept_sessions: dict[tuple[int, str], tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}


def _one_of_is_any_of(items: dict[str, Any]) -> bool:
    """True when the `oneOf` branches are exclusive: `event` is required and each branch names another."""
    names = [branch.get("properties", {}).get("event", {}).get("const") for branch in items["oneOf"]]
    return "event" in items.get("required", []) and None not in names and len(set(names)) == len(names)


@lru_cache(maxsize=1)
def _validators() -> tuple[Validator, dict[str, Validator]]:
    """Rasa's answer schema, checked and compiled once. When its event types are exclusive, the schema
    without the `oneOf` (what every event shares) and each type's own schema by its name; otherwise the
    whole schema and no types."""
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    cls = validator_for(schema)
    cls.check_schema(schema)
    items = schema["properties"]["events"]["items"]
    if not _one_of_is_any_of(items):
        return cls(schema), {}
    types = items.pop("oneOf")
    return cls(schema), {branch["properties"]["event"]["const"]: cls(branch) for branch in types}


def _is_valid(result: Any) -> bool:
    """What Rasa's schema says of an answer: each event is checked against its own type only, which is the
    one branch of the exclusive `oneOf` that can match."""
    shared, types = _validators()
    if not shared.is_valid(result):
        return False
    events = result.get("events") or [] if types else []
    return all(event["event"] in types and types[event["event"]].is_valid(event) for event in events)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    if not _is_valid(result):
        return _rasa_validate(self, result)  # raises with Rasa's explanation
    return True


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    if type_name not in _event_types:
        for cls in all_subclasses(Event):  # the first class with a name wins, as in Rasa's loop
            _event_types.setdefault(cls.type_name, cls)
    found = _event_types.get(type_name)
    return found if found is not None else _rasa_resolve(type_name, default)


def _parse_message_with_graph(self: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker,
                              only_output_properties: bool = True) -> dict[str, Any]:
    text = message.text
    if not only_output_properties or not text or len(text) > SHORT_MESSAGE_CHARS:
        return _rasa_parse(self, message, tracker, only_output_properties)
    parses: OrderedDict[bytes, str] = self.__dict__.setdefault("_short_parses", OrderedDict())  # one per model
    key = hashlib.blake2b(text.encode(), key=_PARSE_KEY, digest_size=16).digest()
    kept = recall(parses, key)
    if kept is not None:
        return {TEXT: text, **json.loads(kept)}  # a fresh copy: the caller adds to it
    parsed = _rasa_parse(self, message, tracker, only_output_properties)
    if not parsed.get(ENTITIES):
        keep(parses, key, json.dumps({name: value for name, value in parsed.items() if name != TEXT}), PARSES_KEPT)
    return parsed


def _copy_states(states: list[State]) -> list[State]:
    """States are dicts of dicts of strings, numbers and tuples: two levels of copying make them new."""
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in states]


@dataclass
class _StatesWalk:
    """Rasa's `Domain.states_for_tracker_history` as a walk that can be continued: the applied events
    replayed so far, the tracker they rebuilt, the state before each action among them, and the walk's
    two running values (the last action shown to ML policies, whether the current turn is hidden)."""

    domain: Domain
    replay: DialogueStateTracker
    applied: list[Event] = field(default_factory=list)
    states: list[State] = field(default_factory=list)
    last_ml_action: dict[str, Any] | None = None
    turn_hidden: bool = False

    def state_now(self, hide_rule_turn: bool, omit_unset_slots: bool, ignore_rule_only_turns: bool,
                  rule_only_data: dict[str, Any] | None) -> tuple[State | None, dict[str, Any] | None, bool]:
        """The state of the replayed tracker (None if hidden) and the two running values after it: the body
        of Rasa's loop, statement for statement."""
        domain, tracker = self.domain, self.replay
        last_ml_action, turn_hidden = self.last_ml_action, self.turn_hidden
        if ignore_rule_only_turns:
            if not turn_hidden:
                last_ml_action = domain._get_prev_action_sub_state(tracker)
            if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
                turn_hidden = hide_rule_turn
            if turn_hidden:
                return None, last_ml_action, turn_hidden
        state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
        if ignore_rule_only_turns:
            domain._remove_rule_only_features(state, rule_only_data)
            if self.states:
                domain._substitute_rule_only_user_input(state, self.states[-1])
            if last_ml_action:
                state[PREVIOUS_ACTION] = last_ml_action  # type: ignore[assignment]
        return domain._clean_state(state), last_ml_action, turn_hidden


@dataclass
class _AppliedFold:
    """Rasa's `applied_events` loop, kept so it can be continued: the events folded so far (their deque,
    how many, the last one), the applied events they leave, the loop names among them (Rasa takes those from
    all events), and the names of the actions among them (one of those becoming a loop name for the first
    time changes how it counted, so the fold starts again)."""

    events: Any = None
    seen: int = 0
    last: Event | None = None
    applied: list[Event] = field(default_factory=list)
    loop_names: set[str] = field(default_factory=set)
    executed: set[str] = field(default_factory=set)

    def follows(self, events: Any) -> bool:
        """Whether `events` are the folded ones plus newer ones (Rasa only ever appends to a tracker's)."""
        return (events is self.events and len(events) >= self.seen
                and (not self.seen or events[self.seen - 1] is self.last))

    def continued_by(self, events: Any) -> _AppliedFold:
        """An independent copy for a tracker copy whose `events` hold the same events."""
        return _AppliedFold(events, self.seen, self.last, list(self.applied), set(self.loop_names),
                            set(self.executed))

    def add(self, tracker: DialogueStateTracker, events: list[Event], loop_names: set[str]) -> None:
        """The body of Rasa's loop for each new event, statement for statement, with the loop names among
        them counted first (Rasa takes them from all events)."""
        self.loop_names |= loop_names
        applied = self.applied
        for event in events:
            if isinstance(event, (Restarted, SessionStarted)):
                applied.clear()
            elif isinstance(event, ActionReverted):
                tracker._undo_till_previous(ActionExecuted, applied)
            elif isinstance(event, UserUtteranceReverted):
                tracker._undo_till_previous(UserUttered, applied)
                tracker._undo_till_previous(ActionExecuted, applied)
            elif (isinstance(event, ActionExecuted) and event.action_name in self.loop_names
                  and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)):
                tracker._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)
            if isinstance(event, ActionExecuted):
                self.executed.add(event.action_name)
        self.seen += len(events)
        if events:
            self.last = events[-1]


def _loop_names(events: list[Event]) -> set[str]:
    return {event.name for event in events if isinstance(event, ActiveLoop) and event.name}


def _applied_events(self: DialogueStateTracker) -> list[Event]:
    events = self.events
    if type(self) is not DialogueStateTracker or events.maxlen is not None:
        return _rasa_applied_events(self)  # old events dropped: only Rasa's loop over what is left
    fold = self.__dict__.get("_applied_fold")
    if fold is None or not fold.follows(events):
        fold = _AppliedFold(events)
    new = list(itertools.islice(events, fold.seen, None))
    loop_names = _loop_names(new)
    if (loop_names - fold.loop_names) & fold.executed:  # a folded action is now a loop's: fold again
        fold, new = _AppliedFold(events), list(events)
        loop_names = _loop_names(new)
    fold.add(self, new, loop_names)
    self.__dict__["_applied_fold"] = fold
    return list(fold.applied)  # a fresh list: callers may edit it


def _one_of(events: Any, item: Any) -> bool:
    return any(event is item for event in reversed(events))


def _followup_from_events(events: Any) -> tuple[bool, str | None]:
    """The follow-up action a replay of `events` ends with, as (True, name), or (False, None) when only a
    replay can tell. The processor clears the live tracker's follow-up action before running it, outside
    any event, so the live value is not what Rasa's replayed copy has."""
    for event in reversed(events):
        apply_to = type(event).apply_to
        if apply_to in (UserUttered.apply_to, ActionExecuted.apply_to):
            return True, None
        if apply_to is FollowupAction.apply_to:
            return True, event.action_name
        if apply_to is Restarted.apply_to:
            return True, ACTION_SESSION_START_NAME
        if apply_to is SessionStarted.apply_to:
            return True, ACTION_LISTEN_NAME
        if apply_to in (UserUtteranceReverted.apply_to, ActionReverted.apply_to):
            return False, None
    return True, ACTION_LISTEN_NAME


def _copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """Rasa's `tracker.copy()` replays every event into a fresh tracker (a tenth of a millisecond per
    ten events, twice a turn or more); this copies what that replay rebuilds instead: the events, each
    slot, the latest action, message and bot message, the active loop, the pause, and the follow-up action
    the events leave. Like Rasa's, the copy starts as `init_copy()` does (no model or assistant id), shares
    the event objects, and can be changed without changing this tracker."""
    known, followup = _followup_from_events(self.events)
    if (type(self) is not DialogueStateTracker or isinstance(self.slots, AnySlotDict) or not known
            or self._max_event_history is not None or self.__dict__.get("_rebuilt_from_applied_events")):
        return _rasa_copy(self)  # a state the events alone would not rebuild, or events already dropped
    # What `init_copy()` makes, without its copies of the slots (reset on the way): copied once, below.
    clone = DialogueStateTracker(self.sender_id or DEFAULT_SENDER_ID, None, self._max_event_history,
                                 is_rule_tracker=self.is_rule_tracker)
    clone.events.extend(self.events)
    clone.slots = {name: copy.copy(slot) for name, slot in self.slots.items()}
    clone._paused = self._paused
    clone.followup_action = followup
    clone.latest_action = None if self.latest_action is None else dict(self.latest_action)
    if _one_of(self.events, self.latest_message):  # else the empty placeholder `init_copy` made stays
        clone.latest_message = self.latest_message
    if _one_of(self.events, self.latest_bot_utterance):
        clone.latest_bot_utterance = self.latest_bot_utterance
    clone.active_loop = copy.copy(self.active_loop)
    fold = self.__dict__.get("_applied_fold")
    if fold is not None and fold.follows(self.events):  # same events: the copy continues from here
        clone.__dict__["_applied_fold"] = fold.continued_by(clone.events)
    return clone


def _recreate_from_dialogue(self: DialogueStateTracker, dialogue: Any) -> None:
    """Rasa's, marking the tracker: its state now comes from the applied events only (the in-memory and
    Redis stores load conversations this way), which Rasa's replaying copy would not rebuild."""
    _rasa_recreate(self, dialogue)
    self.__dict__["_rebuilt_from_applied_events"] = True


def _extends(events: list[Event], prefix: list[Event]) -> bool:
    return len(prefix) <= len(events) and all(map(operator.is_, prefix, events))


def _past_states(self: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                 ignore_rule_only_turns: bool = False, rule_only_data: dict[str, Any] | None = None
                 ) -> list[State]:
    if type(self) is not DialogueStateTracker:
        return _rasa_past_states(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    applied = self.applied_events()
    flags = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    walks: dict[tuple[Any, ...], _StatesWalk] = self.__dict__.setdefault("_states_walks", {})
    key = (omit_unset_slots, ignore_rule_only_turns, json.dumps(rule_only_data, sort_keys=True))
    walk = walks.get(key)
    if walk is None or walk.domain is not domain or not _extends(applied, walk.applied):
        walk = walks[key] = _StatesWalk(domain, self.init_copy())  # from the start, as Rasa does
    for event in applied[len(walk.applied):]:
        if isinstance(event, ActionExecuted):  # Rasa takes a state before each action
            state, walk.last_ml_action, walk.turn_hidden = walk.state_now(event.hide_rule_turn, *flags)
            if state is not None:
                walk.states.append(state)
        walk.replay.update(event)
    walk.applied = applied
    state, _, _ = walk.state_now(False, *flags)  # and one after the last event, not kept: more may follow
    return _copy_states(walk.states if state is None else [*walk.states, state])


def _quotes(state: State) -> bool:
    """Whether a dialogue state holds someone's words (Rasa's end-to-end states carry the text)."""
    return any(state.get(name, {}).get(key) for name, key in _WORDS_IN_STATES)


def _mentions_words(rule_key: str) -> bool:
    """Whether a rule's states ask anything of the words (an end-to-end rule), whatever the value."""
    return any(key in state.get(name, {}) for state in RulePolicy._rule_key_to_state(rule_key)
               for name, key in _WORDS_IN_STATES)


def _without_words(state: State) -> State:
    """The state with each quoted text replaced by a placeholder (the keys stay, so does their truth)."""
    if not _quotes(state):
        return state
    masked = {name: dict(sub_state) for name, sub_state in state.items()}
    for name, key in _WORDS_IN_STATES:
        if masked.get(name, {}).get(key):
            masked[name][key] = _WORDS
    return masked


def _possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[State]) -> set[str]:
    """Rasa's `RulePolicy._get_possible_keys`, remembered per rule table and last states: a rule that is
    shorter than the distance to a state always applies to it, so only the last (longest rule) states
    decide the answer. A rule compares only the keys it has, so when no rule of the table mentions the
    words, the words cannot change the answer: they are left out of what is remembered (a placeholder
    stands in). A table with such a rule is never asked from memory about states that quote someone."""
    tables: dict[int, tuple[frozenset[str], int, bool, OrderedDict[str, frozenset[str]]]] = \
        self.__dict__.setdefault("_possible_keys", {})
    table = tables.get(id(lookup))
    if table is None or table[0] != lookup.keys():  # a new table, or edited (while training)
        longest = max((len(self._rule_key_to_state(key)) for key in lookup), default=0)
        table = tables[id(lookup)] = (frozenset(lookup), longest, any(map(_mentions_words, lookup)), OrderedDict())
    _, longest, words_matter, answers = table
    window = states[-longest:] if longest else []
    if any(map(_quotes, window)):
        if words_matter:
            return _rasa_possible_keys(self, lookup, states)
        window = [_without_words(state) for state in window]
    key = json.dumps(window, sort_keys=True)
    found = recall(answers, key)
    if found is None:
        found = frozenset(_rasa_possible_keys(self, lookup, states))
        keep(answers, key, found, RULE_ANSWERS_KEPT)
    return set(found)


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


class _KeptSession:
    """What `async with endpoint.session()` enters: a client session that stays open when left."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *_exc_info: Any) -> None:
        return None


def _session(self: EndpointConfig) -> _KeptSession:
    """Rasa's `EndpointConfig.session`, with request bodies written by `bot.json_text.dumps`, made once per
    event loop and set of headers and credentials, and kept. Rasa opened and closed a session, so a TCP
    connection, for each action call: keeping them took 6% off the CPU time of a message (Rasa and action
    server together, A/B on one stack). Idle connections are dropped after `KEEP_ALIVE_SECONDS`, before the
    action server drops them (Sanic's default: 5 s), so a request never goes out on a connection the server
    is closing."""
    loop = asyncio.get_running_loop()
    key = (id(loop), json.dumps([self.headers, self.basic_auth], sort_keys=True, default=str))
    kept = _kept_sessions.get(key)
    if kept is None or kept[1].closed:  # the key's loop is the running one: the entry keeps it alive
        for stale in [k for k, (old_loop, _) in _kept_sessions.items() if old_loop.is_closed()]:
            del _kept_sessions[stale]  # a finished loop's session: its connections went with the loop
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        # No cookie jar (a session per call never sent cookies back; a kept one would carry them from one
        # person's turn to the next), and no cap on connections (a session per call had none).
        session = aiohttp.ClientSession(headers=self.headers, auth=auth, json_serialize=json_text.dumps,
                                        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                        cookie_jar=aiohttp.DummyCookieJar(),
                                        connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEP_ALIVE_SECONDS))
        kept = _kept_sessions[key] = (loop, session)
    return _KeptSession(kept[1])


async def close_kept_sessions() -> None:
    """Close the running loop's kept sessions (the server is stopping)."""
    loop = asyncio.get_running_loop()
    for key, (owner, session) in list(_kept_sessions.items()):
        if owner is loop:
            del _kept_sessions[key]
            await session.close()


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


class _Traced:
    """A concrete TensorFlow function, called with numpy inputs that fit its signature. TensorFlow's public
    call first matches the inputs against the signature in Python (2.8% of a worker's time); the same
    check on plain numbers (rank, fixed sizes, type) is a tenth of that, and the inputs then only need
    converting for `_call_flat`, TensorFlow's own next step (TF is pinned in requirements/runtime.lock)."""

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


@lru_cache(maxsize=1)
def _empty_domain() -> dict[str, Any]:
    return Domain.empty().as_dict()


def _is_empty(self: Domain) -> bool:
    """Rasa's `Domain.is_empty`, with the empty domain's dictionary built once."""
    return self.as_dict() == _empty_domain()


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
    cannot then be picked. Confidence 1.0 is the most any prediction has, and ties go to priority."""
    noted = tracker.__dict__.get("_rules_decided")
    return noted is not None and noted[0] == _point(tracker) and policy.priority < noted[1]


def _memo_predict(self, tracker: DialogueStateTracker, domain: Domain,  # type: ignore[no-untyped-def]
                  rule_only_data: dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
    """Rasa's MemoizationPolicy prediction, or no opinion when the rules have decided (`self`: as above)."""
    if rules_decided(tracker, self):
        return self._prediction(self._default_predictions(domain))
    return _rasa_memo_predict(self, tracker, domain, rule_only_data, **kwargs)


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


def _combine_features(features: list[Features], featurizers: list[str]) -> Features | None:
    """Rasa's `Message._combine_features` for two or more sparse features of one length: one `hstack`."""
    if len(features) < 2 or not all(f.is_sparse() for f in features) \
            or len({f.features.shape[0] for f in features}) > 1:
        return _rasa_combine_features(features, featurizers)
    first = features[0]
    return Features(scipy.sparse.hstack([f.features for f in features]), first.type, first.attribute,
                    featurizers)


_DROPPED = structlog.make_filtering_bound_logger(logging.CRITICAL).debug  # structlog's no-op debug method


class _DebugLogCopy:
    """The `copy` module as `DEBUG_LOG_COPY_MODULES` see it (fix 14)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        if structlog.get_config()["wrapper_class"].debug is _DROPPED:
            return value  # only a dropped debug message would have read the copy
        return copy.deepcopy(value, memo)


DEBUG_LOG_COPY_MODULES = (rasa.core.processor, rasa.core.actions.forms, rasa.core.policies.rule_policy)


def freeze_loaded_objects() -> int:
    """Collect once, then exempt every object alive now from later collections; returns how many."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    logger.info("Froze %d long-lived objects for the garbage collector.", frozen)
    return frozen


def apply() -> None:
    """Idempotent: replaces the methods named above."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign, assignment]
    MessageProcessor._parse_message_with_graph = _parse_message_with_graph  # type: ignore[method-assign]
    DialogueStateTracker.past_states = _past_states  # type: ignore[method-assign]
    DialogueStateTracker.applied_events = _applied_events  # type: ignore[method-assign]
    DialogueStateTracker.copy = _copy_tracker  # type: ignore[method-assign]
    DialogueStateTracker.recreate_from_dialogue = _recreate_from_dialogue  # type: ignore[method-assign]
    RulePolicy._get_possible_keys = _possible_keys  # type: ignore[method-assign]
    DaskGraphRunner.run = _run_graph  # type: ignore[method-assign]
    EndpointConfig.session = _session  # type: ignore[method-assign]
    RasaModel.load = classmethod(_load_model)  # type: ignore[method-assign, assignment]
    RasaModel._rasa_predict = _predict  # type: ignore[method-assign]
    Domain.is_empty = _is_empty  # type: ignore[method-assign]
    RulePolicy.predict_action_probabilities = _rule_predict  # type: ignore[method-assign]
    MemoizationPolicy.predict_action_probabilities = _memo_predict  # type: ignore[method-assign]
    Message._combine_features = staticmethod(_combine_features)  # type: ignore[method-assign, assignment]
    for module in DEBUG_LOG_COPY_MODULES:
        module.copy = _DebugLogCopy()  # type: ignore[attr-defined]
