"""What the benchmark adds inside the bot process for the profiled run (nothing otherwise).

* ``count_sql(path)``: every SQL statement on every sqlite-utils connection is counted by
  shape (literal values replaced by ``?``), through ``sqlite3``'s trace callback; the
  counts are written to ``path`` as JSON when the process exits.
* ``profile_serving(path)``: cProfile of the event loop's thread from the first long poll to
  the updater's stop, so start-up and shutdown are left out; written to ``path`` at exit.

``tests.bench.unthrottled`` installs them when the variables below name a file.
"""

from __future__ import annotations

import atexit
import cProfile
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from telegram.ext import Updater

SQL_ENV = "CANASTA_BENCH_SQL_COUNTS"
PROFILE_ENV = "CANASTA_BENCH_PROFILE"
_LITERALS = (
    (re.compile(r"'(?:[^']|'')*'"), "?"),
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "?"),
    (re.compile(r"sqlite_utils_[0-9a-f]+"), "sqlite_utils_*"),
    (re.compile(r"\bt[0-9a-f]{32}\b"), "t*"),
)


def shape(sql: str) -> str:
    """The statement with its literal values (and generated names) replaced by ``?``/``*``."""
    for pattern, replacement in _LITERALS:
        sql = pattern.sub(replacement, sql)
    return " ".join(sql.split())


def count_sql(path: Path) -> None:
    """Count every statement of every sqlite-utils Database opened from now on."""
    counts: Counter[str] = Counter()
    opened = Database.__init__

    def traced(self: Database, *args: Any, **kwargs: Any) -> None:
        opened(self, *args, **kwargs)
        self.conn.set_trace_callback(lambda sql: counts.update((shape(sql),)))

    Database.__init__ = traced  # type: ignore[method-assign]
    atexit.register(lambda: path.write_text(json.dumps(counts, indent=1)))


def profile_serving(path: Path) -> None:
    """Profile the thread running the updater, between start_polling and stop."""
    profiler = cProfile.Profile()
    start_polling, stop = Updater.start_polling, Updater.stop

    async def profiled_start(self: Updater, *args: Any, **kwargs: Any) -> Any:
        queue = await start_polling(self, *args, **kwargs)
        profiler.enable()
        return queue

    async def profiled_stop(self: Updater) -> None:
        profiler.disable()
        await stop(self)

    Updater.start_polling = profiled_start  # type: ignore[method-assign]
    Updater.stop = profiled_stop  # type: ignore[method-assign]
    atexit.register(lambda: profiler.dump_stats(str(path)))
