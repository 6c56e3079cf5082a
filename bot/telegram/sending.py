"""Telegram's flood limits, kept by one sender that knows what matters most.

Telegram lets a bot make about 30 calls a second across all chats, about one a second in a
chat and 20 a minute in a group, and answers 429 "Too Many Requests" beyond. A hall of owners
tapping at once reaches the first of these; what an owner waits for must then go out before
what only tidies the chat. Every Bot API call passes through `PrioritySender` (PTB's
rate-limiter hook, `BaseRateLimiter`), which sends the calls waiting in this order:

1. `ANSWER`: answerCallbackQuery (it stops a button's spinner; Telegram does not count it, so
   it never waits);
2. `QUESTION`: what an owner waits for: the next question, a redrawn one, any reply;
3. `PLAN`: a plan's messages and documents;
4. `COSMETIC`: what only tidies the chat: the edit that marks a question answered, removing
   old buttons, typing indicators, a workshop's progress message. A cosmetic call never takes
   the last places of a window (a question arriving next finds room), and one that has waited
   `cosmetic_wait` seconds is dropped (`Dropped`): under load the chat stays readable without
   it (the next question carries the answer) and its turn is better spent on a question.

A call says its priority with `rate_limit_args=Priority.…` (the ExtBot methods take it);
without one, answerCallbackQuery is `ANSWER`, sendDocument `PLAN`, sendChatAction `COSMETIC`
and anything else `QUESTION`. Calls of one priority go out first come, first served, and a
call held by its own chat's budget does not hold back other chats.

The budgets are sliding windows ("at most n calls in any s seconds"), counted at the moment a
call is let through, with `margin` seconds added to each window for the wire's jitter (a call
let through later may reach Telegram sooner); across chats the calls are also spaced (at
least 17.5 ms apart), so Telegram never sees a whole window's worth at once. A 429 that comes
anyway (Telegram is stricter than we thought) stops every counted call for its `retry_after`,
then the call is tried again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from telegram.error import RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

from bot import metrics

log = logging.getLogger(__name__)
JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class Priority(IntEnum):
    ANSWER = 1
    QUESTION = 2
    PLAN = 3
    COSMETIC = 4


DEFAULT_PRIORITY = {
    "answerCallbackQuery": Priority.ANSWER,
    "sendDocument": Priority.PLAN,
    "sendChatAction": Priority.COSMETIC,
}


class Dropped(TelegramError):
    """A cosmetic call was not sent: the budget went to what owners wait for."""


@dataclass(frozen=True)
class Window:
    """At most `calls` calls in any `seconds` seconds; 0 calls means no limit."""

    calls: int
    seconds: float


@dataclass(frozen=True)
class FloodLimits:
    per_bot: Window = Window(30, 1.0)
    per_chat: Window = Window(5, 5.0)  # about one a second; a plan's messages go together
    per_group: Window = Window(20, 60.0)
    margin: float = 0.05  # seconds added to each window on our side
    cosmetic_reserve: int = 5  # places of the per-bot window cosmetic calls leave free
    cosmetic_wait: float = 10.0  # seconds a cosmetic call may wait before it is dropped


TELEGRAM = FloodLimits()
UNLIMITED = FloodLimits(Window(0, 1.0), Window(0, 1.0), Window(0, 1.0), cosmetic_wait=3600.0)
#: What `PrioritySender()` keeps when built without limits (the benchmark's capacity run and
#: many-owner tests swap in UNLIMITED).
DEFAULT_LIMITS = TELEGRAM


def counted(endpoint: str, data: dict[str, Any]) -> bool:
    """Whether Telegram's flood limits count this call: one naming a chat, not a getter."""
    return data.get("chat_id") is not None and not endpoint.startswith("get")


def is_group(chat_id: object) -> bool:
    """Groups, supergroups and channels: a negative id or an @username."""
    return isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)


class _Budget:
    """The times calls were let through in one window, newest last."""

    __slots__ = ("sent", "window")

    def __init__(self, window: Window) -> None:
        self.window = window
        self.sent: deque[float] = deque()

    def room(self, now: float, margin: float) -> int:
        if not self.window.calls:
            return 1_000_000
        while self.sent and self.sent[0] <= now - self.window.seconds - margin:
            self.sent.popleft()
        return self.window.calls - len(self.sent)

    def take(self, now: float) -> None:
        if self.window.calls:
            self.sent.append(now)

    def frees_at(self, margin: float) -> float:
        """When the oldest call leaves the window (call after `room`)."""
        return self.sent[0] + self.window.seconds + margin if self.sent else 0.0


@dataclass(eq=False)
class _Waiting:
    priority: Priority
    chat: int | str
    since: float
    turn: asyncio.Future[None] = field(repr=False)


class PrioritySender(BaseRateLimiter[Priority]):
    """Throttles counted calls to `limits`, most important first (see the module docstring)."""

    def __init__(self, limits: FloodLimits | None = None, max_retries: int = 3) -> None:
        self.limits = limits or DEFAULT_LIMITS
        self.max_retries = max_retries
        self._bot = _Budget(self.limits.per_bot)
        self._chats: dict[int | str, _Budget] = {}
        self._queues: dict[Priority, list[_Waiting]] = {p: [] for p in Priority}
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None
        self._paused_until = 0.0
        # Counted calls go out evenly spaced, never in a burst: Telegram sees them a little
        # later each, by different amounts, and a burst let through at the window's edge could
        # reach it inside the window.
        per_bot = self.limits.per_bot
        # Half the window's mean gap: a full window is spread over half its length at least.
        window = per_bot.seconds + self.limits.margin
        self._spacing = window / per_bot.calls / 2 if per_bot.calls else 0.0
        self._bot_next = 0.0
        limits = self.limits
        self._limited = any(w.calls for w in (limits.per_bot, limits.per_chat, limits.per_group))

    async def initialize(self) -> None:
        """Nothing to open: the dispatcher starts with the first counted call."""

    async def shutdown(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None
        for queue in self._queues.values():
            for waiting in queue:
                if not waiting.turn.done():
                    waiting.turn.set_exception(Dropped("the bot is stopping"))
            queue.clear()

    def waiting(self) -> dict[Priority, int]:
        """Calls waiting for their turn, by priority (for tests and the curious)."""
        return {priority: len(queue) for priority, queue in self._queues.items()}

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> JSONResult:
        priority = rate_limit_args or DEFAULT_PRIORITY.get(endpoint, Priority.QUESTION)
        limited = self._limited and priority != Priority.ANSWER and counted(endpoint, data)
        for attempt in range(self.max_retries + 1):
            if limited:
                await self._turn(Priority(priority), data["chat_id"])
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                metrics.RATE_LIMITED.labels(endpoint).inc()
                if attempt == self.max_retries:
                    raise
                pause = _seconds(error.retry_after) + 0.1
                log.info("%s: Telegram asks to wait %.1f s", endpoint, pause)
                loop = asyncio.get_running_loop()
                self._paused_until = max(self._paused_until, loop.time() + pause)
                if not limited:
                    await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    async def _turn(self, priority: Priority, chat: int | str) -> None:
        """Wait until this call may go out; `Dropped` if it is cosmetic and waited too long."""
        loop = asyncio.get_running_loop()
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = loop.create_task(self._dispatch(), name="flood-limits")
        waiting = _Waiting(priority, chat, loop.time(), loop.create_future())
        self._queues[priority].append(waiting)
        self._wake.set()
        await waiting.turn

    async def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            now = loop.time()
            next_check = self._let_through(now)
            if next_check is None:
                await self._wake.wait()
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(next_check - now, 0.001))

    def _let_through(self, now: float) -> float | None:
        """Let every call through that may go now, most important first; when to look again
        (None: nothing is waiting)."""
        limits = self.limits
        margin = limits.margin
        soonest: float | None = None

        def later(moment: float) -> None:
            nonlocal soonest
            soonest = moment if soonest is None else min(soonest, moment)

        if now < self._paused_until:
            if any(self._queues.values()):
                return self._paused_until
            return None
        for priority in Priority:
            queue = self._queues[priority]
            kept: list[_Waiting] = []
            for waiting in queue:
                if waiting.turn.done():  # its caller was cancelled
                    continue
                cosmetic = priority == Priority.COSMETIC
                if cosmetic and now - waiting.since > limits.cosmetic_wait:
                    waiting.turn.set_exception(Dropped("dropped under load"))
                    metrics.COSMETIC_DROPPED.inc()
                    continue
                chat = self._chat_budget(waiting.chat)
                # A cosmetic call leaves a chat's last two places free (an owner tapping
                # every two seconds needs them) and a few of the bot's.
                keep = 2 if cosmetic else 0
                bot_keep = limits.cosmetic_reserve if cosmetic else 0
                chat_room = chat.room(now, margin) - keep
                bot_room = self._bot.room(now, margin) - bot_keep
                paced = now >= self._bot_next
                if chat_room > 0 and bot_room > 0 and paced:
                    chat.take(now)
                    self._bot.take(now)
                    self._bot_next = now + self._spacing
                    waiting.turn.set_result(None)
                    continue
                kept.append(waiting)
                if chat_room <= 0:
                    later(chat.frees_at(margin))
                elif bot_room <= 0:
                    later(self._bot.frees_at(margin))
                else:
                    later(self._bot_next)
                if cosmetic:
                    later(waiting.since + limits.cosmetic_wait)
            queue[:] = kept
        self._forget_idle_chats(now)
        return soonest

    def _chat_budget(self, chat: int | str) -> _Budget:
        budget = self._chats.get(chat)
        if budget is None:
            window = self.limits.per_group if is_group(chat) else self.limits.per_chat
            budget = self._chats[chat] = _Budget(window)
        return budget

    def _forget_idle_chats(self, now: float) -> None:
        """Memory stays flat: a chat with nothing left in its window is forgotten."""
        if len(self._chats) < 256:
            return
        margin = self.limits.margin
        for chat, budget in list(self._chats.items()):
            budget.room(now, margin)
            if not budget.sent:
                del self._chats[chat]


def _seconds(retry_after: Any) -> float:
    """`RetryAfter.retry_after` in seconds: an int, or a timedelta in newer PTB settings."""
    return float(getattr(retry_after, "total_seconds", lambda: retry_after)())
