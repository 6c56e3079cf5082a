"""Storage at scale: a database of thousands of finished audits, and what one answer costs.

``fill`` writes N finished audits in a few seconds with plain SQL in one transaction. The
schema is made by ``Store`` itself (every migration applied), and the rows are those the
interview writes: each audit copies the answers and prompt rows of one seed owner's real
audit, taken through ``Interview`` on an in-memory store.

``answer_costs`` times, on such a database, the per-answer write (``Store.record_answer``)
and the whole interview step around it (read the position, store, find the next question):
both must cost the same with 100 or 10,000 audits stored, i.e. every lookup is indexed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot import dialog
from bot.interview import Interview
from bot.store import SKIPPED, Store
from tests.answering import answer_all, answer_one
from tests.personas import PERSONAS

AUDIT = dialog.load()
FIRST_RESPONDENT = 500_000_000  # far from the load runs' user ids
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class AuditRows:
    """One seed owner's finished audit as stored: their locale and answer rows."""

    locale: str
    answers: list[tuple[str, str | None, int]]  # question_id, JSON value, skipped


def seed_audits() -> list[AuditRows]:
    """Each seed persona's audit, taken through the interview on an in-memory store."""
    seeds = []
    for persona in PERSONAS.values():
        store = Store(":memory:")
        interview = Interview(AUDIT, store)
        answer_all(interview, persona.respondent, persona.answers, persona.locale)
        rows = store.db.execute("select question_id, value, skipped from answers").fetchall()
        seeds.append(AuditRows(persona.locale, [tuple(row) for row in rows]))
        store.close()
    return seeds


def fill(path: Path, audits: int) -> None:
    """Create ``path`` holding ``audits`` finished audits (one respondent each)."""
    Store(path).close()  # the schema, by the migrations
    seeds = seed_audits()
    respondents, audit_rows, answers, prompts = [], [], [], []
    for number in range(audits):
        seed = seeds[number % len(seeds)]
        respondent = f"tg:{FIRST_RESPONDENT + number}"
        started = _EPOCH + timedelta(minutes=52 * number)
        finished = _iso(started + timedelta(minutes=6))
        respondents.append((respondent, seed.locale, _iso(started), finished))
        audit_id = number + 1
        audit_rows.append((audit_id, respondent, AUDIT.version, _iso(started), finished))
        for index, (question_id, value, skipped) in enumerate(seed.answers):
            answers.append((audit_id, question_id, value, skipped, finished))
            prompts.append((audit_id, question_id, f"{FIRST_RESPONDENT + number}:{index + 2}"))
    store = Store(path)
    try:
        with store.db.conn:
            store.db.conn.executemany(
                "insert into respondents (id, locale, created_at, updated_at) values (?, ?, ?, ?)",
                respondents,
            )
            store.db.conn.executemany(
                "insert into audits (id, respondent_id, status, cursor, dialog_version, "
                "started_at, updated_at, finished_at) values (?, ?, 'finished', null, ?, ?, ?, ?)",
                [(a, r, v, s, f, f) for a, r, v, s, f in audit_rows],
            )
            store.db.conn.executemany(
                "insert into answers (audit_id, question_id, value, skipped, answered_at) "
                "values (?, ?, ?, ?, ?)",
                answers,
            )
            store.db.conn.executemany(
                "insert into prompts (audit_id, question_id, ref) values (?, ?, ?)", prompts
            )
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()


@dataclass(frozen=True)
class AnswerCosts:
    """Seconds per ``record_answer`` and per whole interview step, one sample each."""

    record: list[float]
    step: list[float]


def answer_costs(path: Path, audits: int, tag: str) -> AnswerCosts:
    """Take ``audits`` new audits on the database at ``path`` (after one to warm up), timing
    every answer.

    ``tag`` makes the respondents new (one tag per run on the same database)."""
    store = Store(path)
    interview = Interview(AUDIT, store)
    record: list[float] = []
    step: list[float] = []
    seeds = seed_audits()
    try:
        for number in range(audits + 1):  # audit 0 warms the caches up and is not counted
            persona = list(PERSONAS.values())[number % len(PERSONAS)]
            respondent = f"bench:{tag}:{number}"
            steps = _timed_interview(interview, respondent, persona.answers, persona.locale)
            writes = _timed_writes(store, respondent, seeds[number % len(seeds)])
            if number:
                step += steps
                record += writes
    finally:
        store.close()
    return AnswerCosts(record, step)


def _timed_interview(
    interview: Interview, respondent: str, answers: dict[str, Any], locale: str
) -> list[float]:
    """Answer a whole audit through the interview, timing each answer and its next question."""
    samples = []
    outcome = interview.start(respondent, locale)
    while outcome.prompt is not None:
        prompt = outcome.prompt
        started = time.perf_counter()
        outcome = answer_one(interview, respondent, prompt, answers.get(prompt.question.id), locale)
        samples.append(time.perf_counter() - started)
    return samples


def _timed_writes(store: Store, respondent: str, seed: AuditRows) -> list[float]:
    """Write a seed audit's answers into a new audit with ``record_answer``, timing each."""
    store.save_respondent(f"{respondent}:writes", "en")
    audit = store.new_audit(f"{respondent}:writes", AUDIT.version)
    samples = []
    for question_id, value, skipped in seed.answers:
        decoded = SKIPPED if skipped else json.loads(value or "null")
        started = time.perf_counter()
        store.record_answer(audit.id, question_id, decoded)
        samples.append(time.perf_counter() - started)
    store.finish(audit.id)
    return samples


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
