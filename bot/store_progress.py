"""What owners did with their plans: each action done, snoozed or not for them. Part of
`Store` (a mixin, so that the store stays the one object that speaks SQL), kept apart for
size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

ACTION_STATES = ("done", "snoozed", "dropped")


class ProgressRows:
    db: Database

    def set_action_state(self, audit_id: int, action_id: str, state: str | None) -> None:
        """Record what the owner did with an action; None takes the mark off."""
        with self.db.atomic():
            if state is None:
                self.db.execute(
                    "delete from action_states where audit_id = ? and action_id = ?",
                    [audit_id, action_id],
                )
                return
            self.db.execute(
                "insert or replace into action_states (audit_id, action_id, state, updated_at) "
                "values (?, ?, ?, ?)",
                [audit_id, action_id, state, datetime.now(UTC).isoformat(timespec="seconds")],
            )

    def action_states(self, audit_id: int) -> dict[str, str]:
        rows = self.db.execute(
            "select action_id, state from action_states where audit_id = ?", [audit_id]
        ).fetchall()
        return {action_id: state for action_id, state in rows}


class ReminderRows:
    db: Database

    def replace_reminders(
        self, respondent_id: str, audit_id: int, rows: list[tuple[str | None, str, str, str]]
    ) -> None:
        """The schedule of a plan just finished: (action id, kind, due_at UTC ISO, zone) rows.
        What was still unsent for the owner's earlier plans goes: one plan is followed at a
        time."""
        with self.db.atomic():
            self.db.execute(
                "delete from reminders where respondent_id = ? and sent_at is null",
                [respondent_id],
            )
            self.db.conn.executemany(
                "insert into reminders (respondent_id, audit_id, action_id, kind, due_at, zone) "
                "values (?, ?, ?, ?, ?, ?)",
                [(respondent_id, audit_id, *row) for row in rows],
            )

    def due_reminders(self, now: str, prefix: str) -> list[dict[str, Any]]:
        """Unsent reminders due by `now` for respondents whose id starts with `prefix` and who
        did not turn them off, earliest first; with the last time each owner got one."""
        rows = self.db.execute(
            "select r.id, r.respondent_id, r.audit_id, r.action_id, r.kind, r.due_at, r.zone, "
            "p.locale, (select max(sent_at) from reminders s where s.respondent_id = "
            "r.respondent_id) as last_sent from reminders r join respondents p on "
            "p.id = r.respondent_id where r.sent_at is null and r.due_at <= ? "
            "and substr(r.respondent_id, 1, length(?)) = ? and p.reminders_off = 0 "
            "order by r.due_at, r.id",
            [now, prefix, prefix],
        ).fetchall()
        keys = ("id", "respondent_id", "audit_id", "action_id", "kind", "due_at", "zone",
                "locale", "last_sent")  # fmt: skip
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def drop_reminder(self, reminder_id: int) -> None:
        """A reminder with nothing left to remind of (done, not for them, a replaced plan)."""
        with self.db.atomic():
            self.db.execute("delete from reminders where id = ? and sent_at is null", [reminder_id])

    def postpone_reminders(self, audit_id: int, action_id: str, by: timedelta) -> None:
        """An action snoozed: its unsent reminders move with it."""
        rows = self.db.execute(
            "select id, due_at from reminders where audit_id = ? and action_id = ? "
            "and sent_at is null",
            [audit_id, action_id],
        ).fetchall()
        with self.db.atomic():
            for reminder_id, due_at in rows:
                later = (datetime.fromisoformat(due_at) + by).isoformat(timespec="seconds")
                self.db.execute(
                    "update reminders set due_at = ? where id = ?", [later, reminder_id]
                )

    def mark_reminder_sent(self, reminder_id: int, at: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "update reminders set sent_at = ? where id = ? and sent_at is null",
                [at, reminder_id],
            )

    def reminder_hour(self, respondent_id: str) -> int | None:
        row = self.db.execute(
            "select reminder_hour from respondents where id = ?", [respondent_id]
        ).fetchone()
        return row[0] if row else None

    def set_reminder_hour(
        self, respondent_id: str, hour: int, move: Callable[[datetime, str], datetime]
    ) -> None:
        """Keep the hour, and move every reminder not sent yet with `move` (due_at, zone)."""
        with self.db.atomic():
            self.db.execute(
                "update respondents set reminder_hour = ? where id = ?", [hour, respondent_id]
            )
            rows = self.db.execute(
                "select id, due_at, zone from reminders where respondent_id = ? "
                "and sent_at is null",
                [respondent_id],
            ).fetchall()
            for reminder_id, due_at, zone in rows:
                later = move(datetime.fromisoformat(due_at), zone)
                self.db.execute(
                    "update reminders set due_at = ? where id = ?",
                    [later.isoformat(timespec="seconds"), reminder_id],
                )

    def set_reminders(self, respondent_id: str, on: bool) -> None:
        with self.db.atomic():
            self.db.execute(
                "update respondents set reminders_off = ? where id = ?",
                [0 if on else 1, respondent_id],
            )
