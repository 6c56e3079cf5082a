"""The translators' commands in the README work as written."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def msgids(path: Path) -> set[tuple[object, object]]:
    with path.open("rb") as handle:
        return {(message.id, message.context) for message in read_po(handle) if message.id}


def test_the_readme_pybabel_command_extracts_every_string_of_the_template(
    tmp_path: Path,
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = [line for line in readme.splitlines() if line.startswith("pybabel extract")]
    words = shlex.split(line)
    output = words.index("-o") + 1
    assert words[output] == "locales/messages.pot"  # the file the README tells people to write
    words[output] = str(tmp_path / "messages.pot")
    pybabel = Path(sys.executable).parent / "pybabel"
    result = subprocess.run(
        [str(pybabel), *words[1:]], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    extracted, template = msgids(tmp_path / "messages.pot"), msgids(ROOT / "locales/messages.pot")
    assert extracted - template == set()
    assert template - extracted == set(), f"{len(template - extracted)} strings not extracted"
    # The audit's questions are among them (the YAML extractor ran).
    assert ("What is your business called?", None) in extracted


def test_the_readme_lists_every_table() -> None:
    from bot.store import Store

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    with Store(":memory:") as store:
        tables = [name for name in store.db.table_names() if not name.startswith("_")]
    listed = set(re.findall(r"`(\w+)`", readme))
    assert set(tables) - listed == set()
