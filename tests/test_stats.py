"""Anonymous figures for a network: finished audits keep their scores and actions; `canasta
stats` and the Datasette queries aggregate them, never showing a group smaller than 5."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content import load as load_content
from bot.interview import Interview
from bot.store import Store
from tests.answering import JEWELLER, answer_all

ROOT = Path(__file__).resolve().parent.parent
# 1,000 audits: three big markets, one small one (Senegal, 3 owners) that must never show,
# and Polish speakers in France (2 owners): a group of 2 when split by country and language.
MARKETS = [("ES", "es", 520), ("FR", "fr", 300), ("FR", "pl", 2), ("PL", "pl", 175),
           ("SN", "fr", 3)]  # fmt: skip
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]


class Clock:
    now = "2026-01-01T10:00:00+00:00"

    def __call__(self) -> str:
        return self.now


@pytest.fixture(scope="module")
def network_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of 1,000 finished audits (written through the store, as the bot does)."""
    content = load_content()
    areas = [area.id for area in content.dialog.areas]
    actions = [rule.id for rule in content.rules.actions]
    path = tmp_path_factory.mktemp("network") / "canasta.db"
    clock = Clock()
    rng = random.Random(17)
    with Store(path, clock=clock) as store:
        number = 0
        for country, locale, count in MARKETS:
            for _ in range(count):
                number += 1
                clock.now = f"{MONTHS[number % 4]}-{1 + number % 28:02d}T10:00:00+00:00"
                who = f"tg:{number}"
                store.save_respondent(who, locale)
                audit = store.new_audit(who, 1)
                store.finish(audit.id)
                scores: dict[str, int | None] = {a: rng.choice([0, 25, 50, 75, 100]) for a in areas}
                scores[areas[0]] = None if number % 10 == 0 else scores[areas[0]]
                store.save_results(
                    audit.id, country, 50, scores, rng.sample(actions, rng.randint(3, 8))
                )
    return path


def stats(db: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "stats", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "CANASTA_DB": str(db)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def all_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["finished_per_month"] + data["median_scores"] + data["common_actions"]


def test_stats_by_country_and_language_hide_every_group_under_five(network_db: Path) -> None:
    data = json.loads(stats(network_db, "--by", "country", "--by", "language"))
    rows = all_rows(data)
    assert rows and all(row["audits"] >= 5 for row in rows)
    groups = {(row["country"], row["language"]) for row in rows}
    assert ("SN", "fr") not in groups and ("FR", "pl") not in groups
    assert {("ES", "es"), ("FR", "fr"), ("PL", "pl")} <= groups
    # Every figure of a shown group is complete: Spain's 520 audits over the four months.
    spain = [r for r in data["finished_per_month"] if r["country"] == "ES"]
    assert sum(r["audits"] for r in spain) == 520 and len(spain) == 4
    medians = {(r["country"], r["area"]): r for r in data["median_scores"]}
    assert all(0 <= r["median"] <= 100 for r in medians.values())
    first_area = load_content().dialog.areas[0].id
    assert medians[("ES", first_area)]["audits"] == 520 - 52  # skipped scores left out
    shares = [r["share"] for r in data["common_actions"]]
    assert all(0 < share <= 1 for share in shares)
    text = json.dumps(data)
    assert "SN" not in text and "Anillos" not in text


def test_stats_overall_and_as_csv(network_db: Path) -> None:
    data = json.loads(stats(network_db))
    assert sum(r["audits"] for r in data["finished_per_month"]) == 1000
    table = list(
        csv.DictReader(io.StringIO(stats(network_db, "--format", "csv", "--by", "country")))
    )
    assert {row["table"] for row in table} == {
        "finished_per_month",
        "median_scores",
        "common_actions",
    }
    assert all(int(row["audits"]) >= 5 for row in table)
    assert "SN" not in {row["country"] for row in table}
    assert sum(int(r["audits"]) for r in table if r["table"] == "finished_per_month") == 997


def test_the_datasette_queries_keep_the_same_rule(network_db: Path) -> None:
    metadata = yaml.safe_load((ROOT / "deploy/datasette/metadata.yaml").read_text(encoding="utf-8"))
    database = metadata["databases"]["canasta"]
    assert database["allow_sql"] is False
    with Store(network_db) as store:
        tables = set(store.db.table_names())
    assert tables <= {name for name, rule in database["tables"].items() if rule["allow"] is False}
    connection = sqlite3.connect(network_db)
    try:
        for name, query in database["queries"].items():
            cursor = connection.execute(query["sql"])
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            assert rows, name
            assert all(row["audits"] >= 5 for row in rows), name
            assert "SN" not in {row.get("country") for row in rows}, name
    finally:
        connection.close()
    # The SQL median agrees with `canasta stats`.
    by_country = json.loads(stats(network_db, "--by", "country"))["median_scores"]
    cursor = sqlite3.connect(network_db).execute(
        database["queries"]["median_scores_by_country"]["sql"]
    )
    assert {(c, a, n, float(m)) for c, a, n, m in cursor.fetchall()} == {
        (r["country"], r["area"], r["audits"], float(r["median"])) for r in by_country
    }


def test_a_finished_audit_keeps_its_scores_and_actions_until_erased(tmp_path: Path) -> None:
    content = load_content()
    with Store(tmp_path / "c.db") as store:
        interview = Interview(content.dialog, store, content.rules)
        answer_all(interview, "tg:1", JEWELLER)
        audit = store.latest_audit("tg:1")
        assert audit is not None and audit.status == "finished"
        plan = interview.plan(audit)
        (row,) = store.results_rows()
        assert row["country"] == "us" and row["locale"] == "en"
        assert row["finished_month"] == (audit.finished_at or "")[:7]
        assert row["overall"] == plan.overall
        scores = {r["area"]: r["score"] for r in store.result_scores()}
        assert scores == {s.area.id: s.score for s in plan.scores if s.score is not None}
        ranked = sorted(store.result_actions(), key=lambda r: r["rank"])
        assert [r["action_id"] for r in ranked] == [a.rule.id for a in plan.actions]
        store.erase("tg:1")
        assert store.results_rows() == [] and store.result_actions() == []


def test_audits_finished_before_results_were_kept_are_counted(tmp_path: Path) -> None:
    content = load_content()
    db = tmp_path / "c.db"
    with Store(db) as store:
        interview = Interview(content.dialog, store, content.rules)
        for number in range(5):
            answer_all(interview, f"tg:{number}", JEWELLER)
        store.db.execute("delete from results")  # as a database from before this version
        store.db.conn.commit()
    data = json.loads(stats(db))
    assert data["finished_per_month"][0]["audits"] == 5
    assert Counter(r["audits"] for r in data["median_scores"]) == Counter(
        {5: len(data["median_scores"])}
    )
