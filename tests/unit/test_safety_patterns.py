"""The crisis/abuse rule layer: every rule does what its entry says, and the hand-written lists hold.

A miss here can mean a person in danger gets strategies instead of a crisis line, so the lists are exhaustive
(one test per sentence) and each rule's own example is checked through that rule's id, not just "something
matched".
"""

from __future__ import annotations

import pytest
import yaml

from bot.nlp import load
from bot.paths import ROOT, SPACY_PIPELINE
from bot.safety import detect, evaluate_lists
from bot.safety.detector import CHECK_IN, load_rules, raw_matches
from bot.safety.rules import overlaps

LISTS_FILE = ROOT / "tests" / "safety" / "messages.yml"
LISTS = yaml.safe_load(LISTS_FILE.read_text(encoding="utf-8"))
RULES = load_rules()

# Ordinary sentences the rules flag and cannot tell apart from a real disclosure (documented, reported by
# `make eval`). If one stops being flagged, strict xfail fails so it is moved back to the plain list.
KNOWN_FALSE_ALARMS = {
    "she said she'd kill me if i told anyone about the surprise party lol",
}


def _ids(section: str) -> list[str]:
    return [rule.id for rule in RULES[section]]


# ------------------------------------------------------------------------------------------- data file shape
def test_list_sizes() -> None:
    assert len(LISTS["crisis"]) >= 70
    assert len(LISTS["abuse"]) >= 70
    assert len(LISTS["ordinary"]) >= 110
    assert len(LISTS["figurative"]) >= 25


def test_lists_have_no_duplicates() -> None:
    every = [text.lower() for name in LISTS for text in LISTS[name]]
    assert len(every) == len(set(every))


def test_every_rule_documents_itself() -> None:
    raw = yaml.safe_load((ROOT / "data" / "safety" / "patterns.yml").read_text(encoding="utf-8"))
    for section in ("patterns", "ambiguous", "guards"):
        for entry in raw[section]:
            assert entry.get("comment", "").strip(), entry["id"]
            assert entry.get("example", "").strip(), entry["id"]
    assert {rule.category for rule in RULES["patterns"]} == {"crisis", "abuse"}


def test_rule_ids_are_unique_across_sections() -> None:
    ids = [rule.id for section in RULES.values() for rule in section]
    assert len(ids) == len(set(ids))


# ------------------------------------------------------------------------------------------ rule by rule
@pytest.mark.parametrize("rule", RULES["patterns"], ids=_ids("patterns"))
def test_pattern_example_matches_through_its_own_id(rule) -> None:
    result = detect(rule.example)
    assert rule.id in {hit.pattern_id for hit in result.hits}
    assert getattr(result, rule.category)
    assert result.kind == rule.category or result.kind == "crisis"


@pytest.mark.parametrize("rule", RULES["ambiguous"], ids=_ids("ambiguous"))
def test_ambiguous_example_asks_a_check_in(rule) -> None:
    assert rule.id in {rule_id for rule_id, _ in raw_matches(rule.example)["ambiguous"]}
    result = detect(rule.example)
    assert result.kind == CHECK_IN, result
    assert result.ambiguous and not result.hits


@pytest.mark.parametrize("rule", RULES["guards"], ids=_ids("guards"))
def test_guard_example_cancels_a_real_match(rule) -> None:
    """Each guard's example is caught by some rule, and the guard is what stops it."""
    matches = raw_matches(rule.example)
    guards = [span for rule_id, span in matches["guards"] if rule_id == rule.id]
    assert guards, "the guard does not match its own example"
    blocked = rule.blocks or ("crisis", "abuse", CHECK_IN)
    cancelled = [
        span
        for section in ("patterns", "ambiguous")
        for rule_id, span in matches[section]
        if any(overlaps(span, guard) for guard in guards)
    ]
    assert cancelled, "the example would be safe without the guard: it tests nothing"
    result = detect(rule.example)
    for category in ("crisis", "abuse"):
        if category in blocked:
            assert not getattr(result, category), result
    if CHECK_IN in blocked:
        assert not result.check_in, result


# ------------------------------------------------------------------------------------ every list sentence
@pytest.mark.parametrize("text", LISTS["crisis"])
def test_crisis_sentence_raises_crisis(text: str) -> None:
    result = detect(text)
    assert result.crisis and result.kind == "crisis", result


@pytest.mark.parametrize("text", LISTS["abuse"])
def test_abuse_sentence_raises_abuse(text: str) -> None:
    assert detect(text).abuse


@pytest.mark.parametrize("text", LISTS["check_in"])
def test_ambiguous_sentence_gets_at_least_a_check_in(text: str) -> None:
    assert detect(text).kind in {"crisis", "abuse", CHECK_IN}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(text, marks=pytest.mark.xfail(strict=True, reason="known false alarm"))
        if text in KNOWN_FALSE_ALARMS
        else text
        for text in LISTS["ordinary"]
    ],
)
def test_ordinary_insecurity_is_not_an_alarm(text: str) -> None:
    result = detect(text)
    assert not (result.crisis or result.abuse), result


@pytest.mark.parametrize("text", LISTS["figurative"])
def test_idiom_is_not_an_alarm(text: str) -> None:
    result = detect(text)
    assert not (result.crisis or result.abuse), result


@pytest.mark.parametrize("text", LISTS["known_gaps"])
@pytest.mark.xfail(strict=True, reason="a known gap of the rule layer; move it to its list once caught")
def test_known_gap_is_still_missed(text: str) -> None:
    assert detect(text).kind is not None


def test_known_false_alarms_are_still_in_the_ordinary_list() -> None:
    assert set(LISTS["ordinary"]) >= KNOWN_FALSE_ALARMS


# ---------------------------------------------------------------------------------------- the brief's idioms
@pytest.mark.parametrize(
    "text",
    [
        "I could kill for a coffee",
        "my feet are killing me",
        "I'd die for a pizza",
        "dying to see you",
        "he's killing it at work",
        "I need to cut my hair",
        "let's cut the cake",
        "going to hit the gym",
        "hit me up later",
        "I'm dead tired",
        "that joke killed me",
        "he's my rock, I'd be lost without him",
        "you're killing me lol",
    ],
)
def test_idiom_gets_no_reply_at_all(text: str) -> None:
    assert detect(text).kind is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("this fight is killing me", "this fight is killing me"),
        ("the silence is killing me", "the silence is killing me"),
        ("honestly I can't take this anymore", "can't take this anymore"),
        ("I just want to disappear", "want to disappear"),
        ("i'd rather die than text him first lol", "i'd rather die"),
        ("he'd be better off without me", "better off without me"),
    ],
)
def test_figure_of_speech_that_may_hide_risk_asks_a_check_in(text: str, phrase: str) -> None:
    result = detect(text)
    assert (result.crisis, result.abuse, result.check_in) == (False, False, True)
    assert result.kind == CHECK_IN
    assert result.ambiguous == (phrase,)


def test_real_hit_overrides_check_in() -> None:
    result = detect("this is killing me and honestly I want to kill myself")
    assert result.crisis and not result.check_in
    assert result.ambiguous  # still reported, the reply is the crisis one
    assert result.kind == "crisis"


def test_crisis_wins_over_abuse() -> None:
    result = detect("he hits me and i just want to die")
    assert result.crisis and result.abuse
    assert result.kind == "crisis"
    assert {hit.category for hit in result.hits} == {"crisis", "abuse"}


def test_a_guard_only_cancels_what_it_overlaps() -> None:
    result = detect("my ex hit me up last night and then he hit me when i said no")
    assert result.abuse
    assert [hit.text for hit in result.hits] == ["hit me"]


def test_nothing_found() -> None:
    result = detect("we had a nice dinner and talked about the holidays")
    assert result == type(result)(False, False, False, (), ())
    assert result.kind is None


# ---------------------------------------------------------------------------------------------- offsets
def test_offsets_point_at_the_matched_words() -> None:
    text = "Sorry for the long message. Honestly I want to kill myself tonight."
    (hit,) = detect(text).hits
    assert (hit.pattern_id, hit.category, hit.text) == ("crisis_kill_self", "crisis", "kill myself")
    assert (hit.start, hit.end) == (text.index("kill myself"), text.index("kill myself") + len("kill myself"))


@pytest.mark.parametrize("name", ["crisis", "abuse"])
def test_offsets_hold_for_every_list_sentence(name: str) -> None:
    for text in LISTS[name]:
        for hit in detect(text).hits:
            assert text[hit.start : hit.end] == hit.text


# -------------------------------------------------------------------------------------------- Doc input
def test_accepts_a_doc_from_the_project_pipeline() -> None:
    text = "he choked me and took my phone so i couldn't call anyone"
    assert detect(load()(text)) == detect(text)


def test_accepts_a_doc_from_a_separately_loaded_pipeline() -> None:
    """Rasa's SpacyNLP loads the same directory itself, so its Doc has a different Vocab object."""
    import spacy

    other = spacy.load(SPACY_PIPELINE)
    assert other.vocab is not load().vocab
    text = "I've been saving up pills"
    assert detect(other(text)) == detect(text)


def test_lower_cased_doc_matches_the_same() -> None:
    """Rasa's SpacyNLP lower-cases the text before spaCy sees it (case_sensitive: false)."""
    text = "He THREATENED to take the kids and I'm Scared Of Him"
    original, lowered = detect(text), detect(load()(text.lower()))
    assert [(h.pattern_id, h.start, h.end) for h in lowered.hits] == [
        (h.pattern_id, h.start, h.end) for h in original.hits
    ]


@pytest.mark.parametrize("name", ["crisis", "abuse"])
def test_capitals_do_not_hide_a_disclosure(name: str) -> None:
    """The lookup lemmatizer is case-sensitive: matching runs on lower-case text, hits keep the original."""
    missed = [text for text in LISTS[name] if not getattr(detect(text.upper()), name)]
    assert missed == []
    (hit,) = detect("I WANT TO KILL MYSELF").hits
    assert hit.text == "KILL MYSELF"


# ------------------------------------------------------------------------------------------- evaluation
def test_evaluation_of_the_project_lists() -> None:
    report = evaluate_lists(LISTS_FILE)
    assert report["passed"]
    assert report["recall"] == {"crisis": 1.0, "abuse": 1.0}
    assert report["check_in_reach"] == 1.0
    assert [alarm["text"] for alarm in report["false_alarms"]["ordinary"]] == sorted(KNOWN_FALSE_ALARMS)
    assert report["false_alarms"]["figurative"] == []
    assert report["counts"]["ordinary"] == len(LISTS["ordinary"])
    assert report["known_gaps"]["total"] == len(LISTS["known_gaps"])


def test_evaluation_reports_misses(tmp_path) -> None:
    lists = tmp_path / "lists.yml"
    lists.write_text(
        yaml.safe_dump(
            {
                "crisis": ["I want to kill myself", "the weather is nice"],
                "abuse": ["he hit me"],
                "ordinary": ["he hit me", "we watched a film"],
                "figurative": ["this fight is killing me"],
            }
        ),
        encoding="utf-8",
    )
    report = evaluate_lists(lists)
    assert report["recall"] == {"crisis": 0.5, "abuse": 1.0}
    assert report["misses"]["crisis"] == ["the weather is nice"]
    assert report["false_alarm_rate"] == {"ordinary": 0.5, "figurative": 0.0}
    assert report["check_ins"] == {"ordinary": 0, "figurative": 1}
    assert report["passed"] is False
