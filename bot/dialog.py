"""The audit as data: walk it and read answers (loading and validation: `dialog_check`).

Everything here is pure. Loading validates the whole file and raises one `DialogError` listing
every problem, each naming its question, so a consultant who edits the YAML sees all mistakes at
once, at start-up, not in front of an owner.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from bot import markets
from bot.conditions import (
    Answers,
    Condition,
)
from bot.i18n import (
    N_,
    Money,
    NumberNotUnderstood,
    default_currency,
    finite,
    money_limit,
    money_parts,
    parse_amount,
)

QUESTION_TYPES = ("single", "multi", "number", "money", "yesno", "text")
SKIP_STYLES = ("dont_know", "skip", "never")
# Ids travel inside Telegram's 64-byte callback data, so they are short slugs.
_ID = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
_OPTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
_QUESTION_KEYS = {
    "id", "type", "area", "text", "hint", "options", "when", "skip", "min", "max", "unit",
    "max_length",
}  # fmt: skip
_OPTION_KEYS = {"id", "text", "exclusive", "languages"}
DEFAULT_TEXT_LENGTH = 500
# Limits of a number question without `max:` (money questions: `i18n.MONEY_LIMIT_EUR`).
DEFAULT_NUMBER_MAX = Decimal(1_000_000)
"""Above any count a small business types (orders, customers, staff), far below SHOWN_LIMIT."""
PERCENT_MAX = Decimal(100)
PERCENT_EXAMPLE = Decimal(60)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    exclusive: bool = False
    languages: tuple[str, ...] = ()
    """Shown only to people reading one of these languages (empty: to everyone). A choice
    is accepted whatever the language: hiding is about a short list, not about permission."""

    def shown_in(self, language: str) -> bool:
        return not self.languages or language in self.languages


@dataclass(frozen=True)
class Area:
    id: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    area: str
    text: str
    hint: str | None = None
    options: tuple[Option, ...] = ()
    when: Condition | None = None
    skip: str = "dont_know"
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    unit: str | None = None
    max_length: int = DEFAULT_TEXT_LENGTH

    @property
    def can_skip(self) -> bool:
        return self.skip != "never"

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    def options_for(self, language: str) -> tuple[Option, ...]:
        """The options a person reading `language` is shown, in order."""
        return tuple(option for option in self.options if option.shown_in(language))

    def limit(self, currency: str = "") -> Decimal:
        """The largest value accepted: `max:`, or the type's default. A money question's limit
        is in euros (`max:` too), scaled to the currency typed (see `i18n.UNITS_PER_EURO`)."""
        if self.type == "money":
            if self.maximum is None:
                return money_limit(currency)
            return money_limit(currency, self.maximum)
        if self.maximum is not None:
            return self.maximum
        return PERCENT_MAX if self.unit == "percent" else DEFAULT_NUMBER_MAX

    def is_visible(self, answers: Answers) -> bool:
        return self.when is None or self.when.holds(answers)


@dataclass(frozen=True)
class InputError:
    """Why an answer was refused: a msgid (translated by the front end) and its parameters."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    figures: str | None = None
    """The Babel locale of the owner's market, so that examples and bounds are written the
    way they write figures ("1.500.000" in Bogotá); None: their language's way."""


@dataclass(frozen=True)
class Middle:
    """A range typed for a figure ("1000–1500"): its middle is stored, and the owner told so."""

    value: Any
    low: Any
    high: Any
    """The range's ends, stored the way the value is (so they can be shown the same way)."""


@dataclass(frozen=True)
class Ambiguous:
    """A typed number that reads two ways ("1.500" in English): the owner picks one."""

    readings: tuple[Any, Any]


@dataclass(frozen=True)
class Dialog:
    version: int
    areas: tuple[Area, ...]
    questions: tuple[Question, ...]
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {question.id: question for question in self.questions})

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def area(self, area_id: str) -> Area:
        return next(area for area in self.areas if area.id == area_id)

    # ── Walking ──────────────────────────────────────────────────────────────────────────

    def effective_answers(self, stored: Answers) -> dict[str, Any]:
        """The stored answers that still count: those of questions still shown.

        An owner who goes back and changes an answer may hide follow-ups answered earlier; their
        rows stay stored (changing back restores them) but nothing downstream sees them.
        """
        stored = self.usable(stored)
        effective: dict[str, Any] = {}
        for question in self.questions:
            if question.id in stored and question.is_visible(effective):
                effective[question.id] = stored[question.id]
        return effective

    def usable(self, stored: Answers) -> dict[str, Any]:
        """The stored answers, with each one that cannot be used read as "don't know".

        Older versions stored some (a 27-digit amount, "NaN", a wrong type); every figure shown
        or computed with comes through here, so none of them can break a plan. The stored rows
        are left as they are: they are the owner's.
        """
        usable = dict(stored)
        for question_id, value in stored.items():
            question = self._by_id.get(question_id)
            if question is not None and not sound(question, value):
                # The id, never the value: it may be anything an owner typed.
                log.warning("the stored answer to %s cannot be used: read as unknown", question_id)
                usable[question_id] = None
        return usable

    def path(self, stored: Answers) -> list[Question]:
        """The questions this owner is shown, given what they have answered so far.

        A follow-up whose condition depends on questions not yet answered is left out until they
        are, so the path grows as the owner goes; it never includes a question it cannot show.
        """
        effective = self.effective_answers(stored)
        return [question for question in self.questions if question.is_visible(effective)]

    def expected_length(self, stored: Answers) -> int:
        """How many questions this owner may still see in all: the path so far, plus the
        follow-ups that answers not given yet could still open. Shown as the progress total,
        it only ever shrinks as the owner answers (never 1/17 … 25/25)."""
        effective = self.effective_answers(stored)
        undecided: set[str] = set()
        count = 0
        for question in self.questions:
            if question.is_visible(effective):
                count += 1
                if question.id not in stored:
                    undecided.add(question.id)
            elif question.when is not None and any(
                test.question in undecided for test in question.when.tests()
            ):
                count += 1
                undecided.add(question.id)
        return count

    def next_question(self, stored: Answers) -> Question | None:
        """The first question on the path that has no stored answer (None: the audit is done)."""
        return next((q for q in self.path(stored) if q.id not in stored), None)

    # ── Reading answers ──────────────────────────────────────────────────────────────────

    def read_text(
        self, question: Question, text: str, locale: str, answers: Answers
    ) -> Any | InputError:
        """Turn what an owner typed into the typed value stored for `question`."""
        text = text.strip()
        if not text:
            return InputError(N_("That message was empty. Please type an answer."))
        if question.type == "text":
            if len(text) > question.max_length:
                return InputError(
                    N_("That is a bit long: please keep it under %(limit)s characters."),
                    {"limit": question.max_length},
                )
            return text
        if question.type in ("number", "money"):
            return self._read_number(question, text, locale, answers)
        return InputError(N_("Please answer with the buttons below the question."))

    def _read_number(
        self, question: Question, text: str, locale: str, answers: Answers
    ) -> Any | InputError:
        # A percentage's example is a percentage, not the money-like one the front end shows.
        example = {"example": PERCENT_EXAMPLE} if question.unit == "percent" else {}
        if len(text) > 40:
            return InputError(N_("Please type just the number, for example %(example)s."), example)
        market = markets.of(answers)
        figures = markets.number_locale(market, locale)
        expected = _market_currency(market, locale, answers)
        try:
            # The market's currency says what "$" and "F" mean, and whether "1.500" has cents;
            # its locale which of "." and "," marks the thousands.
            amount = parse_amount(text, figures, expected if question.type == "money" else None)
        except NumberNotUnderstood:
            return InputError(
                N_("I could not read that as a number. Type it like %(example)s."),
                example,
                figures,
            )
        if amount.value < 0:
            return InputError(N_("Please type an amount of 0 or more."))
        currency = amount.currency or expected
        if currency is None and amount.value == 0 and amount.alternative is None:
            currency = default_currency(locale)  # nothing spent: any currency says so
        if currency is None:
            if question.type == "money":
                return InputError(
                    N_("Please add the currency, for example %(example)s."),
                    {"example": "150 USD"},
                )
            currency = ""  # a plain number: no currency to speak of
        limit = question.limit(currency)
        readings = [
            value
            for value in (amount.value, amount.alternative)
            if value is not None and _within(question.minimum, limit, value)
        ]
        if not readings:
            return replace(_out_of_range(question, limit, currency), figures=figures)
        typed = [self._typed(question, value, currency) for value in readings]
        if len(typed) == 2:
            return Ambiguous((typed[0], typed[1]))
        if amount.range is not None and readings[0] == amount.value:
            low, high = (self._typed(question, end, currency) for end in amount.range)
            return Middle(typed[0], low, high)
        return typed[0]

    @staticmethod
    def _typed(question: Question, value: Decimal, currency: str) -> Any:
        if question.type == "number":
            return _plain(value)
        return {"amount": _plain(value), "currency": currency}

    def read_choice(self, question: Question, option_id: str) -> Any | InputError:
        """Validate a tapped option of a single-choice or yes/no question."""
        if question.type == "yesno" and option_id in ("yes", "no"):
            return option_id == "yes"
        if question.type == "single" and question.option(option_id):
            return option_id
        return InputError(N_("That button does not belong to this question."))

    def read_selection(self, question: Question, option_ids: Iterable[str]) -> Any | InputError:
        """Validate the set of ticked options of a multi-choice question."""
        chosen = set(option_ids)
        if not chosen:
            return InputError(N_("Tick at least one option, then tap Done."))
        if any(question.option(option_id) is None for option_id in chosen):
            return InputError(N_("That button does not belong to this question."))
        return [option.id for option in question.options if option.id in chosen]


def _within(minimum: Decimal | None, limit: Decimal, value: Decimal) -> bool:
    return (minimum is None or value >= minimum) and value <= limit


def _market_currency(market: markets.Market, locale: str, answers: Answers) -> str | None:
    """The currency a bare number means: the market's, or the one named in "another country";
    the language's when the owner did not say where they sell (a skipped country). None when
    they sell elsewhere in a currency we do not list: they write it with the amount."""
    if market.currency is not None:
        return market.currency
    if answers.get(markets.COUNTRY) is None:
        return default_currency(locale)
    return None


def _out_of_range(question: Question, limit: Decimal, currency: str) -> InputError:
    """The refusal of a number outside the question's range, its bounds written as money for a
    money question (the front end formats them the reader's way)."""

    def bound(value: Decimal) -> Decimal | Money:
        return Money(value, currency) if question.type == "money" else value

    if question.minimum is not None:
        return InputError(
            N_("Please type a number between %(minimum)s and %(maximum)s."),
            {"minimum": bound(question.minimum), "maximum": bound(limit)},
        )
    if question.type == "money":
        return InputError(
            N_("That amount is too large: please type at most %(maximum)s."),
            {"maximum": bound(limit)},
        )
    return InputError(
        N_("That number is too large: please type at most %(maximum)s."), {"maximum": limit}
    )


def sound(question: Question, value: Any) -> bool:
    """Whether a stored value has the shape its question's type stores (None: skipped), and a
    figure in it can be shown and computed with (`i18n.finite`)."""
    if value is None:
        return True
    if question.type == "number":
        return finite(value) is not None
    if question.type == "money":
        return money_parts(value) is not None
    if question.type == "yesno":
        return isinstance(value, bool)
    if question.type == "multi":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return isinstance(value, str)


def toggle(question: Question, ticked: Iterable[str], option_id: str) -> list[str]:
    """Tick or untick one option; an exclusive option ("none of these") clears the others."""
    ticked = set(ticked)
    option = question.option(option_id)
    if option is None:
        return sorted(ticked)
    if option_id in ticked:
        ticked.discard(option_id)
    elif option.exclusive:
        ticked = {option_id}
    else:
        exclusive = {o.id for o in question.options if o.exclusive}
        ticked = (ticked - exclusive) | {option_id}
    return [o.id for o in question.options if o.id in ticked]


def _plain(value: Decimal) -> int | str:
    """Store whole numbers as ints and decimals as exact strings (JSON has no Decimal)."""
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


# Loading builds and validates a Dialog; it lives in its own module for size, and is offered
# here, where callers look for it (`dialog.load()`).
from bot.dialog_check import check_condition as check_condition  # noqa: E402
from bot.dialog_check import load as load  # noqa: E402
from bot.dialog_check import validate as validate  # noqa: E402
