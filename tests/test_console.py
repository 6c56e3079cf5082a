"""The terminal audit, piped end to end through the real command line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot import dialog
from bot.__main__ import main
from bot.console import ConsoleAudit
from bot.i18n import translator
from bot.interview import Interview
from bot.store import Store
from tests.answering import JEWELLER

ROOT = Path(__file__).resolve().parent.parent


def typed_answers(answers: dict[str, Any], locale: str = "en") -> list[str]:
    """What an owner reading `locale` types in the terminal for each question of the
    jeweller's path (options numbered as that reader sees them), in the audit's order."""
    audit = dialog.load()
    assert set(answers) <= {question.id for question in audit.questions}, set(answers)
    lines = []
    for question in audit.questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        if question.type == "yesno":
            lines.append("1" if value else "2")
        elif question.type in ("single", "multi"):
            ids = [option.id for option in question.options_for(locale)]
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


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


class Terminal(io.StringIO):
    """Typed answers, from what says it is a terminal (stdin.isatty())."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """`canasta …` in this process (one real process is enough to prove the command runs:
    the test above), with answers piped in, as `run_console` but a few seconds faster."""

    def run(db: Path, lines: list[str], *args: str, terminal: bool = False) -> Ran:
        monkeypatch.setenv("CANASTA_DB", str(db))
        monkeypatch.delenv("BOT_TOKEN", raising=False)
        stdin = (Terminal if terminal else io.StringIO)("\n".join(lines) + "\n")
        monkeypatch.setattr(sys, "stdin", stdin)
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)

    return run


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


def test_without_a_token_run_falls_back_to_the_terminal(tmp_path: Path, cli) -> None:
    result = cli(tmp_path / "c.db", ["quit"], "run", "--lang", "en", "--id", "x", terminal=True)
    assert result.returncode == 0
    assert "No BOT_TOKEN is set" in result.stderr
    assert "What is your business called?" in result.stdout


def test_stopping_halfway_and_running_again_resumes(tmp_path: Path, cli) -> None:
    db = tmp_path / "c.db"
    lines = typed_answers(JEWELLER)
    first = cli(db, lines[:5], "console", "--lang", "en", "--id", "alex")
    assert "Your answers are saved. Run me again to continue." in first.stdout
    second = cli(db, lines[5:], "console", "--lang", "en", "--id", "alex")
    assert "Welcome back!" in second.stdout
    assert "Thank you! Your answers are saved." in second.stdout
    assert "[1/" not in second.stdout and "[6/" in second.stdout  # resumed at question 6


def test_bad_input_is_explained_and_loses_nothing(tmp_path: Path, cli) -> None:
    db = tmp_path / "c.db"
    lines = ["Anillos", "banana", "99", "1", "back", "3", "1.500,50"]
    result = cli(db, lines, "console", "--lang", "en", "--id", "alex")
    assert result.stdout.count("Type the number of an option, e.g. 2.") == 3
    assert "Your answer so far: Spain" in result.stdout  # after "back"
    store = Store(db)
    audit = store.latest_audit("console:alex")
    assert audit is not None
    assert store.answers(audit.id) == {"business_name": "Anillos", "country": "fr"}


def test_the_terminal_prints_the_plan_and_writes_the_files(tmp_path: Path, cli) -> None:
    db, plan_pdf, plan_ics = tmp_path / "c.db", tmp_path / "plan.pdf", tmp_path / "plan.ics"
    result = cli(
        db, typed_answers(JEWELLER), "console", "--lang", "en", "--id", "alex",
        "--pdf", str(plan_pdf), "--ics", str(plan_ics),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Your plan for Anillos Alex" in result.stdout
    assert "Give customers a second way to reach you" in result.stdout
    assert "<b>" not in result.stdout and "&#39;" not in result.stdout
    assert plan_pdf.read_bytes().startswith(b"%PDF")
    assert b"BEGIN:VCALENDAR" in plan_ics.read_bytes()


def test_operators_export_a_plan(tmp_path: Path, cli) -> None:
    db = tmp_path / "c.db"
    cli(db, typed_answers(JEWELLER), "console", "--lang", "en", "--id", "alex")
    for kind, marker in (("pdf", b"%PDF"), ("ics", b"BEGIN:VCALENDAR"), ("json", b'"plan"')):
        out = tmp_path / f"export.{kind}"
        result = cli(
            db, [], "export", "--respondent", "console:alex", "--format", kind, "--out", str(out)
        )
        assert result.returncode == 0, result.stderr
        assert marker in out.read_bytes()
    data = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert data["answers"]["first_contact"] == ["instagram"]
    assert data["plan"]["revenue_at_risk"]["six_hour_outage"] == ["37.50", "120.00"]
    missing = cli(db, [], "export", "--respondent", "tg:404", "--out", str(tmp_path / "x"))
    assert missing.returncode == 1 and "no finished audit" in missing.stderr


def run_in_process(interview: Interview, lines: list[str], restart: bool = False) -> str:
    """The terminal audit in this process (the same class `canasta console` runs)."""
    out = io.StringIO()
    stdin = io.StringIO("\n".join(lines) + "\n")
    ConsoleAudit(interview, translator("en"), "console:alex", stdin, out).run(restart=restart)
    return out.getvalue()


def test_running_again_after_finishing_offers_the_plan_or_a_new_audit(
    interview: Interview,
) -> None:
    run_in_process(interview, typed_answers(JEWELLER))
    finished = interview.finished_audit("console:alex")
    assert finished is not None
    shown = run_in_process(interview, ["1"])
    assert "You finished your audit on" in shown and "Your plan for Anillos Alex" in shown
    assert interview.open_audit("console:alex") is None  # seeing the plan begins nothing
    again = run_in_process(interview, ["5", "Anillos Nuevos", "quit"])
    audit = interview.open_audit("console:alex")
    assert "What is your business called?" in again and audit is not None
    assert interview.store.answers(audit.id) == {"business_name": "Anillos Nuevos"}
    assert interview.finished_audit("console:alex") == finished


def test_restart_mid_audit_asks_before_setting_answers_aside(interview: Interview) -> None:
    run_in_process(interview, [*typed_answers(JEWELLER)[:3], "quit"])
    under_way = interview.open_audit("console:alex")
    assert under_way is not None
    kept = run_in_process(interview, ["2", "quit"], restart=True)
    assert "Start the audit again from the first question?" in kept
    assert interview.open_audit("console:alex") == under_way
    assert len(interview.store.answers(under_way.id)) == 3
    run_in_process(interview, ["1", "quit"], restart=True)
    fresh = interview.open_audit("console:alex")
    assert fresh is not None and fresh.id != under_way.id
    assert interview.store.answers(fresh.id) == {}
