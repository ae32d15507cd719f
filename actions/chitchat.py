"""Small talk and the answer to a message the bot could not take in (rules: data/rules/chitchat.yml;
logic and wording: bot/dialogue/chitchat.py, data/wording/chitchat.yml)."""

from rasa_sdk import Tracker

from actions.common import ReplyAction, entity_values
from bot.dialogue import chitchat
from bot.dialogue.reply import Reply


class ActionGreet(ReplyAction):
    action_name = "action_greet"

    def reply(self, tracker: Tracker) -> Reply:
        return chitchat.greeting()


class ActionSayGoodbye(ReplyAction):
    action_name = "action_say_goodbye"

    def reply(self, tracker: Tracker) -> Reply:
        return chitchat.say("goodbye", len(tracker.events))


class ActionYouAreWelcome(ReplyAction):
    action_name = "action_you_are_welcome"

    def reply(self, tracker: Tracker) -> Reply:
        return chitchat.say("you_are_welcome", len(tracker.events))


class ActionSayBot(ReplyAction):
    action_name = "action_say_bot"

    def reply(self, tracker: Tracker) -> Reply:
        return chitchat.say("iamabot")


class ActionOutOfScope(ReplyAction):
    action_name = "action_out_of_scope"

    def reply(self, tracker: Tracker) -> Reply:
        return chitchat.say("out_of_scope")


class ActionNotHelpful(ReplyAction):
    action_name = "action_not_helpful"

    def reply(self, tracker: Tracker) -> Reply:
        return chitchat.say("not_helpful")


class ActionFallback(ReplyAction):
    """An empty or over-long message (entities set by bot/runtime/components/input_guard.py), or one NLU
    could not place."""

    action_name = "action_fallback"

    def reply(self, tracker: Tracker) -> Reply:
        for issue in ("empty_message", "message_too_long"):
            if entity_values(tracker, issue):
                return chitchat.say(issue)
        return chitchat.say("not_understood")
