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

from bot import dialog
from bot.interview import Interview
from bot.store import Store
from tests.answering import JEWELLER
from tests.fakebotapi import FakeBotAPI, FakeUser
from tests.telegram_harness import TOKEN, answer_sync, current_question, mark, steps, take

ROOT = Path(__file__).resolve().parent.parent
_AUDIT = dialog.load()


def bot_env(server: FakeBotAPI, db_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": server.url,
        "CANASTA_DB": str(db_path),
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def bot_process(server: FakeBotAPI, db_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=bot_env(server, db_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def wait_for_new_poll(server: FakeBotAPI, polls_before: int) -> None:
    """The new process is up: it asked Telegram for updates."""
    server.wait_for(lambda s: len(s.calls("getUpdates")) > polls_before, timeout=30)


def start_reply(server: FakeBotAPI, user: FakeUser) -> str:
    """Send /start and wait for the whole reply: "resumed" (a greeting with the question),
    or "finished". Updates a killed process fetched but never confirmed come again first;
    the bot handles one chat's updates in order, so this reply is its last word."""
    since = mark(user)
    user.send("/start")
    greetings = ("Welcome back! Here is where you left off.", "Hello! I am Canasta.")

    def replied(_: FakeBotAPI) -> str | None:
        fresh = [m for m in user.messages() if m.message_id > since]
        for index, message in enumerate(fresh):
            if "You finished your audit" in (message.text or ""):
                return "finished"
            if any(greeting in (message.text or "") for greeting in greetings):
                return "resumed" if any(m.buttons for m in fresh[index:]) else None
        return None

    return server.wait_for(replied, timeout=10)


def test_sigkill_mid_audit_then_restart_resumes(server: FakeBotAPI, db_path: Path) -> None:
    alex = server.user(2001, language_code="en")
    with bot_process(server, db_path) as first:
        wait_for_new_poll(server, 0)
        assert start_reply(server, alex) == "resumed"
        for question_id in list(JEWELLER)[:5]:
            answer_sync(server, alex, JEWELLER[question_id])
        waiting = current_question(alex).id
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
    with bot_process(server, db_path):
        wait_for_new_poll(server, len(server.calls("getUpdates")))
        assert start_reply(server, alex) == "resumed"
        assert current_question(alex).id == waiting
        answer_sync(server, alex, JEWELLER[waiting])  # returns once the next question came
    store = Store(db_path)
    audit = store.latest_audit("tg:2001")
    assert audit is not None
    answers = store.answers(audit.id)
    store.close()
    assert set(answers) == set(list(JEWELLER)[:6])
    assert answers["first_contact"] == ["instagram"]


KILLS = int(os.environ.get("CANASTA_KILLS", "20"))

# Most of a start is Python importing PTB, Typst and the bot (about 0.8 s of 1.1 s). For
# the many restarts below, one process does those imports once and forks each bot process
# from there: every bot process then reads its settings, opens the database, registers its
# commands and polls exactly as `python -m bot run` does, and dies by a real SIGKILL.
ZYGOTE = """
import dataclasses, os, sys, traceback
import bot.__main__, bot.telegram.app, bot.telegram.sending as sending
# As in tests/telegram_harness.py: the test's owner taps far faster than a person, and a
# private chat's budget (about one call a second) would only slow the test.
sending.DEFAULT_LIMITS = dataclasses.replace(sending.TELEGRAM, per_chat=sending.Window(0, 1.0))
for line in sys.stdin:
    command, _, argument = line.strip().partition(" ")
    if command == "start":
        pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            code = 1
            try:
                code = bot.__main__.main(["run"])
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        print(pid, flush=True)
    elif command == "reap":
        _, status = os.waitpid(int(argument), 0)
        print(os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1, flush=True)
"""


class BotProcesses:
    """Starts bot processes forked from a process that has imported the bot already."""

    def __init__(self, env: dict[str, str], log: Path):
        self.log = log.open("wb")
        self.zygote = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        self.running: int | None = None

    def _ask(self, line: str) -> int:
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        self.zygote.stdin.write(f"{line}\n".encode())
        self.zygote.stdin.flush()
        answer = self.zygote.stdout.readline()
        assert answer, "the forking process died"
        return int(answer)

    def start(self) -> None:
        self.running = self._ask("start")

    def kill(self) -> None:
        """SIGKILL the running bot process; assert that this is what ended it."""
        assert self.running is not None
        os.kill(self.running, signal.SIGKILL)
        assert self._ask(f"reap {self.running}") == signal.SIGKILL
        self.running = None

    def close(self) -> None:
        if self.running is not None:
            self.kill()
        assert self.zygote.stdin is not None
        self.zygote.stdin.close()
        self.zygote.wait(timeout=10)
        self.log.close()


def stored(db_path: Path, respondent: str) -> dict:
    """Read the live database from outside the bot (WAL lets readers in while it writes)."""
    store = Store(db_path)
    try:
        audit = store.latest_audit(respondent)
        return {} if audit is None else store.answers(audit.id)
    finally:
        store.close()


def settled(server: FakeBotAPI, user: FakeUser, db_path: Path) -> str:
    """Wait, without the owner doing anything, until the chat shows what the store says comes
    next: "question" when the newest question on screen is the current one, "finished" when
    the plan arrived. Redelivered updates are handled first, so this may take a moment."""
    interview = Interview(_AUDIT, Store(db_path))
    try:

        def shown(_: FakeBotAPI) -> str | None:
            audit = interview.store.latest_audit("tg:2002")
            if audit is None or audit.awaiting_delivery:
                return None
            if audit.status == "finished":
                last = user.last_message()
                return "finished" if any("PDF" in b.text for r in last.buttons for b in r) else None
            prompt = interview.current_prompt("tg:2002")
            try:
                on_screen = current_question(user).id
            except AssertionError:
                return None
            return "question" if prompt and prompt.question.id == on_screen else None

        return server.wait_for(shown, timeout=30)
    finally:
        interview.store.close()


def help_answered(server: FakeBotAPI, user: FakeUser) -> None:
    """Send /help and wait for its answer: the bot handles a chat's updates in order, so
    every earlier update (some redelivered after the kill) has been handled by then."""
    since = mark(user)
    user.send("/help")
    server.wait_for(
        lambda _: any(
            m.message_id > since and "What I can do" in (m.text or "") for m in user.messages()
        ),
        timeout=30,
    )


def send_without_waiting(user: FakeUser, value: object) -> None:
    """Take the first step of an answer and return at once: the kill may land while the bot
    handles it (for a multiple choice, that step is a tick)."""
    take(user, steps(current_question(user), value)[0])


def test_killed_at_random_points_it_loses_nothing_and_repeats_nothing(
    server: FakeBotAPI, tmp_path: Path
) -> None:
    """SIGKILL the bot at random moments of an audit (often while it handles an answer), start
    it again, carry on: every answer is stored once, no answered question is asked again."""
    rng = random.Random(int(os.environ.get("CANASTA_KILL_SEED", "2021")))
    db_path = tmp_path / "canasta.db"
    alex = server.user(2002, language_code="en")
    processes = BotProcesses(bot_env(server, db_path), tmp_path / "bot.log")
    try:
        for kill in range(KILLS):
            polls = len(server.calls("getUpdates"))
            processes.start()
            wait_for_new_poll(server, polls)
            # After a kill the owner types nothing: whatever the killed process stored but
            # never showed (the next question, the plan) comes by itself.
            state = start_reply(server, alex) if kill == 0 else settled(server, alex, db_path)
            help_answered(server, alex)  # orders the test after any redelivered update
            if state == "finished":
                since = mark(alex)
                alex.send("/restart")
                server.wait_for(lambda _, s=since: alex.last_message().message_id > s, 10)
            question = current_question(alex).id
            assert question not in stored(db_path, "tg:2002"), f"{question} asked again"
            for _ in range(rng.randint(0, 2)):
                answer_sync(server, alex, JEWELLER[current_question(alex).id])
            send_without_waiting(alex, JEWELLER[current_question(alex).id])
            time.sleep(rng.uniform(0, 0.08))  # not a wait: picks the random moment of the kill
            processes.kill()
    finally:
        processes.close()
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("pragma integrity_check").fetchone()[0] == "ok"
        duplicates = raw.execute(
            "select audit_id, question_id, count(*) from answers group by 1, 2 having count(*) > 1"
        ).fetchall()
        kept = raw.execute("select count(*) from answers").fetchone()[0]
    assert duplicates == []
    assert kept >= KILLS // 2  # the audit moved forward across the kills
    assert set(stored(db_path, "tg:2002")) <= set(JEWELLER)
