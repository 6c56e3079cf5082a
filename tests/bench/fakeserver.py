"""The fake Bot API with a stopwatch: update→reply latency, per-chat wake-ups, its own cost.

``tests.fakebotapi.FakeBotAPI`` wakes waiting tests on every change of any chat, and reads
messages by deep-copying them: fine for tests, too costly for fifty owners at once. This
subclass adds what a load test needs, without changing what the bot sees on the wire:

* the time each update is queued, and the arrival of the bot's first call in that chat
  afterwards (any call naming the chat, or answering a callback query from it): the
  update→reply latency, measured where Telegram would see it;
* a per-chat asyncio wake-up after every call in that chat, so a simulated owner sleeps
  until the bot did something *in their chat*, and cheap reads of the newest keyboard;
* the updates each chat sent, so the same traffic can be replayed to another bot;
* the fake's own cost: CPU time its threads spend answering each call;
* a listen backlog deep enough for a burst of new connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from tests.fakebotapi import FakeBotAPI, JSONDict, _Call, _Chat, _RequestHandler

#: The method that is not a reply: the long poll.
POLL = "getUpdates"
#: Calls that only tidy a chat: Canasta uses these methods in private chats only to take an
#: answered question's buttons away and to show "sending a file…".
COSMETIC = frozenset({"editMessageReplyMarkup", "sendChatAction"})
#: Pending connections the listening socket queues. The stdlib's default of 5 overflows when
#: a bot opens dozens of connections at once, and each dropped SYN costs the bot a 1 s retry.
LISTEN_BACKLOG = 256


class Keyboard(NamedTuple):
    """The newest bot message with an inline keyboard in a chat, as an owner sees it."""

    message_id: int
    edits: int
    callback_data: tuple[str, ...]


class Sent(NamedTuple):
    """One update a simulated owner sent: a typed message or a pressed button's data."""

    kind: str  # "message" or "callback_query"
    content: str


@dataclass
class Measurements:
    """What the server saw during one load run."""

    latencies: list[float] = field(default_factory=list)  # seconds, update → first reply
    calls: Counter[str] = field(default_factory=Counter)  # method → count
    chat_calls: int = 0  # calls naming a chat: what Telegram's flood limits count
    cosmetic_calls: int = 0  # of those, the ones only tidying the chat (see COSMETIC)
    serve_cpu: float = 0.0  # CPU seconds the fake's threads spent answering calls
    served: int = 0


class InstrumentedBotAPI(FakeBotAPI):
    """``FakeBotAPI`` that measures latency and wakes one chat's owner at a time."""

    def __init__(self, token: str) -> None:
        super().__init__(token=token)
        self.measured = Measurements()
        self.first_call_at: dict[str, float] = {}  # method → perf_counter of first arrival
        self.sent: dict[int, list[Sent]] = defaultdict(list)
        self._queued_at: dict[int, float] = {}  # chat → when its unanswered update was queued
        self._query_chats: dict[str, int] = {}
        self._bot_sends: Counter[int] = Counter()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeups: dict[int, asyncio.Event] = {}

    def start(self) -> InstrumentedBotAPI:
        super().start()
        assert self._httpd is not None
        self._httpd.socket.listen(LISTEN_BACKLOG)
        return self

    def __enter__(self) -> InstrumentedBotAPI:
        return self.start()

    # ---- the owners' side (call from the event loop thread) -----------------------------

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver per-chat wake-ups to coroutines on ``loop``."""
        self._loop = loop

    def reset_measurements(self) -> None:
        """Forget what start-up traffic cost; measure from now on."""
        with self._cond:
            self.measured = Measurements()

    async def until(self, chat_id: int, done: Callable[[], bool], timeout: float) -> None:
        """Sleep until ``done()`` is true, re-checking after each bot call in ``chat_id``."""
        event = self._wakeups.setdefault(chat_id, asyncio.Event())
        deadline = time.monotonic() + timeout
        while True:
            event.clear()
            if done():
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"chat {chat_id}: the bot did not answer within {timeout} s")
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue  # one last check of done() above

    def newest_keyboard(self, chat_id: int) -> Keyboard | None:
        """The bot's newest message in the chat that has inline buttons, or None."""
        with self._cond:
            for stored in reversed(self._chats[chat_id].messages.values()):
                markup = stored.data.get("reply_markup") or {}
                rows = markup.get("inline_keyboard") if stored.from_bot else None
                if rows and not stored.deleted:
                    data = tuple(
                        button["callback_data"]
                        for row in rows
                        for button in row
                        if "callback_data" in button
                    )
                    return Keyboard(stored.data["message_id"], len(stored.edits), data)
        return None

    def bot_sends(self, chat_id: int) -> int:
        """How many messages the bot has sent to the chat."""
        with self._cond:
            return self._bot_sends[chat_id]

    def last_bot_message_id(self, chat_id: int) -> int:
        with self._cond:
            messages = self._chats[chat_id].bot_messages()
            return messages[-1].data["message_id"] if messages else 0

    # ---- hooks into the fake ------------------------------------------------------------

    def _queue_update(self, kind: str, payload: JSONDict) -> JSONDict:
        chat_id = _update_chat(kind, payload)
        self._queued_at[chat_id] = time.perf_counter()
        if kind == "callback_query":
            self._query_chats[payload["id"]] = chat_id
            self.sent[chat_id].append(Sent(kind, payload["data"]))
        else:
            self.sent[chat_id].append(Sent(kind, payload["text"]))
        return super()._queue_update(kind, payload)

    def _admit(self, call: _Call) -> _Call:
        arrived = time.perf_counter()
        admitted = super()._admit(call)
        with self._cond:
            self.first_call_at.setdefault(call.method, arrived)
            self.measured.calls[call.method] += 1
            chat_id = self._call_chat(call)
            if "chat_id" in call.params:
                self.measured.chat_calls += 1
                self.measured.cosmetic_calls += call.method in COSMETIC
            queued = self._queued_at.pop(chat_id, None) if chat_id is not None else None
            if queued is not None:
                self.measured.latencies.append(arrived - queued)
        return admitted

    def _finish(self, call: _Call) -> None:
        super()._finish(call)
        chat_id = self._call_chat(call)
        event = self._wakeups.get(chat_id) if chat_id is not None else None
        if event is not None and self._loop is not None:
            # A cosmetic call may come after the owners' loop has ended.
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(event.set)

    def _serve(self, handler: _RequestHandler) -> None:
        started = time.thread_time()
        try:
            super()._serve(handler)
        finally:
            spent = time.thread_time() - started
            with self._cond:
                self.measured.serve_cpu += spent
                self.measured.served += 1

    def _send_bot_message(
        self, chat: _Chat, params: JSONDict, content: JSONDict, **extra: Any
    ) -> JSONDict:
        message = super()._send_bot_message(chat, params, content, **extra)
        self._bot_sends[chat.id] += 1
        return message

    def _call_chat(self, call: _Call) -> int | None:
        if call.method == POLL:
            return None
        chat_id = call.params.get("chat_id")
        if isinstance(chat_id, int):
            return chat_id
        query_id = call.params.get("callback_query_id")
        return self._query_chats.get(str(query_id)) if query_id is not None else None


def _update_chat(kind: str, payload: JSONDict) -> int:
    message = payload["message"] if kind == "callback_query" else payload
    return int(message["chat"]["id"])
