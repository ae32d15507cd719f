"""What a person actually sees, from the real stack over REST (custom actions run here, unlike rasa test).

The stack starts once for the whole test session (tests/conftest.py) the way `make serve` starts it.
"""

from __future__ import annotations

import pytest

from tests.stack import Chat, tracker_events

pytestmark = pytest.mark.live


def test_greeting_says_practice_tool_not_therapy_and_offers_quick_starts(chat: Chat) -> None:
    chat.say("hi")
    assert "not a therapist" in chat.text
    assert chat.buttons == ["I feel jealous", "I need reassurance", "I'm scared they'll leave",
                            "I compare myself", "I overthink their messages", "Practise an I-statement"]


def test_goodbye_bot_challenge_and_fallback(chat: Chat) -> None:
    chat.say("are you a real person?")
    assert "I'm a bot" in chat.text
    chat.say("qwpoeiru zxmcnv")
    assert "not sure I understood" in chat.text
    assert chat.buttons == ["Share what I'm feeling", "Practise an I-statement",
                            "Should I talk to a professional?"]
    chat.say("bye, thanks")
    assert chat.text


def test_theme_reflects_the_cue_then_another_idea_differs(chat: Chat) -> None:
    chat.say("i checked his phone and he's been messaging his ex all week")
    assert '"checked his phone"' in chat.text or '"his ex"' in chat.text
    assert chat.buttons == ["Another idea", "Practise an I-statement", "Should I talk to a professional?"]
    first = chat.last[-1]["text"]
    chat.tap("Another idea")
    assert chat.last[-1]["text"] != first
    assert "Try this:" in chat.text


def test_quick_tip_without_a_theme_asks_which_then_answers_in_one_tap(chat: Chat) -> None:
    chat.say("quick tip")
    assert "closest" in chat.text
    chat.tap("I overthink their messages")
    assert "Try this:" in chat.text


def test_professional_help_on_request(chat: Chat) -> None:
    chat.say("should i see a couples therapist?")
    assert "Gottman" in chat.text and "sliding-scale" in chat.text


def test_what_insecurity_is(chat: Chat) -> None:
    chat.say("what are the signs of insecurity in a relationship")
    assert chat.text and "Try this:" not in chat.text


def test_the_response_selector_runs_only_for_its_retrieval_intent(chat: Chat, stack) -> None:
    chat.say("i get jealous when she texts her ex")
    chat.say("is it normal to feel insecure in a relationship")
    jealous, question = (e["parse_data"] for e in tracker_events(stack.settings.tracker_db, chat.sender)
                         if e["event"] == "user")
    assert jealous["response_selector"] == {"all_retrieval_intents": ["ask_about_insecurity"]}
    answer = question["response_selector"]["default"]["response"]
    assert question["intent"]["name"] == "ask_about_insecurity"
    assert answer["intent_response_key"].startswith("ask_about_insecurity/") and answer["responses"]


def test_whole_exercise_from_an_accusation_to_a_real_i_statement(chat: Chat) -> None:
    chat.say("you never listen to me")
    assert "I-statement" in chat.text
    chat.tap("Yes, let's practise")
    assert "never" in chat.text and "Your turn" in chat.text
    chat.say("I feel like you never listen to me")
    assert "feel like" in chat.text.lower() and "Try once more" in chat.text
    chat.say("I feel lonely when you look at your phone while I talk, because I need to feel heard. "
             "Could we put our phones away at dinner?")
    assert "Want to try one more sentence?" in chat.text
    chat.say("how am i doing?")
    assert "2 attempts" in chat.text and "best score 100" in chat.text


def test_a_typed_yes_to_one_more_starts_the_exercise_again(chat: Chat) -> None:
    chat.say("help me practise an i-statement")
    chat.say("I feel hurt when plans get cancelled at the last minute, because I need to know I matter. "
             "Could you tell me a day ahead next time?")
    assert "complete I-statement" in chat.text and "Want to try one more sentence?" in chat.text
    chat.say("yes")
    assert "Type the sentence you said" in chat.text
    chat.say("you never have time for me")
    assert "Your turn" in chat.text


def test_three_tries_then_the_suggested_rewrite(chat: Chat) -> None:
    chat.say("help me practise an i-statement")
    chat.say("You always put your friends first")
    for attempt in ("you always put your friends first", "why do you always do this",
                    "you're so selfish"):
        chat.say(attempt)
    assert "Here's one way you could say it" in chat.text
    assert "you always" not in chat.text.split("Here's one way you could say it")[1].lower()


def test_leaving_the_exercise(chat: Chat) -> None:
    chat.say("help me say this without blaming her")
    chat.say("never mind")
    assert "no exercise for now" in chat.text
    chat.say("i feel so jealous of her best friend")
    assert "Try this:" in chat.text


def test_crisis_inside_the_exercise_interrupts_it_and_holds_strategies(chat: Chat) -> None:
    chat.say("help me practise an i-statement")
    chat.say("you never have time for me")
    chat.say("i don't see the point of going on anymore")
    assert "Are you safe right now?" in chat.text
    assert "findahelpline.com" in chat.text
    chat.say("i feel so jealous all the time")
    assert "Try this:" not in chat.text and "make sure you're okay" in chat.text
    chat.say("I'm in the UK")
    assert "116 123" in chat.text and "the UK" in chat.text
    chat.tap("Yes, I'm safe right now")
    assert "glad you're safe" in chat.text
    chat.say("i feel so jealous all the time")
    assert "Try this:" in chat.text


def test_abuse_gets_resources_and_never_the_coach(chat: Chat) -> None:
    chat.say("i'm in australia")
    chat.say("my boyfriend chokes me when he's angry")
    assert "not your fault" in chat.text and "1800 737 732" in chat.text and "000" in chat.text
    chat.say("help me practise an i-statement")
    assert "won't suggest a couples exercise" in chat.text
    chat.say("you never listen to me")
    assert "Practise" not in " ".join(chat.buttons) and "Yes, let's practise" not in chat.buttons
    chat.say("we keep fighting about everything")
    assert "Practise an I-statement" not in chat.buttons


def test_forget_me_deletes_the_conversation(chat: Chat, stack) -> None:
    chat.say("i feel like i'm not good enough for her")
    assert tracker_events(stack.settings.tracker_db, chat.sender)
    chat.say("please delete my data")
    assert "delete this conversation" in chat.text
    chat.tap("Yes, delete it")
    assert "deleted" in chat.text
    assert {"forget": True} in [m.get("custom") for m in chat.last]
    assert tracker_events(stack.settings.tracker_db, chat.sender) == []
    chat.say("hi")
    assert "not a therapist" in chat.text


def test_typed_answers_to_are_you_safe(chat: Chat) -> None:
    chat.say("i want to kill myself")
    chat.say("no")
    assert "call" in chat.last[0]["text"].lower()  # the emergency number comes first
    chat.say("im jealous of his ex")
    assert "make sure you're okay" in chat.text  # still on hold
    chat.say("yes")
    assert "glad you're safe" in chat.text


def test_a_figure_of_speech_is_checked_in_on_not_ignored(chat: Chat) -> None:
    chat.say("this fight is killing me, we argue every night")
    assert "killing me" in chat.text and "Try this:" in chat.text


@pytest.mark.parametrize("message", ["i feel like giving up on everything", "this homework is killing me"])
def test_wording_that_could_hide_a_risk_is_asked_about_even_when_nothing_else_fits(chat: Chat, message: str) -> None:
    chat.say(message)
    assert "check in" in chat.text and "not sure I understood" not in chat.text
    assert "outside what I can help with" not in chat.text
    assert "I'm okay" in " ".join(chat.buttons)


def test_a_finished_i_statement_typed_outside_the_exercise_is_recognised(chat: Chat) -> None:
    chat.say("I feel embarrassed when you joke about my job in front of your family, because I need to feel "
             "respected. Could you keep those jokes between us?")
    assert "complete I-statement" in chat.text and "frustration" not in chat.text
    assert chat.buttons == ["Try another sentence", "Not now"]
