"""Telegram's flood limits: the fake keeps them when asked, and the bot's sender keeps under them
with what owners wait for first.

The fake's windows are shrunk (a few calls in a fraction of a second) so the tests stay fast;
the rules are the same as with Telegram's 30 a second.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram.error import RetryAfter

from bot.telegram.sending import Dropped, Priority, PrioritySender, Window
from bot.telegram.sending import FloodLimits as SenderLimits
from tests.fakebotapi import FakeBotAPI, FakeUser, FloodLimits
from tests.telegram_harness import TOKEN, answer, asked, current_question, running_bot


def call(server: FakeBotAPI, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    response = httpx.post(f"{server.url}/bot{TOKEN}/{method}", json=params)
    return response.status_code, response.json()


def users(server: FakeBotAPI, count: int) -> list[FakeUser]:
    return [server.user(5000 + i, started=True) for i in range(count)]


class Clock:
    """Time for the fake's flood limits, stepped by hand."""

    def __init__(self, server: FakeBotAPI) -> None:
        self.now = 1000.0
        server.flood_clock = lambda: self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# ---- the fake's limits ---------------------------------------------------------------------


def test_no_limits_unless_asked(server: FakeBotAPI) -> None:
    (alex,) = users(server, 1)
    for _ in range(10):
        assert call(server, "sendMessage", chat_id=alex.id, text="x")[0] == 200
    assert not server.flood_refusals


def test_the_bot_wide_window_refuses_with_retry_after(server: FakeBotAPI) -> None:
    server.limit_floods(FloodLimits(per_bot=(4, 1.0), per_chat=(100, 1.0)))
    clock = Clock(server)
    owners = users(server, 5)
    for owner in owners[:4]:
        assert call(server, "sendMessage", chat_id=owner.id, text="x")[0] == 200
    status, body = call(server, "sendMessage", chat_id=owners[4].id, text="x")
    assert status == 429 and body["parameters"] == {"retry_after": 1}
    assert body["description"] == "Too Many Requests: retry after 1"
    assert owners[4].messages() == []  # refused calls have no effect
    # Not counted: answering a button press, and reading a chat.
    assert call(server, "answerCallbackQuery", callback_query_id="1")[0] != 429
    assert call(server, "getChat", chat_id=owners[0].id)[0] == 200
    assert server.flood_refusals == {"sendMessage": 1}
    clock.advance(1.0)  # retry_after waited out: the window has moved on
    assert call(server, "sendMessage", chat_id=owners[4].id, text="x")[0] == 200


def test_a_private_chat_has_its_own_budget(server: FakeBotAPI) -> None:
    server.limit_floods(FloodLimits(per_bot=(100, 1.0), per_chat=(2, 1.0)))
    Clock(server)
    alex, blake = users(server, 2)
    assert call(server, "sendMessage", chat_id=alex.id, text="1")[0] == 200
    assert call(server, "editMessageText", chat_id=alex.id, message_id=1, text="2")[0] == 200
    assert call(server, "sendChatAction", chat_id=alex.id, action="typing")[0] == 429
    assert call(server, "sendMessage", chat_id=blake.id, text="1")[0] == 200  # another chat
    assert server.flood_refusals == {"sendChatAction": 1}


def test_a_group_allows_fewer_calls(server: FakeBotAPI) -> None:
    server.limit_floods(FloodLimits(per_bot=(100, 1.0), per_chat=(100, 1.0), per_group=(3, 60)))
    Clock(server)
    group = server.group(-1001, "Hall")
    for _ in range(3):
        assert call(server, "sendMessage", chat_id=group.id, text="x")[0] == 200
    status, body = call(server, "sendMessage", chat_id=group.id, text="x")
    assert status == 429 and body["parameters"]["retry_after"] == 20  # one drains in 20 s


def test_a_burst_then_the_rate(server: FakeBotAPI) -> None:
    server.limit_floods(FloodLimits(per_bot=(4, 1.0), per_chat=(100, 1.0)))
    clock = Clock(server)
    (alex,) = users(server, 1)

    def sent() -> bool:
        return call(server, "sendMessage", chat_id=alex.id, text="x")[0] == 200

    assert [sent() for _ in range(5)] == [True] * 4 + [False]  # a burst of 4
    clock.advance(0.25)  # then one every 0.25 s
    assert [sent(), sent()] == [True, False]
    clock.advance(1.0)  # a second later: 4 drained
    assert [sent() for _ in range(5)] == [True] * 4 + [False]


def test_ignoring_retry_after_makes_it_grow(server: FakeBotAPI) -> None:
    server.limit_floods(FloodLimits(per_bot=(1, 5.0), per_chat=(100, 1.0), penalty=2.0))
    clock = Clock(server)
    (alex,) = users(server, 1)
    assert call(server, "sendMessage", chat_id=alex.id, text="x")[0] == 200
    waits = []
    for step in (0.0, 0.1, 1.4, 1.0):  # a call in flight, then two that ignored the answer
        clock.advance(step)
        waits.append(call(server, "sendMessage", chat_id=alex.id, text="x")[1])
    assert [body["parameters"]["retry_after"] for body in waits] == [5, 5, 6, 7]
    assert server.flood_refusals["sendMessage"] == 4


# ---- the bot's sender ----------------------------------------------------------------------


class Wire:
    """Stands in for PTB's HTTP call: records what went out, and when."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, float]] = []
        self.refuse_next = 0

    def request(
        self, sender: PrioritySender, label: str, chat: int, priority: Priority | None = None,
        endpoint: str = "sendMessage",
    ) -> asyncio.Task[Any]:  # fmt: skip
        async def callback() -> bool:
            if self.refuse_next:
                self.refuse_next -= 1
                raise RetryAfter(1)
            self.sent.append((label, asyncio.get_running_loop().time()))
            return True

        data = {"chat_id": chat, "text": label}
        return asyncio.ensure_future(
            sender.process_request(callback, (), {}, endpoint, data, priority)
        )

    @property
    def order(self) -> list[str]:
        return [label for label, _ in self.sent]


def sender_with(**limits: Any) -> PrioritySender:
    base = {"per_bot": Window(3, 0.3), "per_chat": Window(100, 1.0), "margin": 0.0}
    return PrioritySender(SenderLimits(**{"cosmetic_reserve": 1, **base, **limits}))


async def test_a_question_goes_before_cosmetic_calls_queued_earlier() -> None:
    sender, wire = sender_with(), Wire()
    await asyncio.gather(*(wire.request(sender, f"q{i}", 100 + i) for i in range(3)))
    # The window is full: three cosmetic edits wait, then an owner's next question arrives.
    cosmetic = [wire.request(sender, f"edit{i}", 200 + i, Priority.COSMETIC) for i in range(3)]
    await asyncio.sleep(0.05)
    question = wire.request(sender, "question", 300)
    await asyncio.gather(question, *cosmetic)
    assert wire.order[3] == "question"
    await sender.shutdown()


async def test_cosmetic_calls_leave_room_for_a_question() -> None:
    sender, wire = sender_with(), Wire()
    cosmetic = [wire.request(sender, f"edit{i}", 200 + i, Priority.COSMETIC) for i in range(3)]
    await asyncio.sleep(0.25)  # calls go 0.1 s apart; the window is 0.3 s
    assert wire.order == ["edit0", "edit1"]  # the window's last place is kept for a question
    started = asyncio.get_running_loop().time()
    await wire.request(sender, "question", 300)
    assert wire.sent[-1][1] - started < 0.05  # it went at once
    await asyncio.gather(*cosmetic)
    await sender.shutdown()


async def test_a_chats_last_places_are_kept_for_its_questions() -> None:
    sender, wire = sender_with(per_chat=Window(3, 0.3)), Wire()
    await wire.request(sender, "question 1", 100)
    edit = wire.request(sender, "edit 1", 100, Priority.COSMETIC)
    await asyncio.sleep(0.05)
    assert wire.order == ["question 1"]
    await wire.request(sender, "question 2", 100)  # the owner's next tap finds room
    await edit
    assert wire.order == ["question 1", "question 2", "edit 1"]
    await sender.shutdown()


async def test_priorities_in_order_plan_after_questions() -> None:
    sender, wire = sender_with(per_bot=Window(2, 0.2)), Wire()
    await asyncio.gather(*(wire.request(sender, "first", 100 + i) for i in range(2)))
    waiting = [
        wire.request(sender, "progress", 201, Priority.COSMETIC),
        wire.request(sender, "plan", 202, Priority.PLAN),
        wire.request(sender, "question", 203),
    ]
    await asyncio.sleep(0.01)
    await asyncio.gather(*waiting)
    assert wire.order == ["first", "first", "question", "plan", "progress"]
    await sender.shutdown()


async def test_a_cosmetic_call_that_waits_too_long_is_dropped() -> None:
    sender, wire = sender_with(per_bot=Window(2, 5.0), cosmetic_wait=0.1), Wire()
    await wire.request(sender, "question", 100)
    with pytest.raises(Dropped):
        await wire.request(sender, "edit", 100, Priority.COSMETIC)
    assert wire.order == ["question"]
    await sender.shutdown()


async def test_one_busy_chat_does_not_hold_back_others() -> None:
    sender, wire = sender_with(per_bot=Window(100, 1.0), per_chat=Window(1, 0.5)), Wire()
    await wire.request(sender, "alex 1", 100)
    alex = wire.request(sender, "alex 2", 100)
    await wire.request(sender, "blake 1", 101)
    await alex
    assert wire.order == ["alex 1", "blake 1", "alex 2"]
    await sender.shutdown()


async def test_button_answers_and_uncounted_calls_never_wait() -> None:
    sender, wire = sender_with(per_bot=Window(1, 5.0)), Wire()
    await wire.request(sender, "question", 100)
    await wire.request(sender, "answer", 100, endpoint="answerCallbackQuery")
    await wire.request(sender, "chat", 100, endpoint="getChat")
    assert wire.order == ["question", "answer", "chat"]
    await sender.shutdown()


async def test_a_429_stops_every_counted_call_then_the_call_is_tried_again() -> None:
    sender, wire = sender_with(per_bot=Window(100, 1.0)), Wire()
    wire.refuse_next = 1
    started = asyncio.get_running_loop().time()
    first = wire.request(sender, "refused, then sent", 100)
    await asyncio.sleep(0.05)
    await wire.request(sender, "other chat", 101)
    await first
    assert wire.order == ["refused, then sent", "other chat"] or wire.order == [
        "other chat",
        "refused, then sent",
    ]
    assert all(at - started >= 1.0 for _, at in wire.sent)  # both waited out retry_after
    await sender.shutdown()


# ---- the bot under the limits --------------------------------------------------------------


async def test_the_next_question_never_waits_behind_a_cosmetic_edit(
    server: FakeBotAPI, db_path: Path
) -> None:
    """A private chat's budget shrunk to 4 calls in 2 s: the edits that take old questions'
    buttons away queue up, and each next question still goes out before them."""
    server.limit_floods(FloodLimits(per_chat=(4, 2.0)))
    alex = server.user(5101, language_code="en")
    limits = SenderLimits(per_chat=Window(4, 2.0))
    async with running_bot(server, db_path, flood_limits=limits) as application:
        sender = application.bot.rate_limiter
        alex.send("/start")  # the welcome with the first question: 1 of the chat's 4
        await asked(server, alex)
        await answer(server, alex, "Anillos")  # the next question: 2 of 4
        await answer(server, alex, "es")  # the next question: 3 of 4
        # Both edits wait: neither may take the chat's last two places.
        await server.until(lambda _: sender.waiting()[Priority.COSMETIC] == 2)
        assert not server.calls("editMessageReplyMarkup")
        # The next answer (a tick, then Done) goes out as soon as the chat has room, and the
        # question after it before the edits that waited longer.
        await answer(server, alex, ["instagram"])
        assert current_question(alex).id == "google_listing"
        await server.until(lambda _: len(server.calls("editMessageReplyMarkup")) >= 2, 10)
    wire = [(method, params) for method, params in server.requests if method != "getUpdates"]
    question = next(
        i
        for i, (method, params) in enumerate(wire)
        if method == "sendMessage" and "google maps" in params.get("text", "").lower()
    )
    edits = [i for i, (method, _) in enumerate(wire) if method == "editMessageReplyMarkup"]
    assert question < edits[0]
    assert not server.flood_refusals  # and Telegram never had to say no
