"""An operator's mistakes, through the real command line: one clear line on stderr and a
non-zero exit, never a traceback (that only at LOG_LEVEL=DEBUG, and redacted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import TOKEN

ROOT = Path(__file__).resolve().parent.parent


def canasta(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "LOG_LEVEL")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**environment, **(env or {})},
        timeout=60,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_run_without_a_token_and_without_a_terminal_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "prod.db"
    result = canasta("run", env={"CANASTA_DB": str(db)}, stdin="")  # stdin: a pipe
    assert result.returncode == 2
    assert "BOT_TOKEN is not set" in one_line(result)
    assert not db.exists()  # no console:root respondent in the production database


def test_operator_mistakes_are_one_line_each(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert "LOG_LEVEL='verbose'" in one_line(canasta("purge", "--older-than", "9d", env={
        "CANASTA_DB": str(db), "LOG_LEVEL": "verbose"}))  # fmt: skip
    assert "PORT='http'" in one_line(canasta("purge", "--older-than", "9d", env={
        "CANASTA_DB": str(db), "PORT": "http"}))  # fmt: skip
    missing = tmp_path / "nowhere" / "copy.db"
    line = one_line(canasta("backup", str(missing), env={"CANASTA_DB": str(db)}))
    assert "does not exist" in line and "nowhere" in line
    unwritable = tmp_path / "no-such-folder" / "canasta.db"
    line = one_line(canasta("purge", "--older-than", "9d", env={"CANASTA_DB": str(unwritable)}))
    assert "CANASTA_DB" in line and str(unwritable) in line
    # `run` too: the lock file next to the database cannot be made.
    line = one_line(canasta("run", env={"CANASTA_DB": str(unwritable), "BOT_TOKEN": TOKEN}))
    assert "no-such-folder" in line


def test_the_traceback_is_there_at_debug_without_the_token(tmp_path: Path) -> None:
    # A token that found its way into a path: never printed, not even in a traceback.
    unwritable = tmp_path / "no-such-folder" / TOKEN.replace(":", "_") / "canasta.db"
    token = TOKEN.replace(":", "_")
    result = canasta(
        "purge", "--older-than", "9d",
        env={"CANASTA_DB": str(unwritable), "BOT_TOKEN": token, "LOG_LEVEL": "DEBUG"},
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "OperationalError" in result.stderr
    assert token not in result.stderr + result.stdout


def test_version_and_a_quiet_success_line_and_a_closed_pipe(tmp_path: Path) -> None:
    version = canasta("--version")
    assert version.returncode == 0 and version.stdout.startswith("canasta 0.")
    check = canasta("catalogs", "check")
    assert check.returncode == 0 and "complete" in check.stdout
    # `canasta dialog diagram | head`: the reader closes the pipe before the diagram comes.
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "dialog", "diagram"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert stderr == ""


def test_telegram_unreachable_at_start_is_retried_then_the_bot_runs(tmp_path: Path) -> None:
    """getMe dropped four times (the limiter's own tries of the first attempt): one log line
    for the failed attempt, then the bot starts and polls; JSON logs, token redacted."""
    with FakeBotAPI(token=TOKEN) as server:
        for _ in range(4):
            server.fail_next("getMe", drop=True)
        stderr_path = tmp_path / "stderr"
        env = {
            **{k: v for k, v in os.environ.items() if k != "WEBHOOK_URL"},
            "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": server.url,
            "CANASTA_DB": str(tmp_path / "c.db"), "LOG_FORMAT": "json", "LOG_LEVEL": "INFO",
        }  # fmt: skip
        with stderr_path.open("wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
        try:
            server.wait_for(lambda s: len(s.calls("getUpdates")) > 0, timeout=30)
            alex = server.user(8101, language_code="en")
            alex.send("/start")
            server.wait_for(lambda _: "Hello! I am Canasta." in (alex.messages()[0].text or "")
                            if alex.messages() else False, timeout=10)  # fmt: skip
        finally:
            process.terminate()
            assert process.wait(timeout=20) == 0
        time.sleep(0.1)
    records = [json.loads(line) for line in stderr_path.read_text().splitlines() if line]
    retries = [r for r in records if "cannot reach Telegram" in r["message"]]
    assert len(retries) == 1 and retries[0]["level"] == "WARNING"
    assert "attempt 1 of 8" in retries[0]["message"]
    assert TOKEN not in stderr_path.read_text() and "Traceback" not in stderr_path.read_text()
