"""The counselling content files keep their shape and their limits.

These files are edited as content, by people who may never read the code; the tests are the contract that
keeps every message short, neutral about the partner's gender, free of diagnoses and phone numbers, and
loadable by the code and by Rasa.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from bot.help import professional_help
from bot.paths import DATA

THEMES = [
    "seek_reassurance",
    "express_jealousy",
    "fear_abandonment",
    "compare_to_others",
    "overanalyze",
    "low_self_esteem",
    "trust_after_betrayal",
    "communication_breakdown",
]
MAIN_THEMES = ["express_jealousy", "seek_reassurance", "fear_abandonment", "compare_to_others", "overanalyze"]
KINDS = {
    "open_communication",
    "i_statements",
    "self_reflection",
    "evidence_check",
    "self_esteem",
    "boundaries",
    "expectations",
    "quality_time",
    "social_media",
    "professional_help",
}
STRATEGY_KEYS = {"id", "kind", "title", "text", "step"}
FAQ_SUB_INTENTS = ["what_is", "signs", "roots", "normal"]

GENDERED = re.compile(r"\b(he|she|him|his|her|hers|boyfriend|girlfriend|husband|wife|bf|gf)\b", re.IGNORECASE)
# Words that would turn a suggestion into a diagnosis or a promise.
OFF_LIMITS = re.compile(
    r"\b(diagnos\w*|disorder|disorders|you have anxiety|guarantee\w*|will fix|fixes|cure\w*|always works)\b",
    re.IGNORECASE,
)
MARKUP = re.compile(r"<[a-z/]|\*\*|__|\]\(|https?:|www\.", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?][\"')]?(?=\s|$)")


def words(text: str) -> int:
    return len(text.split())


def sentences(text: str) -> int:
    return len(SENTENCE_END.findall(text))


def load(path: str) -> dict:
    with (DATA / path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


STRATEGIES = load("content/strategies.yml")
RAW_THEMES = STRATEGIES["themes"]
ALL_STRATEGIES = [item for name in THEMES for item in RAW_THEMES[name]["strategies"]]


# ------------------------------------------------------------------------------------- strategies.yml
def test_exactly_the_eight_themes_in_order() -> None:
    assert list(RAW_THEMES) == THEMES


def test_greeting_buttons_are_the_main_five() -> None:
    assert STRATEGIES["greeting_buttons"] == MAIN_THEMES


@pytest.mark.parametrize("theme", THEMES)
def test_theme_label_button_and_related(theme: str) -> None:
    entry = RAW_THEMES[theme]
    assert set(entry) == {"label", "button", "related", "reflections", "strategies"}
    assert isinstance(entry["label"], str) and 0 < words(entry["label"]) <= 6
    assert isinstance(entry["button"], str) and 0 < len(entry["button"]) <= 30
    related = entry["related"]
    assert related, "a theme needs somewhere to go when its strategies are used up"
    assert len(related) == len(set(related))
    assert theme not in related
    assert set(related) <= set(THEMES)


def test_every_theme_reaches_every_other_through_related() -> None:
    # "Another idea" only runs out when every strategy in the file has been offered.
    for start in THEMES:
        seen = [start]
        for name in seen:
            seen.extend(other for other in RAW_THEMES[name]["related"] if other not in seen)
        assert sorted(seen) == sorted(THEMES), start


def test_buttons_are_distinct() -> None:
    buttons = [RAW_THEMES[name]["button"] for name in THEMES]
    assert len(buttons) == len(set(buttons))


@pytest.mark.parametrize("theme", THEMES)
def test_reflections(theme: str) -> None:
    reflections = RAW_THEMES[theme]["reflections"]
    assert set(reflections) == {"with_cue", "without_cue"}
    assert len(reflections["with_cue"]) >= 3
    assert len(reflections["without_cue"]) >= 3
    for template in reflections["with_cue"]:
        assert template.count("{cue}") == 1, template
        assert '"{cue}"' in template, "the cue is quoted so any phrase reads naturally"
        assert not template.startswith('"'), "a sentence must not start with the lowercase cue"
        assert words(template.replace("{cue}", "")) <= 25, template
    for text in reflections["without_cue"]:
        assert "{" not in text and "}" not in text, text
        assert words(text) <= 25, text
    for text in reflections["with_cue"] + reflections["without_cue"]:
        assert sentences(text) == 1, f"one sentence: {text}"
        assert not GENDERED.search(text), text
        assert not OFF_LIMITS.search(text), text
    assert len(set(reflections["with_cue"] + reflections["without_cue"])) == len(
        reflections["with_cue"] + reflections["without_cue"]
    )


@pytest.mark.parametrize("theme", THEMES)
def test_strategies_per_theme(theme: str) -> None:
    items = RAW_THEMES[theme]["strategies"]
    assert 5 <= len(items) <= 6
    kinds = [item["kind"] for item in items]
    assert set(kinds) <= KINDS
    assert len(set(kinds)) >= 4, f"{theme} uses too few kinds: {kinds}"


@pytest.mark.parametrize("item", ALL_STRATEGIES, ids=lambda item: item["id"])
def test_strategy_fields_and_limits(item: dict) -> None:
    assert set(item) == STRATEGY_KEYS
    assert re.fullmatch(r"[a-z]+(_[a-z]+)+", item["id"])
    assert 0 < words(item["title"]) <= 10
    assert not item["title"].endswith(".")
    assert words(item["text"]) <= 45
    assert 1 <= sentences(item["text"]) <= 2, item["text"]
    assert words(item["step"]) <= 35
    assert not item["step"].lower().startswith("try"), "the message adds 'Try this:' itself"
    for field in ("title", "text", "step"):
        assert not GENDERED.search(item[field]), item[field]
        assert not OFF_LIMITS.search(item[field]), item[field]
        assert not MARKUP.search(item[field]), item[field]


def test_strategy_ids_titles_and_steps_are_unique() -> None:
    for field in ("id", "title", "text", "step"):
        counts = Counter(item[field] for item in ALL_STRATEGIES)
        assert [value for value, n in counts.items() if n > 1] == [], field


# ----------------------------------------------------------------------------- professional_help.yml
HELP_KEYS = {"when_it_helps", "kinds", "how_to_find", "low_cost", "offer"}
PHONE_OR_ADDRESS = re.compile(r"\d{3,}|\d[\d\s-]{5,}\d|https?:|www\.|\.(com|org|net|uk)\b|@", re.IGNORECASE)


def test_professional_help_has_each_topic_within_limits() -> None:
    help_text = professional_help()
    assert set(help_text) == HELP_KEYS
    for key, paragraph in help_text.items():
        assert isinstance(paragraph, str) and paragraph, key
        assert words(paragraph) <= 60, key
        assert not PHONE_OR_ADDRESS.search(paragraph), f"{key}: numbers and addresses live elsewhere"
        assert not GENDERED.search(paragraph), key
        assert not OFF_LIMITS.search(paragraph), key


def test_professional_help_covers_what_people_need_to_know() -> None:
    help_text = {key: text.lower() for key, text in professional_help().items()}
    expected = {
        "when_it_helps": ["weeks", "betrayal", "circles", "sleep"],
        "kinds": ["gottman", "emotionally focused", "cbt", "attachment", "group"],
        "how_to_find": ["gp", "referral", "directory", "registered"],
        "low_cost": ["sliding-scale", "university", "employee assistance", "insurance", "online"],
    }
    for key, phrases in expected.items():
        for phrase in phrases:
            assert phrase in help_text[key], f"{key} should mention {phrase!r}"
    assert help_text["offer"].endswith("?") and "\n" not in help_text["offer"]


def test_professional_help_returns_a_copy() -> None:
    professional_help()["offer"] = "changed"
    assert professional_help()["offer"] != "changed"


# ------------------------------------------------------------------------------------------- faq.yml
FAQ = load("nlu/faq.yml")


def faq_examples() -> dict[str, list[str]]:
    return {
        block["intent"]: [line[2:].strip() for line in block["examples"].splitlines() if line.strip()]
        for block in FAQ["nlu"]
    }


def test_faq_declares_the_training_data_format() -> None:
    assert FAQ["version"] == "3.1"


def test_faq_questions_per_sub_intent() -> None:
    examples = faq_examples()
    assert list(examples) == [f"ask_about_insecurity/{sub}" for sub in FAQ_SUB_INTENTS]
    every = [text for texts in examples.values() for text in texts]
    assert len(every) == len(set(every)), "an example may belong to one sub-intent only"
    for intent, texts in examples.items():
        assert len(texts) >= 12, intent


def test_faq_answers_per_sub_intent() -> None:
    responses = FAQ["responses"]
    assert list(responses) == [f"utter_ask_about_insecurity/{sub}" for sub in FAQ_SUB_INTENTS]
    for name, variants in responses.items():
        assert len(variants) == 2, name
        for variant in variants:
            text = variant["text"]
            assert words(text) <= 70, name
            assert text.endswith("?"), f"{name} should end by inviting them to share or take a tip"
            assert not GENDERED.search(text), text
            assert not OFF_LIMITS.search(text), text
            assert not MARKUP.search(text), text


def test_faq_loads_as_rasa_training_data() -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(DATA / "nlu" / "faq.yml"))
    assert data.retrieval_intents == {"ask_about_insecurity"}
    assert set(data.responses) == {f"utter_ask_about_insecurity/{sub}" for sub in FAQ_SUB_INTENTS}
    assert len(data.intent_examples) == sum(len(texts) for texts in faq_examples().values())
