"""A consultant adds a question: the engine takes it in its stride.

These tests load a copy of the real dialogs/audit.yaml with a new yes/no question right after
`country`, written into tmp_path. The interview scenarios of tests/test_interview.py run on the
same kind of copy (their `[changed]` variants); here the copy is checked to be what it claims,
an owner walks it, and every persona's plan comes out as it does from the shipped audit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import dialog
from bot import rules as plan_rules
from bot.dialog import Dialog
from bot.interview import Interview
from bot.store import Store
from tests.answering import JEWELLER, answer_all
from tests.engine_fixtures import NEW_QUESTION, REAL_AUDIT, changed_case, insert_question
from tests.personas import PERSONAS

NEW = NEW_QUESTION["id"]


def with_new_question(ids: list[str]) -> list[str]:
    at = ids.index("country") + 1
    return [*ids[:at], NEW, *ids[at:]]


@pytest.fixture
def changed(tmp_path: Path) -> Dialog:
    return dialog.load(insert_question(REAL_AUDIT, tmp_path / "audit.yaml", after="country"))


def test_the_copy_has_the_new_question_right_after_country(
    audit: Dialog, changed: Dialog, tmp_path: Path
) -> None:
    assert NEW not in {q.id for q in audit.questions}
    assert [q.id for q in changed.questions] == with_new_question([q.id for q in audit.questions])
    new = changed.question(NEW)
    assert new is not None and new.type == "yesno" and new.when is None
    # The copy is a copy: the shipped file is untouched, and its rules accept the copy.
    assert dialog.load(REAL_AUDIT) == audit
    assert plan_rules.load(changed) == plan_rules.load(audit)


def test_an_owner_is_asked_it_right_after_country(
    audit: Dialog, changed: Dialog, store: Store
) -> None:
    shipped = answer_all(Interview(audit, store), "console:shipped", JEWELLER)
    owner = {**JEWELLER, NEW: True}
    walked = Interview(changed, store)
    asked = answer_all(walked, "console:changed", owner)
    assert asked == with_new_question(shipped)
    finished = walked.finished_audit("console:changed")
    assert finished is not None and walked.answers(finished.id)[NEW] is True


def test_the_scenarios_changed_case_walks_through_it(changed: Dialog, store: Store) -> None:
    # The `[changed]` interview scenarios reach their questions through the new one.
    case = changed_case(changed)
    interview = Interview(case.dialog, store, case.rules)
    after_country = case.reach(interview, "console:case", NEW)
    assert after_country.number == 3 and after_country.can_go_back
    prompt = case.reach(interview, "console:case", case.multi)
    assert interview.answers(prompt.audit_id)[NEW] is False


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_every_persona_gets_the_same_plan(
    audit: Dialog, changed: Dialog, store: Store, name: str
) -> None:
    persona = PERSONAS[name]
    plans = []
    for suffix, walked in (("shipped", audit), ("changed", changed)):
        interview = Interview(walked, store)
        respondent = f"{persona.respondent}:{suffix}"
        answer_all(interview, respondent, {**persona.answers, NEW: False}, persona.locale)
        latest = interview.latest_plan(respondent)
        assert latest is not None
        plans.append(latest[1])
    shipped, with_question = plans
    assert with_question == shipped
    assert with_question.actions  # every persona has something to do: the comparison has teeth
