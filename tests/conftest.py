"""Shared fixtures: the real audit, a real SQLite file per test, an interview over both."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import dialog
from bot.interview import Interview
from bot.store import Store


@pytest.fixture(scope="session")
def audit() -> dialog.Dialog:
    return dialog.load()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "canasta.db"


@pytest.fixture
def store(db_path: Path):
    store = Store(db_path)
    yield store
    store.close()


@pytest.fixture
def interview(audit: dialog.Dialog, store: Store) -> Interview:
    return Interview(audit, store)
