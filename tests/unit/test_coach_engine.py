"""The "I feel" coach engine: verdicts on every labelled sentence, parts, flags, score, feedback, rewrites."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from bot.coach import PARTS, VERDICTS, Assessment, assess, evaluate_sentences
from bot.coach.lexicon import load as load_lexicon
from bot.coach.scoring import DEDUCTIONS
from bot.paths import ROOT

SENTENCES_FILE = ROOT / "tests" / "coach" / "sentences.yml"
SENTENCES: dict[str, list[str]] = yaml.safe_load(SENTENCES_FILE.read_text(encoding="utf-8"))
LABELLED = [(verdict, text) for verdict, texts in SENTENCES.items() for text in texts]
BLAMING = SENTENCES["accusation"] + SENTENCES["pseudo_i_statement"]


@cache
def judged(text: str) -> Assessment:
    """Assess each sentence once per test run; several tests look at the same sentence."""
    return assess(text)


def test_sentence_file_is_big_and_varied_enough() -> None:
    assert set(SENTENCES) == set(VERDICTS)
    for verdict in ("accusation", "pseudo_i_statement", "i_statement"):
        assert len(SENTENCES[verdict]) >= 50, verdict
    assert len(SENTENCES["unclear"]) >= 15
    all_texts = [t for _, t in LABELLED]
    assert len(all_texts) == len(set(all_texts)), "duplicate sentences"


@pytest.mark.parametrize(("expected", "text"), LABELLED, ids=[t[:60] for _, t in LABELLED])
def test_verdict(expected: str, text: str) -> None:
    assert judged(text).verdict == expected


def test_at_least_25_i_statements_are_complete() -> None:
    complete = [t for t in SENTENCES["i_statement"] if judged(t).complete]
    assert len(complete) >= 25


def test_evaluate_sentences_reports_accuracy_per_class() -> None:
    report = evaluate_sentences(SENTENCES_FILE)
    assert set(report["per_class"]) == set(VERDICTS)
    assert all(accuracy >= 0.9 for accuracy in report["per_class"].values()), report["misses"]
    assert report["overall"] >= 0.9
    assert report["counts"]["accusation"] == len(SENTENCES["accusation"])


def test_evaluate_sentences_lists_misses(tmp_path: Path) -> None:
    path = tmp_path / "wrong.yml"
    path.write_text(
        yaml.safe_dump({"i_statement": ["you never listen to me", "I feel lonely when we don't talk"]})
    )
    report = evaluate_sentences(path)
    assert report["per_class"] == {"i_statement": 0.5}
    assert report["misses"] == [
        {"text": "you never listen to me", "expected": "i_statement", "got": "accusation"}
    ]


# --- parts --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I feel lonely when we don't talk during the day, because I need connection. Could we text at "
            "lunch?",
            {
                "feeling": ["lonely"],
                "behaviour": ["we don't talk during the day"],
                "need": ["connection"],
                "request": ["Could we text at lunch"],
            },
        ),
        (
            "i get really frustrated when the dishes pile up because i need us to share the chores. can we "
            "make a rota?",
            {
                "feeling": ["frustrated"],
                "behaviour": ["the dishes pile up"],
                "need": ["to share the chores"],
                "request": ["can we make a rota"],
            },
        ),
        (
            "I feel calm and happy when we walk the dog together",
            {
                "feeling": ["calm", "happy"],
                "behaviour": ["we walk the dog together"],
                "need": [],
                "request": [],
            },
        ),
        (
            "when you left for the conference i felt really lonely",
            {"feeling": ["lonely"], "behaviour": ["you left for the conference"], "need": [], "request": []},
        ),
        (
            "im so stressed about the wedding budget",
            {"feeling": ["stressed"], "behaviour": ["the wedding budget"], "need": [], "request": []},
        ),
        (
            "I’m nervous when you're late bc I need to know you’re ok",
            {
                "feeling": ["nervous"],
                "behaviour": ["you're late"],
                "need": ["to know you’re ok"],
                "request": [],
            },
        ),
        (
            "honesty really matters to me",
            {"feeling": [], "behaviour": [], "need": ["honesty"], "request": []},
        ),
        (
            "I'd like to feel closer to you. Next time, could you ask me first?",
            {
                "feeling": [],
                "behaviour": [],
                "need": ["to feel closer to you"],
                "request": ["could you ask me first"],
            },
        ),
        ("you never text me back", {"feeling": [], "behaviour": ["text me back"], "need": [], "request": []}),
    ],
)
def test_parts_hold_the_persons_own_words(text: str, expected: dict[str, list[str]]) -> None:
    assert judged(text).parts == expected


def test_missing_parts_follow_the_order_people_learn() -> None:
    assert judged("I feel sad").missing_parts == ["behaviour", "need", "request"]
    assert judged("ok").missing_parts == list(PARTS)
    assert judged(SENTENCES["i_statement"][0]).missing_parts == []


def test_a_named_behaviour_without_feeling_or_blame_is_not_a_behaviour() -> None:
    assert judged("he's at work until 8").parts["behaviour"] == []
    assert judged("thanks").parts["behaviour"] == []


# --- flags --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("you never listen to me", "absolute", "never"),
        ("every single weekend you go golfing", "absolute", "every single weekend"),
        ("you don't care about anything except work", "absolute", "anything"),
        ("why can't you just text back like a normal person", "why_question", "why can't you"),
        ("what is wrong with you", "why_question", "what is wrong with you"),
        ("ur such a slob smh", "label", "slob"),
        ("you’re being dramatic again", "label", "dramatic"),
        ("she's so controlling about money", "label", "controlling"),
        ("you're a terrible listener", "label", "terrible listener"),
        ("stop ignoring me", "command", "stop ignoring me"),
        (
            "you need to stop flirting with the barista",
            "command",
            "you need to stop flirting with the barista",
        ),
        ("don't talk to me like that", "command", "don't talk to me like that"),
        ("oh great, thanks a lot for telling your mom", "sarcasm", "oh great"),
        ("typical you, forgetting my birthday again", "sarcasm", "typical you"),
        ("I feel like you don't care about me anymore", "feel_like_you", "I feel like you"),
        ("i feel you're hiding something", "feel_like_you", "i feel you"),
        ("I feel like I'm the only one trying", "feel_like_thought", "I feel like"),
        ("I feel abandoned when you go on work trips", "pseudo_feeling", "abandoned"),
        ("i feel taken for granted", "pseudo_feeling", "taken for granted"),
        ("you make me so angry when you do that", "you_make_me", "you make me"),
        ("it's your fault we were late", "blame", "your fault"),
        ("because of you we can't afford it", "blame", "because of you"),
        ("you didn't call me last night", "you_statement", "you didn't call me last night"),
        ("I feel sad because you're selfish", "judgement_after_feeling", "because you're selfish"),
        ("I feel hurt when you never call", "judgement_after_feeling", "when you never call"),
    ],
)
def test_flag_kind_and_words(text: str, kind: str, words: str) -> None:
    found = [(f.kind, f.text) for f in judged(text).flags]
    assert (kind, words) in found


@pytest.mark.parametrize("text", [t for _, t in LABELLED], ids=[t[:60] for _, t in LABELLED])
def test_flag_spans_point_at_the_flagged_words(text: str) -> None:
    for flag in judged(text).flags:
        assert flag.text and text[flag.start : flag.end] == flag.text
        assert flag.kind in DEDUCTIONS
        assert flag.explanation and (
            "'" + flag.text + "'" in flag.explanation or flag.kind == "pseudo_feeling"
        )


def test_every_flag_kind_occurs_in_the_sentence_file() -> None:
    kinds = {f.kind for _, t in LABELLED for f in judged(t).flags}
    assert kinds == set(DEDUCTIONS)


def test_i_statements_and_unclear_sentences_carry_no_flags() -> None:
    for text in SENTENCES["i_statement"] + SENTENCES["unclear"]:
        assert judged(text).flags == [], text


@pytest.mark.parametrize(
    "text",
    [
        "I always feel nervous before I meet new people",  # an absolute about the speaker
        "could we talk every night before bed?",  # an absolute inside a request
        "I'm used to it by now",  # "used to" is not the pseudo-feeling "used"
        "you mean the world to me",  # appreciation, and "mean" is not a label here
        "you always make me laugh",
        "you make me so happy",
        "I'm so lazy today",  # a label the speaker gives themselves
        "I feel like crying",  # not a thought dressed as a feeling
        "Listen, I feel hurt when plans change at the last minute",  # "listen," is not an order
        "you know what, I'm tired",
    "I feel lonely when I talk about my day and you're on your phone",  # "and" continues the situation
        "I need to feel like a priority",
        "I feel threatened when you raise your voice",  # abuse-adjacent words are left to the safety layer
    ],
)
def test_no_false_flags(text: str) -> None:
    assert judged(text).flags == []


def test_verbs_that_are_also_label_nouns_are_not_labels() -> None:
    assert "label" not in {f.kind for f in judged("you joke about your job a lot").flags}
    assert "label" not in {f.kind for f in judged("you mess up the plans").flags}
    assert ("label", "a joke") in {(f.kind, f.text) for f in judged("you're a joke").flags}


def test_abuse_adjacent_words_are_not_coached_as_pseudo_feelings() -> None:
    for text in (
        "I feel threatened when you raise your voice",
        "i feel trapped",
        "I feel intimidated by him",
    ):
        a = judged(text)
        assert a.verdict != "pseudo_i_statement" and a.suggestion is None


def test_pseudo_feeling_explanation_names_the_feelings_underneath() -> None:
    (flag,) = judged("I feel abandoned").flags
    assert "lonely" in flag.explanation and "scared" in flag.explanation


# --- score --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full", "feel_like", "accusation"),
    [
        (
            "I feel lonely when we don't talk during the day because I need connection. Could we text at "
            "lunch?",
            "I feel like you don't want to talk to me during the day because I need connection. Could we "
            "text at lunch?",
            "you never talk to me during the day",
        ),
        (
            "I feel anxious when my messages go unanswered because I need reassurance. Could you text back "
            "when you can?",
            "I feel like you ignore my messages because I need reassurance. Could you text back when you "
            "can?",
            "you always ignore my messages, it's so rude",
        ),
        (
            "I feel sad when phones are out during dinner because I need quality time. Can we leave them "
            "in the hall?",
            "I feel like you care more about your phone than me. Can we leave them in the hall?",
            "why are you always on your stupid phone at dinner",
        ),
    ],
)
def test_score_orders_full_above_feel_like_above_accusation(
    full: str, feel_like: str, accusation: str
) -> None:
    assert judged(full).score > judged(feel_like).score > judged(accusation).score


def test_score_is_clamped_and_complete_scores_full_marks() -> None:
    assert judged(SENTENCES["i_statement"][0]).score == 100
    assert all(0 <= judged(t).score <= 100 for _, t in LABELLED)
    assert judged("you're a lazy selfish narcissist, stop lying, typical you").score == 0


def test_accusations_score_lowest_on_average() -> None:
    mean = {v: sum(judged(t).score for t in SENTENCES[v]) / len(SENTENCES[v]) for v in VERDICTS}
    assert mean["accusation"] < mean["pseudo_i_statement"] < mean["i_statement"]


def test_complete_means_feeling_behaviour_need_and_no_flags() -> None:
    for _, text in LABELLED:
        a = judged(text)
        assert a.complete == bool(
            a.parts["feeling"] and a.parts["behaviour"] and a.parts["need"] and not a.flags
        )


# --- feedback and rewrite -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [t for _, t in LABELLED], ids=[t[:60] for _, t in LABELLED])
def test_feedback_has_one_to_three_short_sentences(text: str) -> None:
    feedback = judged(text).feedback
    assert 1 <= len(feedback) <= 3
    assert all(isinstance(line, str) and 0 < len(line) <= 160 for line in feedback)


def test_feedback_puts_the_most_serious_flag_first() -> None:
    assert "'selfish'" in judged("I feel sad because you're selfish").feedback[0]
    assert "'never'" in judged("you never listen to me").feedback[0]
    assert "lonely or scared" in judged("I feel abandoned when you go on work trips").feedback[0]


def test_feedback_praises_a_complete_i_statement() -> None:
    assert "complete I-statement" in judged(SENTENCES["i_statement"][0]).feedback[0]


@cache
def _forbidden() -> re.Pattern[str]:
    """Every label (and plural), pseudo-feeling and 'you always/never', as whole words."""
    lex = load_lexicon()
    words = list(lex.labels) + [w + "s" for w in lex.labels] + list(lex.pseudo) + ["you always", "you never"]
    words += list(lex.absolutes["always_never"])
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])(?:{alternation})(?![\w'])", re.IGNORECASE)


@pytest.mark.parametrize("text", BLAMING, ids=[t[:60] for t in BLAMING])
def test_rewrite_starts_from_the_speaker_and_never_repeats_the_blame(text: str) -> None:
    suggestion = judged(text).suggestion
    assert suggestion is not None
    assert suggestion.startswith("I feel ") and " because I need " in suggestion
    assert " when " in suggestion or " since " in suggestion
    assert suggestion.endswith(("?", "."))
    assert _forbidden().search(suggestion.replace("’", "'")) is None, suggestion
    rewritten = assess(suggestion)
    assert rewritten.verdict == "i_statement" and rewritten.flags == [], suggestion


def test_no_rewrite_for_i_statements_or_unclear() -> None:
    for text in SENTENCES["i_statement"] + SENTENCES["unclear"]:
        assert judged(text).suggestion is None


def test_the_rewrite_is_built_only_when_asked_for_and_then_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.coach import engine

    expected = judged("You never listen to me").suggestion
    built: list[str] = []
    real = engine.suggest

    def counted(parsed, *args):  # type: ignore[no-untyped-def]
        built.append(parsed.text)
        return real(parsed, *args)

    monkeypatch.setattr(engine, "suggest", counted)
    assessment = engine.assess("You never listen to me")
    assert built == [] and assessment.verdict == "accusation"  # the exercise's feedback does not need it
    assert assessment.suggestion == expected and expected
    assert assessment.to_dict()["suggestion"] == assessment.suggestion
    assert len(built) == 1


@pytest.mark.parametrize(
    ("text", "contains"),
    [
        ("you never call", "when a day goes by without us talking"),
        ("you're always on your phone at dinner", "when phones are out during dinner"),
        ("I feel abandoned when you go on work trips", "I feel lonely and scared when you go on work trips"),
        ("you didn't call me last night", "when you didn't call me last night"),
        ("he never listens when i talk about my day", "I feel lonely when I share something"),
        (
            "I feel manipulated every time we argue about money",
            "I feel confused and uneasy when we argue about money",
        ),
        ("i feel dismissed when u say im overreacting", "when you say I'm overreacting"),
        ("you make me so angry when you do that", "I feel angry when"),
    ],
)
def test_rewrite_uses_the_persons_words_or_a_neutral_observation(text: str, contains: str) -> None:
    assert contains in judged(text).suggestion


def test_rewrite_of_you_always_and_you_never_without_a_lexicon_entry() -> None:
    assert "when you don't hum at breakfast" in judged("you never hum at breakfast").suggestion
    assert "when you whistle in the hallway" in judged("you always whistle in the hallway").suggestion


def test_to_dict_is_json_with_the_public_fields() -> None:
    a = judged("you never listen to me")
    data = json.loads(json.dumps(a.to_dict()))
    assert list(data) == ["text", "verdict", "parts", "flags", "complete", "score", "feedback", "suggestion"]
    assert data["flags"][0] == {
        "kind": "absolute",
        "text": "never",
        "start": 4,
        "end": 9,
        "explanation": a.flags[0].explanation,
    }
    assert list(data["parts"]) == list(PARTS)


@pytest.mark.parametrize("text", ["", "   ", "?!", "😢😢", "a" * 2000, "I feel " * 50])
def test_odd_input_does_not_crash(text: str) -> None:
    a = assess(text)
    assert a.verdict in VERDICTS and 1 <= len(a.feedback) <= 3
