"""Audits for the engine's tests: a small fixture audit, and the real one with a question added.

The engine tests (walking, validation, the interview, storage, plan mechanics) must not break
when a consultant edits dialogs/audit.yaml, so they run on tests/data/audit.yaml and
tests/data/actions.yaml, loaded through the real loaders. The interview scenarios are written
against a `Case`, which names the questions each scenario needs by id, and run on two audits:
the small one, and a copy of the real one with a new yes/no question right after `country`.

Import the fixtures into a test module with an explicit re-export, so that ruff sees them used:
`from tests.engine_fixtures import small_audit as small_audit`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import dialog
from bot import rules as plan_rules
from bot.dialog import Dialog, Question
from bot.interview import Interview, Prompt
from bot.resources import data_dir
from bot.rules import Rules
from bot.store import Store
from tests.answering import JEWELLER, answer_one

DATA = Path(__file__).resolve().parent / "data"
SMALL_AUDIT = DATA / "audit.yaml"
SMALL_RULES = DATA / "actions.yaml"
REAL_AUDIT = data_dir("dialogs") / "audit.yaml"

# A shop owner for the small audit, typing and tapping as an owner would.
SHOP: dict[str, Any] = {
    "business_name": "Tienda Sol",
    "country": "es",
    "channels": ["instagram", "email"],
    "meta_share": "90",
    "site": True,
    "site_address": "sol.example",
    "ad_spend": "0",
    "backups": ["phone_only"],
}

# The question a consultant adds to the real audit in the changed copy.
NEW_QUESTION: dict[str, Any] = {
    "id": "has_shop",
    "type": "yesno",
    "area": "profile",
    "text": "Do you also sell from a shop of your own?",
}


def insert_question(
    source: Path, target: Path, after: str, question: dict[str, Any] = NEW_QUESTION
) -> Path:
    """Write a copy of the audit at `source` to `target`, with `question` right after `after`."""
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    ids = [item["id"] for item in raw["questions"]]
    raw["questions"].insert(ids.index(after) + 1, dict(question))
    target.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@dataclass(frozen=True)
class Case:
    """An audit to run the interview scenarios on, with the questions they need, by id.

    No scenario counts questions or assumes which one comes next: it reaches a question by
    answering whatever the interview asks, from `answers` (or `default_answer`).
    """

    name: str
    dialog: Dialog
    rules: Rules
    answers: dict[str, Any]
    """An owner who reaches every question below: typed text, option ids, True/False."""
    single: str
    """A single-choice question; `answers` taps one option, `other_option` is another."""
    other_option: str
    multi: str
    """A multi-choice question whose `follow_up` the `opening` ticks show and `closing` hide."""
    opening: tuple[str, ...]
    closing: tuple[str, ...]
    follow_up: str
    """A number question from 0 to 100 (a percentage)."""
    follow_up_answer: str
    money: str
    """A money question whose `money_follow_up` appears for an amount above 0."""
    money_follow_up: str
    currency: str
    ambiguous: str = "1.500"
    """An amount that reads two ways where the case's owner sells (1.5, or 1500)."""
    """The currency a bare number is read in, given `answers` and the English locale."""

    def value_for(self, question: Question, **overrides: Any) -> Any:
        """What the owner answers to `question` (None: skip); a valid answer if not in `answers`."""
        owner = {**self.answers, **overrides}
        return owner[question.id] if question.id in owner else default_answer(question)

    def reach(
        self, interview: Interview, respondent: str, question_id: str, **overrides: Any
    ) -> Prompt:
        """Start an audit and answer until `question_id` is asked; return its prompt."""
        prompt = interview.start(respondent, "en").prompt
        for _ in self.dialog.questions:
            assert prompt is not None, f"the audit ended before {question_id!r}"
            if prompt.question.id == question_id:
                return prompt
            value = self.value_for(prompt.question, **overrides)
            outcome = answer_one(interview, respondent, prompt, value)
            assert outcome.error is None, (prompt.question.id, outcome.error)
            prompt = outcome.prompt
        raise AssertionError(f"{question_id!r} was never asked")


def default_answer(question: Question) -> Any:
    """A valid answer to any question, for questions a scenario does not care about."""
    plain = [option.id for option in question.options if not option.exclusive]
    return {
        "single": plain[0] if plain else None,
        "multi": plain[:1],
        "yesno": False,
        "number": str(question.minimum or 0),
        "money": "0",
        "text": "Something",
    }[question.type]


def small_case(small: Dialog, rules: Rules) -> Case:
    return Case(
        name="small",
        dialog=small,
        rules=rules,
        answers=SHOP,
        single="country",
        other_option="pl",
        multi="channels",
        opening=("instagram", "whatsapp"),
        closing=("email",),
        follow_up="meta_share",
        follow_up_answer="90",
        money="ad_spend",
        money_follow_up="ad_platforms",
        currency="EUR",
        ambiguous="1,500",  # Spain writes a decimal comma
    )


def changed_case(changed: Dialog) -> Case:
    return Case(
        name="changed",
        dialog=changed,
        rules=plan_rules.load(changed),
        answers=JEWELLER,
        single="country",
        other_option="pl",
        multi="first_contact",
        opening=("instagram", "whatsapp"),
        closing=("instagram",),
        follow_up="top_channel_share",
        follow_up_answer="90",
        money="ad_spend",
        money_follow_up="ad_platforms",
        currency="USD",
    )


# ── Fixtures ────────────────────────────────────────────────────────────────────────────────
# Each fixture stands on its own (beside conftest's `store`), so a module imports only those it
# uses.


@functools.cache
def load_small() -> tuple[Dialog, Rules]:
    """The small audit and its rules, through the real loaders, once per run."""
    small = dialog.load(SMALL_AUDIT)
    return small, plan_rules.load(small, SMALL_RULES)


def load_changed(folder: Path) -> Dialog:
    """The real audit with NEW_QUESTION right after `country`, loaded from a copy in `folder`."""
    return dialog.load(insert_question(REAL_AUDIT, folder / "audit.yaml", after="country"))


@pytest.fixture(scope="session")
def small_audit() -> Dialog:
    return load_small()[0]


@pytest.fixture(scope="session")
def small_rules() -> Rules:
    return load_small()[1]


@pytest.fixture
def small_interview(store: Store) -> Interview:
    small, rules = load_small()
    return Interview(small, store, rules)


@pytest.fixture(scope="session")
def changed_audit(tmp_path_factory: pytest.TempPathFactory) -> Dialog:
    return load_changed(tmp_path_factory.mktemp("changed_audit"))


@pytest.fixture(scope="session", params=["small", "changed"])
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Case:
    """Each interview scenario runs on the small audit and on the changed copy of the real one."""
    if request.param == "small":
        return small_case(*load_small())
    return changed_case(load_changed(tmp_path_factory.mktemp("changed_case")))


@pytest.fixture
def case_interview(case: Case, store: Store) -> Interview:
    return Interview(case.dialog, store, case.rules)
