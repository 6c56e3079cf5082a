"""No number an owner types, and none an older version stored, can stop a plan being shown.

Typed: every number and money question has a limit; anything over it, or not a number, is
refused with a translated message. Stored: a value no version should have kept (a 27-digit
amount, NaN, a wrong type) reads "—" wherever it is shown, and counts as unknown in the plan.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import sys
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot import export, render
from bot.calendar import render_ics
from bot.dialog import Ambiguous, Dialog, InputError, Middle, Question, load, sound, validate
from bot.i18n import (
    SHOWN_LIMIT,
    SUPPORTED_LOCALES,
    UNSHOWN,
    NumberNotUnderstood,
    finite,
    money_limit,
    money_parts,
    parse_amount,
    translator,
)
from bot.interview import Interview, Outcome
from bot.pdf import render_pdf, render_workshop_pdf
from bot.planview import PlanView, plan_view
from bot.prompt import Prompt
from bot.store import Store
from bot.workshop import Workshops
from tests.answering import JEWELLER, answer_all, answer_one

AUDIT = load()
FIGURES = [q for q in AUDIT.questions if q.type in ("number", "money")]
# The jeweller, with two first-contact channels and ads on two platforms, so that every number
# and money question of the audit is asked.
EVERY_FIGURE: dict[str, Any] = JEWELLER | {
    "first_contact": ["instagram", "whatsapp"],
    "top_channel_share": "80",
    "ad_spend": "200",
    "ad_platforms": ["meta", "google_ads"],
    "ad_meta_share": "70",
}
RED_TEAM = "100000000000000000000000000"  # 27 digits: under the 40-character limit
SCRIPTS = (
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "۰۱۲۳۴۵۶۷۸۹",  # Persian
    "０１２３４５６７８９",  # full-width
    "०१२३४५६७८९",  # Devanagari
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold, outside the BMP
)
ODD = (
    "1e400", "NaN", "nan", "Infinity", "-Infinity", "inf", "∞", "²", "5²", "½", "Ⅻ", "⑤",
    "9" * 39, "9" * 40, "9" * 41, "9" * 400, RED_TEAM, RED_TEAM + " €", "-" + RED_TEAM, "0",
    "-0", "-5", "1,500", "1.500", "1 500,50", "0.0000000000000000000000000001", "1e3",
    "999 999 999 999 mln", "1" + "0" * 38 + " k", "1E+27", "0x10", "١٬٥٠٠", "٣٠٠ FCFA",
    "0." + "0" * 36 + "1", "99." + "9" * 37,  # 40 characters: as many decimals as can be typed
)  # fmt: skip
SUFFIXES = ("", " €", " zł", " FCFA", "$", " k", "k", " mln", " tys.", " %", " millones")
HUGE = 10**40


def _script(number: int, digits: str) -> str:
    return str(number).translate(str.maketrans("0123456789", digits))


TYPED = st.one_of(
    st.integers(-HUGE, HUGE).map(str),
    st.integers(0, 10**12).map(str),  # around every limit
    st.tuples(st.integers(-HUGE, HUGE), st.sampled_from(SUFFIXES)).map(lambda p: f"{p[0]}{p[1]}"),
    st.tuples(st.integers(0, HUGE), st.sampled_from(SCRIPTS)).map(lambda p: _script(*p)),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.sampled_from(ODD),
    st.text(alphabet="0123456789.,  k%-€²٣eE", max_size=45),
)
LOCALES = st.sampled_from(list(SUPPORTED_LOCALES))
COUNTRIES = st.sampled_from(["other", "sn", "es", "pl", "fr"])


def _readings(result: Any) -> tuple[Any, ...]:
    if isinstance(result, Middle):  # a range: its middle and its ends are stored figures
        return (result.value, result.low, result.high)
    return result.readings if isinstance(result, Ambiguous) else (result,)


def _figure(question: Question, value: Any) -> tuple[Decimal, str]:
    if question.type == "money":
        parts = money_parts(value)
        assert parts is not None, value
        return parts
    number = finite(value)
    assert number is not None, value
    return number, ""


# ── Typed: refused or stored, never a crash ──────────────────────────────────────────────────


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FIGURES), TYPED, LOCALES, COUNTRIES)
def test_a_typed_figure_is_refused_or_stored_within_its_limit(
    question: Question, typed: str, locale: str, country: str
) -> None:
    result = AUDIT.read_text(question, typed, locale, {"country": country})
    event("refused" if isinstance(result, InputError) else "stored")
    if isinstance(result, InputError):
        for reader in SUPPORTED_LOCALES:  # the message shows in every language, limit included
            text = render.error_text(result, translator(reader))
            assert "%(" not in text and UNSHOWN not in text, text
        return
    for value in _readings(result):
        amount, currency = _figure(question, value)
        assert sound(question, value)
        assert 0 <= amount <= question.limit(currency)
        assert (question.minimum or 0) <= amount
        for reader in SUPPORTED_LOCALES:
            assert render.describe(question, value, translator(reader)) != UNSHOWN


@pytest.mark.parametrize("locale", list(SUPPORTED_LOCALES))
@pytest.mark.parametrize("question_id", ["daily_revenue", "ad_spend"])
def test_the_red_teams_number_is_refused_with_the_limit_written_the_owners_way(
    question_id: str, locale: str
) -> None:
    question = AUDIT.question(question_id)
    assert question is not None
    country = {"en": "us", "es": "es", "pl": "pl", "fr": "sn"}[locale]
    refused = AUDIT.read_text(question, RED_TEAM, locale, {"country": country})
    assert isinstance(refused, InputError)
    t = translator(locale)
    currency = {"en": "USD", "es": "EUR", "pl": "PLN", "fr": "XOF"}[locale]
    limit = t.money(money_limit(currency), currency)
    assert limit in render.error_text(refused, t)
    assert t.gettext(refused.message) != refused.message or locale == "en"  # translated


def test_money_limits_scale_with_the_currency(audit: Dialog) -> None:
    spend = audit.question("daily_revenue")
    assert spend is not None
    # A large but real day is kept in every currency; ten times the limit is refused.
    for text, country, locale in (
        ("900 000 €", "es", "es"), ("4 000 000 zł", "pl", "pl"), ("900 000 000", "sn", "fr"),
        ("900 000 $", "other", "en"),
    ):  # fmt: skip
        kept = audit.read_text(spend, text, locale, {"country": country})
        assert not isinstance(kept, InputError), text
    assert isinstance(audit.read_text(spend, "9 000 000 000", "fr", {"country": "sn"}), InputError)
    assert isinstance(audit.read_text(spend, "9 000 000 €", "es", {"country": "es"}), InputError)
    assert money_limit("COP") == 5_000_000_000 and money_limit("ZZZ") == 10_000_000_000
    # Every limit, in any currency, is one that can be shown.
    assert all(q.limit(c) < SHOWN_LIMIT for q in FIGURES for c in ("EUR", "XOF", "COP", "ZZZ"))


def test_only_decimal_digits_are_read_and_every_script_of_them_is() -> None:
    # Deliberate: a decimal digit of any script is its ASCII digit; anything else that
    # merely looks numeric ("²", "½", "Ⅻ") is not a number. Never another exception.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isdecimal():
            assert parse_amount(char * 3, "en").value == unicodedata.decimal(char) * 111
        elif char.isdigit() or char.isnumeric():
            with pytest.raises(NumberNotUnderstood):
                parse_amount(char, "en")
            with pytest.raises(NumberNotUnderstood):
                parse_amount("5" + char, "en")


# ── Stored: everything still renders ─────────────────────────────────────────────────────────


def _everything_renders(interview: Interview, respondent: str, locale: str) -> PlanView:
    """Render all that is made from one owner's answers; return the plan's view."""
    found = interview.latest_plan(respondent)
    assert found is not None
    audit, plan = found
    t = translator(locale)
    view = plan_view(plan, t)
    render.plan_chat(view)
    # The plan quotes no unusable answer: those count as unknown.
    assert all(shown != UNSHOWN for action in view.actions for _, shown in action.answered)
    render.plan_text(view)
    _pdf(render_pdf, view)
    assert render_ics(view, f"audit-{audit.id}").startswith(b"BEGIN:VCALENDAR")
    json.dumps(export.personal_data(interview, respondent), allow_nan=False)
    json.dumps(export.audit_data(interview, audit), allow_nan=False, default=str)
    _room_renders(interview, respondent, t)
    return view


def _room_renders(interview: Interview, respondent: str, t: Any) -> None:
    """A room of three finished owners, this one sharing their plan: /summary and /report."""
    workshops = Workshops(interview)
    chat = -1000 - len(interview.store.db.execute("select id from workshops").fetchall())
    workshop = workshops.open(chat, None, "Room", "facilitator", t.locale)
    for owner in (respondent, *_others(interview)):
        finished = interview.finished_audit(owner)
        workshops.join(workshop, owner, finished)
        workshops.share_plan(workshop, owner, finished if owner == respondent else None)
    picture = workshops.picture(workshop)
    assert picture.aggregates_shown
    render.render("workshop_summary.html.j2", t, picture=picture)
    shared = [plan_view(plan, t) for plan in workshops.shared_plans(workshop)]
    assert len(shared) == 1
    _pdf(render_workshop_pdf, "Room", picture, shared, t)


RENDERED: set[str] = set()


def _pdf(renderer: Any, *view: Any) -> None:
    """Render a PDF, once per distinct input: a PDF is drawn from its view alone (strings
    already formatted), and laying one out takes a third of a second."""
    key = repr((renderer, view))
    if key not in RENDERED:
        assert renderer(*view).startswith(b"%PDF")
        RENDERED.add(key)


def _others(interview: Interview) -> tuple[str, str]:
    """Two owners with ordinary answers, to make a room big enough for its aggregates."""
    others = ("other-1", "other-2")
    for other in others:
        if interview.finished_audit(other) is None:
            answer_all(interview, other, EVERY_FIGURE)
    return others


def _answer_with(
    interview: Interview, respondent: str, target: str, typed: str, locale: str
) -> Any:
    """Take the whole audit; at `target`, answer as usual, step back, then type `typed`.

    Returns the InputError that refused it (the usual answer still stored), or the value stored.
    """
    outcome = interview.start(respondent, locale)
    tried: Any = None
    while outcome.prompt is not None:
        prompt = outcome.prompt
        usual = EVERY_FIGURE.get(prompt.question.id)
        outcome = answer_one(interview, respondent, prompt, usual, locale)
        if prompt.question.id != target or tried is not None:
            continue
        assert outcome.prompt is not None
        back = interview.back(respondent, prompt.audit_id, outcome.prompt.question.id)
        assert back.prompt is not None and back.prompt.question.id == target
        before = interview.store.answers(prompt.audit_id)[target]
        typed_outcome = interview.answer_text(respondent, typed, locale)
        assert typed_outcome is not None
        outcome, tried = _settle(interview, respondent, prompt, typed_outcome, before, locale)
    assert outcome.finished is not None and tried is not None
    return tried


def _settle(
    interview: Interview,
    respondent: str,
    prompt: Prompt,
    outcome: Outcome,
    before: Any,
    locale: str,
) -> tuple[Outcome, Any]:
    question = prompt.question
    if outcome.error is not None:
        assert interview.store.answers(prompt.audit_id)[question.id] == before  # nothing lost
        render.error_text(outcome.error, translator(locale))
        usual = EVERY_FIGURE[question.id]
        return answer_one(interview, respondent, prompt, usual, locale), outcome.error
    if outcome.readings:
        outcome = interview.pick(respondent, prompt.audit_id, question.id, 0)
    stored = interview.store.answers(prompt.audit_id)[question.id]
    assert sound(question, stored)
    return outcome, stored


EXAMPLES = itertools.count()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.sampled_from(FIGURES), TYPED, LOCALES)
def test_whatever_is_typed_the_plan_and_everything_made_from_it_renders(
    interview: Interview, question: Question, typed: str, locale: str
) -> None:
    respondent = f"owner-{next(EXAMPLES)}"  # the same database across examples
    tried = _answer_with(interview, respondent, question.id, typed, locale)
    event("refused" if isinstance(tried, InputError) else "stored")
    view = _everything_renders(interview, respondent, locale)
    if not isinstance(tried, InputError) and question.id == "daily_revenue":
        assert view.risk.known  # an accepted day's sales is used, and shown as a figure


def test_every_figure_question_of_the_audit_is_reached_by_the_test_owner(
    interview: Interview,
) -> None:
    asked = answer_all(interview, "everyone", EVERY_FIGURE)
    assert {q.id for q in FIGURES} <= set(asked)


# ── Stored by an older version ──────────────────────────────────────────────────────────────

POISON: tuple[Any, ...] = (
    10**26, -(10**26), 10**4000, "NaN", "Infinity", "1e400", "abc", "", True, None,
    [1, 2], {"x": 1}, 1e308,
)  # fmt: skip
POISON_JSON = ("NaN", "Infinity", "-Infinity")  # what json.dumps writes for float nan and inf


def _poisoned_values() -> list[tuple[str, str]]:
    """(label, stored JSON) for a number answer and a money answer of each poison."""
    values = []
    for poison in POISON:
        raw = json.dumps(poison)
        values.append((f"number {raw[:12]}", raw))
        values.append((f"amount {raw[:12]}", json.dumps({"amount": poison, "currency": "EUR"})))
    values += [(f"raw {raw}", raw) for raw in POISON_JSON]
    values += [
        ("money in no currency", json.dumps({"amount": 150, "currency": None})),
        ("money in a number", json.dumps({"amount": 150, "currency": 978})),
        ("money as text", json.dumps({"amount": "150.5.5", "currency": "EUR"})),
        ("amount in NaN", '{"amount": NaN, "currency": "EUR"}'),
    ]
    return values


def _poison(store: Store, audit_id: int, question_id: str, raw: str) -> None:
    """Write a value as an older version might have, past every check of this one."""
    store.db.execute(
        "update answers set value = ?, skipped = 0 where audit_id = ? and question_id = ?",
        [raw, audit_id, question_id],
    )


def test_values_older_versions_stored_render_as_a_dash_and_are_logged(
    interview: Interview, caplog: pytest.LogCaptureFixture
) -> None:
    answer_all(interview, "old", EVERY_FIGURE)
    audit = interview.finished_audit("old")
    assert audit is not None
    caplog.set_level(logging.WARNING)
    values = _poisoned_values()
    for round in range(0, len(values), len(FIGURES)):  # each question a different poison
        poisons = itertools.islice(itertools.cycle(values), round, round + len(FIGURES))
        label = f"round {round}"
        for question, (_, raw) in zip(FIGURES, poisons, strict=True):
            _poison(interview.store, audit.id, question.id, raw)
        stored = interview.store.answers(audit.id)
        for locale in SUPPORTED_LOCALES:
            t = translator(locale)
            for question in FIGURES:
                shown = render.describe(question, stored[question.id], t)
                assert shown == UNSHOWN or stored[question.id] is None, (label, shown)
        view = _everything_renders(interview, "old", "fr")
        assert not view.risk.known, label  # revenue at risk: "not enough data"
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "daily_revenue" in logged and "ad_spend" in logged
    assert "abc" not in logged and "1e400" not in logged  # ids, never values


def test_an_older_value_shows_as_a_dash_when_the_owner_steps_back_to_it(
    interview: Interview,
) -> None:
    t = translator("es")
    outcome = interview.start("stepper", "es")
    while outcome.prompt is not None and outcome.prompt.question.id != "daily_revenue":
        outcome = answer_one(
            interview, "stepper", outcome.prompt, EVERY_FIGURE.get(outcome.prompt.question.id)
        )
    assert outcome.prompt is not None
    prompt = outcome.prompt
    outcome = answer_one(interview, "stepper", prompt, "150")
    _poison(interview.store, prompt.audit_id, "daily_revenue", json.dumps(RED_TEAM))
    # Read as unknown, it hides its follow-up (the busiest hours): step back from where we are.
    current = interview.current_prompt("stepper")
    assert current is not None and current.question.id == "sales_recovered"
    back = interview.back("stepper", prompt.audit_id, current.question.id)
    assert back.prompt is not None and back.prompt.question.id == "daily_revenue"
    assert UNSHOWN in render.prompt_html(back.prompt, t)
    assert UNSHOWN in render.prompt_text(back.prompt, t)
    assert render.answer_words(prompt.question, json.loads(json.dumps(10**27)), t) == UNSHOWN
    # Typing a sound answer over it replaces it; the plan is whole again.
    answer_all(interview, "stepper", EVERY_FIGURE, "es")
    found = interview.latest_plan("stepper")
    assert found is not None and found[1].exposure.known


@pytest.mark.parametrize("locale", list(SUPPORTED_LOCALES))
def test_the_translator_never_raises_on_a_figure(locale: str) -> None:
    t = translator(locale)
    for value in (10**27, Decimal(10) ** 27, Decimal("NaN"), Decimal("sNaN"), float("inf"),
                  float("nan"), "NaN", "abc", None, [1], {"amount": 1}, True, 10**4000):  # fmt: skip
        assert t.money(value, "EUR") == UNSHOWN
        assert t.number(value) == UNSHOWN
        assert t.percent(value) == UNSHOWN
    for currency in (None, 978, "eur", "", "EURO"):
        assert t.money(150, currency) == UNSHOWN
    assert t.money(SHOWN_LIMIT - 1, "EUR") != UNSHOWN
    assert t.number("150.25") != UNSHOWN and t.money(0, "XOF") != UNSHOWN


def test_a_maximum_that_could_not_be_shown_is_refused_at_load() -> None:
    # A money `max:` is in euros: scaled to an unlisted currency, 10^12 would pass 10^15.
    questions = tuple(
        dataclasses.replace(q, maximum=Decimal(10**12)) if q.id == "ad_spend" else q
        for q in AUDIT.questions
    )
    problems = validate(Dialog(AUDIT.version, AUDIT.areas, questions))
    assert problems == [
        "question 'ad_spend': max is too large: a limit must stay below 1e+15 to be shown"
    ]
    assert validate(AUDIT) == []
