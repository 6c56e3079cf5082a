"""Log output: plain lines, or one JSON object per line (LOG_FORMAT=json) for a log collector.

Secrets are blanked out before either formatter sees a record: the filter in
bot/telegram/redact.py rewrites each record's message and traceback text first.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JSONFormatter(logging.Formatter):
    """One line per record: time (UTC, ISO 8601), level, logger, message, and the traceback
    (already redacted) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["traceback"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, fmt: str = "text") -> None:
    """A handler on stderr, at `level`, in `fmt` ("text" or "json"); as `logging.basicConfig`,
    nothing is added when the root logger has a handler already (a test's, an embedding app's)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JSONFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    # The reminders' scheduler tells of every job it adds and runs at INFO: noise for an
    # operator, whose log should say what the bot did, not that a clock ticked.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
