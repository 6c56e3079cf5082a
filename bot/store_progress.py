"""What owners did with their plans: each action done, snoozed or not for them. Part of
`Store` (a mixin, so that the store stays the one object that speaks SQL), kept apart for
size."""

from __future__ import annotations

from datetime import UTC, datetime

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
