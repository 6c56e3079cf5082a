"""`python -m bot run` as a real process against a FakeBotAPI, its output kept in files (a
chatty DEBUG log would fill a pipe and stall the bot), and updates posted to its webhook."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.telegram.webhook import SECRET_HEADER

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class BotProcess:
    process: subprocess.Popen[bytes]
    out_dir: Path
    port: int

    def output(self) -> str:
        """Everything the process wrote to stdout and stderr so far."""
        return "".join(
            (self.out_dir / name).read_text(encoding="utf-8", errors="replace")
            for name in ("stdout", "stderr")
        )

    def stderr_lines(self) -> list[str]:
        text = (self.out_dir / "stderr").read_text(encoding="utf-8", errors="replace")
        return text.splitlines()

    def stop(self) -> int:
        """SIGTERM, as a platform stops a process; returns its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1])

    def post(self, update: dict, secret: str | None) -> httpx.Response:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        return httpx.post(
            f"http://127.0.0.1:{self.port}/telegram",
            content=json.dumps(update).encode(),
            headers={"Content-Type": "application/json", **headers},
            timeout=10,
        )


@contextmanager
def bot_process(
    api_url: str,
    token: str,
    db_path: Path,
    out_dir: Path,
    *,
    log_level: str = "INFO",
    webhook_secret: str | None = None,
    webhook: bool = False,
    extra_env: dict[str, str] | None = None,
) -> Iterator[BotProcess]:
    out_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "CANASTA_DB": str(db_path),
        "LOG_LEVEL": log_level,
        "PORT": str(port),
    }
    env.pop("WEBHOOK_URL", None)
    env.pop("WEBHOOK_SECRET", None)
    if webhook_secret is not None:
        env["WEBHOOK_SECRET"] = webhook_secret
    if webhook:
        env["WEBHOOK_URL"] = "https://bot.example/"
    env.update(extra_env or {})
    with (
        open(out_dir / "stdout", "wb") as stdout,
        open(out_dir / "stderr", "wb") as stderr,
    ):
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=stdout, stderr=stderr
        )
    running = BotProcess(process, out_dir, port)
    try:
        yield running
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def message_update(update_id: int, user: dict, text: str) -> dict:
    """A private message update as Telegram would post it."""
    update: dict = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
            "from": user,
            "text": text,
        },
    }
    if text.startswith("/"):
        command = text.split()[0]
        update["message"]["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(command)}
        ]
    return update
