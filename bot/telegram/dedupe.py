"""Each Telegram update is handled once, even when it arrives twice.

Telegram delivers an update again when it did not see it confirmed: a webhook request whose
answer was lost, a long poll cut before its offset was confirmed. The ids already handled are
kept in SQLite (the store's `seen_updates`), rather than in memory: a redelivery that arrives
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
import time

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.store import Store
from bot.telegram.redact import describe_update

log = logging.getLogger(__name__)

KEEP_SECONDS = 2 * 24 * 3600
PRUNE_EVERY = 500  # new ids between two clean-ups


class SeenUpdates:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._added = 0

    def first_time(self, update_id: int) -> bool:
        """Record the id; False if it was recorded already."""
        now = time.time()
        self._added += 1
        prune = now - KEEP_SECONDS if self._added % PRUNE_EVERY == 0 else None
        return self.store.first_sight(update_id, now, forget_before=prune)

    async def gate(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """A handler that runs before all others: logs the update by id and chat (never its
        text) and stops a repeat from reaching the handlers."""
        if self.first_time(update.update_id):
            log.debug("update %s", describe_update(update))
            return
        log.info("update %s was already handled; ignoring the repeat", describe_update(update))
        raise ApplicationHandlerStop
