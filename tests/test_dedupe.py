"""An update delivered twice is handled once: in one batch, after a restart (the ids are kept in
SQLite), and over the webhook. Only the update types the bot handles are asked for."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path

import httpx
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler

from bot.settings import Settings
from bot.store import Store
from bot.telegram.app import ALLOWED_UPDATES, build_application
from bot.telegram.dedupe import SeenUpdates
from bot.telegram.webhook import SECRET_HEADER
from tests.bot_process import message_update
from tests.fakebotapi import FakeBotAPI, FakeUser
from tests.telegram_harness import TOKEN, idle, running_bot, webhook_bot

WELCOME = "Hello! I am Canasta."


def welcomes(user: FakeUser) -> int:
    return sum(WELCOME in (m.text or "") for m in user.messages())


def queue_again(server: FakeBotAPI, update: dict) -> None:
    """Telegram delivering an update it already delivered (same update_id)."""
    with server._cond:
        server._updates.append(copy.deepcopy(update))
        server._cond.notify_all()


async def test_a_redelivered_update_is_handled_once_even_after_a_restart(db_path: Path) -> None:
    with FakeBotAPI(token=TOKEN) as server:
        alex = server.user(7301, language_code="en")
        async with running_bot(server, db_path):
            with server._cond:  # both copies in the same batch
                start = alex.send("/start")
                queue_again(server, start)
            await idle(server)
            assert welcomes(alex) == 1
        queue_again(server, start)  # the bot was down: Telegram delivers it again
        async with running_bot(server, db_path):
            await idle(server)
            assert welcomes(alex) == 1
            alex.send("/help")  # a new update is handled
            await idle(server)
            assert "/privacy" in (alex.last_message().text or "")


async def test_a_replayed_webhook_update_is_handled_once(db_path: Path) -> None:
    with FakeBotAPI(token=TOKEN) as server:
        alex = server.user(7302, first_name="Alex", language_code="en", started=True)
        update = message_update(901, alex.info, "/start")
        async with webhook_bot(server, db_path, "replay-secret") as base:
            async with httpx.AsyncClient() as http:
                for _ in range(3):
                    reply = await http.post(
                        f"{base}/telegram", json=update, headers={SECRET_HEADER: "replay-secret"}
                    )
                    assert reply.status_code == 200
            await asyncio.to_thread(server.wait_for, lambda _: welcomes(alex) >= 1, 10.0)
            await idle(server)
        assert welcomes(alex) == 1
        registered = server.calls("setWebhook")[-1]
        assert registered["allowed_updates"] == ALLOWED_UPDATES
        assert registered["secret_token"] == "replay-secret"


def test_every_handler_takes_only_the_allowed_update_types(db_path: Path) -> None:
    application = build_application(Settings(token=TOKEN, database=str(db_path)))
    kinds = {type(h) for group in application.handlers.values() for h in group}
    # Commands and messages arrive as "message", their edits as "edited_message" (answered
    # with a note), presses as "callback_query"; the TypeHandler is the de-duplication gate.
    assert kinds <= {CommandHandler, MessageHandler, CallbackQueryHandler, TypeHandler}
    assert ALLOWED_UPDATES == ["message", "edited_message", "callback_query"]


def test_seen_ids_survive_a_restart(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        seen = SeenUpdates(store)
        assert seen.first_time(5) and not seen.first_time(5) and seen.first_time(6)
    with Store(tmp_path / "c.db") as store:
        again = SeenUpdates(store)
        assert not again.first_time(5) and again.first_time(7)


def test_old_ids_are_forgotten(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        assert store.first_sight(1, now=100.0)
        assert store.first_sight(2, now=200.0, forget_before=150.0)
        assert store.first_sight(1, now=300.0)  # forgotten, so new again
        assert not store.first_sight(2, now=300.0)
