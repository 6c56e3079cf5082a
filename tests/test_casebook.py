"""The casebook: each owner of tests/casebook.py goes through the real interview, in their own
language, and today's plan is held to the adviser's expectations: every `top_three` action among
the plan's first three, no `never` action anywhere in it.

A case that names a question, option or action the audit and the rules do not have is a broken
casebook, not a ranking gap: `check_casebook` stops collection instead of hiding behind an
xfail. The cases the ranking does not meet yet are listed, each with its reason, in
`KNOWN_GAPS` (strict: one that starts passing must be taken off).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.content import Content, load
from bot.dialog import Dialog
from bot.i18n import SUPPORTED_LOCALES
from bot.interview import Interview
from bot.plan import PlannedAction
from bot.store import Store
from tests.answering import answer_all
from tests.casebook import CASES, Case

# Cases the ranking does not meet yet, each for a reason the audit cannot express today (the
# case's `gaps`). Strict: a case that starts passing must leave this list.
KNOWN_GAPS: dict[str, str] = {}


def answer_problems(audit: Dialog, case: Case) -> list[str]:
    """What in the case's answers today's audit could not take."""
    problems = []
    for question_id, value in case.answers.items():
        question = audit.question(question_id)
        if question is None:
            problems.append(f"no question {question_id!r}")
        elif question.type in ("single", "multi"):
            chosen = value if question.type == "multi" else [value]
            if question.type == "multi" and not isinstance(value, list):
                problems.append(f"{question_id}: a multiple choice takes a list")
                continue
            problems += [
                f"{question_id}: no option {option!r}"
                for option in chosen
                if question.option(option) is None
            ]
        elif question.type == "yesno" and not isinstance(value, bool):
            problems.append(f"{question_id}: yes/no takes True or False")
    return problems


def check_casebook(content: Content, cases: tuple[Case, ...] = CASES) -> None:
    """Raise ValueError naming every id in the casebook that the audit or the rules lack."""
    actions = {rule.id for rule in content.rules.actions}
    problems = []
    for case in cases:
        found = answer_problems(content.dialog, case)
        if case.locale not in SUPPORTED_LOCALES:
            found.append(f"no locale {case.locale!r}")
        if not 1 <= len(case.top_three) <= 3:
            found.append("top_three needs one to three actions")
        found += [f"no action {a!r}" for a in (*case.top_three, *case.never) if a not in actions]
        found += [
            f"{a!r} is both expected and forbidden" for a in set(case.top_three) & set(case.never)
        ]
        problems += [f"{case.name}: {problem}" for problem in found]
    if len({case.name for case in cases}) != len(cases):
        problems.append("two cases share a name")
    if problems:
        raise ValueError("the casebook does not match the audit:\n" + "\n".join(problems))


CONTENT = load()
check_casebook(CONTENT)


def plan_action_ids(interview: Interview, case: Case) -> list[str]:
    """Take the case through the whole audit in its language; return its plan's action ids, in
    the plan's order. Fails when an answer was refused or never asked (a casebook mistake)."""
    return [action.rule.id for action in case_plan_actions(interview, case)]


def case_plan_actions(interview: Interview, case: Case) -> tuple[PlannedAction, ...]:
    """The case's planned actions, with their values (see `plan_action_ids`)."""
    asked = answer_all(interview, case.respondent, case.answers, case.locale)
    unasked = sorted(set(case.answers) - set(asked))
    assert not unasked, f"casebook error: {case.name} answers questions never asked: {unasked}"
    latest = interview.latest_plan(case.respondent)
    assert latest is not None
    return latest[1].actions


@pytest.fixture
def case_plan(store: Store, request: Any) -> tuple[Case, list[str]]:
    case: Case = request.param
    return case, plan_action_ids(Interview(CONTENT.dialog, store, CONTENT.rules), case)


def _marked(case: Case) -> Any:
    gap = KNOWN_GAPS.get(case.name)
    marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case_plan", [_marked(case) for case in CASES], indirect=True)
def test_the_plan_puts_first_what_the_adviser_would(case_plan: tuple[Case, list[str]]) -> None:
    case, actions = case_plan
    first_three = actions[:3]
    missing = [action for action in case.top_three if action not in first_three]
    unwanted = [action for action in case.never if action in actions]
    assert not missing and not unwanted, (
        f"{case.owner}: expected {list(case.top_three)} among the first three, got "
        f"{first_three}; must not appear: {unwanted}; whole plan: {actions}"
    )
