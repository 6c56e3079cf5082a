"""Telegram misbehaving: 429s, 5xx, slow answers, dropped connections, blocked users, double
taps and redelivered updates. Every reply still arrives once, in order, and others are served."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import dialog
from bot.store import Store
from tests.answering import JEWELLER
from tests.fakebotapi import FakeBotAPI, FakeUser
from tests.telegram_harness import TOKEN, answer, current_question, idle, running_bot

QUESTIONS = [q.text for q in dialog.load().questions]


@pytest.fixture
def server() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(token=TOKEN) as fake:
        yield fake


def prompts_sent(server: FakeBotAPI, user: FakeUser) -> list[str]:
    """The question each sendMessage to this user asked, in the order Telegram accepted them."""
    asked = []
    for message in user.messages():
        text = message.sent.get("text", "")
        asked += [q for q in QUESTIONS if f"<b>{q}</b>" in text]
    return asked


async def test_faults_are_survived_and_nothing_is_sent_twice(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(8001, language_code="en")
    bea = server.user(8002, language_code="en")
    faults = [
        {"status": 429, "retry_after": 1},
        {"status": 500},
        {"status": 502},
        {"drop": True},
        {"delay": 1.0},
        {"status": 502, "delay": 0.3},
    ]
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        for step, fault in enumerate(faults, start=2):
            server.fail_next("sendMessage", **fault)
            await answer(server, alex, JEWELLER[current_question(alex).id])
            # Retries back off quietly: wait for the next question itself.
            await asyncio.to_thread(
                server.wait_for, lambda _, n=step: len(prompts_sent(server, alex)) >= n, 10.0
            )
            # Meanwhile another owner is served.
            bea.send("/start")
            await idle(server)
        await asyncio.to_thread(server.wait_idle, 10.0)
        assert current_question(alex).id == list(JEWELLER)[len(faults)]
    asked = prompts_sent(server, alex)
    assert asked == [dialog.load().question(q).text for q in list(JEWELLER)[: len(faults) + 1]]
    assert not server.errors


async def test_a_user_who_blocked_the_bot_breaks_nothing(server: FakeBotAPI, db_path: Path) -> None:
    alex, bea = server.user(8101, language_code="en"), server.user(8102, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        server.block_user(alex.id)
        alex.send("Anillos")  # the answer is stored; the reply cannot be delivered
        await idle(server)
        bea.send("/start")
        await idle(server)
        assert "Hello! I am Canasta." in (bea.messages()[0].text or "")
        server.unblock_user(alex.id)
        alex.send("/start")
        await idle(server)
        assert current_question(alex).id == "country"


async def test_double_taps_and_redelivered_updates_record_once(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(8201, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        await answer(server, alex, "Anillos")
        spain = next(b for row in alex.messages()[-1].buttons for b in row if b.text == "Spain")
        message_id = alex.messages()[-1].message_id
        for _ in range(3):  # a nervous triple tap, or Telegram delivering the same press again
            alex.press_data(message_id, spain.data or "")
        await idle(server)
        assert current_question(alex).id == "first_contact"
        assert (
            prompts_sent(server, alex).count("Where do new customers first get in touch with you?")
            == 1
        )
    store = Store(db_path)
    audit = store.latest_audit("tg:8201")
    assert audit is not None and store.answers(audit.id) == {
        "business_name": "Anillos",
        "country": "es",
    }
    store.close()
