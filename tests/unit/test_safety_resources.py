"""Safety resources: the numbers are exactly the checked ones, the country is found, the replies say it.

The expected numbers are copied here from the project's checked notes (crisis-resources.md, 2026-11-21) on
purpose: a number that appears in data/safety/resources.yml without being in this fixture fails the build,
so nobody can add an unchecked line by editing the data file alone.
"""

from __future__ import annotations

import re

import pytest
import yaml

from bot.paths import DATA
from bot.safety import (
    abuse_messages,
    check_in_message,
    crisis_messages,
    find_country,
    hold_message,
    known_countries,
    not_safe_messages,
    resources_for,
    resources_message,
    safe_again_message,
)

RESOURCES = yaml.safe_load((DATA / "safety" / "resources.yml").read_text(encoding="utf-8"))

# From crisis-resources.md: emergency number, then every number the entries may contain (digits only).
CHECKED = {
    "US": {"emergency": "911", "numbers": {"911", "988", "741741", "18007997233"}},
    "CA": {"emergency": "911", "numbers": {"911", "988"}},
    "GB": {"emergency": "999", "numbers": {"999", "112", "116123", "08082000247"}},
    "IE": {"emergency": "112", "numbers": {"112", "999", "116123", "1800341900"}},
    "AU": {"emergency": "000", "numbers": {"000", "131114", "1800737732"}},
    "IN": {"emergency": "112", "numbers": {"112", "14416", "18008914416", "181"}},
    "INTL": {"emergency": "112", "numbers": {"112"}},
}
# Lines each country must offer (digits only), as listed in the notes.
REQUIRED = {
    "US": {"crisis": {"988", "741741"}, "abuse": {"18007997233"}},
    "CA": {"crisis": {"988"}, "abuse": {"988"}},
    "GB": {"crisis": {"116123"}, "abuse": {"08082000247"}},
    "IE": {"crisis": {"116123"}, "abuse": {"1800341900"}},
    "AU": {"crisis": {"131114"}, "abuse": {"1800737732"}},
    "IN": {"crisis": {"14416", "18008914416"}, "abuse": {"181"}},
    "INTL": {"crisis": set(), "abuse": set()},
}
# A phone number: 3+ digits, possibly split by spaces or hyphens, not glued to letters ("1800RESPECT") and
# not a vanity spelling ("1-800-799-SAFE", checked separately).
NUMBER = re.compile(r"(?<![\w-])\d(?:[\d -]*\d)?(?![\w-])")
VANITY = re.compile(r"\d-\d{3}-\d{3}-[A-Z]{4}")


def _numbers(text: str) -> set[str]:
    text = VANITY.sub("", text)
    found = {re.sub(r"\D", "", match) for match in NUMBER.findall(text)}
    return {number for number in found if len(number) >= 3}


def _entry_texts(entry: dict) -> list[str]:
    return [entry["emergency"]["text"], *(line["text"] for line in entry["crisis"] + entry["abuse"])]


# ------------------------------------------------------------------------------------------------- schema
def test_every_country_has_the_fields_and_a_source() -> None:
    assert RESOURCES["default"] == "INTL"
    assert set(RESOURCES["countries"]) == set(CHECKED)
    for code, entry in RESOURCES["countries"].items():
        for field in ("name", "where", "source"):
            assert isinstance(entry[field], str) and entry[field].strip(), (code, field)
        assert isinstance(entry["aliases"], list) and isinstance(entry["context_aliases"], list), code
        assert entry["emergency"]["text"].strip() and entry["emergency"]["source"].strip(), code
        assert entry["crisis"] and entry["abuse"], code
        for line in entry["crisis"] + entry["abuse"]:
            assert set(line) == {"text", "source"}, (code, line)
            assert line["text"].strip() and line["source"].strip(), (code, line)


@pytest.mark.parametrize("code", sorted(CHECKED))
def test_only_checked_numbers_appear(code: str) -> None:
    entry = RESOURCES["countries"][code]
    found = set().union(*(_numbers(text) for text in _entry_texts(entry)))
    assert found <= CHECKED[code]["numbers"], found - CHECKED[code]["numbers"]


@pytest.mark.parametrize("code", sorted(CHECKED))
def test_emergency_number_is_the_checked_one(code: str) -> None:
    emergency = RESOURCES["countries"][code]["emergency"]["text"]
    first = NUMBER.search(emergency)
    assert first and re.sub(r"\D", "", first.group()) == CHECKED[code]["emergency"]


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_required_lines_are_there(code: str) -> None:
    entry = RESOURCES["countries"][code]
    for kind in ("crisis", "abuse"):
        found = set().union(*(_numbers(line["text"]) for line in entry[kind]))
        assert REQUIRED[code][kind] <= found, (code, kind)


def test_us_vanity_number_matches_the_digits() -> None:
    (line,) = RESOURCES["countries"]["US"]["abuse"]
    assert "1-800-799-7233" in line["text"] and "1-800-799-SAFE" in line["text"]


def test_canada_has_no_invented_abuse_line() -> None:
    """The notes list no national abuse line for Canada: 9-8-8 and local shelters instead."""
    texts = " ".join(line["text"] for line in RESOURCES["countries"]["CA"]["abuse"])
    assert "9-8-8" in texts and "shelter" in texts
    assert _numbers(texts) == {"988"}


def test_international_default_names_the_directory_and_112() -> None:
    entry = RESOURCES["countries"]["INTL"]
    assert "findahelpline.com" in entry["crisis"][0]["text"]
    assert "112" in entry["emergency"]["text"] and "local emergency number" in entry["emergency"]["text"]


def test_sources_name_the_checked_notes() -> None:
    for code, entry in RESOURCES["countries"].items():
        lines = entry["crisis"] + entry["abuse"]
        sources = [entry["source"], entry["emergency"]["source"], *(line["source"] for line in lines)]
        assert all("crisis-resources notes" in source for source in sources), code


# -------------------------------------------------------------------------------------------- lookups
def test_known_countries() -> None:
    assert known_countries() == {
        "US": "United States",
        "CA": "Canada",
        "GB": "United Kingdom",
        "IE": "Ireland",
        "AU": "Australia",
        "IN": "India",
    }


def test_resources_for_a_known_country() -> None:
    res = resources_for("GB")
    assert (res.code, res.name, res.where, res.assumed) == ("GB", "United Kingdom", "the UK", False)
    assert res.emergency.startswith("999")
    assert res.crisis == ("Samaritans: call 116 123",)
    assert resources_for("gb") == res


@pytest.mark.parametrize("code", [None, "", "XX", "fr", "INTL"])
def test_unknown_country_gives_the_assumed_international_default(code: str | None) -> None:
    res = resources_for(code)
    assert res.code == "INTL" and res.assumed
    assert "112" in res.emergency


def test_a_guessed_country_is_marked_assumed() -> None:
    assert resources_for("AU", assumed=True).assumed
    assert resources_for("AU", assumed=True).crisis == resources_for("AU").crisis


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I'm in the UK", "GB"),
        ("im in london", "GB"),
        ("I live in Sydney", "AU"),
        ("i'm in scotland rn", "GB"),
        ("we live in wales", "GB"),
        ("from belfast, northern ireland", "GB"),
        ("i live in dublin", "IE"),
        ("i'm in cork", "IE"),
        ("i'm from the US", "US"),
        ("Im in the U.S. right now", "US"),
        ("i live in the states", "US"),
        ("my bf and i live in texas", "US"),
        ("from georgia", "US"),
        ("we're in toronto", "CA"),
        ("we live in London, Ontario", "CA"),
        ("i live in new south wales", "AU"),
        ("we moved to oz last year", "AU"),
        ("i'm in mumbai", "IN"),
        ("I LIVE IN INDIA", "IN"),
        ("I'm from India but live in Canada now", "CA"),
        ("he's in the US and I'm in the UK", "GB"),
        ("i live in london, my family is from india", "GB"),
    ],
)
def test_find_country(text: str, code: str) -> None:
    assert find_country(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "he lost interest in us",  # "us" the pronoun
        "the us vs them thing is exhausting",
        "my friend georgia said he's cheating",  # a name, not a place
        "pass the cork",
        "i'm in paris",  # a country without its own numbers here
        "hello",
    ],
)
def test_no_country_found(text: str) -> None:
    assert find_country(text) is None


def test_find_country_accepts_a_doc() -> None:
    from bot.nlp import load

    assert find_country(load()("i'm in the uk")) == "GB"


# ------------------------------------------------------------------------------------------- messages
ALL_CODES = [*sorted(known_countries()), None]


def _joined(messages: list[str]) -> str:
    return "\n".join(messages)


@pytest.mark.parametrize("code", ALL_CODES)
def test_crisis_messages(code: str | None) -> None:
    res = resources_for(code)
    messages = crisis_messages(res)
    text = _joined(messages)
    assert messages[-1] == "Are you safe right now?"
    assert "not a person" in text
    assert all(line in text for line in res.crisis)
    assert res.emergency in text
    assert "{" not in text and "}" not in text
    if code is None:
        assert "don't know which country" in text
    else:
        assert f"These are for {res.where}" in text


def test_crisis_messages_name_an_assumed_country() -> None:
    text = _joined(crisis_messages(resources_for("GB", assumed=True)))
    assert "I've assumed you're in the UK — tell me if you're somewhere else." in text
    assert "116 123" in text and "999" in text


@pytest.mark.parametrize("code", ALL_CODES)
def test_abuse_messages(code: str | None) -> None:
    res = resources_for(code)
    text = _joined(abuse_messages(res))
    assert "not your fault" in text
    assert all(line in text for line in res.abuse)
    assert f"If you're in danger right now, call {res.emergency}." in text
    assert "won't suggest couples exercises" in text
    assert "{" not in text and "}" not in text
    assert ("don't know which country" in text) == (code is None)


def test_abuse_messages_give_the_domestic_abuse_line_not_the_crisis_line() -> None:
    text = _joined(abuse_messages(resources_for("GB")))
    assert "0808 2000 247" in text and "116 123" not in text


def test_not_safe_messages_put_the_emergency_number_first() -> None:
    res = resources_for("US")
    first, *rest = not_safe_messages(res)
    assert "911" in first
    assert "988" not in first and "988" in _joined(rest)
    assert len(not_safe_messages(res)) <= 3


def test_check_in_quotes_their_words() -> None:
    text = check_in_message("  this is killing me ")
    assert text.startswith('When you say "this is killing me", I want to check in')
    assert "hurting yourself" in text


def test_check_in_keeps_braces_in_their_words() -> None:
    assert '"{weird} text"' in check_in_message("{weird} text")


def test_hold_and_safe_again() -> None:
    assert "safe right now?" in hold_message()
    assert "glad you're safe" in safe_again_message()


@pytest.mark.parametrize("code", ALL_CODES)
def test_resources_message_lists_every_line(code: str | None) -> None:
    res = resources_for(code)
    text = resources_message(res)
    assert all(line in text for line in res.crisis + res.abuse)
    assert res.emergency in text
    heading = "Support wherever you are" if code is None else f"Support in {res.where}"
    assert text.startswith(heading + "\n")


def test_no_message_diagnoses_or_promises() -> None:
    res = resources_for("IE")
    texts = [
        *crisis_messages(res),
        *abuse_messages(res),
        *not_safe_messages(res),
        check_in_message("I can't take this anymore"),
        hold_message(),
        safe_again_message(),
        resources_message(res),
    ]
    banned = ["depress", "disorder", "diagnos", "will be ok", "will be fine", "everything will", "i promise"]
    for text in texts:
        assert not any(word in text.lower() for word in banned), text
