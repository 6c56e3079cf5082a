"""The webhook's HTTP server: Telegram's updates in, onto the Application's update queue.

PTB's own webhook server reads a request body (up to 100 MiB) before it looks at the secret.
This one, on the same tornado PTB uses, decides from the headers alone: a request without the
secret gets 403 and one announcing more than `MAX_BODY_BYTES` gets 413, both before a byte of
the body is read (the connection is then closed); a chunked body is cut off at the same size.
Only then is the body read, parsed and queued — PTB's documented "custom webhook" pattern.

More routes go in `WebhookServer.routes`: /healthz and /metrics are there (bot/health.py).
"""

from __future__ import annotations

import hmac
import json
import logging
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import Application

from bot import health as health_routes
from bot.health import Health
from bot.listener import Listener
from bot.telegram.redact import describe_update

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1 << 20  # 1 MiB; Telegram's updates are a few KB
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
BODY_TIMEOUT = 10.0  # seconds to send a body once its headers arrived
IDLE_TIMEOUT = 75.0  # seconds a kept-alive connection may sit idle


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """POST /telegram: one update as JSON, with Telegram's secret header."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot_application: Application, secret: str) -> None:
        self._application = bot_application
        self._secret = secret.encode()
        self._body = bytearray()

    def prepare(self) -> None:
        """Runs on the headers, before any of the body is read."""
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        length = self.request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self.request.connection.set_max_body_size(MAX_BODY_BYTES)  # type: ignore[union-attr]

    def data_received(self, chunk: bytes) -> None:
        self._body += chunk

    async def post(self) -> None:
        try:
            data = json.loads(self._body)
            update = Update.de_json(data, self._application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        log.debug("webhook update %s", describe_update(update))
        await self._application.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish()  # the status says it all; no page, no traceback

    def on_finish(self) -> None:
        self._body = bytearray()


class WebhookServer(Listener):
    """The HTTP server for the webhook, started and stopped inside the bot's event loop."""

    def __init__(
        self,
        application: Application,
        secret: str,
        listen: str,
        port: int,
        path: str,
        health: Health | None = None,
    ) -> None:
        super().__init__(listen, port)
        self.application = application
        self.health = health
        self.secret = secret
        self.path = path.strip("/")

    def routes(self) -> list[Any]:
        return [
            (
                rf"/{self.path}/?",
                UpdateHandler,
                {"bot_application": self.application, "secret": self.secret},
            ),
            *(health_routes.routes(self.health) if self.health is not None else []),
        ]

    def server_options(self) -> dict[str, Any]:
        return {
            "max_body_size": MAX_BODY_BYTES,
            "body_timeout": BODY_TIMEOUT,
            "idle_connection_timeout": IDLE_TIMEOUT,
        }
