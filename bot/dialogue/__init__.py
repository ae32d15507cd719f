"""What the bot says at each turn, decided from plain data (the conversation's slots and the last message).

One module per capability (strategies, coach, safety, help, privacy). Each function takes a snapshot of the
conversation and returns a `Reply`: the messages to send and the slots to set. The Rasa actions in
`actions/` only translate a Rasa tracker into that snapshot and the `Reply` back into Rasa events, so every
decision here is tested without Rasa.
"""
