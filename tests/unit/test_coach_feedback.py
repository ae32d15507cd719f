"""Chat text built from assessments (bot.coach.feedback): explanations, attempt feedback, progress."""

from __future__ import annotations

import pytest

from bot.coach import assess
from bot.coach.exercise import Progress
from bot.coach.feedback import attempt_feedback, explain_original
from bot.coach.lexicon import load as load_lexicon

MESSAGES = load_lexicon().messages
COMPLETE = (
    "I feel lonely when we don't talk during the day, because I need connection. Could we text at lunch?"
)


def test_explain_original_quotes_what_blames_and_shows_the_shape() -> None:
    lines = explain_original(assess("you never listen to me"))
    assert lines[0] == MESSAGES["explain"]["blame_intro"]
    assert any("'never'" in line and "absolute" in line for line in lines)
    assert MESSAGES["explain"]["shape"] in lines and MESSAGES["explain"]["example"] in lines
    assert len(lines) <= 6


def test_explain_original_lists_at_most_three_flags_most_serious_first() -> None:
    lines = explain_original(assess("you're a lazy slob, why can't you ever help, typical you"))
    flag_lines = lines[1:-2]
    assert 1 <= len(flag_lines) <= 3
    assert "'lazy'" in flag_lines[0] or "'slob'" in flag_lines[0]


def test_explain_original_is_warm_about_a_complete_i_statement() -> None:
    assert explain_original(assess(COMPLETE)) == [MESSAGES["explain"]["complete"]]
    without_request = explain_original(assess("I feel lonely when we don't talk because I need connection"))
    assert without_request == [MESSAGES["explain"]["complete"], MESSAGES["missing"]["request"]]


def test_explain_original_for_a_started_i_statement_names_what_is_there_and_missing() -> None:
    lines = explain_original(assess("I feel lonely when we don't talk during the day"))
    assert lines[0] == MESSAGES["explain"]["started"]
    assert "a feeling ('lonely')" in lines[1] and "the specific moment" in lines[1]
    assert lines[2] == "Still missing: your need and a request."


def test_explain_original_for_unclear_text_invites_a_sentence() -> None:
    lines = explain_original(assess("ok"))
    assert lines[0] == MESSAGES["unclear"]


def test_attempt_feedback_without_previous_says_what_is_there_missing_and_still_blaming() -> None:
    lines = attempt_feedback(assess("I feel hurt when you never call"), None)
    assert any(line.startswith("This part may still land as blame: 'never'") for line in lines)
    assert any("a feeling ('hurt')" in line for line in lines)
    assert "Still missing: your need and a request." in lines


def test_attempt_feedback_names_improvements_over_the_previous_best() -> None:
    before = assess("you never call me")
    after = assess("I feel lonely when we don't talk during the day because I need connection")
    lines = attempt_feedback(after, before)
    assert lines[0] == f"Better than your last try: {before.score} to {after.score} out of 100."
    assert lines[1] == "New this time: a feeling and your need."
    assert lines[2] == "Gone now: 'never'."


def test_attempt_feedback_when_not_better_is_kind_and_points_back() -> None:
    best = assess("I feel lonely when we don't talk during the day because I need connection")
    worse = assess("you never call me")
    lower = MESSAGES["attempt"]["lower"].format(before=80, after=worse.score)
    assert attempt_feedback(worse, best)[0] == lower
    same = attempt_feedback(assess("you always call late"), worse)
    assert same[0] == MESSAGES["attempt"]["same"].format(before=worse.score)


def test_attempt_feedback_celebrates_a_complete_attempt() -> None:
    lines = attempt_feedback(assess(COMPLETE), assess("I feel lonely"))
    assert lines[-1] == MESSAGES["attempt"]["complete"]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"need": 3, "request": 3, "feeling": 1}, "need"),  # a tie goes to the part that comes first
        ({"behaviour": 1}, "behaviour"),
    ],
)
def test_most_missing_names_the_part_missed_most(counts: dict[str, int], expected: str) -> None:
    assert Progress(missing=counts).most_missing == expected


@pytest.mark.parametrize("counts", [{}, {"need": 0}, {"unknown": 4}])
def test_most_missing_is_none_when_nothing_was_missing(counts: dict[str, int]) -> None:
    assert Progress(missing=counts).most_missing is None
