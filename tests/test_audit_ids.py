"""The ids the code reads by name are declared, and a renamed one stops `dialog check`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import audit_ids, placeholders, plan, render
from bot.__main__ import main
from bot.resources import data_dir

AUDIT = data_dir("dialogs") / "audit.yaml"


def renamed_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The real audit with every mention of `old` (as an id or in a condition) renamed."""
    text = re.sub(rf"\b{re.escape(old)}\b", new, AUDIT.read_text(encoding="utf-8"))
    assert text != AUDIT.read_text(encoding="utf-8")
    copy = tmp_path / "audit.yaml"
    copy.write_text(text, encoding="utf-8")
    return copy


@pytest.mark.parametrize("question_id", sorted(audit_ids.DECLARED))
def test_renaming_a_declared_question_fails_the_check_naming_it(
    tmp_path: Path, question_id: str, capsys: pytest.CaptureFixture
) -> None:
    copy = renamed_copy(tmp_path, question_id, f"{question_id}_x")
    assert main(["dialog", "check", "--audit", str(copy)]) == 1
    error = capsys.readouterr().err
    assert f"'{question_id}'" in error and "Traceback" not in error


def test_dropping_an_option_the_code_reads_fails_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    # Renamed everywhere the audit itself uses it, so that only the code's reading is broken.
    text = (
        AUDIT.read_text(encoding="utf-8")
        .replace("{id: sms,", "{id: text_message,")
        .replace("[sms, calls]", "[text_message, calls]")
    )
    copy = tmp_path / "audit.yaml"
    copy.write_text(text, encoding="utf-8")
    assert main(["dialog", "check", "--audit", str(copy)]) == 1
    assert "'fallback_channels' lacks option(s) sms" in capsys.readouterr().err


def test_the_tables_keyed_by_option_ids_match_the_declarations() -> None:
    assert set(render.CHANNEL_CONTACTS) == audit_ids.FALLBACK_CONTACT_OPTIONS
    assert set(placeholders.CHANNEL_NAMES) == audit_ids.FALLBACK_OPTIONS
    assert set(plan.RECOVERED_SHARE) == audit_ids.RECOVERED_OPTIONS
