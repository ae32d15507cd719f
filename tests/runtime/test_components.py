"""bot/runtime/components/: the rule components on Rasa messages, with the Doc made the way Rasa's SpacyNLP makes it.

SpacyNLP loads the pipeline itself (not through bot.nlp.load()) and lower-cases the text first, so the
Doc here comes from a separate spacy.load() of the same directory, on lower-cased text.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
import spacy
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.paths import SPACY_PIPELINE
from bot.runtime.components.country_extractor import CountryExtractor
from bot.runtime.components.cue_extractor import CueExtractor
from bot.runtime.components.fallback_classifier import REDIRECT_KEY, ThemeTolerantFallbackClassifier
from bot.runtime.components.safety_override import SafetyOverride


@pytest.fixture(scope="module")
def rasa_nlp() -> spacy.language.Language:
    return spacy.load(SPACY_PIPELINE)


def message(nlp: spacy.language.Language, text: str, diet_intent: str | None = None) -> Message:
    msg = Message(data={TEXT: text})
    msg.set(SPACY_DOCS[TEXT], nlp(text.lower()))
    if diet_intent:
        msg.set(INTENT, {"name": diet_intent, "confidence": 0.62})
        msg.set(INTENT_RANKING_KEY, [{"name": diet_intent, "confidence": 0.62},
                                     {"name": "crisis_self_harm", "confidence": 0.2}])
    return msg


def entities(msg: Message, name: str) -> List[Dict[str, Any]]:
    return [e for e in msg.get(ENTITIES, []) if e["entity"] == name]


@pytest.mark.parametrize("text, intent", [
    ("i dont see the point of going on anymore", "crisis_self_harm"),
    ("Everyone would be better off without me", "crisis_self_harm"),
    ("he choked me during the fight last night", "disclose_abuse"),
    ("she takes my phone and reads everything, and i'm scared of her", "disclose_abuse"),
])
def test_a_rule_hit_sets_the_safety_intent_whatever_diet_said(rasa_nlp, text: str, intent: str) -> None:
    msg = message(rasa_nlp, text, diet_intent="communication_breakdown")
    SafetyOverride({}).process([msg])
    assert msg.get(INTENT) == {"name": intent, "confidence": 1.0}
    assert msg.get(INTENT_RANKING_KEY) == [{"name": intent, "confidence": 1.0}]
    assert msg.get("safety_override")["diet_intent"] == "communication_breakdown"


def test_the_override_survives_the_fallback_classifier_after_a_near_tie(rasa_nlp) -> None:
    msg = message(rasa_nlp, "i don't deserve to live", diet_intent="low_self_esteem")
    msg.set(INTENT_RANKING_KEY, [{"name": "low_self_esteem", "confidence": 0.49},
                                 {"name": "crisis_self_harm", "confidence": 0.48}])
    SafetyOverride({}).process([msg])
    FallbackClassifier({**FallbackClassifier.get_default_config(), "threshold": 0.45,
                        "ambiguity_threshold": 0.05}).process([msg])
    assert msg.get(INTENT)["name"] == "crisis_self_harm"


def fallback(ranking: List[tuple[str, float]], check_in: bool = False) -> str:
    """The intent after the project's fallback classifier, configured as in config.yml."""
    msg = Message(data={TEXT: "some message"})
    if check_in:
        msg.set(ENTITIES, [{"entity": "safety_check", "value": "giving up on everything", "start": 0, "end": 4}])
    msg.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    msg.set(INTENT_RANKING_KEY, [{"name": name, "confidence": c} for name, c in ranking])
    ThemeTolerantFallbackClassifier({**FallbackClassifier.get_default_config(), "threshold": 0.45,
                                     "ambiguity_threshold": 0.05}).process([msg])
    names = [intent["name"] for intent in msg.get(INTENT_RANKING_KEY)]
    assert names[0] == msg.get(INTENT)["name"] and len(names) == len(set(names))
    redirected = check_in and names[0] == "crisis_self_harm" != ranking[0][0]
    assert msg.get(REDIRECT_KEY) == (("out_of_scope" if ranking[0][0] == "out_of_scope" else "nlu_fallback")
                                     if redirected else None)
    if redirected:  # the classifier's own confidence in the crisis intent, not the replaced intent's
        assert msg.get(INTENT)["confidence"] == dict(ranking).get("crisis_self_harm", 0.0)
    return msg.get(INTENT)["name"]


def test_a_near_tie_between_two_themes_keeps_the_top_theme() -> None:
    assert fallback([("low_self_esteem", 0.49), ("express_jealousy", 0.46), ("greet", 0.01)]) == "low_self_esteem"


@pytest.mark.parametrize("ranking", [
    [("low_self_esteem", 0.49), ("crisis_self_harm", 0.46)],    # a theme against a crisis
    [("forget_me", 0.49), ("communication_breakdown", 0.47)],   # a theme against deleting the conversation
    [("affirm", 0.50), ("deny", 0.48)],
    [("express_jealousy", 0.40), ("compare_to_others", 0.30)],  # below the threshold
])
def test_every_other_near_tie_and_low_confidence_falls_back_as_in_rasa(ranking) -> None:
    assert fallback(ranking) == "nlu_fallback"


@pytest.mark.parametrize("ranking", [[("request_strategy", 0.30), ("crisis_self_harm", 0.25)],
                                     [("low_self_esteem", 0.49), ("crisis_self_harm", 0.47)]])
def test_a_message_with_a_safety_check_in_goes_to_the_check_in_not_the_fallback(ranking) -> None:
    assert fallback(ranking, check_in=True) == "crisis_self_harm"
    assert fallback(ranking) == "nlu_fallback"


def test_a_check_in_read_as_out_of_scope_is_asked_not_set_aside() -> None:
    ranking = [("out_of_scope", 0.85), ("crisis_self_harm", 0.08), ("greet", 0.02)]  # "this homework is killing me"
    assert fallback(ranking, check_in=True) == "crisis_self_harm"
    assert fallback(ranking) == "out_of_scope"


def test_a_confident_intent_keeps_its_check_in_for_its_own_answer() -> None:
    assert fallback([("communication_breakdown", 0.80), ("crisis_self_harm", 0.10)], check_in=True) == \
        "communication_breakdown"


def test_themes_clearly_apart_are_left_alone() -> None:
    assert fallback([("express_jealousy", 0.70), ("compare_to_others", 0.20)]) == "express_jealousy"


@pytest.mark.parametrize("text, diet", [("my phone is about to die", "crisis_self_harm"),
                                        ("he beat me at mario kart again", "disclose_abuse")])
def test_diet_alone_gets_a_gentle_check_in_not_the_full_response(rasa_nlp, text: str, diet: str) -> None:
    msg = message(rasa_nlp, text, diet_intent=diet)
    SafetyOverride({}).process([msg])
    assert msg.get(INTENT)["name"] == diet
    assert [e["value"] for e in entities(msg, "safety_check")] == ["unconfirmed"]
    assert msg.get("safety_override") is None


@pytest.mark.parametrize("text", ["I could kill for a coffee", "my feet are killing me after that shift"])
def test_figures_of_speech_leave_the_intent_alone(rasa_nlp, text: str) -> None:
    msg = message(rasa_nlp, text, diet_intent="out_of_scope")
    SafetyOverride({}).process([msg])
    assert msg.get(INTENT)["name"] == "out_of_scope"
    assert entities(msg, "safety_check") == []


def test_ambiguous_wording_adds_a_safety_check_entity(rasa_nlp) -> None:
    msg = message(rasa_nlp, "honestly this fight is killing me", diet_intent="communication_breakdown")
    SafetyOverride({}).process([msg])
    assert msg.get(INTENT)["name"] == "communication_breakdown"
    checks = entities(msg, "safety_check")
    assert checks and "killing me" in checks[0]["value"]


def test_cues_become_entities_with_their_theme_as_role(rasa_nlp) -> None:
    text = "I checked his phone and he keeps texting his ex"
    msg = message(rasa_nlp, text)
    CueExtractor({}).process([msg])
    found = {(e["value"], e["role"]) for e in entities(msg, "cue")}
    assert found == {("checked his phone", "express_jealousy"), ("his ex", "express_jealousy")}
    for cue in entities(msg, "cue"):
        assert text.lower()[cue["start"]:cue["end"]] == cue["value"]


@pytest.mark.parametrize("text, code", [("I'm in the UK", "GB"), ("we live in toronto", "CA"),
                                        ("im in australia rn", "AU"), ("I'm from India", "IN")])
def test_country_entity_holds_the_code(rasa_nlp, text: str, code: str) -> None:
    msg = message(rasa_nlp, text)
    CountryExtractor({}).process([msg])
    assert [e["value"] for e in entities(msg, "country")] == [code]


def test_components_keep_earlier_entities_and_skip_messages_without_a_doc(rasa_nlp) -> None:
    msg = message(rasa_nlp, "will you leave me")
    msg.set(ENTITIES, [{"entity": "other", "value": "x", "start": 0, "end": 1}])
    bare = Message(data={TEXT: "/greet"})
    CueExtractor({}).process([msg, bare])
    assert [e["entity"] for e in msg.get(ENTITIES)] == ["other", "cue"]
    assert bare.get(ENTITIES) is None
