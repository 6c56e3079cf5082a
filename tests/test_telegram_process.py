"""The bot as a real process (`python -m bot run`), killed with SIGKILL mid-audit and started
again: it resumes at the same question with every answer kept."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.store import Store
from tests.answering import JEWELLER
from tests.fakebotapi import FakeBotAPI, FakeUser
from tests.telegram_harness import TOKEN, current_question

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def bot_process(server: FakeBotAPI, db_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": server.url,
        "CANASTA_DB": str(db_path),
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def wait_until_polling(server: FakeBotAPI) -> None:
    server.wait_for(lambda s: s.calls("getUpdates"), timeout=30)


def answer_sync(server: FakeBotAPI, user: FakeUser, value: object) -> None:
    question = current_question(user)
    if question.type == "yesno":
        user.press("Yes" if value else "No")
    elif question.type == "single":
        option = question.option(str(value))
        assert option is not None
        user.press(option.text)
    elif question.type == "multi":
        assert isinstance(value, list)
        for option_id in value:
            option = question.option(option_id)
            assert option is not None
            user.press(option.text)
            server.wait_idle(10)
        user.press("Done ✔")
    else:
        user.send(str(value))
    server.wait_idle(10)


def test_sigkill_mid_audit_then_restart_resumes(tmp_path: Path) -> None:
    db_path = tmp_path / "canasta.db"
    with FakeBotAPI(token=TOKEN) as server:
        alex = server.user(2001, language_code="en")
        with bot_process(server, db_path) as first:
            wait_until_polling(server)
            alex.send("/start")
            server.wait_idle(10)
            for question_id in list(JEWELLER)[:5]:
                answer_sync(server, alex, JEWELLER[question_id])
            waiting = current_question(alex).id
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        calls_before = len(server.requests)
        with bot_process(server, db_path):
            server.wait_for(lambda s: len(s.requests) > calls_before + 1, timeout=30)
            wait_until_polling(server)
            alex.send("/start")
            server.wait_idle(10)
            assert current_question(alex).id == waiting
            answer_sync(server, alex, JEWELLER[waiting])
            time.sleep(0.2)
        assert not server.errors
    store = Store(db_path)
    audit = store.latest_audit("tg:2001")
    assert audit is not None
    answers = store.answers(audit.id)
    store.close()
    assert set(answers) == set(list(JEWELLER)[:6])
    assert answers["first_contact"] == ["instagram"]


KILLS = int(os.environ.get("CANASTA_KILLS", "20"))


def stored(db_path: Path, respondent: str) -> dict:
    """Read the live database from outside the bot (WAL lets readers in while it writes)."""
    store = Store(db_path)
    try:
        audit = store.latest_audit(respondent)
        return {} if audit is None else store.answers(audit.id)
    finally:
        store.close()


def wait_for_new_poll(server: FakeBotAPI, polls_before: int) -> None:
    server.wait_for(lambda s: len(s.calls("getUpdates")) > polls_before, timeout=30)


def send_without_waiting(user: FakeUser, value: object) -> None:
    """Send an answer and return at once: the kill may land while the bot handles it."""
    question = current_question(user)
    if question.type == "yesno":
        user.press("Yes" if value else "No")
    elif question.type in ("single", "multi"):
        option_id = value[0] if isinstance(value, list) else str(value)
        option = question.option(option_id)
        assert option is not None
        user.press(option.text)
    else:
        user.send(str(value))


def test_killed_at_random_points_it_loses_nothing_and_repeats_nothing(tmp_path: Path) -> None:
    """SIGKILL the bot at random moments of an audit (often while it handles an answer), start
    it again, carry on: every answer is stored once, no answered question is asked again."""
    rng = random.Random(int(os.environ.get("CANASTA_KILL_SEED", "2021")))
    db_path = tmp_path / "canasta.db"
    with FakeBotAPI(token=TOKEN) as server:
        alex = server.user(2002, language_code="en")
        for _ in range(KILLS):
            with bot_process(server, db_path) as process:
                wait_for_new_poll(server, len(server.calls("getUpdates")))
                server.wait_idle(10)  # updates left unconfirmed by the killed process
                alex.send("/start")
                server.wait_idle(10)
                if "finished your audit" in (alex.last_message().text or ""):
                    alex.send("/restart")
                    server.wait_idle(10)
                question = current_question(alex).id
                assert question not in stored(db_path, "tg:2002"), f"{question} asked again"
                for _ in range(rng.randint(0, 2)):
                    answer_sync(server, alex, JEWELLER[current_question(alex).id])
                send_without_waiting(alex, JEWELLER[current_question(alex).id])
                time.sleep(rng.uniform(0, 0.08))
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
        assert not server.errors
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("pragma integrity_check").fetchone()[0] == "ok"
        duplicates = raw.execute(
            "select audit_id, question_id, count(*) from answers group by 1, 2 having count(*) > 1"
        ).fetchall()
        kept = raw.execute("select count(*) from answers").fetchone()[0]
    assert duplicates == []
    assert kept >= KILLS // 2  # the audit moved forward across the kills
    assert set(stored(db_path, "tg:2002")) <= set(JEWELLER)
