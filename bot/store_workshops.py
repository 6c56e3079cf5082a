"""The workshop tables' SQL: workshops and memberships. Part of `Store` (a mixin, so that the
store stays the one object that speaks SQL) kept apart for size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database


class WorkshopRows:
    db: Database
    _clock: Callable[[], str]

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        raise NotImplementedError  # Store's

    def open_workshop(
        self, code: str, chat_id: int, thread_id: int | None, title: str, facilitator_id: str
    ) -> dict[str, Any]:
        with self.db.atomic():
            workshop_id = (
                self.db.table("workshops")
                .insert(
                    {
                        "code": code,
                        "chat_id": chat_id,
                        "thread_id": thread_id,
                        "title": title,
                        "facilitator_id": facilitator_id,
                        "status": "open",
                        "opened_at": self._clock(),
                    }
                )
                .last_pk
            )
        found = self.workshop(int(workshop_id or 0))
        assert found is not None
        return found

    def workshop(self, workshop_id: int) -> dict[str, Any] | None:
        return self._one("select * from workshops where id = ?", [workshop_id])

    def workshop_by_code(self, code: str) -> dict[str, Any] | None:
        return self._one("select * from workshops where code = ?", [code])

    def open_workshop_in(self, chat_id: int) -> dict[str, Any] | None:
        return self._one(
            "select * from workshops where chat_id = ? and status = 'open' "
            "order by id desc limit 1",
            [chat_id],
        )

    def update_workshop(self, workshop_id: int, **changes: Any) -> None:
        with self.db.atomic():
            self.db.table("workshops").update(workshop_id, changes)

    def close_workshop(self, workshop_id: int) -> None:
        self.update_workshop(workshop_id, status="closed", closed_at=self._clock())

    def move_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its workshops follow it to the new chat id."""
        with self.db.atomic():
            self.db.execute(
                "update workshops set chat_id = ? where chat_id = ?", [new_chat_id, old_chat_id]
            )

    def join_workshop(self, workshop_id: int, respondent_id: str, audit_id: int | None) -> None:
        with self.db.atomic():
            self.db.execute(
                "insert into memberships (workshop_id, respondent_id, audit_id, shares_plan, "
                "joined_at) values (?, ?, ?, 0, ?) on conflict(workshop_id, respondent_id) "
                "do update set audit_id = coalesce(excluded.audit_id, memberships.audit_id)",
                [workshop_id, respondent_id, audit_id, self._clock()],
            )

    def set_sharing(self, workshop_id: int, respondent_id: str, audit_id: int | None) -> None:
        """Share this audit's plan with the facilitator (None: share nothing)."""
        with self.db.atomic():
            self.db.execute(
                "update memberships set shares_plan = ?, shared_audit_id = ? "
                "where workshop_id = ? and respondent_id = ?",
                [int(audit_id is not None), audit_id, workshop_id, respondent_id],
            )

    def memberships(self, workshop_id: int) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "select * from memberships where workshop_id = ? order by joined_at, rowid",
                [workshop_id],
            )
        )

    def open_memberships_of(self, respondent_id: str) -> list[dict[str, Any]]:
        """The respondent's memberships in workshops still open (to refresh their progress)."""
        return list(
            self.db.query(
                "select m.* from memberships m join workshops w on w.id = m.workshop_id "
                "where m.respondent_id = ? and w.status = 'open'",
                [respondent_id],
            )
        )
