"""No log line holds what a person wrote: the two changes every process of the bot makes to its logging.

People write here about their relationship, their fears and sometimes abuse, and a log is read by whoever
runs the server. Frameworks are not trusted with those words: Rasa logs the whole message at ERROR when a
REST client gives up (`rest.message.received.timeout`) or a turn fails, structlog's tracebacks carry every
frame's local variables, and an exception's message can quote its input (`int("i feel...")`). So:

- structlog events keep only fields known to be safe (the event's name, its level, numbers, a few
  identifiers); any other field is replaced by `NOT_LOGGED`, and exception info becomes a traceback of
  files, lines and function names only, before any renderer sees it;
- the standard library's formatter writes tracebacks the same way, without the exception's message.

Levels are untouched. Rasa's `--debug` level logs messages in plain text lines; never use it in production.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType
from typing import Any, MutableMapping, Tuple, Type

import structlog

NOT_LOGGED = "[not logged]"
# Fields whose value is the logging machinery's own or an identifier, never a person's words.
SAFE_FIELDS = frozenset({
    "event", "event_info", "event_key", "level", "log_level", "timestamp", "logger", "logger_name",
    "action_name", "policy_name", "intent_name", "sender_id", "model", "model_path", "path", "url", "port",
    "host", "filename", "lineno", "func_name",
})
ExcInfo = Tuple[Type[BaseException], BaseException, TracebackType | None]


def plain_traceback(exc_info: ExcInfo) -> str:
    """Where an exception went, without what it said: frames (file, line, function) and the type of each
    exception in the chain. No source lines either: a line can hold a literal someone typed in a test."""
    exc_type, exc, tb = exc_info
    lines = ["Traceback (most recent call last):"]
    lines += [f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}'
              for frame in traceback.extract_tb(tb)]
    lines.append(f"{exc_type.__module__}.{exc_type.__qualname__} (message not logged)")
    cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    if cause is not None:
        return plain_traceback((type(cause), cause, cause.__traceback__)) + "\n\nwhich led to:\n" + "\n".join(lines)
    return "\n".join(lines)


def _exc_info(value: Any) -> ExcInfo | None:
    if value is True:
        value = sys.exc_info()
    elif isinstance(value, BaseException):
        value = (type(value), value, value.__traceback__)
    return value if isinstance(value, tuple) and value and value[0] is not None else None


def redact(_logger: Any, method_name: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor, first in the chain: unsafe fields replaced, exceptions reduced to frames."""
    exc_info = event_dict.pop("exc_info", True if method_name == "exception" else None)
    for key, value in event_dict.items():
        if key not in SAFE_FIELDS and not isinstance(value, (bool, int, float, type(None))):
            event_dict[key] = NOT_LOGGED
    found = _exc_info(exc_info)
    if found is not None:
        event_dict["exception"] = plain_traceback(found)
    return event_dict


def _format_exception(_formatter: logging.Formatter, exc_info: ExcInfo) -> str:
    return plain_traceback(exc_info)


def _with_redact(processors: Any) -> Any:
    if processors is not None and redact not in processors:
        processors = [redact, *processors]
    return processors


_structlog_configure = structlog.configure


def _configure(*args: Any, processors: Any = None, **kwargs: Any) -> None:
    """`structlog.configure`, with `redact` first in any processor chain it is given (Rasa configures
    structlog when a command starts, and may do it again)."""
    _structlog_configure(*args, processors=_with_redact(processors), **kwargs)


def install() -> None:
    """Make this process's logging private; safe to call more than once. Loggers made before the call
    share the configured processor list, so `redact` is inserted into that list itself."""
    logging.Formatter.formatException = _format_exception  # type: ignore[method-assign, assignment]
    structlog.configure = _configure  # type: ignore[assignment]
    processors = structlog.get_config()["processors"]
    if redact not in processors:
        processors.insert(0, redact)
