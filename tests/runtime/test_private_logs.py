"""bot/private_logs.py: no log line holds a person's words, whichever way Rasa, Sanic or our code logs.

Each case runs in a fresh interpreter with Rasa's own logging set-up, because installing the change
rewires logging for the whole process.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from bot.paths import ROOT

MARKER = "zebracrossing"
SETUP = """
import logging, structlog
from bot import private_logs
{before}
from rasa.utils.log_utils import configure_structlog
configure_structlog(logging.INFO)
{after}
log = structlog.get_logger()
def fail(text):
    return int(text)  # a ValueError that quotes the text; the text is also a local of this frame
"""
CASES = {
    "a cancelled REST request (Rasa's own event)":
        'log.error("rest.message.received.timeout", text="i feel {m}")',
    "a structlog exception with locals and a quoting message":
        'try:\n    fail("{m}")\nexcept ValueError:\n    log.exception("rest.message.received.failure", text="{m}")',
    "slot values and events in a field":
        'log.warning("slots.set", slot_values={{"attempt": "{m}"}}, rasa_events=[{{"text": "{m}"}}])',
    "the standard library's traceback":
        'try:\n    fail("{m}")\nexcept ValueError:\n    logging.getLogger("sanic.error").exception("handler failed")',
    "a chained exception":
        'try:\n    try:\n        fail("{m}")\n    except ValueError as e:\n'
        '        raise RuntimeError("{m}") from e\nexcept RuntimeError:\n    log.exception("action.failed")',
}


def _run(code: str, installed_first: bool) -> str:
    before, after = ("private_logs.install()", "") if installed_first else ("", "private_logs.install()")
    script = SETUP.format(before=before, after=after) + textwrap.dedent(code.format(m=MARKER))
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin"})
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


@pytest.mark.parametrize("installed_first", [True, False], ids=["before Rasa configures", "after"])
@pytest.mark.parametrize("case", list(CASES))
def test_no_marker_reaches_the_log(case: str, installed_first: bool) -> None:
    out = _run(CASES[case], installed_first)
    assert out.strip(), "nothing was logged at all"
    assert MARKER not in out


def test_what_is_kept_says_where_and_what_happened() -> None:
    out = _run(CASES["a structlog exception with locals and a quoting message"], installed_first=False)
    assert "rest.message.received.failure" in out
    assert "in fail" in out and "builtins.ValueError (message not logged)" in out
    assert "[not logged]" in out


def test_numbers_and_safe_fields_are_kept() -> None:
    out = _run('log.info("turn.done", sender_id="abc", seconds=1.5, events=3)', installed_first=False)
    assert '"sender_id": "abc"' in out and '"seconds": 1.5' in out and '"events": 3' in out
