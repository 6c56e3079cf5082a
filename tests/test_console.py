"""The terminal audit, piped end to end through the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot import dialog
from bot.store import Store
from tests.answering import JEWELLER

ROOT = Path(__file__).resolve().parent.parent


def typed_answers(answers: dict[str, Any]) -> list[str]:
    """What an owner types in the terminal for each question of the jeweller's path."""
    audit = dialog.load()
    lines = []
    for question_id, value in answers.items():
        question = audit.question(question_id)
        assert question is not None
        if question.type == "yesno":
            lines.append("1" if value else "2")
        elif question.type in ("single", "multi"):
            ids = [option.id for option in question.options]
            chosen = [value] if isinstance(value, str) else value
            lines.append(",".join(str(ids.index(v) + 1) for v in chosen))
        else:
            lines.append(str(value))
    return lines


def run_console(db: Path, lines: list[str], *args: str, env: dict[str, str] | None = None):
    environment = {**os.environ, "CANASTA_DB": str(db), **(env or {})}
    environment.pop("BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
    )


def test_a_piped_audit_runs_to_the_saved_summary(tmp_path: Path) -> None:
    db = tmp_path / "console.db"
    result = run_console(db, typed_answers(JEWELLER), "console", "--lang", "en", "--id", "alex")
    assert result.returncode == 0, result.stderr
    assert "Thank you! Your answers are saved." in result.stdout
    assert "Anillos Alex" in result.stdout
    store = Store(db)
    audit = store.latest_audit("console:alex")
    assert audit is not None and audit.status == "finished"
    assert store.answers(audit.id)["first_contact"] == ["instagram"]


def test_without_a_token_run_falls_back_to_the_terminal(tmp_path: Path) -> None:
    result = run_console(tmp_path / "c.db", ["quit"], "run", "--lang", "en", "--id", "x")
    assert result.returncode == 0
    assert "No BOT_TOKEN is set" in result.stderr
    assert "What is your business called?" in result.stdout


def test_stopping_halfway_and_running_again_resumes(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    lines = typed_answers(JEWELLER)
    first = run_console(db, lines[:5], "console", "--lang", "en", "--id", "alex")
    assert "Your answers are saved. Run me again to continue." in first.stdout
    second = run_console(db, lines[5:], "console", "--lang", "en", "--id", "alex")
    assert "Welcome back!" in second.stdout
    assert "Thank you! Your answers are saved." in second.stdout
    assert "[1/" not in second.stdout and "[6/" in second.stdout  # resumed at question 6


def test_bad_input_is_explained_and_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    lines = ["Anillos", "banana", "9", "1", "back", "3", "1.500,50"]
    result = run_console(db, lines, "console", "--lang", "en", "--id", "alex")
    assert result.stdout.count("Type the number of an option, e.g. 2.") == 3
    assert "Your answer so far: Spain" in result.stdout  # after "back"
    store = Store(db)
    audit = store.latest_audit("console:alex")
    assert audit is not None
    assert store.answers(audit.id) == {"business_name": "Anillos", "country": "fr"}
