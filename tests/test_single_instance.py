"""One bot per database: a second `canasta run` on the same CANASTA_DB exits at once, naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.lock import AlreadyRunning, InstanceLock
from tests.bot_process import bot_process
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import TOKEN


def test_a_second_process_on_the_same_database_exits_naming_it(tmp_path: Path) -> None:
    db_path = tmp_path / "shared.db"
    with FakeBotAPI(token=TOKEN) as server:
        alex = server.user(7201, language_code="en")
        with bot_process(server.url, TOKEN, db_path, tmp_path / "first") as first:
            server.wait_for(lambda s: s.calls("getUpdates"), timeout=30)
            with bot_process(server.url, TOKEN, db_path, tmp_path / "second") as second:
                assert second.process.wait(timeout=30) == 1
                lines = second.stderr_lines()
            assert len(lines) == 1 and str(db_path) in lines[0], lines
            assert "already running" in lines[0]
            alex.send("/start")
            server.wait_for(lambda _: alex.messages(), timeout=10)
            server.wait_idle(10)
            assert first.process.poll() is None
            assert first.stop() == 0
        # One welcome: only the first process answered.
        assert sum("Hello! I am Canasta." in (m.text or "") for m in alex.messages()) == 1
        # The lock went with the process: a new one starts.
        with bot_process(server.url, TOKEN, db_path, tmp_path / "third") as third:
            polls = len(server.calls("getUpdates"))
            server.wait_for(lambda s: len(s.calls("getUpdates")) > polls, timeout=30)
            assert third.process.poll() is None


def test_the_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    database = str(tmp_path / "c.db")
    with InstanceLock(database), pytest.raises(AlreadyRunning, match=r"c\.db"):
        InstanceLock(database).acquire()
    with InstanceLock(database):
        pass
