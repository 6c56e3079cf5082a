"""Privacy and operations: /mydata, /delete (then no trace in any table), purge, backup,
and a token that never reaches a log line, a reply or the database."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from pathlib import Path

import pytest

from bot.store import Store
from tests.answering import JEWELLER, answer_all
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import (
    TOKEN,
    asked,
    audit_bot_of,
    document,
    edited,
    finish_audit,
    mark,
    new_message,
    press_when_shown,
    question_in,
    running_bot,
    send,
)
from tests.test_console import run_console


def rows_mentioning(db_path: Path, needle: str) -> list[str]:
    """Every (table, row) in the database whose text holds `needle` as a whole word (not as
    digits inside another number, such as a timestamp that happens to contain them)."""
    word = re.compile(rf"(?<![0-9A-Za-z]){re.escape(needle)}(?![0-9A-Za-z])")
    found = []
    with sqlite3.connect(db_path) as raw:
        tables = [r[0] for r in raw.execute("select name from sqlite_master where type='table'")]
        for table in tables:
            for row in raw.execute(f"select * from [{table}]"):
                if any(word.search(str(value)) for value in row):
                    found.append(f"{table}: {row}")
    return found


async def test_mydata_then_delete_leaves_no_trace(server: FakeBotAPI, db_path: Path) -> None:
    alex = server.user(5001, language_code="en")
    group = server.group(-100777, title="Room")
    facilitator = server.user(5002, language_code="en", started=True)
    server.set_admins(group.id, [facilitator.id])
    async with running_bot(server, db_path, refresh_seconds=0.2):
        join = await send(server, group, "/workshop", "Finished: 0", by=facilitator)
        link = join.buttons[0][0].data or ""
        welcome = await send(server, alex, f"/start {link.split('?start=')[1]}", "Welcome")
        assert question_in(welcome).id == "business_name"  # asked under the welcome
        await finish_audit(server, alex, JEWELLER)
        since = mark(alex)
        await press_when_shown(server, alex, "Yes, share my plan")
        await new_message(server, alex, since, "the facilitator will see your plan")
        since = mark(alex)
        alex.send("/mydata")
        data = json.loads((await document(server, alex, ".json", since)).content)
        assert data["respondent"] == "tg:5001"
        assert data["tables"]["answers"] and data["tables"]["memberships"][0]["shares_plan"] == 1
        assert {row["question_id"] for row in data["tables"]["answers"]} >= set(JEWELLER)
        assert len(data["plans"]) == 1
        assert rows_mentioning(db_path, "5001")
        asking = await send(server, alex, "/delete", "This cannot be undone.")
        alex.press("No, keep it")
        await edited(server, alex, asking.message_id, "Nothing was erased.")
        assert rows_mentioning(db_path, "5001")
        asking = await send(server, alex, "/delete", "This cannot be undone.")
        alex.press("Yes, erase it all")
        await edited(server, alex, asking.message_id, "everything I stored about you is erased")
        assert rows_mentioning(db_path, "5001") == []
        # The room's counts and the facilitator's data are untouched.
        assert rows_mentioning(db_path, "5002")
        # Coming back is a fresh start.
        await send(server, alex, "/start", "Hello! I am Canasta.")


def test_a_facilitator_who_erases_leaves_the_workshop_without_their_id(db_path: Path) -> None:
    from bot import dialog
    from bot.interview import Interview
    from bot.workshop import Workshops

    store = Store(db_path)
    workshops = Workshops(Interview(dialog.load(), store))
    opened = workshops.open(-5, None, "Room", "tg:9", "en")
    store.erase("tg:9")
    assert rows_mentioning(db_path, "tg:9") == []
    assert workshops.get(opened.id) is not None
    store.close()


def test_privacy_notice_is_one_tap_from_start_in_every_language() -> None:
    from bot import render
    from bot.i18n import SUPPORTED_LOCALES, translator

    for locale in SUPPORTED_LOCALES:
        t = translator(locale)
        assert "/privacy" in render.render("welcome.html.j2", t, language="x")
        notice = render.render("privacy.html.j2", t)
        assert "/mydata" in notice and "/delete" in notice


def test_purge_removes_only_old_unfinished_audits(db_path: Path) -> None:
    from bot import dialog
    from bot.interview import Interview

    now = ["2026-01-01T00:00:00+00:00"]
    store = Store(db_path, clock=lambda: now[0])
    interview = Interview(dialog.load(), store)
    interview.start("tg:1", "en")  # abandoned in January
    interview.answer_text("tg:1", "Old shop", "en")
    answer_all(interview, "tg:2", JEWELLER)  # finished in January: kept
    now[0] = "2026-11-01T00:00:00+00:00"
    interview.start("tg:3", "en")  # recent: kept
    removed = store.purge("2026-06-01T00:00:00+00:00")
    assert removed == 1
    assert store.latest_audit("tg:1") is None
    assert store.latest_audit("tg:2") is not None and store.latest_audit("tg:3") is not None
    assert rows_mentioning(db_path, "Old shop") == []
    store.close()


def test_backup_is_a_consistent_copy_while_writing(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    run_console(db, ["Anillos", "quit"], "console", "--lang", "en", "--id", "a")
    copy = tmp_path / "copy.db"
    result = run_console(db, [], "backup", str(copy))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(copy) as raw:
        assert raw.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert raw.execute("select value from answers").fetchone()[0] == '"Anillos"'


def test_purge_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    run_console(db, ["Anillos", "quit"], "console", "--lang", "en", "--id", "a")
    kept = run_console(db, [], "purge", "--older-than", "180d")
    assert kept.returncode == 0 and "removed 0" in kept.stderr
    gone = run_console(db, [], "purge", "--older-than", "0d")
    assert "removed 1" in gone.stderr
    bad = run_console(db, [], "purge", "--older-than", "soon")
    assert bad.returncode == 2


async def test_the_token_reaches_no_log_no_reply_and_no_database(
    server: FakeBotAPI, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    alex = server.user(5100, language_code="en")
    async with running_bot(server, db_path) as application:
        alex.send("/start")
        await asked(server, alex)
        await finish_audit(server, alex, JEWELLER)
        audit_bot = audit_bot_of(application)

        def explode(*args: object) -> None:
            raise RuntimeError(f"failure with {TOKEN} inside")

        audit_bot.interview.latest_plan = explode
        await send(server, alex, "/plan", "Sorry, something went wrong")
    assert "failure with <token> inside" in caplog.text
    assert TOKEN not in caplog.text
    assert all(TOKEN not in (m.text or "") for m in alex.messages())
    assert TOKEN.encode() not in db_path.read_bytes()
    for suffix in ("-wal", "-shm"):
        wal = Path(f"{db_path}{suffix}")
        assert not wal.exists() or TOKEN.encode() not in wal.read_bytes()
