"""Keep the bot token and the webhook secret out of every log line and everything printed, and
keep what owners type out of the logs at any level.

Three layers, because secrets leak by three roads:

* a filter on every root handler rewrites each record (message, arguments, traceback) with the
  secrets replaced, whoever logged it (PTB, httpx, tornado, us);
* the same filter summarises the DEBUG records in which PTB dumps whole payloads (request
  parameters, API results, updates): they keep the endpoint, the update id and the chat id,
  never a message text or an answer;
* `protect_streams` wraps stdout and stderr, so that anything printed outside logging (an
  uncaught exception through Python's excepthook, a warning) is redacted too.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO
from urllib.parse import quote

TOKEN_MASK = "<token>"
SECRET_MASK = "<secret>"


class Redactor:
    """The secrets known to this process, and how to blank them out of a text."""

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}  # the secret as it may appear -> what replaces it

    def add(self, secret: str | None, mask: str = SECRET_MASK) -> None:
        if not secret:
            return
        for form in (secret, quote(secret, safe="")):  # as written, and as in a URL
            self._secrets.setdefault(form, mask)
        self._secrets = dict(sorted(self._secrets.items(), key=lambda item: -len(item[0])))

    def __call__(self, text: str) -> str:
        for secret, mask in self._secrets.items():
            if secret in text:
                text = text.replace(secret, mask)
        return text

    def clear(self) -> None:
        self._secrets.clear()


SECRETS = Redactor()


# PTB's DEBUG records that carry payloads: (logger name, message template) -> what to keep.
_ENDPOINT_ONLY = {
    "Calling Bot API endpoint `%s` with parameters `%s`": "Calling Bot API endpoint `%s`",
    "Call to Bot API endpoint `%s` finished with return value `%s`": (
        "Call to Bot API endpoint `%s` finished"
    ),
}
_UPDATE_ONLY = {
    "Processing update %s": "Processing update %s",
    "Dropping pending update: %s": "Dropping pending update %s",
}
_DROPPED = {
    "Webhook received data: %s",
    "Request had the wrong secret token: %s",
}


def describe_update(update: object) -> str:
    """An update as the logs may show it: its id and its chat, nothing anyone wrote."""
    from telegram import Update

    if isinstance(update, Update):
        chat = update.effective_chat
        return f"{update.update_id} (chat {chat.id if chat else '-'})"
    if isinstance(update, dict) and "update_id" in update:
        return str(update["update_id"])
    return f"<{type(update).__name__}>"


def _summarise(record: logging.LogRecord) -> None:
    """Rewrite, in place, a PTB record that would dump a payload."""
    if not record.name.startswith("telegram") or not isinstance(record.msg, str):
        return
    # logging keeps a lone mapping argument as the args themselves
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    if record.msg in _ENDPOINT_ONLY and args:
        record.msg, record.args = _ENDPOINT_ONLY[record.msg], (args[0],)
    elif record.msg in _UPDATE_ONLY and args:
        record.msg, record.args = _UPDATE_ONLY[record.msg], (describe_update(args[0]),)
    elif record.msg in _DROPPED:
        record.msg, record.args = record.msg.replace(": %s", " (payload not logged)"), ()


class RedactSecrets(logging.Filter):
    def __init__(self, redactor: Redactor = SECRETS) -> None:
        super().__init__()
        self._redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        _summarise(record)
        message = record.getMessage()
        record.msg, record.args = self._redact(message), ()
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are formatted later; make sure the exception text is clean too.
            record.exc_text = self._redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True


_FILTER = RedactSecrets()


def install(token: str | None, *secrets: str | None) -> None:
    """Learn the token and these secrets, and attach the filter (once) to every handler of the
    root logger. httpx logs every request URL (and so the token) at INFO: it is quietened."""
    SECRETS.add(token, TOKEN_MASK)
    for secret in secrets:
        SECRETS.add(secret)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


def redact(text: str) -> str:
    return SECRETS(text)


class RedactingStream:
    """A text stream that blanks out the secrets from whatever is written to it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(SECRETS(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def protect_streams() -> None:
    """Redact stdout and stderr for the rest of the process (the `run` command calls this before
    logging is configured, so log handlers write through the wrappers too)."""
    if not isinstance(sys.stdout, RedactingStream):
        sys.stdout = RedactingStream(sys.stdout)
    if not isinstance(sys.stderr, RedactingStream):
        sys.stderr = RedactingStream(sys.stderr)
