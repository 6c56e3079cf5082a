"""Arbitrary input never breaks the interview: property-based tests with hypothesis.

Any sequence of typed texts (numbers in every format, emoji, right-to-left text, 10,000
characters, commands), taps on any button of any question (forged ones included), restarts of
the audit and of the process: no exception escapes, every stored answer is valid for its
question, and the owner always stands on a real question of their path. Each property runs on
the small fixture audit, where runs reach the end and go past it, and on the shipped audit.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import dialog
from bot import rules as plan_rules
from bot.interview import Interview
from bot.store import Store
from tests.engine_fixtures import load_small

SMALL, SMALL_RULES = load_small()
REAL = dialog.load()
AUDITS = {"small": (SMALL, SMALL_RULES), "real": (REAL, plan_rules.load(REAL))}
ME = "tg:1"
LOCALES = st.sampled_from(["en", "es", "pl", "fr"])
QUESTION_IDS = st.sampled_from(
    sorted({q.id for audit, _ in AUDITS.values() for q in audit.questions} | {"nope", ""})
)
OPTION_IDS = st.sampled_from(
    sorted(
        {o.id for audit, _ in AUDITS.values() for q in audit.questions for o in q.options}
        | {"yes", "no", "r0", "r1", "zz"}
    )
)
NUMBERS = st.sampled_from(
    ["1 500,50", "1.500,50", "1,500.50", "600 000", "600k", "1,5 mln", "150$", "50 000 FCFA",
     "1.500", "0", "-5", "99999999999999999999", "1e9", "NaN", "½", "٣٠٠", "80 %", "2 tys."]
)  # fmt: skip
TEXTS = st.one_of(
    NUMBERS,
    st.text(max_size=60),
    st.sampled_from(["🙂👍🏽", "مرحبا بالعالم", "שלום", "/start", "/restart", "\u202e1234", " "]),
    st.just("x" * 10_000),
)
ACTIONS = st.one_of(
    st.tuples(st.just("text"), TEXTS, LOCALES),
    st.tuples(st.sampled_from(["choose", "toggle"]), QUESTION_IDS, OPTION_IDS),
    st.tuples(st.sampled_from(["done", "skip", "back"]), QUESTION_IDS, st.just("")),
    st.tuples(st.just("pick"), QUESTION_IDS, st.integers(-1, 3)),
    st.tuples(st.sampled_from(["restart", "reopen", "current"]), st.just(""), st.just("")),
    st.tuples(st.just("answer_current"), st.just(""), st.just("")),
)


def act(interview: Interview, action: tuple[str, Any, Any]) -> None:
    kind, first, second = action
    audit = interview.open_audit(ME)
    audit_id = audit.id if audit else 1
    current = interview.current_prompt(ME)
    if kind == "text":
        interview.answer_text(ME, first, second)
    elif kind == "choose":
        interview.choose(ME, audit_id, first, second)
    elif kind == "toggle":
        interview.toggle(ME, audit_id, first, second)
    elif kind == "done":
        interview.done(ME, audit_id, first)
    elif kind == "skip":
        interview.skip(ME, audit_id, first)
    elif kind == "back":
        interview.back(ME, audit_id, first)
    elif kind == "pick":
        interview.pick(ME, audit_id, first, second)
    elif kind == "restart":
        interview.start(ME, "en")
    elif kind == "answer_current" and current is not None:
        # Move forward with a valid answer, so that runs reach deep into the audit.
        question = current.question
        if question.type in ("single", "yesno"):
            option = question.options[0].id if question.options else "yes"
            interview.choose(ME, audit_id, question.id, option)
        elif question.type == "multi":
            interview.submit_selection(ME, audit_id, question.id, [question.options[-1].id])
        else:
            interview.answer_text(ME, "42", "en")


def valid(question: dialog.Question, value: Any) -> bool:
    if value is None:
        return question.can_skip
    option_ids = [option.id for option in question.options]
    if question.type == "single":
        return value in option_ids
    if question.type == "multi":
        return bool(value) and value == [o for o in option_ids if o in value]
    if question.type == "yesno":
        return isinstance(value, bool)
    if question.type == "text":
        return isinstance(value, str) and 0 < len(value) <= question.max_length
    amount = Decimal(str(value["amount"] if question.type == "money" else value))
    if question.type == "money" and not (
        isinstance(value["currency"], str) and len(value["currency"]) == 3
    ):
        return False
    low, high = question.minimum, question.maximum
    return amount >= 0 and (low is None or amount >= low) and (high is None or amount <= high)


def check(interview: Interview) -> None:
    audit = interview.open_audit(ME) or interview.finished_audit(ME)
    if audit is None:
        return
    for question_id, value in interview.store.answers(audit.id).items():
        question = interview.dialog.question(question_id)
        assert question is not None, question_id
        assert valid(question, value), (question_id, value)
    prompt = interview.current_prompt(ME)
    if prompt is not None:
        path = interview.dialog.path(interview.store.answers(audit.id))
        assert prompt.question in path
        assert 1 <= prompt.number <= len(path) <= prompt.total


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@pytest.mark.parametrize("name", sorted(AUDITS))
@given(actions=st.lists(ACTIONS, min_size=1, max_size=60))
def test_no_sequence_of_actions_breaks_the_interview(
    name: str, actions: list[tuple[str, Any, Any]]
) -> None:
    audit, rules = AUDITS[name]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.db"
        store = Store(path)
        interview = Interview(audit, store, rules)
        interview.start(ME, "en")
        try:
            for action in actions:
                if action[0] == "reopen":  # a restart of the process
                    store.close()
                    store = Store(path)
                    interview = Interview(audit, store, rules)
                    continue
                act(interview, action)
                check(interview)
        finally:
            store.close()


@settings(max_examples=300, deadline=None)
@pytest.mark.parametrize("name", sorted(AUDITS))
@given(text=st.text(max_size=80), locale=LOCALES)
def test_any_text_is_read_or_refused_for_every_question_type(
    name: str, text: str, locale: str
) -> None:
    audit = AUDITS[name][0]
    for question in audit.questions:
        value = audit.read_text(question, text, locale, {})
        if isinstance(value, dialog.InputError):
            assert value.message
        elif isinstance(value, dialog.Ambiguous):
            assert all(valid(question, reading) for reading in value.readings)
        elif isinstance(value, dialog.Middle):
            assert all(valid(question, end) for end in (value.value, value.low, value.high))
        else:
            assert valid(question, value), (question.id, text, value)
