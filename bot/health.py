"""`/healthz` and `/metrics` over HTTP, for a container's health check and for Prometheus.

`/healthz` answers 200 when the bot can do its job — the database takes a write, the loop that
receives updates runs — and 503 otherwise, with a small JSON body saying which part failed and
how long ago the last update was handled (informative only: a quiet bot is not a broken one).

In webhook mode these are routes of the webhook server (bot/telegram/webhook.py); in polling
mode `HealthServer` serves them on HEALTH_PORT. Either way they run in the bot's own event loop
and thread, so they see the same database connection the handlers use.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import tornado.web

from bot import metrics
from bot.listener import Listener

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


class Health:
    """The bot's vital signs. `probe` raises when the database cannot be written; `alive` says
    whether updates are being received (set by whoever starts the update loop)."""

    def __init__(
        self, probe: Callable[[], None], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._probe = probe
        self._clock = clock
        self._started = clock()
        self._last_update: float | None = None
        self.alive: Callable[[], bool] = lambda: False

    def update_handled(self) -> None:
        self._last_update = self._clock()
        metrics.UPDATES.inc()
        metrics.LAST_UPDATE.set_to_current_time()

    def report(self) -> tuple[bool, dict[str, Any]]:
        try:
            self._probe()
            database = "writable"
        except Exception as error:  # read-only file, disk full or gone, locked
            log.warning("health: the database cannot be written: %s", error)
            database = f"not writable: {type(error).__name__}"
        running = bool(self.alive())
        now = self._clock()
        since = None if self._last_update is None else round(now - self._last_update, 1)
        ok = database == "writable" and running
        return ok, {
            "status": "ok" if ok else "failing",
            "database": database,
            "updates": "running" if running else "stopped",
            "seconds_since_last_update": since,
            "uptime_seconds": round(now - self._started, 1),
        }


class HealthHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, health: Health) -> None:
        self._health = health

    def get(self) -> None:
        ok, body = self._health.report()
        self.set_status(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))

    def head(self) -> None:
        ok, _ = self._health.report()
        self.set_status(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE)


class MetricsHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET",)

    def get(self) -> None:
        body, content_type = metrics.exposition()
        self.set_header("Content-Type", content_type)
        self.finish(body)


def routes(health: Health) -> list[Any]:
    return [
        (HEALTH_PATH, HealthHandler, {"health": health}),
        (METRICS_PATH, MetricsHandler),
    ]


class HealthServer(Listener):
    """/healthz and /metrics on a port of their own (polling mode), in the running loop."""

    def __init__(self, health: Health, listen: str, port: int) -> None:
        super().__init__(listen, port)
        self.health = health

    def routes(self) -> list[Any]:
        return routes(self.health)
