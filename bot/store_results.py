"""The results tables' SQL: what finished audits came to, for anonymous figures (`canasta
stats`). Part of `Store` (a mixin, so that the store stays the one object that speaks SQL),
kept apart for size."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


class ResultRows:
    db: Database

    def save_results(
        self,
        audit_id: int,
        country: str | None,
        overall: int | None,
        scores: dict[str, int | None],
        actions: list[str],
    ) -> None:
        """What a finished audit came to, written once (again: replaced). The month, not the
        day; the owner's language as it is now."""
        with self.db.atomic():
            self.db.execute(
                "insert or replace into results (audit_id, finished_month, country, locale, "
                "overall) select a.id, substr(coalesce(a.finished_at, a.updated_at), 1, 7), ?, "
                "r.locale, ? from audits a left join respondents r on r.id = a.respondent_id "
                "where a.id = ?",
                [country, overall, audit_id],
            )
            self.db.execute("delete from result_scores where audit_id = ?", [audit_id])
            self.db.execute("delete from result_actions where audit_id = ?", [audit_id])
            self.db.conn.executemany(
                "insert into result_scores (audit_id, area, score) values (?, ?, ?)",
                [(audit_id, area, score) for area, score in scores.items()],
            )
            self.db.conn.executemany(
                "insert into result_actions (audit_id, action_id, rank) values (?, ?, ?)",
                [(audit_id, action, rank) for rank, action in enumerate(actions, 1)],
            )

    def results_rows(self) -> list[dict[str, Any]]:
        """One row per finished audit with results: month, country, locale, overall."""
        return list(self.db.query("select * from results order by audit_id"))

    def result_scores(self) -> list[dict[str, Any]]:
        return list(self.db.query("select * from result_scores where score is not null"))

    def result_actions(self) -> list[dict[str, Any]]:
        return list(self.db.query("select * from result_actions"))
