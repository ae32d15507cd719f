"""Schema of data/lexicon/*.yml: every file loads, has a header, the right shape, lowercase entries, no
duplicates, and content the coach can say without repeating blame."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from bot.coach.flags import ACCUSING, SPEAKER
from bot.coach.lexicon import LEXICON_DIR, lexicon_files, load, read
from bot.coach.scoring import DEDUCTIONS
from bot.coach.text import parse
from bot.dialogue.wording import texts

FILES = {
    "feelings_unmet", "feelings_met", "pseudo_feelings", "needs", "request_openers", "absolutes", "labels",
    "behaviours", "blame_cues", "language",
}


def _strings(value: Any) -> list[str]:
    """Every string leaf of a YAML value."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value]


def assert_word_list(words: Any, name: str, minimum: int = 1) -> None:
    """A non-empty list of unique, lowercase, trimmed strings (YAML reads bare yes/no/on/off as booleans)."""
    assert isinstance(words, list) and len(words) >= minimum, f"{name}: expected at least {minimum} entries"
    for word in words:
        assert isinstance(word, str) and word == word.strip().lower() and word, f"{name}: bad entry {word!r}"
    duplicates = {w for w in words if words.count(w) > 1}
    assert not duplicates, f"{name}: duplicates {duplicates}"


def test_every_lexicon_file_is_known_and_starts_with_a_header_comment() -> None:
    assert {p.stem for p in lexicon_files()} == FILES
    for path in lexicon_files():
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# ") and ("How it is used" in text or "How bot/coach uses" in text), path.name
        assert yaml.safe_load(text), path.name


@pytest.mark.parametrize("name", ["feelings_unmet", "feelings_met"])
def test_feelings_shape(name: str) -> None:
    data = read(name)
    assert set(data) == {"families", "verbs"}
    for family, words in data["families"].items():
        assert_word_list(words, f"{name}.{family}")
    assert_word_list(data["verbs"], f"{name}.verbs")


def test_feelings_are_a_few_hundred_and_unique_across_files() -> None:
    words = list(load().feelings)
    assert len(words) >= 300
    assert_word_list(words, "all feelings")


def test_pseudo_feelings_shape_and_real_feelings_beneath() -> None:
    data = read("pseudo_feelings")
    assert len(data) >= 60
    assert_word_list(list(data), "pseudo_feelings")
    unmet = {w for words in read("feelings_unmet")["families"].values() for w in words}
    for word, entry in data.items():
        assert set(entry) <= {"feelings", "need", "not_before"} and {"feelings", "need"} <= set(entry), word
        assert_word_list(entry["feelings"], f"{word}.feelings")
        assert set(entry["feelings"]) <= unmet, word
        assert isinstance(entry["need"], str) and entry["need"], word


def test_needs_requests_absolutes_labels_shapes() -> None:
    needs = read("needs")
    assert sum(len(v) for v in needs.values()) >= 100
    assert_word_list([w for v in needs.values() for w in v], "needs")
    assert_word_list(read("request_openers"), "request_openers", minimum=40)
    absolutes = read("absolutes")
    assert set(absolutes) == {"always_never", "every_units", "quantifiers", "after_negation"}
    for key, words in absolutes.items():
        assert_word_list(words, f"absolutes.{key}")
    assert_word_list(read("labels"), "labels", minimum=250)


def test_feelings_labels_and_pseudo_feelings_never_overlap() -> None:
    lex = load()
    feelings, labels, pseudo = set(lex.feelings), set(lex.labels), set(lex.pseudo)
    assert not feelings & labels and not feelings & pseudo and not labels & pseudo


def test_behaviours_shape() -> None:
    data = read("behaviours")
    assert len(data) >= 80
    feelings = set(load().feelings)
    all_matches: list[str] = []
    for i, entry in enumerate(data):
        required = {"match", "observation", "feeling", "need", "request"}
        assert required <= set(entry) <= required | {"polarity", "evaluative", "topic"}, i
        assert_word_list(entry["match"], f"behaviours[{i}].match")
        all_matches += entry["match"]
        assert entry["observation"].startswith("when "), i
        assert entry["feeling"] in feelings, i
        assert entry.get("polarity") in {None, "negative", "positive"}, i
        assert isinstance(entry.get("evaluative", False), bool) and isinstance(
            entry.get("topic", False), bool
        ), i
        assert entry["request"] == entry["request"].rstrip("?. ") and entry["request"][0].islower(), i
    assert_word_list(all_matches, "behaviours.match (across entries)")


def test_blame_cues_and_language_shapes() -> None:
    cues = read("blame_cues")
    assert set(cues) == {
        "sarcasm", "blame", "rhetorical", "command_verbs", "command_after_dont", "command_phrases",
        "command_modals", "you_make_me",
    }
    for key, words in cues.items():
        assert_word_list(words, f"blame_cues.{key}")
    language = read("language")
    for key, value in language.items():
        if key == "spellings":
            assert all(
                isinstance(k, str) and isinstance(v, str) and k == k.lower() and v == v.lower()
                for k, v in value.items()
            )
        else:
            assert_word_list(value, f"language.{key}")


def test_messages_cover_every_flag_kind_and_part() -> None:
    messages = texts("coach")
    kinds = set(ACCUSING) | set(SPEAKER)
    assert kinds == set(DEDUCTIONS) == set(messages["flag_explanations"]) == set(messages["next_steps"])
    assert (
        set(messages["missing"]) == set(messages["part_names"]) == {"feeling", "behaviour", "need", "request"}
    )
    assert all(isinstance(s, str) and s for s in _strings(messages))


def test_every_phrase_turns_into_a_pattern() -> None:
    for path in lexicon_files():
        if path.stem == "behaviours":
            continue
        for phrase in _strings(read(path.stem)):
            assert len(parse(phrase)) > 0, (path.name, phrase)


def _blame_words() -> re.Pattern[str]:
    lex = load()
    words = list(lex.labels) + list(lex.pseudo) + list(lex.absolutes["always_never"])
    words += list(lex.absolutes["quantifiers"])
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])(?:{alternation})s?(?![\w'])", re.IGNORECASE)


def test_everything_the_rewrite_may_say_is_free_of_labels_absolutes_and_pseudo_feelings() -> None:
    lex = load()
    said = [text for b in lex.behaviours for text in (b.observation, b.need, b.request)]
    said += [entry.need for entry in lex.pseudo.values()]
    said += list(lex.messages["rewrite_defaults"].values())
    pattern = _blame_words()
    offending = [text for text in said if pattern.search(text)]
    assert not offending


def test_lexicon_directory_is_under_data() -> None:
    assert LEXICON_DIR.name == "lexicon" and LEXICON_DIR.parent.name == "data"
