"""The codebase keeps its own rules: lint, types, layering, documented commands."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.telegram.menus import COMMANDS
from bot.telegram.workshops import ADMIN_COMMANDS

ROOT = Path(__file__).resolve().parent.parent
CORE = [
    "dialog", "conditions", "interview", "store", "i18n", "render", "console", "catalogs",
    "rules", "plan", "pdf", "calendar", "export", "workshop", "diagram", "settings",
    "planview", "room", "prompt", "typeset", "respondents", "audit_ids", "content", "languages",
]  # fmt: skip


def imports_of(module: str) -> list[str]:
    tree = ast.parse((ROOT / "bot" / f"{module}.py").read_text(encoding="utf-8"))
    return [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]


@pytest.mark.parametrize("module", CORE)
def test_the_core_never_imports_telegram(module: str) -> None:
    imported = imports_of(module)
    assert not [name for name in imported if name.split(".")[0] in ("telegram", "bot.telegram")]
    assert not [name for name in imported if name.startswith("bot.telegram")]


RENDERERS = ("render", "planview", "pdf", "typeset", "calendar", "room")


@pytest.mark.parametrize("module", RENDERERS)
def test_renderers_import_no_store_and_no_interview(module: str) -> None:
    """Drawing a plan needs the plan, not the database: a renderer that read rows would make
    every front end's output depend on when it was drawn."""
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys, bot.{module}; print(' '.join(sys.modules))"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout.split()  # fmt: skip
    assert not {"bot.store", "bot.interview", "bot.workshop", "sqlite_utils"} & set(loaded)


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "bot", "tests"],
        ["ruff", "format", "--check", "bot", "tests"],
        ["mypy"],
    ],
    ids=["ruff", "format", "mypy"],
)
def test_static_checks_pass(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_command_is_documented(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    help_text = (ROOT / "bot" / "templates" / "help.html.j2").read_text(encoding="utf-8")
    assert f"/{name}" in readme
    assert f"/{name}" in help_text


@pytest.mark.parametrize("name", [name for name, _ in ADMIN_COMMANDS])
def test_every_group_command_is_documented(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`/{name}" in readme


def test_the_readme_starts_with_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    run, test = blocks[0].strip(), blocks[1].strip()
    assert run.endswith("canasta run")
    # CI runs exactly the README's test command.
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_the_audit_diagram_in_the_docs_is_current() -> None:
    from bot.diagram import mermaid
    from bot.dialog import load

    docs = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
    assert mermaid(load()) in docs, (
        "run: python -m bot dialog diagram, and paste into docs/audit.md"
    )
