"""Bot API calls that fail on the way are tried again, a few times, when that cannot show an
owner the same message twice.

The policy, by what the failure tells us about whether Telegram acted:

* **The request never left** (no connection could be made, none was free in the pool):
  Telegram cannot have acted. Every call is tried again.
* **Telegram answered 5xx**: it says the call failed. Every call is tried again.
* **The request was written and then the answer never came** (the connection dropped, a read
  timed out): Telegram may have acted. Only calls that can safely be repeated are tried again:
  edits (the same text twice is the same message), answerCallbackQuery, deleting, pinning,
  the getters and the set… calls of the bot's profile. A call that *creates* something
  (send…, forward…, copy…, create…) is not: the owner would see it twice. It fails, and the
  handler's error path apologises and asks the owner to try again, which shows the question
  afresh from the stored state.
* 400, 403 and the rest: retrying cannot help. 429 is waited out by the sender below it
  (`sending.PrioritySender`), which also keeps Telegram's flood limits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, TelegramError

from bot import metrics
from bot.telegram.http import NOT_SENT
from bot.telegram.sending import Priority, PrioritySender

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
ATTEMPTS = 4
FIRST_PAUSE = 0.25  # seconds; doubled after each failure

# Calls that make something new each time they reach Telegram.
CREATING = ("send", "forward", "copy", "create")
# Harmless to repeat although named like a send.
REPEATABLE_SENDS = frozenset({"sendChatAction"})


def repeats_safely(endpoint: str) -> bool:
    """Whether calling this Bot API method twice has the effect of calling it once."""
    return endpoint in REPEATABLE_SENDS or not endpoint.startswith(CREATING)


def may_retry(endpoint: str, error: NetworkError) -> bool:
    """Whether a call that failed with `error` may be sent again (see the module docstring)."""
    if endpoint == "getUpdates":  # PTB's updater retries its own long polls
        return False
    cause = error.__cause__
    if isinstance(cause, NOT_SENT):
        return True
    if cause is None or isinstance(cause, TelegramError):
        return True  # PTB raised it for an HTTP answer from Telegram: a 5xx
    return repeats_safely(endpoint)  # written, then the connection failed: outcome unknown


class RetryingRateLimiter(PrioritySender):
    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> JSONResult:
        pause = FIRST_PAUSE
        uncertain = False  # an earlier attempt may have reached Telegram

        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest as error:
                answered = endpoint == "answerCallbackQuery" and "query" in error.message.lower()
                if uncertain and answered:
                    return True  # the earlier attempt answered it
                raise
            except NetworkError as error:
                if attempt == ATTEMPTS or not may_retry(endpoint, error):
                    raise
                cause = error.__cause__
                if not (cause is None or isinstance(cause, (TelegramError, *NOT_SENT))):
                    uncertain = True
                log.warning("%s failed (%s); trying again in %.2fs", endpoint, error, pause)
                metrics.RETRIES.labels(endpoint).inc()
                await asyncio.sleep(pause)  # a backoff after a failure, not a rate limit
                pause *= 2
        raise AssertionError("unreachable")
