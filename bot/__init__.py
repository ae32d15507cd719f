"""The couples-communication practice bot: domain logic kept apart from Rasa so it can be tested alone."""
