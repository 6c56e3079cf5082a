"""Telegram misbehaving: 429s, 5xx, slow answers, dropped connections, blocked users, double
taps and redelivered updates. Every reply still arrives once, in order, and others are served."""

from __future__ import annotations

from pathlib import Path

from bot import dialog
from bot.store import Store
from tests.answering import JEWELLER
from tests.fakebotapi import FakeBotAPI, FakeUser
from tests.telegram_harness import (
    answer,
    asked,
    callback_answer,
    current_question,
    handled,
    question_in,
    running_bot,
    send,
)

QUESTIONS = [q.text for q in dialog.load().questions]


def prompts_sent(server: FakeBotAPI, user: FakeUser) -> list[str]:
    """The question each sendMessage to this user asked, in the order Telegram accepted them."""
    questions = []
    for message in user.messages():
        text = message.sent.get("text", "")
        questions += [q for q in QUESTIONS if f"<b>{q}</b>" in text]
    return questions


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
        await asked(server, alex)
        for step, fault in enumerate(faults, start=2):
            server.fail_next("sendMessage", **fault)
            await answer(server, alex, JEWELLER[current_question(alex).id])
            if fault.get("drop"):
                # The request was written and no answer came: Telegram may have sent it, so it
                # is not sent again blindly (no duplicate). The owner is told; their next
                # message brings the question that never arrived.
                await server.until(lambda _: "Sorry" in (alex.messages()[-1].text or ""))
                alex.send("/start")
            # Retries back off quietly: wait for the next question itself.
            await server.until(lambda _, n=step: len(prompts_sent(server, alex)) >= n)
            # Meanwhile another owner is served (to the end of the reply: the question).
            await send(server, bea, "/start", "What is your business called?")
        # Nothing is sent twice: a retry runs inside the handler of its update, and the bot
        # handles a chat's updates in order, so no retry can come after this.
        await handled(server, alex)
        assert current_question(alex).id == list(JEWELLER)[len(faults)]
    sent = prompts_sent(server, alex)
    assert sent == [dialog.load().question(q).text for q in list(JEWELLER)[: len(faults) + 1]]
    assert not server.errors


async def test_a_user_who_blocked_the_bot_breaks_nothing(server: FakeBotAPI, db_path: Path) -> None:
    alex, bea = server.user(8101, language_code="en"), server.user(8102, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        server.block_user(alex.id)
        tried = len([c for c in server.calls("sendMessage") if c["chat_id"] == alex.id])
        alex.send("Anillos")  # the answer is stored; the next question cannot be delivered
        await server.until(
            lambda s: len([c for c in s.calls("sendMessage") if c["chat_id"] == alex.id]) > tried
        )
        await send(server, bea, "/start", "Hello! I am Canasta.")
        server.unblock_user(alex.id)
        welcome = await send(server, alex, "/start", "Welcome back")
        assert question_in(welcome).id == "country"  # under the greeting


async def test_double_taps_and_redelivered_updates_record_once(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(8201, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        await answer(server, alex, "Anillos")
        spain = next(b for row in alex.messages()[-1].buttons for b in row if b.text == "Spain")
        message_id = alex.messages()[-1].message_id
        # A nervous triple tap, or Telegram delivering the same press again.
        taps = [alex.press_data(message_id, spain.data or "") for _ in range(3)]
        for tap in taps:
            await callback_answer(server, tap)
        await handled(server, alex)
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
