"""What every turn shares, whatever the capability: the `Reply` format (reply.py), typed yes/no answers to the
bot's last question (answers.py), the limits of what a message may be (limits.py).

Each capability's own turn logic lives in its package (`bot.coach.exercise`, `bot.strategies.replies`,
`bot.safety.replies`, ...): a function takes a snapshot of the conversation and returns a `Reply`, and the
Rasa actions in `actions/` only translate a tracker into that snapshot and the `Reply` back into events.
"""
