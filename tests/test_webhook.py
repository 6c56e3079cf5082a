"""Webhook mode: Telegram's secret header is required; anything else gets 403, unprocessed."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.settings import Settings
from bot.telegram.app import webhook_options
from tests.bot_process import message_update
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import TOKEN, webhook_bot


async def test_only_requests_with_the_secret_are_processed(tmp_path: Path) -> None:
    with FakeBotAPI(token=TOKEN) as server:
        alex = server.user(6001, first_name="Alex", language_code="en", started=True)
        async with webhook_bot(server, tmp_path / "c.db", "correct-horse") as base:
            url = f"{base}/telegram"
            registered = server.calls("setWebhook")[-1]
            assert registered["url"] == "https://bot.example/telegram"
            assert registered["secret_token"] == "correct-horse"
            async with httpx.AsyncClient() as http:
                missing = await http.post(url, json=message_update(1, alex.info, "/start"))
                wrong = await http.post(
                    url,
                    json=message_update(2, alex.info, "/start"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
                )
                right = await http.post(
                    url,
                    json=message_update(3, alex.info, "/start"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "correct-horse"},
                )
                assert (missing.status_code, wrong.status_code, right.status_code) == (
                    403, 403, 200,
                )  # fmt: skip
                # The bot handles a chat's updates in order: once /help is answered, it has
                # answered every request it accepted before.
                await http.post(
                    url,
                    json=message_update(4, alex.info, "/help"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "correct-horse"},
                )
            await server.until(lambda _: "What I can do" in (alex.last_message().text or ""))
    welcome, _ = alex.messages()  # only the request with the secret was handled
    assert "Hello! I am Canasta." in (welcome.text or "")
    assert "What is your business called?" in (welcome.text or "")  # under the welcome


def test_without_a_configured_secret_one_is_made_up() -> None:
    settings = Settings(token=TOKEN, webhook_url="https://bot.example/")
    first, second = webhook_options(settings), webhook_options(settings)
    assert len(first["secret_token"]) >= 32 and first["secret_token"] != second["secret_token"]
    assert first["webhook_url"] == "https://bot.example/telegram"
