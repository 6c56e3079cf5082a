"""Keep the bot token out of every log line, whoever writes it (PTB, httpx, us)."""

from __future__ import annotations

import logging


class RedactToken(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, "<token>")
            record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are formatted later; make sure the exception text is clean too.
            record.exc_text = (
                logging.Formatter().formatException(record.exc_info).replace(self._token, "<token>")
            )
        return True


def install(token: str) -> None:
    """Attach the filter to every handler of the root logger, and quieten httpx, which logs
    every request URL (and so the token) at INFO."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    token_filter = RedactToken(token)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        handler.addFilter(token_filter)
