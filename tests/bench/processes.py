"""The bots under test as real processes, and what /proc says about them (memory, CPU).

Every bot runs the way an operator runs it: its own interpreter, long polling the fake Bot
API on 127.0.0.1. A process is always stopped on the way out (SIGTERM, so PTB shuts down
cleanly and the profiled run can write its files; SIGKILL if it does not stop in time).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.bench.fakeserver import POLL, InstrumentedBotAPI

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:BENCH-token-never-real"

#: Canasta exactly as an operator starts it (PTB's flood limiter at Telegram's 30 calls/s).
CANASTA = ("-m", "bot", "run")
#: Canasta with the flood limiter's rates lifted: what the code itself can do.
CANASTA_UNTHROTTLED = ("-m", "tests.bench.unthrottled")
#: The framework's floor: a bare PTB application that answers every update once.
ECHO = ("-m", "tests.bench.echo_bot")

START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class BotProcess:
    """A running bot: its process and when it was launched."""

    popen: subprocess.Popen[bytes]
    launched_at: float  # perf_counter just before the launch
    stderr: IO[bytes]

    def log(self) -> str:
        """What the bot has written to stderr so far (its log: warnings and errors only)."""
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def _status_kb(self, field: str) -> float:
        for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return float(line.split()[1])
        raise RuntimeError(f"no {field} in /proc/{self.popen.pid}/status")

    def rss_mb(self) -> float:
        """Resident memory now, MiB."""
        return self._status_kb("VmRSS") / 1024

    def peak_rss_mb(self) -> float:
        """Highest resident memory since the start (the kernel's high-water mark), MiB."""
        return self._status_kb("VmHWM") / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far."""
        stat = Path(f"/proc/{self.popen.pid}/stat").read_text()
        fields = stat.rpartition(")")[2].split()  # after "pid (comm)"; utime is field 14
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


@contextmanager
def running(
    command: Sequence[str],
    server: InstrumentedBotAPI,
    db_path: Path,
    env: Mapping[str, str] | None = None,
) -> Iterator[BotProcess]:
    """Start ``python <command>`` against ``server`` and ``db_path``; stop it afterwards."""
    env = {
        **os.environ,
        **(env or {}),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": server.url,
        "CANASTA_DB": str(db_path),
        "LOG_LEVEL": "WARNING",
    }
    with tempfile.TemporaryFile() as stderr:
        launched_at = time.perf_counter()
        popen = subprocess.Popen(
            [sys.executable, *command], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
        process = BotProcess(popen, launched_at, stderr)
        try:
            yield process
        except BaseException:
            print(
                f"--- stderr of {' '.join(command)} ---\n{process.log()[-3000:]}", file=sys.stderr
            )
            raise
        finally:
            _stop(popen)


def _stop(popen: subprocess.Popen[bytes]) -> None:
    if popen.poll() is None:
        popen.send_signal(signal.SIGTERM)
        try:
            popen.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            popen.kill()
    popen.wait(timeout=STOP_TIMEOUT)


def wait_until_polling(process: BotProcess, server: InstrumentedBotAPI) -> float:
    """Block until the bot's first getUpdates; return seconds from launch to it."""
    deadline = time.monotonic() + START_TIMEOUT
    while POLL not in server.first_call_at:
        if process.popen.poll() is not None:
            raise RuntimeError(f"the bot exited with {process.popen.returncode} before polling")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the bot did not poll within {START_TIMEOUT} s")
        time.sleep(0.005)
    return server.first_call_at[POLL] - process.launched_at
