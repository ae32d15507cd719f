"""What the bot says when it deletes a conversation ("forget me"); the deletion is bot/tracker_store.py."""

from bot.dialogue.reply import Reply

# Sent with the reply so the web widget also clears what it kept in the browser.
FORGET_SIGNAL = {"forget": True}


def forgotten_reply() -> Reply:
    return Reply().say("Done. This conversation has been deleted from my records, and this chat window "
                       "will start fresh. Take care of yourself.")
