"""One bot per database: an exclusive lock on a file next to it, held while the bot runs.

Two bots on one database both answer every owner (two first questions, an extra audit). The
lock is `fcntl.flock` on `<database>.lock`: the kernel releases it when the process ends, however
it ends (SIGKILL included), so a crash never leaves a stale lock behind. The file itself stays;
its content (the holder's pid) is only informative.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO


class AlreadyRunning(Exception):
    def __init__(self, database: str, lock_path: Path) -> None:
        super().__init__(
            f"another Canasta bot is already running on the database {database} "
            f"(it holds {lock_path}); stop it first"
        )


class InstanceLock:
    def __init__(self, database: str) -> None:
        self.database = database
        self.path = Path(f"{database}.lock")
        self._file: IO[str] | None = None

    def acquire(self) -> InstanceLock:
        """Take the lock, or raise AlreadyRunning at once (never waits)."""
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise AlreadyRunning(self.database, self.path) from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()
