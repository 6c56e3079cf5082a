"""Shared fixtures: the real audit, a real SQLite file per test, an interview over both, and
a fake Telegram Bot API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import dialog
from bot.interview import Interview
from bot.store import Store
from tests.fakebotapi import FakeBotAPI


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


@pytest.fixture
def server() -> Iterator[FakeBotAPI]:
    """A fake Telegram Bot API for the test token; a crash inside the fake fails the test."""
    from tests.telegram_harness import TOKEN  # loads the Telegram layer only when used

    with FakeBotAPI(token=TOKEN) as fake:
        yield fake
    assert fake.errors == [], fake.errors[-1]
