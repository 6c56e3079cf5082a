"""The bot's HTTP client for the Bot API: PTB's `BaseRequest` on one aiohttp session.

PTB's own `HTTPXRequest` cost the bot more CPU than the rest of it together when flat out:
httpcore walks every pooled connection, and every request waiting for one, on each request
(encode/httpcore#1035). aiohttp takes a free connection in constant time and parses the
answers in C.

The parameters go out as `HTTPXRequest` sends them: a url-encoded form of JSON-encoded values,
or multipart/form-data when there are files to upload. Failures are told apart by whether the
request can have left (`NOT_SENT`), which is what `retry.py` decides on.
"""

from __future__ import annotations

import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Raised before a byte of the request was written: no connection could be made (refused,
# unreachable, DNS, TLS handshake), or none was free, nor opened, within the pool and connect
# waits. Every other failure may come after Telegram read the request.
NOT_SENT: tuple[type[Exception], ...] = (
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_DEFAULT = type(BaseRequest.DEFAULT_NONE)  # a timeout the caller left to the instance


class AiohttpRequest(BaseRequest):
    """Bot API calls over at most `connections` connections kept open.

    aiohttp bounds the wait for a free connection and the opening of a new one as one: a call
    gets `pool_timeout` + `connect_timeout` seconds for both, at most `connect_timeout` of them
    to open a connection. `read_timeout` bounds each wait for a piece of the answer. aiohttp
    has no write timeout: a call as a whole gets the four together (`media_write_timeout` in
    place of `write_timeout` for uploads), which a stalled upload runs into.
    """

    def __init__(
        self,
        connections: int,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}  # Bot API host → its proxy, looked up once

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        # Made here rather than in __init__: a session belongs to the loop it was made in.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
                # Telegram sets no cookies; a real jar would parse every answer's headers.
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data is not None else None
        read = _given(read_timeout, self._read_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        write = _given(write_timeout, self._media_write_timeout if files else self._write_timeout)
        timeout = aiohttp.ClientTimeout(
            total=_together(pool, connect, write, read),
            connect=_together(pool, connect),  # aiohttp's connect includes the pool's wait
            sock_connect=connect,
            sock_read=read,
        )
        data: bytes | aiohttp.FormData | None = None
        headers = None
        if request_data is not None and files:
            data = _multipart(request_data.json_parameters, files)
        elif request_data is not None and request_data.json_parameters:
            data = request_data.url_encoded_parameters().encode()
            headers = FORM
        try:
            async with self._session.request(
                method,
                url,
                data=data,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
                proxy=self._proxy_for(url),
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut(
                "No connection to the Bot API was free or could be opened in time; "
                "the request was not sent"
            ) from error
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _proxy_for(self, url: str) -> str | None:
        """The proxy `HTTPS_PROXY` (or `ALL_PROXY`) names for this host unless `NO_PROXY`
        exempts it, as httpx honoured them; read once per host, not on every call (aiohttp's
        own `trust_env` reads ~/.netrc on every request). An HTTP proxy only: aiohttp speaks
        no SOCKS."""
        host = urlsplit(url).hostname or ""
        if host not in self._proxies:
            found = urllib.request.getproxies_environment()
            proxy = found.get("https") or found.get("all")
            bypassed = bool(urllib.request.proxy_bypass(host))
            self._proxies[host] = None if bypassed else proxy
        return self._proxies[host]


def _given(timeout: object, default: float | None) -> float | None:
    if isinstance(timeout, _DEFAULT):
        return default
    assert timeout is None or isinstance(timeout, int | float)
    return timeout


def _together(*timeouts: float | None) -> float | None:
    """The seconds several phases may take in all: unbounded if one of them is."""
    total = 0.0
    for timeout in timeouts:
        if timeout is None:
            return None
        total += timeout
    return total


def _multipart(fields: dict[str, str], files: dict[str, Any]) -> aiohttp.FormData:
    # Names and filenames as UTF-8 (only '"' and '\' escaped), as httpx sent them, rather than
    # percent-encoded, aiohttp's default.
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
