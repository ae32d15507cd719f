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

from bot.coach import Assessment, assess
from bot.coach.feedback import attempt_feedback, explain_original
from bot.dialogue.reply import ASKS_ONE_MORE_SENTENCE, Button, Reply
from bot.dialogue.safety import hold_reply

MAX_TRIES = 3
PARTS = ("feeling", "behaviour", "need", "request")
ONE_MORE = Button("Try another sentence", "/practice_rephrasing")
NOT_NOW = Button("Not now", "/deny")
NO_COUPLES_EXERCISES = (
    "I won't suggest a couples exercise here. From what you've shared, your safety matters most, and "
    "an abusive situation isn't something better wording can fix. The numbers I shared are there "
    "whenever you need them."
)
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
        counts = {part: n for part, n in self.missing.items() if n}
        return max(PARTS, key=lambda part: counts.get(part, 0)) if counts else None


def blocked(crisis_hold: bool, abuse_disclosed: bool) -> Reply | None:
    """The reply that replaces the exercise when safety comes first; None when practice is fine."""
    if crisis_hold:
        return hold_reply()
    if abuse_disclosed:
        return Reply().say(NO_COUPLES_EXERCISES)
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
        return reply.say("Want to try one more sentence?", [ONE_MORE, NOT_NOW])
    return (
        Reply()
        .say("That sounds like it comes from a lot of frustration, and the need underneath it matters.")
        .say("Want to practise saying that as an I-statement? It can make it easier for them to hear you.",
             [Button("Yes, let's practise", "/affirm"), NOT_NOW])
        .set(original_sentence=text or None)
    )


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
    return Reply().say("Let's practise. Type the sentence you said, or want to say, to your partner, just "
                       "as it comes out. For example: \"You never listen to me.\"")


def ask_attempt(tries: int) -> Reply:
    """The prompt before each attempt, a little different each time."""
    if tries == 0:
        text = ("Your turn: try saying it as an I-statement. Start with \"I feel...\", then what happened, "
                "what you need, and what you'd like to ask for.")
    elif tries < MAX_TRIES - 1:
        text = "Try once more: keep what worked and change the one thing I mentioned."
    else:
        text = "Last try for this one. Take your time; there's no wrong answer here."
    return Reply().say(text)


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
        reply.say("Want to try one more sentence?", [ONE_MORE, NOT_NOW])
    else:
        suggestion = assess(original).suggestion if original else None
        if suggestion:
            reply.say(f"Here's one way you could say it: \"{suggestion}\" Use it as a starting point "
                      "and change the words until they sound like you.")
        reply.say("Practising this is hard, and you stuck with it. Want to try another sentence?",
                  [ONE_MORE, NOT_NOW])
    reply.set(**END_FORM, pending_offer=ASKS_ONE_MORE_SENTENCE)


def stop() -> Reply:
    """Leaving the exercise, or saying no to it: nothing half-done is kept."""
    return Reply().say("Okay, no exercise for now. You can ask to practise any time.").set(**RESET)


def progress_reply(progress: dict | None) -> Reply:
    """ "How am I doing?": attempts, best score and the part most often missing."""
    record = Progress.from_slot(progress)
    if record.attempts == 0:
        return Reply().say("You haven't practised an I-statement yet in this conversation. Want to try?",
                           [Button("Practise an I-statement", "/practice_rephrasing")])
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    text = (f"So far: {count(record.attempts, 'attempt')}, best score {record.best_score} out of 100, "
            f"{count(record.completed, 'complete I-statement')}.")
    if record.most_missing:
        text += f" The part most often missing is the {record.most_missing}: a good one to focus on next."
    return Reply().say(text)
