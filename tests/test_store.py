"""Storage on a real SQLite file: schema, WAL, transactions, restarts.

The store does not read the audit: question ids here are plain strings. The one test that
goes through an interview uses the small fixture audit.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.interview import Interview
from bot.store import SKIPPED, Store
from tests.answering import answer_all
from tests.engine_fixtures import SHOP
from tests.engine_fixtures import small_interview as small_interview


def test_a_new_file_gets_the_schema_in_wal_mode(store: Store, db_path: Path) -> None:
    assert store.schema_version() >= 1
    assert {"respondents", "audits", "answers", "drafts", "prompts"} <= set(store.db.table_names())
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_answers_round_trip_through_a_reopened_file(db_path: Path) -> None:
    store = Store(db_path)
    store.save_respondent("tg:1", "pl")
    audit = store.new_audit("tg:1", 1)
    store.record_answer(audit.id, "ad_spend", {"amount": "1500.5", "currency": "PLN"})
    store.record_answer(audit.id, "first_contact", ["instagram", "whatsapp"])
    store.record_answer(audit.id, "business_name", SKIPPED)
    store.close()

    reopened = Store(db_path)
    assert reopened.respondent_locale("tg:1") == "pl"
    assert reopened.answers(audit.id) == {
        "ad_spend": {"amount": "1500.5", "currency": "PLN"},
        "first_contact": ["instagram", "whatsapp"],
        "business_name": None,
    }
    reopened.close()


def test_every_type_of_answer_comes_back_as_it_was_typed(
    small_interview: Interview, db_path: Path
) -> None:
    answer_all(small_interview, "tg:1", {**SHOP, "country": None})
    audit = small_interview.finished_audit("tg:1")
    assert audit is not None
    small_interview.store.close()
    with Store(db_path) as reopened:
        stored = reopened.answers(audit.id)
        finished = reopened.audit(audit.id)
    assert stored == {
        "business_name": "Tienda Sol",
        "country": None,
        "channels": ["instagram", "email"],
        "meta_share": 90,
        "site": True,
        "site_address": "sol.example",
        "ad_spend": {"amount": 0, "currency": "USD"},  # no country: English's currency
        "backups": ["phone_only"],
    }
    # JSON keeps a yes as true and a whole number as a number, not 1 and "90".
    assert stored["site"] is True and type(stored["meta_share"]) is int
    assert finished is not None and finished.status == "finished"


def test_answering_again_replaces_one_row(store: Store) -> None:
    store.save_respondent("tg:1", "en")
    audit = store.new_audit("tg:1", 1)
    store.record_answer(audit.id, "country", "es")
    store.record_answer(audit.id, "country", "fr")
    assert store.db["answers"].count == 1
    assert store.answers(audit.id) == {"country": "fr"}


def test_recording_an_answer_clears_the_cursor_and_the_draft(store: Store) -> None:
    store.save_respondent("tg:1", "en")
    audit = store.new_audit("tg:1", 1)
    store.set_cursor(audit.id, "first_contact")
    store.save_draft(audit.id, "first_contact", ["instagram"])
    store.record_answer(audit.id, "first_contact", ["instagram"])
    reloaded = store.audit(audit.id)
    assert reloaded is not None and reloaded.cursor is None
    assert store.draft(audit.id, "first_contact") is None


def test_a_failed_write_leaves_nothing_half_done(store: Store) -> None:
    store.save_respondent("tg:1", "en")
    audit = store.new_audit("tg:1", 1)
    store.set_cursor(audit.id, "country")
    with pytest.raises(TypeError):
        store.record_answer(audit.id, "country", object())  # not JSON: fails mid-transaction
    reloaded = store.audit(audit.id)
    assert reloaded is not None and reloaded.cursor == "country"
    assert store.answers(audit.id) == {}


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.record_answer(12345, "country", "es")


def test_a_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at) "
            "values ('canasta', 'm999_future', 'now')"
        )
    with pytest.raises(StoreError, match="newer Canasta"):
        Store(db_path)


def test_the_path_comes_from_canasta_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.db"
    monkeypatch.setenv("CANASTA_DB", str(target))
    Store.from_env().close()
    assert target.exists()
