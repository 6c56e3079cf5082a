"""AGPL-3.0 §13: people who use the bot over a network are offered its source (/source, /help)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.settings import DEFAULT_SOURCE_URL, Settings
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import running_bot, send

ROOT = Path(__file__).resolve().parent.parent


def test_the_licence_is_the_agpl_the_package_declares() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007")
    assert "13. Remote Network Interaction" in text and len(text) > 30_000
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    # The default SOURCE_URL is the project's own address, not a placeholder.
    assert project["urls"]["Source"] == DEFAULT_SOURCE_URL
    assert Settings.from_env({}).source_url == DEFAULT_SOURCE_URL
    assert Settings.from_env({"SOURCE_URL": "https://git.example/fork"}).source_url == (
        "https://git.example/fork"
    )


async def test_source_and_help_point_to_the_source_in_the_owners_language(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(7101, language_code="en")
    ola = server.user(7102, language_code="pl")
    async with running_bot(server, db_path):
        source = await send(server, alex, "/source", DEFAULT_SOURCE_URL)
        assert "GNU Affero General Public License" in (source.text or "")
        polish = await send(server, ola, "/source", DEFAULT_SOURCE_URL)
        assert "wolnym oprogramowaniem" in (polish.text or "")
        help_text = await send(server, alex, "/help", "What I can do")
        assert "/source" in (help_text.text or "") and DEFAULT_SOURCE_URL in (help_text.text or "")
    menu = next(c for c in server.calls("setMyCommands") if "scope" not in c)
    assert "source" in [command["command"] for command in menu["commands"]]
