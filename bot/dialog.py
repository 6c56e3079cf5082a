"""The audit as data: load `dialogs/audit.yaml`, validate it, walk it, and read answers.

Everything here is pure. Loading validates the whole file and raises one `DialogError` listing
every problem, each naming its question, so a consultant who edits the YAML sees all mistakes at
once, at start-up, not in front of an owner.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from bot import audit_ids as ids
from bot.conditions import (
    NUMBER_OPERATORS,
    OPTION_OPERATORS,
    Answers,
    Condition,
    Test,
    parse_condition,
)
from bot.errors import DialogError
from bot.i18n import (
    N_,
    SHOWN_LIMIT,
    UNITS_PER_EURO,
    Money,
    NumberNotUnderstood,
    default_currency,
    finite,
    money_limit,
    money_parts,
    parse_amount,
)
from bot.resources import SAFE_LOADER, data_dir

QUESTION_TYPES = ("single", "multi", "number", "money", "yesno", "text")
SKIP_STYLES = ("dont_know", "skip", "never")
# Ids travel inside Telegram's 64-byte callback data, so they are short slugs.
_ID = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
_OPTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
_QUESTION_KEYS = {
    "id", "type", "area", "text", "hint", "options", "when", "skip", "min", "max", "unit",
    "max_length",
}  # fmt: skip
_OPTION_KEYS = {"id", "text", "exclusive"}
DEFAULT_TEXT_LENGTH = 500
# Limits of a number question without `max:` (money questions: `i18n.MONEY_LIMIT_EUR`).
DEFAULT_NUMBER_MAX = Decimal(1_000_000)
"""Above any count a small business types (orders, customers, staff), far below SHOWN_LIMIT."""
PERCENT_MAX = Decimal(100)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    exclusive: bool = False


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
        if len(text) > 40:
            return InputError(N_("Please type just the number, for example %(example)s."))
        try:
            amount = parse_amount(text, locale)
        except NumberNotUnderstood:
            return InputError(N_("I could not read that as a number. Type it like %(example)s."))
        if amount.value < 0:
            return InputError(N_("Please type an amount of 0 or more."))
        currency = amount.currency or default_currency(locale, answers.get(ids.COUNTRY))
        limit = question.limit(currency)
        readings = [
            value
            for value in (amount.value, amount.alternative)
            if value is not None and _within(question.minimum, limit, value)
        ]
        if not readings:
            return _out_of_range(question, limit, currency)
        typed = [self._typed(question, value, currency) for value in readings]
        return Ambiguous((typed[0], typed[1])) if len(typed) == 2 else typed[0]

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


# ── Loading and validation ──────────────────────────────────────────────────────────────────


def load(path: Path | None = None) -> Dialog:
    """Load and fully validate the audit; raise DialogError naming every problem."""
    path = path or data_dir("dialogs") / "audit.yaml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise DialogError(f"{path}: cannot read: {error}") from error
    problems: list[str] = []
    dialog = _build(raw, problems)
    if dialog is not None:
        problems.extend(validate(dialog))
    if problems or dialog is None:
        raise DialogError(f"{path}:\n  " + "\n  ".join(problems))
    return dialog


def _build(raw: Any, problems: list[str]) -> Dialog | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        problems.append("the file needs a 'questions' list")
        return None
    areas = tuple(
        Area(str(area.get("id")), str(area.get("text")))
        for area in raw.get("areas") or []
        if isinstance(area, dict)
    )
    questions = []
    for index, item in enumerate(raw["questions"], start=1):
        question = _build_question(item, index, problems)
        if question is not None:
            questions.append(question)
    return Dialog(int(raw.get("version", 1)), areas, tuple(questions))


def _build_question(item: Any, index: int, problems: list[str]) -> Question | None:
    if not isinstance(item, dict):
        problems.append(f"question #{index}: must be a mapping")
        return None
    name = f"question {item.get('id', f'#{index}')!r}"
    for key in sorted(set(item) - _QUESTION_KEYS):
        problems.append(f"{name}: unknown key {key!r}")
    options = []
    for position, option in enumerate(item.get("options") or [], start=1):
        if not isinstance(option, dict) or "id" not in option:
            problems.append(f"{name}: option #{position} has no id")
            continue
        for key in sorted(set(option) - _OPTION_KEYS):
            problems.append(f"{name}: option {option['id']!r} has unknown key {key!r}")
        options.append(
            Option(str(option["id"]), str(option.get("text", "")), bool(option.get("exclusive")))
        )
    when = None
    if "when" in item:
        try:
            when = parse_condition(item["when"])
        except ValueError as error:
            problems.append(f"{name}: bad condition: {error}")

    def bound(key: str) -> Decimal | None:
        return None if item.get(key) is None else Decimal(str(item[key]))

    return Question(
        id=str(item.get("id", "")),
        type=str(item.get("type", "")),
        area=str(item.get("area", "")),
        text=str(item.get("text", "")),
        hint=item.get("hint"),
        options=tuple(options),
        when=when,
        skip=str(item.get("skip", "dont_know")),
        minimum=bound("min"),
        maximum=bound("max"),
        unit=item.get("unit"),
        max_length=int(item.get("max_length", DEFAULT_TEXT_LENGTH)),
    )


def validate(dialog: Dialog) -> list[str]:
    """Every problem in an assembled dialog, each naming its question."""
    problems: list[str] = []
    area_ids = [area.id for area in dialog.areas]
    if len(set(area_ids)) != len(area_ids):
        problems.append("duplicate area ids")
    seen: dict[str, Question] = {}
    for question in dialog.questions:
        name = f"question {question.id!r}"
        problems.extend(f"{name}: {problem}" for problem in _check_question(question, area_ids))
        if question.id in seen:
            problems.append(f"{name}: duplicate id")
        if question.when is not None:
            problems.extend(f"{name}: {p}" for p in check_condition(question.when, seen))
            if not _satisfiable(question.when, seen):
                problems.append(f"{name}: unreachable, its condition can never hold")
        seen.setdefault(question.id, question)
    return problems


def _check_question(question: Question, area_ids: list[str]) -> Iterator[str]:
    if not _ID.match(question.id):
        yield "id must be a short lowercase slug (a-z, 0-9, _; at most 24 characters)"
    if question.type not in QUESTION_TYPES:
        yield f"unknown type {question.type!r} (one of {', '.join(QUESTION_TYPES)})"
    if question.area not in area_ids:
        yield f"unknown area {question.area!r}"
    if not question.text.strip():
        yield "has no text"
    if question.skip not in SKIP_STYLES:
        yield f"unknown skip style {question.skip!r}"
    has_options = question.type in ("single", "multi")
    if has_options and len(question.options) < 2:
        yield "needs at least two options"
    if not has_options and question.options:
        yield f"a {question.type} question takes no options"
    option_ids = [option.id for option in question.options]
    if len(set(option_ids)) != len(option_ids):
        yield "duplicate option ids"
    for option in question.options:
        if not _OPTION_ID.match(option.id):
            yield f"option {option.id!r}: id must be a lowercase slug of at most 16 characters"
        if not option.text.strip():
            yield f"option {option.id!r} has no text"
        if option.exclusive and question.type != "multi":
            yield f"option {option.id!r}: only multi-choice options can be exclusive"
    if question.type in ("number", "money"):
        # Every currency's limit, an unlisted one's ("") included.
        limits = [question.limit(currency) for currency in (*UNITS_PER_EURO, "")]
        if max(limits) >= SHOWN_LIMIT:
            yield f"max is too large: a limit must stay below {SHOWN_LIMIT:.0e} to be shown"
        if question.minimum is not None and question.minimum > min(limits):
            yield "min is above max"


def check_condition(condition: Condition, earlier: dict[str, Question]) -> Iterator[str]:
    """Problems with a condition that may only look at `earlier` questions."""
    for test in condition.tests():
        target = earlier.get(test.question)
        if target is None:
            yield f"condition on unknown or later question {test.question!r}"
            continue
        yield from _check_test(test, target)


def _check_test(test: Test, target: Question) -> Iterator[str]:
    kind = target.type
    if test.operator in NUMBER_OPERATORS and kind not in ("number", "money"):
        yield f"'{test.operator}' compares numbers but {target.id!r} is {kind}"
    if (
        test.operator in ("has", "has_any", "has_none", "count_gte", "has_at_least")
        and kind != "multi"
    ):
        yield f"'{test.operator}' needs a multi-choice question, {target.id!r} is {kind}"
    if test.operator in ("is", "in") and kind not in ("single", "yesno"):
        yield f"'{test.operator}' needs a single-choice or yes/no question, {target.id!r} is {kind}"
    if kind == "yesno" and test.operator == "is" and not isinstance(test.operand, bool):
        yield f"yes/no question {target.id!r} is compared with true or false"
    if kind in ("single", "multi") and test.operator in OPTION_OPERATORS:
        for option_id in test.option_ids():
            if target.option(option_id) is None:
                yield f"condition on unknown answer {option_id!r} of {target.id!r}"


def _satisfiable(condition: Condition, earlier: dict[str, Question]) -> bool:
    """Is there any set of answers to the referenced questions that makes it hold?

    Tries a small, sufficient set of candidate values per question (each option alone, pairs,
    all of them, numbers on both sides of each threshold, skipped), so contradictions such as
    "is a and is b" or "gt 10 and lt 5" are caught at load time.
    """
    tests = list(condition.tests())
    referenced = sorted({test.question for test in tests if test.question in earlier})
    domains = [_candidates(earlier[qid], tests) for qid in referenced]
    return any(
        condition.holds(dict(zip(referenced, values, strict=True)))
        for values in itertools.product(*domains)
    )


def _candidates(question: Question, tests: list[Test]) -> list[Any]:
    values: list[Any] = [None]
    option_ids = [option.id for option in question.options]
    if question.type == "yesno":
        values += [True, False]
    elif question.type == "single":
        values += option_ids
    elif question.type == "multi":
        values += [[a] for a in option_ids] + [
            list(p) for p in itertools.combinations(option_ids, 2)
        ]
        values.append(option_ids)
    elif question.type in ("number", "money"):
        thresholds = [
            t.operand for t in tests if t.question == question.id and t.operator in NUMBER_OPERATORS
        ]
        values += [Decimal(0)] + [n + delta for n in thresholds for delta in (-1, 0, 1)]
    else:
        values.append("text")
    return values
