"""The bot as a real process (`python -m bot run`), killed with SIGKILL mid-audit and started
again: it resumes at the same question with every answer kept."""

from __future__ import annotations

import os
import signal
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
