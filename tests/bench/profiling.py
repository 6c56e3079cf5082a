"""One profiled load run: where the bot's CPU goes per update, and how much SQL an update runs.

The bot (flood limiter lifted) runs with cProfile on its event loop from the first long poll
to the stop (wall clock; the time the loop waits in epoll is left out) and every SQL
statement counted (``instrument``), while the owners take the audit flat out. The profile
is summarised by component (the HTTP client, PTB, SQLite, Jinja, Canasta's own code...) and
by function, per update; each distinct read is checked with ``EXPLAIN QUERY PLAN``.
"""

from __future__ import annotations

import json
import pstats
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.bench import instrument
from tests.bench.load import audit_script, run_load
from tests.bench.processes import CANASTA_UNTHROTTLED, ROOT

IDLE = "~:0(<method 'poll' of 'select.epoll' objects>)"
#: (label, fragments of a file path or built-in's name that belong to it), first match wins.
COMPONENTS = (
    ("Canasta (bot/)", (f"{ROOT}/bot/",)),
    (
        "HTTP client (aiohttp, yarl, multidict)",
        ("/aiohttp/", "/yarl/", "/multidict/", "/aiohappyeyeballs/", "/propcache/", "/frozenlist/"),
    ),
    ("python-telegram-bot", ("/telegram/",)),
    ("SQLite (sqlite3, sqlite-utils)", ("/sqlite_utils/", "/sqlite3/", "sqlite3.")),
    ("Jinja2 templates", ("/jinja2/", "/markupsafe/")),
    ("Babel, gettext", ("/babel/", "/gettext.py")),
    ("imports", ("<frozen importlib", "posix.stat", "__import__")),
    ("socket syscalls", ("_socket.socket", "'select.", "_ssl.")),
    ("asyncio event loop", ("/asyncio/", "_asyncio.")),
    ("JSON", ("/json/", "_json.")),
    ("logging", ("/logging/",)),
)
OTHER = "other (stdlib, built-ins)"
_INSTALLED = re.compile(rf"^.*?(site-packages/|lib/python3\.\d+/|{re.escape(str(ROOT))}/)")


@dataclass(frozen=True)
class Profile:
    updates: int
    profiled_ms_per_update: float  # CPU under the profiler, which slows everything down
    components: list[tuple[str, float]]  # label → share of the profiled time
    functions: list[tuple[str, float, float]]  # name, share of profiled time, calls/update
    statements: Counter[str]  # SQL statement shape → times run
    scans: dict[str, list[str]]  # reads not served by an index → their query plan

    def statements_per_update(self) -> dict[str, float]:
        """SQL statements per update, by kind (select, insert, transaction...)."""
        per_kind: Counter[str] = Counter()
        for statement, count in self.statements.items():
            per_kind[kind(statement)] += count
        return {name: count / self.updates for name, count in per_kind.most_common()}


def run_profile(users: int, workdir: Path, plans_db: Path) -> Profile:
    """Profile the bot while ``users`` owners take the audit; check reads on ``plans_db``."""
    profile_path, sql_path = workdir / "bot.prof", workdir / "sql.json"
    env = {instrument.PROFILE_ENV: str(profile_path), instrument.SQL_ENV: str(sql_path)}
    result = run_load(CANASTA_UNTHROTTLED, workdir / "profiled.db", users, audit_script, env)
    stats = pstats.Stats(str(profile_path))
    statements = Counter(json.loads(sql_path.read_text()))
    own, calls = _own_times(stats)
    total = sum(own.values())
    by_component: dict[str, float] = {}
    for name, seconds in own.items():
        label = component(name)
        by_component[label] = by_component.get(label, 0.0) + seconds
    return Profile(
        updates=result.updates,
        profiled_ms_per_update=1000 * total / result.updates,
        components=[(label, seconds / total) for label, seconds in _largest(by_component)],
        functions=[
            (_short(name), seconds / total, calls[name] / result.updates)
            for name, seconds in _largest(own)[:12]
        ],
        statements=statements,
        scans=unindexed_reads(plans_db, list(statements)),
    )


def _largest(times: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(times.items(), key=lambda item: item[1], reverse=True)


def kind(statement: str) -> str:
    """select, insert, update, delete, transaction, schema lookup, or other."""
    first = statement.split(maxsplit=1)[0].lower()
    if "sqlite_master" in statement or first == "pragma":
        return "schema lookup"
    if first in ("begin", "commit", "rollback", "savepoint", "release"):
        return "transaction"
    return first if first in ("select", "insert", "update", "delete") else "other"


def unindexed_reads(db_path: Path, statements: list[str]) -> dict[str, list[str]]:
    """The reads of application tables whose query plan scans a table, with that plan."""
    conn = sqlite3.connect(db_path)
    try:
        scans = {}
        for statement in statements:
            if kind(statement) != "select" or " from " not in statement.lower():
                continue
            plan = conn.execute(
                f"EXPLAIN QUERY PLAN {statement}", [None] * statement.count("?")
            ).fetchall()
            details = [row[-1] for row in plan]
            if any(detail.startswith("SCAN") for detail in details):
                scans[statement] = details
        return scans
    finally:
        conn.close()


def component(name: str) -> str:
    """Which component a profiled function (``path:line(function)``) belongs to."""
    for label, fragments in COMPONENTS:
        if any(fragment in name for fragment in fragments):
            return label
    return OTHER


def _own_times(stats: pstats.Stats) -> tuple[dict[str, float], dict[str, int]]:
    """Function → (time in its own code, calls), without the event loop's idle wait."""
    times, calls = {}, {}
    for (filename, line, function), entry in stats.stats.items():  # type: ignore[attr-defined]
        name = f"{filename}:{line}({function})"
        calls[name], times[name] = entry[1], entry[2]
    times.pop(IDLE, None)
    return times, calls


def _short(name: str) -> str:
    """A profiled function's name without the directories of the interpreter and venv."""
    if name.startswith("~:0("):
        return name[4:-1]  # a built-in, e.g. "<method 'execute' of 'sqlite3.Connection' objects>"
    return _INSTALLED.sub("", name)
