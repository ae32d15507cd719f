"""The names by which a safety signal travels from NLU to the replies, defined once for every layer.

The NLU components (bot/runtime/components/) set the intents and the entity; the replies
(bot/safety/replies.py) and `make eval` read them.
"""

# A rule-layer hit of each kind sets this intent, whatever DIET said.
INTENT_FOR = {"crisis": "crisis_self_harm", "abuse": "disclose_abuse"}
# The entity that makes the reply ask a gentle check-in instead of sending every line (domain.yml).
CHECK_ENTITY = "safety_check"
# Its value when only the intent classifier, not the rule layer, thought the message sounded like a crisis or
# abuse; otherwise the entity holds the ambiguous words themselves.
UNCONFIRMED = "unconfirmed"
