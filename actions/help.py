"""Professional help (rules: data/rules/help.yml; logic: bot/help.py)."""

from rasa_sdk import Tracker

from actions.common import ReplyAction
from bot.dialogue.reply import Reply
from bot.help import professional_help_reply


class ActionProfessionalHelp(ReplyAction):
    action_name = "action_professional_help"

    def reply(self, tracker: Tracker) -> Reply:
        return professional_help_reply().set(help_offered=True)
