"""Storage: the only module that speaks SQL, through sqlite-utils.

One SQLite file (WAL, foreign keys on). Every answer is written in one transaction together with
the audit's cursor, so a process killed at any instant leaves either the old state or the new one,
never half. Schema changes are forward migrations (sqlite-utils `Migrations`); the number applied
is the schema version.

Tables:
    respondents  one row per person (a Telegram user id or a console id), their locale
    audits       one row per audit taken: status, cursor (set only after "back"), dialog version
    answers      audit × question → typed value as JSON, or skipped ("don't know")
    drafts       half-given answers: ticks not yet confirmed with Done, a number to confirm
    prompts      where a front end showed a question (e.g. a Telegram message), to edit it later
    workshops    group onboarding sessions: the group chat, a join code, the facilitator
    memberships  who joined which workshop, the audit they took there, and whether they share
                 their plan with the facilitator
    seen_updates Telegram update ids already handled (a front end's de-duplication)
    results, result_scores, result_actions
                 what a finished audit came to (month, country answer, language, scores, the
                 plan's actions): anonymous figures for a network, deleted with the audit
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bot.errors import StoreError
from bot.schema import migrations
from bot.store_progress import ProgressRows, ReminderRows
from bot.store_results import ResultRows
from bot.store_workshops import WorkshopRows

DEFAULT_PATH = "canasta.db"
IN_PROGRESS, FINISHED, ABANDONED = "in_progress", "finished", "abandoned"


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Audit:
    id: int
    respondent_id: str
    status: str
    cursor: str | None
    dialog_version: int
    started_at: str
    finished_at: str | None
    awaiting_delivery: bool = False
    """What comes after its latest change (the next question, or the plan) is not shown yet."""
    review: bool = False
    """A check-up: every question again, from the previous audit's answers."""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Audit:
        return cls(
            id=row["id"],
            respondent_id=row["respondent_id"],
            status=row["status"],
            cursor=row["cursor"],
            dialog_version=row["dialog_version"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            awaiting_delivery=bool(row.get("awaiting_delivery")),
            review=bool(row.get("review")),
        )


ERASED = "erased"
"""Stands in for the id of a facilitator who erased their data."""

SKIPPED = object()
"""Marker value for a question answered with "skip" / "don't know"."""


class Store(WorkshopRows, ResultRows, ProgressRows, ReminderRows):
    def __init__(self, path: str | Path, clock: Callable[[], str] = utc_now) -> None:
        self.path = str(path)
        self._clock = clock
        self.db = Database(self.path)
        self.db.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode = WAL")
            # With WAL, NORMAL still never corrupts the file; it may lose the last commit on a
            # power cut (not on a process kill), which is the trade SQLite recommends.
            self.db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    @classmethod
    def from_env(cls) -> Store:
        return cls(os.environ.get("CANASTA_DB") or DEFAULT_PATH)

    def _migrate(self) -> None:
        known = {m.name for m in migrations._migrations}
        applied = {m.name for m in migrations.applied(self.db)}
        if applied - known:
            raise StoreError(
                f"{self.path} was written by a newer Canasta (unknown migrations: "
                f"{', '.join(sorted(applied - known))})"
            )
        migrations.apply(self.db)

    def schema_version(self) -> int:
        return len(migrations.applied(self.db))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ── Respondents ──────────────────────────────────────────────────────────────────────

    def respondent_locale(self, respondent_id: str) -> str | None:
        row = self._one("select locale from respondents where id = ?", [respondent_id])
        return row["locale"] if row else None

    def save_respondent(self, respondent_id: str, locale: str) -> None:
        now = self._clock()
        with self.db.atomic():
            self.db.execute(
                "insert into respondents (id, locale, created_at, updated_at) values (?, ?, ?, ?) "
                "on conflict(id) do update set locale = excluded.locale, "
                "updated_at = excluded.updated_at",
                [respondent_id, locale, now, now],
            )

    # ── Audits ───────────────────────────────────────────────────────────────────────────

    def latest_audit(self, respondent_id: str, status: str | None = None) -> Audit | None:
        sql = "select * from audits where respondent_id = ?"
        params: list[Any] = [respondent_id]
        if status:
            sql += " and status = ?"
            params.append(status)
        row = self._one(sql + " order by id desc limit 1", params)
        return Audit.from_row(row) if row else None

    def audit(self, audit_id: int) -> Audit | None:
        row = self._one("select * from audits where id = ?", [audit_id])
        return Audit.from_row(row) if row else None

    def new_audit(self, respondent_id: str, dialog_version: int) -> Audit:
        now = self._clock()
        with self.db.atomic():
            self.db.execute(
                "update audits set status = ?, updated_at = ? where respondent_id = ? "
                "and status = ?",
                [ABANDONED, now, respondent_id, IN_PROGRESS],
            )
            audit_id = (
                self.db.table("audits")
                .insert(
                    {
                        "respondent_id": respondent_id,
                        "status": IN_PROGRESS,
                        "dialog_version": dialog_version,
                        "started_at": now,
                        "updated_at": now,
                        "awaiting_delivery": 1,
                    }
                )
                .last_pk
            )
        audit = self.audit(int(audit_id or 0))
        assert audit is not None
        return audit

    def finish(self, audit_id: int) -> None:
        now = self._clock()
        with self.db.atomic():
            self.db.execute(
                "update audits set status = ?, cursor = null, finished_at = ?, updated_at = ?, "
                "awaiting_delivery = 1 where id = ? and status = ?",
                [FINISHED, now, now, audit_id, IN_PROGRESS],
            )

    def copy_audit(
        self,
        respondent_id: str,
        source_id: int,
        dialog_version: int,
        cursor: str,
        review: bool = False,
    ) -> Audit:
        """A new audit under way with another one's answers and action marks, at `cursor`: to
        change one answer without losing the others (the source is kept, as history)."""
        with self.db.atomic():
            audit = self.new_audit(respondent_id, dialog_version)
            self.db.execute(
                "insert into answers (audit_id, question_id, value, skipped, answered_at) "
                "select ?, question_id, value, skipped, answered_at from answers "
                "where audit_id = ?",
                [audit.id, source_id],
            )
            self.db.execute(
                "insert into action_states (audit_id, action_id, state, updated_at) "
                "select ?, action_id, state, updated_at from action_states where audit_id = ?",
                [audit.id, source_id],
            )
            self.set_cursor(audit.id, cursor)
            self.db.execute("update audits set review = ? where id = ?", [int(review), audit.id])
        copied = self.audit(audit.id)
        assert copied is not None
        return copied

    def set_cursor(self, audit_id: int, question_id: str | None) -> None:
        with self.db.atomic():
            self.db.execute(
                "update audits set cursor = ?, updated_at = ?, awaiting_delivery = 1 where id = ?",
                [question_id, self._clock(), audit_id],
            )

    def mark_delivered(self, audit_id: int) -> None:
        """What comes after the audit's latest change has been shown to its owner."""
        with self.db.atomic():
            self.db.execute("update audits set awaiting_delivery = 0 where id = ?", [audit_id])

    def awaiting_delivery(self, respondent_prefix: str, since: str) -> list[Audit]:
        """Audits changed since `since`, of respondents whose id starts with the prefix, with
        something not yet shown: a front end shows it at start-up. Only the newest audit of
        each person counts; older ones are left alone rather than surprise someone."""
        rows = self.db.query(
            "select * from audits a where awaiting_delivery = 1 and substr(respondent_id, 1, ?) "
            "= ? and updated_at >= ? and id = "
            "(select max(id) from audits b where b.respondent_id = a.respondent_id)",
            [len(respondent_prefix), respondent_prefix, since],
        )
        return [Audit.from_row(row) for row in rows]

    # ── Answers ──────────────────────────────────────────────────────────────────────────

    def answers(self, audit_id: int) -> dict[str, Any]:
        """Question id → value (None for skipped)."""
        # db.execute, not db.query: a plain read needs no savepoint around it.
        rows = self.db.execute(
            "select question_id, value, skipped from answers where audit_id = ?", [audit_id]
        ).fetchall()
        return {
            question_id: None if skipped else json.loads(value)
            for question_id, value, skipped in rows
        }

    def record_answer(
        self, audit_id: int, question_id: str, value: Any, cursor: str | None = None
    ) -> None:
        """Store one answer (or SKIPPED), clear its draft and set the cursor (None: the first
        unanswered question; a check-up sets the next one): one transaction."""
        now = self._clock()
        skipped = value is SKIPPED
        with self.db.atomic():
            self.db.execute(
                "insert into answers (audit_id, question_id, value, skipped, answered_at) "
                "values (?, ?, ?, ?, ?) on conflict(audit_id, question_id) do update set "
                "value = excluded.value, skipped = excluded.skipped, "
                "answered_at = excluded.answered_at",
                [audit_id, question_id, None if skipped else _json(value), int(skipped), now],
            )
            self.db.execute(
                "delete from drafts where audit_id = ? and question_id = ?",
                [audit_id, question_id],
            )
            self.db.execute(
                "update audits set cursor = ?, updated_at = ?, awaiting_delivery = 1 where id = ?",
                [cursor, now, audit_id],
            )

    def draft(self, audit_id: int, question_id: str) -> Any:
        row = self._one(
            "select value from drafts where audit_id = ? and question_id = ?",
            [audit_id, question_id],
        )
        return json.loads(row["value"]) if row else None

    def save_draft(self, audit_id: int, question_id: str, value: Any) -> None:
        """A half-given answer: ticks before Done, or two readings of a number to pick from."""
        self._put("drafts", "value", audit_id, question_id, _json(value))

    # ── Where a front end showed a question ─────────────────────────────────────────────

    def remember_prompt(self, audit_id: int, question_id: str, ref: str) -> None:
        """Where a question was shown; showing it delivers what the audit awaited."""
        with self.db.atomic():
            self._put("prompts", "ref", audit_id, question_id, ref)
            self.db.execute("update audits set awaiting_delivery = 0 where id = ?", [audit_id])

    def prompt_ref(self, audit_id: int, question_id: str) -> str | None:
        row = self._one(
            "select ref from prompts where audit_id = ? and question_id = ?",
            [audit_id, question_id],
        )
        return row["ref"] if row else None

    def audits_since(self, respondent_id: str, first_audit_id: int) -> list[Audit]:
        """The respondent's audits from `first_audit_id` on, newest first."""
        rows = self.db.query(
            "select * from audits where respondent_id = ? and id >= ? order by id desc",
            [respondent_id, first_audit_id],
        )
        return [Audit.from_row(row) for row in rows]

    # ── Privacy and operations ───────────────────────────────────────────────────────────

    def everything_about(self, respondent_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every row stored about one person, table by table (GDPR Art. 15 and 20)."""
        audits = "select id from audits where respondent_id = ?"
        queries = {
            "respondents": ("select * from respondents where id = ?", [respondent_id]),
            "audits": ("select * from audits where respondent_id = ?", [respondent_id]),
            "answers": (f"select * from answers where audit_id in ({audits})", [respondent_id]),
            "drafts": (f"select * from drafts where audit_id in ({audits})", [respondent_id]),
            "prompts": (f"select * from prompts where audit_id in ({audits})", [respondent_id]),
            "memberships": ("select * from memberships where respondent_id = ?", [respondent_id]),
            "workshops": ("select * from workshops where facilitator_id = ?", [respondent_id]),
        }
        return {table: list(self.db.query(sql, params)) for table, (sql, params) in queries.items()}

    def erase(self, respondent_id: str) -> None:
        """Erase a person (GDPR Art. 17): their answers, audits, memberships and profile.

        Workshops they facilitated stay for the other participants, without their id.
        """
        audits = "select id from audits where respondent_id = ?"
        with self.db.atomic():
            for table in ("answers", "drafts", "prompts", "action_states"):
                self.db.execute(
                    f"delete from {table} where audit_id in ({audits})", [respondent_id]
                )
            self.db.execute(
                f"update memberships set audit_id = null where audit_id in ({audits})",
                [respondent_id],
            )
            self.db.execute("delete from memberships where respondent_id = ?", [respondent_id])
            self.db.execute("delete from reminders where respondent_id = ?", [respondent_id])
            self.db.execute("delete from audits where respondent_id = ?", [respondent_id])
            self.db.execute(
                "update workshops set facilitator_id = ? where facilitator_id = ?",
                [ERASED, respondent_id],
            )
            self.db.execute("delete from respondents where id = ?", [respondent_id])

    def purge(self, before: str) -> int:
        """Remove audits left unfinished (abandoned, or untouched) since before `before`."""
        stale = "select id from audits where status != 'finished' and updated_at <= ?"
        with self.db.atomic():
            count = self.db.execute(f"select count(*) from ({stale})", [before]).fetchone()[0]
            for table in ("answers", "drafts", "prompts"):
                self.db.execute(f"delete from {table} where audit_id in ({stale})", [before])
            self.db.execute(
                f"update memberships set audit_id = null where audit_id in ({stale})", [before]
            )
            self.db.execute(f"delete from audits where id in ({stale})", [before])
        return int(count)

    def backup(self, target: str | Path) -> None:
        """A consistent copy of the live database (SQLite's online backup), safe while the bot
        writes: readers and writers carry on, the copy is one point in time."""
        destination = sqlite3.connect(str(target))
        try:
            self.db.conn.backup(destination)
        finally:
            destination.close()

    # ── Updates already handled (a front end's de-duplication) ──────────────────────────

    def first_sight(self, update_id: int, now: float, forget_before: float | None = None) -> bool:
        """Record an update id; False when it was recorded already. Ids seen before
        `forget_before` are dropped meanwhile, when given."""
        with self.db.atomic():
            cursor = self.db.execute(
                "insert or ignore into seen_updates (update_id, seen_at) values (?, ?)",
                [update_id, now],
            )
            if forget_before is not None:
                self.db.execute("delete from seen_updates where seen_at < ?", [forget_before])
        return cursor.rowcount == 1

    # ── Results, for anonymous figures (and see store_results.py) ──────────────────────

    def together(self) -> AbstractContextManager[Any]:
        """Several of the writes below as one transaction (nested ones become savepoints)."""
        return self.db.atomic()

    def finished_before(self, audit: Audit) -> Audit | None:
        """The owner's finished audit before this one: what a check-up is compared with."""
        row = self._one(
            "select * from audits where respondent_id = ? and status = ? and id < ? "
            "order by id desc limit 1",
            [audit.respondent_id, FINISHED, audit.id],
        )
        return None if row is None else Audit.from_row(row)

    def finished_without_results(self) -> list[Audit]:
        """Finished audits with no results row (finished before results were kept)."""
        rows = self.db.query(
            "select * from audits where status = ? and id not in (select audit_id from results) "
            "order by id",
            [FINISHED],
        )
        return [Audit.from_row(row) for row in rows]

    # ── Health ───────────────────────────────────────────────────────────────────────────

    def probe_write(self) -> None:
        """Raise unless the database takes a write now (a read-only file, a full or vanished
        disk): one row written and rolled back, leaving nothing behind."""
        if self.db.conn.in_transaction:
            return  # a write is under way on this connection: it is writable
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            self.db.conn.execute(
                "insert or replace into seen_updates (update_id, seen_at) values (-1, 0)"
            )
        finally:
            self.db.conn.execute("ROLLBACK")

    # ── Helpers ──────────────────────────────────────────────────────────────────────────

    def _put(self, table: str, column: str, audit_id: int, question_id: str, value: str) -> None:
        """Insert or replace one value keyed by audit and question, in one statement
        (sqlite-utils' upsert looks the schema up first: a dozen statements per call)."""
        with self.db.atomic():
            self.db.execute(
                f"insert into {table} (audit_id, question_id, {column}) values (?, ?, ?) "
                f"on conflict(audit_id, question_id) do update set {column} = excluded.{column}",
                [audit_id, question_id, value],
            )

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        cursor = self.db.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([column[0] for column in cursor.description], row, strict=True))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
