"""A small HTTP server in the running asyncio loop (tornado, which python-telegram-bot already
brings): the webhook's and the health port's, differing only in their routes and limits."""

from __future__ import annotations

import logging
import socket
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

log = logging.getLogger(__name__)


class Listener:
    """Subclasses say what they serve (`routes`) and how (`server_options`)."""

    def __init__(self, listen: str, port: int) -> None:
        self.listen = listen
        self.port = port
        self._server: HTTPServer | None = None
        self._sockets: list[socket.socket] = []

    def routes(self) -> list[Any]:
        raise NotImplementedError

    def server_options(self) -> dict[str, Any]:
        return {"idle_connection_timeout": 75.0}

    @property
    def serving(self) -> bool:
        return self._server is not None

    async def start(self) -> int:
        """Listen; returns the port (useful when `port` was 0)."""
        app = tornado.web.Application(self.routes(), log_function=_quiet)
        self._server = HTTPServer(app, **self.server_options())
        self._sockets = bind_sockets(self.port, self.listen)
        self._server.add_sockets(self._sockets)
        return int(self._sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.stop()
        await self._server.close_all_connections()
        self._server = None


def _quiet(handler: tornado.web.RequestHandler) -> None:
    """Health checks every few seconds and refused requests must not fill the log: DEBUG only."""
    log.debug("%s %s %s", handler.get_status(), handler.request.method, handler.request.path)
