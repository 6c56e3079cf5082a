"""The database schema, as forward migrations (sqlite-utils `Migrations`).

Each migration runs once, in order, at start-up; the number applied is the schema version. A
migration is never edited once released: a change is a new one at the end.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("canasta")


@migrations()
def m001_initial(db: Database) -> None:
    db.table("respondents").create(
        {"id": str, "locale": str, "created_at": str, "updated_at": str}, pk="id"
    )
    db.table("audits").create(
        {
            "id": int,
            "respondent_id": str,
            "status": str,
            "cursor": str,
            "dialog_version": int,
            "started_at": str,
            "updated_at": str,
            "finished_at": str,
        },
        pk="id",
        foreign_keys=[("respondent_id", "respondents", "id")],
        not_null={"respondent_id", "status", "started_at", "updated_at"},
    )
    db.table("audits").create_index(["respondent_id", "status"])
    db.table("answers").create(
        {"audit_id": int, "question_id": str, "value": str, "skipped": int, "answered_at": str},
        pk=("audit_id", "question_id"),
        foreign_keys=[("audit_id", "audits", "id")],
        not_null={"skipped", "answered_at"},
    )
    db.table("drafts").create(
        {"audit_id": int, "question_id": str, "value": str},
        pk=("audit_id", "question_id"),
        foreign_keys=[("audit_id", "audits", "id")],
    )
    db.table("prompts").create(
        {"audit_id": int, "question_id": str, "ref": str},
        pk=("audit_id", "question_id"),
        foreign_keys=[("audit_id", "audits", "id")],
    )


@migrations()
def m002_workshops(db: Database) -> None:
    db.table("workshops").create(
        {
            "id": int,
            "code": str,
            "chat_id": int,
            "thread_id": int,
            "title": str,
            "facilitator_id": str,
            "status": str,
            "join_message_id": int,
            "opened_at": str,
            "closed_at": str,
        },
        pk="id",
        not_null={"code", "chat_id", "facilitator_id", "status", "opened_at"},
    )
    db.table("workshops").create_index(["code"], unique=True)
    db.table("workshops").create_index(["chat_id", "status"])
    db.table("memberships").create(
        {
            "workshop_id": int,
            "respondent_id": str,
            "audit_id": int,
            "shares_plan": int,
            "joined_at": str,
        },
        pk=("workshop_id", "respondent_id"),
        foreign_keys=[
            ("workshop_id", "workshops", "id"),
            ("respondent_id", "respondents", "id"),
            ("audit_id", "audits", "id"),
        ],
        not_null={"shares_plan", "joined_at"},
        defaults={"shares_plan": 0},
    )
    db.table("memberships").create_index(["respondent_id"])


@migrations()
def m003_delivery_and_sharing(db: Database) -> None:
    # Whether what comes after the audit's latest change (its next question, or its plan) has
    # been shown: set in the transaction that stores an answer, cleared once shown. A process
    # that dies in between finds it set at its next start, and shows it then.
    db.table("audits").add_column("awaiting_delivery", int, not_null_default=0)
    # The audit whose plan a participant agreed to share, fixed when they agreed: a later audit
    # taken privately is never shown to the facilitator.
    db.table("memberships").add_column("shared_audit_id", int)


@migrations()
def m004_seen_updates(db: Database) -> None:
    # Telegram update ids already handled, so that a redelivered update is handled once
    # (bot/telegram/dedupe.py); seen_at is a Unix time, for pruning.
    db.table("seen_updates").create({"update_id": int, "seen_at": float}, pk="update_id")


@migrations()
def m005_results(db: Database) -> None:
    # What a finished audit came to, for anonymous figures across a network (`canasta stats`,
    # Datasette): the month it finished, the country answer, the language, the score per area
    # and the plan's actions in order. No name, no money figure. Deleted with the audit
    # (ON DELETE CASCADE), so erasing a person erases these too.
    db.execute(
        "CREATE TABLE results (audit_id INTEGER PRIMARY KEY "
        "REFERENCES audits(id) ON DELETE CASCADE, finished_month TEXT NOT NULL, "
        "country TEXT, locale TEXT, overall INTEGER)"
    )
    db.execute(
        "CREATE TABLE result_scores (audit_id INTEGER NOT NULL "
        "REFERENCES results(audit_id) ON DELETE CASCADE, area TEXT NOT NULL, score INTEGER, "
        "PRIMARY KEY (audit_id, area))"
    )
    db.execute(
        "CREATE TABLE result_actions (audit_id INTEGER NOT NULL "
        "REFERENCES results(audit_id) ON DELETE CASCADE, action_id TEXT NOT NULL, "
        "rank INTEGER NOT NULL, PRIMARY KEY (audit_id, action_id))"
    )
    db.execute("CREATE INDEX result_actions_action ON result_actions (action_id)")


@migrations()
def m006_action_states(db: Database) -> None:
    # What the owner did with each action of a finished plan: done, snoozed or not for them.
    # Ticks never change a score (only answers do); erased with the audit.
    db.execute(
        "CREATE TABLE action_states (audit_id INTEGER NOT NULL "
        "REFERENCES audits(id) ON DELETE CASCADE, action_id TEXT NOT NULL, "
        "state TEXT NOT NULL CHECK (state IN ('done', 'snoozed', 'dropped')), "
        "updated_at TEXT NOT NULL, PRIMARY KEY (audit_id, action_id))"
    )


@migrations()
def m007_reminders(db: Database) -> None:
    # The schedule of reminders is the database: written with the plan, read by one periodic
    # job that sends what is due and marks it sent, so a restart loses none. `zone` is the
    # owner's market time zone, so a late bot still never writes at night.
    db.execute(
        "CREATE TABLE reminders (id INTEGER PRIMARY KEY, respondent_id TEXT NOT NULL, "
        "audit_id INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE, "
        "action_id TEXT, kind TEXT NOT NULL "
        "CHECK (kind IN ('before', 'check_in', 'backup_day', 'checkup')), "
        "due_at TEXT NOT NULL, zone TEXT NOT NULL, sent_at TEXT)"
    )
    db.execute("CREATE INDEX reminders_due ON reminders (sent_at, due_at)")
    db.execute("ALTER TABLE respondents ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0")


@migrations()
def m008_review(db: Database) -> None:
    # A check-up: an audit that starts from the previous one's answers and walks through every
    # question again ("still true" or a new answer), instead of jumping to the first unanswered.
    db.execute("ALTER TABLE audits ADD COLUMN review INTEGER NOT NULL DEFAULT 0")


@migrations()
def m009_reminder_hour(db: Database) -> None:
    # The local hour an owner wants their reminders at (`/reminders 18`); null: the default.
    db.execute("ALTER TABLE respondents ADD COLUMN reminder_hour INTEGER")
