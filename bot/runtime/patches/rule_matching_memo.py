"""Fix 6: RulePolicy's rule matching remembered per rule table for the last states.

Replaces `RulePolicy._get_possible_keys`, which matches every rule against the conversation's states on
every prediction, going back through the whole conversation. A rule shorter than the distance back always
matches there (`RulePolicy._is_rule_applicable`), so the answer depends only on the last states, as many
as the longest rule has: it is remembered per rule table for those states. A rule compares only the keys
it has (`RulePolicy._does_rule_match_state`), so while no rule of the table mentions message text (no
end-to-end rules here), the words in a state (Rasa looks each message up by its text first) cannot change
the answer: a placeholder stands in for them, and the words are never kept. Falls back to Rasa's own method
for states that quote someone when a rule of the table does mention the words.
"""

from __future__ import annotations

import json
from collections import OrderedDict

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, USER
from rasa.shared.core.domain import State
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT

from bot.runtime.recent import keep, recall

REPLACES = ("rasa.core.policies.rule_policy:RulePolicy._get_possible_keys",)
TARGETS = (*REPLACES, "rasa.core.policies.rule_policy:RulePolicy._is_rule_applicable",
           "rasa.core.policies.rule_policy:RulePolicy._does_rule_match_state")

RULE_ANSWERS_KEPT = 5000
_WORDS_IN_STATES = ((USER, TEXT), (PREVIOUS_ACTION, ACTION_TEXT))
_WORDS = "<words>"

_rasa_possible_keys = RulePolicy._get_possible_keys


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


def apply() -> None:
    RulePolicy._get_possible_keys = _possible_keys  # type: ignore[method-assign]
