"""Bot API calls that fail on Telegram's side are tried again, a few times.

PTB's AIORateLimiter already waits out 429 "Too Many Requests". A 500 or 502, or a connection
closed before any answer, means Telegram did not act on the call, so sending it again cannot
duplicate a message. A timeout is different: the message may have arrived, and sending it
again would show it twice, so it is not retried (nor is a 400 or 403: retrying cannot help).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
ATTEMPTS = 4
FIRST_PAUSE = 0.25  # seconds; doubled after each failure


class RetryingRateLimiter(AIORateLimiter):
    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        pause = FIRST_PAUSE
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except (BadRequest, TimedOut):
                raise
            except NetworkError as error:
                if attempt == ATTEMPTS or endpoint == "getUpdates":  # the updater retries those
                    raise
                log.warning("%s failed (%s); trying again in %.2fs", endpoint, error, pause)
                await asyncio.sleep(pause)  # a backoff after a server error, not a rate limit
                pause *= 2
        raise AssertionError("unreachable")
