"""The I-statement exercise, turn by turn (the form is rephrase_form in domain.yml).

1. The sentence they said or want to say: what blames in it and the four-part shape.
2. Up to three attempts, each with feedback on what is there, what is missing, what still blames and what
   improved since their best attempt so far.
3. A real I-statement is celebrated; otherwise, after the third try, a suggested rewrite built from
   their own words. Either way, one more is offered, in the same reply that ends the form: a typed "yes"
   to it is answered by bot/dialogue/answers.py, a tap on its button starts the form by its intent.
Progress (attempts, best score, most often missing part) lives for the whole conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict

from bot.coach import PARTS, Assessment, assess
from bot.coach.feedback import attempt_feedback, explain_original
from bot.dialogue.reply import ASKS_ONE_MORE_SENTENCE, Reply
from bot.dialogue.wording import buttons, line
from bot.safety.replies import hold_reply

MAX_TRIES = 3
RESET = {"original_sentence": None, "attempt": None, "coach_tries": 0.0, "coach_best": None}
# Rasa ends a form whose validation sets `requested_slot` to None; the form's slots are then cleared.
END_FORM = {**RESET, "requested_slot": None}


@dataclass
class Progress:
    """What the person has practised in this conversation; stored as a plain dict in a slot."""

    attempts: int = 0
    best_score: int = 0
    completed: int = 0
    missing: Dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_slot(cls, value: dict | None) -> Progress:
        value = value or {}
        return cls(int(value.get("attempts", 0)), int(value.get("best_score", 0)),
                   int(value.get("completed", 0)), dict(value.get("missing", {})))

    def as_slot(self) -> dict:
        return {"attempts": self.attempts, "best_score": self.best_score,
                "completed": self.completed, "missing": self.missing}

    def record(self, assessment: Assessment) -> None:
        self.attempts += 1
        self.best_score = max(self.best_score, assessment.score)
        self.completed += int(assessment.complete)
        for part in assessment.missing_parts:
            self.missing[part] = self.missing.get(part, 0) + 1

    @property
    def most_missing(self) -> str | None:
        """The part missing in most attempts (the first in PARTS order on a tie); None if none was."""
        counts = {part: n for part, n in self.missing.items() if n and part in PARTS}
        return max(PARTS, key=lambda part: counts.get(part, 0)) if counts else None


def blocked(crisis_hold: bool, abuse_disclosed: bool) -> Reply | None:
    """The reply that replaces the exercise when safety comes first; None when practice is fine."""
    if crisis_hold:
        return hold_reply()
    if abuse_disclosed:
        return Reply().say(_say("no_couples_exercises"))
    return None


def blocked_in_form(crisis_hold: bool, abuse_disclosed: bool) -> Reply | None:
    """`blocked`, said from inside the form: it also ends the form at once and clears what it held."""
    block = blocked(crisis_hold, abuse_disclosed)
    return None if block is None else block.set(**END_FORM)


def offer(text: str, crisis_hold: bool, abuse_disclosed: bool) -> Reply:
    """After an accusation: acknowledge it and offer to practise it, keeping the sentence for the form.

    NLU reads any sentence addressed to the partner as an accusation, so a finished I-statement typed
    outside the exercise lands here too: calling it frustration and offering to reword it would be wrong,
    so it gets the coach's verdict and the offer of another sentence instead.
    """
    stop = blocked(crisis_hold, abuse_disclosed)
    if stop is not None:
        return stop
    assessment = assess(text) if text else None
    if assessment is not None and assessment.complete:
        reply = Reply().set(original_sentence=None)
        for message in explain_original(assessment):
            reply.say(message)
        return reply.say(_say("one_more"), buttons("one_more_sentence", "not_now"))
    return (Reply().say(_say("offer_acknowledge")).say(_say("offer_invite"), buttons("yes_practise", "not_now"))
            .set(original_sentence=text or None))


def on_original(text: str) -> Reply:
    """Step 1: explain the sentence they start from."""
    assessment = assess(text)
    reply = Reply().set(original_sentence=text, coach_tries=0.0, coach_best=None)
    for message in explain_original(assessment):
        reply.say(message)
    if assessment.complete:  # nothing to rework: celebrated above, and the form ends
        _end(reply, complete=True, original=text)
    return reply


def ask_original() -> Reply:
    """The form's first question."""
    return Reply().say(_say("ask_original"))


def ask_attempt(tries: int) -> Reply:
    """The prompt before each attempt, a little different each time."""
    which = "first" if tries == 0 else "again" if tries < MAX_TRIES - 1 else "last"
    return Reply().say(_say(f"ask_attempt.{which}"))


def on_attempt(text: str, original: str | None, tries: int, best_text: str | None,
               progress: dict | None) -> Reply:
    """Step 2: feedback on one attempt; the form ends on a complete I-statement or the last try."""
    assessment = assess(text)
    previous = assess(best_text) if best_text else None
    tries += 1
    record = Progress.from_slot(progress)
    record.record(assessment)
    reply = Reply()
    for message in attempt_feedback(assessment, previous):
        reply.say(message)
    best = text if previous is None or assessment.score >= previous.score else best_text
    reply.set(attempt=None, coach_tries=float(tries), coach_best=best, coach_progress=record.as_slot())
    if assessment.complete or tries >= MAX_TRIES:
        _end(reply, assessment.complete, original)
    return reply


def _end(reply: Reply, complete: bool, original: str | None) -> None:
    """Step 3, in the same reply as the last feedback: offer one more after a real I-statement, or first
    a rewrite made from their own words; then the form ends.

    Ending it here rather than in an action after the form saves the busiest turn of the exercise one
    action call and one prediction (README, "Measurements").
    """
    if complete:  # the feedback on that attempt has already celebrated it
        reply.say(_say("one_more"), buttons("one_more_sentence", "not_now"))
    else:
        suggestion = assess(original).suggestion if original else None
        if suggestion:
            reply.say(_say("suggestion", suggestion=suggestion))
        reply.say(_say("stuck_with_it"), buttons("one_more_sentence", "not_now"))
    reply.set(**END_FORM, pending_offer=ASKS_ONE_MORE_SENTENCE)


def stop() -> Reply:
    """Leaving the exercise, or saying no to it: nothing half-done is kept."""
    return Reply().say(_say("stop")).set(**RESET)


def progress_reply(progress: dict | None) -> Reply:
    """ "How am I doing?": attempts, best score and the part most often missing."""
    record = Progress.from_slot(progress)
    if record.attempts == 0:
        return Reply().say(_say("progress_none"), buttons("practise"))
    text = _say("progress", attempts=_count(record.attempts, "attempt"), best=record.best_score,
                completed=_count(record.completed, "complete I-statement"))
    if record.most_missing:
        text += " " + line("coach", "progress.most_missing", part=record.most_missing)
    return Reply().say(text)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _say(key: str, **values: str | int) -> str:
    """One of the exercise's texts (data/wording/coach.yml, `exercise`)."""
    return line("coach", f"exercise.{key}", **values)
