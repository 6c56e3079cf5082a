"""Each Telegram update is handled once, even when it arrives twice.

Telegram delivers an update again when it did not see it confirmed: a webhook request whose
answer was lost, a long poll cut before its offset was confirmed. The ids already handled are
kept in SQLite, in the bot's own database, rather than in memory: a redelivery that arrives
after a restart (the usual moment for one) must not replay an old "start again" into a fresh
audit, and an in-memory set starts empty at every restart.

An id is recorded when its handling begins (at most once: a crash mid-handling loses that one
update rather than repeating its effects; the owner's next message resumes the audit from what
is stored). Ids are kept for two days, longer than Telegram keeps an unconfirmed update (24
hours). They are not a high-water mark: after a week without updates Telegram may start again
from a random, lower id.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.telegram.redact import describe_update

log = logging.getLogger(__name__)

KEEP_SECONDS = 2 * 24 * 3600
PRUNE_EVERY = 500  # new ids between two clean-ups


class SeenUpdates:
    def __init__(self, path: str | Path) -> None:
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout = 5000")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS seen_updates "
            "(update_id INTEGER PRIMARY KEY, seen_at REAL NOT NULL)"
        )
        self._added = 0

    def first_time(self, update_id: int) -> bool:
        """Record the id; False if it was recorded already."""
        now = time.time()
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO seen_updates (update_id, seen_at) VALUES (?, ?)",
            (update_id, now),
        )
        if cursor.rowcount == 0:
            return False
        self._added += 1
        if self._added % PRUNE_EVERY == 0:
            self._db.execute("DELETE FROM seen_updates WHERE seen_at < ?", (now - KEEP_SECONDS,))
        return True

    async def gate(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """A handler that runs before all others: logs the update by id and chat (never its
        text) and stops a repeat from reaching the handlers."""
        if self.first_time(update.update_id):
            log.debug("update %s", describe_update(update))
            return
        log.info("update %s was already handled; ignoring the repeat", describe_update(update))
        raise ApplicationHandlerStop

    def close(self) -> None:
        self._db.close()
