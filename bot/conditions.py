"""The small condition language of the audit and the plan rules: mappings, never code.

    {q: id, is: option}        {q: id, in: [a, b]}          {q: id, answered: true}
    {q: id, has: option}       {q: id, has_any: [a, b]}     {q: id, has_none: [a, b]}
    {q: id, count_gte: 2}      {q: id, gt: 0}  (also gte, lt, lte)
    {q: id, has_at_least: 2, of: [a, b, c]}
    {all: [...]}   {any: [...]}   {not: {...}}

A question that was skipped or never shown satisfies only `answered: false` (and `not`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Answers = Mapping[str, Any]
"""Question id → typed value; None means "skipped / don't know"; absent means not asked."""


def numeric(value: Any) -> Decimal | None:
    """The number in a number or money answer, or None."""
    if isinstance(value, dict):
        value = value.get("amount")
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value))


_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "is": lambda value, operand: value == operand,
    "in": lambda value, operand: value in operand,
    "has": lambda value, operand: isinstance(value, list) and operand in value,
    "has_any": lambda value, operand: isinstance(value, list) and bool(set(value) & set(operand)),
    "has_none": lambda value, operand: isinstance(value, list) and not set(value) & set(operand),
    "count_gte": lambda value, operand: isinstance(value, list) and len(value) >= operand,
    "has_at_least": lambda value, operand: (
        isinstance(value, list) and len(set(value) & set(operand[1])) >= operand[0]
    ),
    "gt": lambda value, operand: (n := numeric(value)) is not None and n > operand,
    "gte": lambda value, operand: (n := numeric(value)) is not None and n >= operand,
    "lt": lambda value, operand: (n := numeric(value)) is not None and n < operand,
    "lte": lambda value, operand: (n := numeric(value)) is not None and n <= operand,
}
OPERATORS = frozenset(_TESTS) | {"answered"}
OPTION_OPERATORS = frozenset({"is", "in", "has", "has_any", "has_none", "has_at_least"})
NUMBER_OPERATORS = frozenset({"gt", "gte", "lt", "lte"})


class Condition:
    def holds(self, answers: Answers) -> bool:
        raise NotImplementedError

    def tests(self) -> Iterator[Test]:
        """Every leaf test, for validation and for tracing why a rule fired."""
        raise NotImplementedError


@dataclass(frozen=True)
class Test(Condition):
    question: str
    operator: str
    operand: Any

    def holds(self, answers: Answers) -> bool:
        answered = answers.get(self.question) is not None
        if self.operator == "answered":
            return answered is bool(self.operand)
        return answered and _TESTS[self.operator](answers[self.question], self.operand)

    def tests(self) -> Iterator[Test]:
        yield self

    def option_ids(self) -> list[str]:
        if self.operator not in OPTION_OPERATORS or isinstance(self.operand, bool):
            return []
        if self.operator == "has_at_least":
            return list(self.operand[1])
        return list(self.operand) if isinstance(self.operand, list) else [self.operand]


@dataclass(frozen=True)
class All(Condition):
    parts: tuple[Condition, ...]

    def holds(self, answers: Answers) -> bool:
        return all(part.holds(answers) for part in self.parts)

    def tests(self) -> Iterator[Test]:
        for part in self.parts:
            yield from part.tests()


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def holds(self, answers: Answers) -> bool:
        return any(part.holds(answers) for part in self.parts)

    def tests(self) -> Iterator[Test]:
        for part in self.parts:
            yield from part.tests()


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def holds(self, answers: Answers) -> bool:
        return not self.part.holds(answers)

    def tests(self) -> Iterator[Test]:
        yield from self.part.tests()


def parse_condition(raw: Any) -> Condition:
    """Build a Condition from YAML; raises ValueError with a short reason."""
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"a condition must be a mapping, got {raw!r}")
    if set(raw) == {"all"} or set(raw) == {"any"}:
        ((key, parts),) = raw.items()
        if not isinstance(parts, list) or not parts:
            raise ValueError(f"'{key}' needs a non-empty list")
        built = tuple(parse_condition(part) for part in parts)
        return All(built) if key == "all" else AnyOf(built)
    if set(raw) == {"not"}:
        return Not(parse_condition(raw["not"]))
    if "has_at_least" in raw:
        return _at_least(raw)
    if "q" not in raw or len(raw) != 2:
        raise ValueError(f"expected {{q: id, <operator>: value}}, got {raw!r}")
    operator = next(key for key in raw if key != "q")
    if operator not in OPERATORS:
        raise ValueError(f"unknown operator {operator!r}")
    operand = raw[operator]
    if operator in ("in", "has_any", "has_none") and not isinstance(operand, list):
        raise ValueError(f"'{operator}' needs a list")
    if operator in NUMBER_OPERATORS or operator == "count_gte":
        if isinstance(operand, bool) or not isinstance(operand, int | float):
            raise ValueError(f"'{operator}' needs a number")
        operand = Decimal(str(operand)) if operator in NUMBER_OPERATORS else operand
    if operator == "answered" and not isinstance(operand, bool):
        raise ValueError("'answered' needs true or false")
    return Test(str(raw["q"]), operator, operand)


def _at_least(raw: dict[str, Any]) -> Test:
    if set(raw) != {"q", "has_at_least", "of"}:
        raise ValueError(f"expected {{q: id, has_at_least: N, of: [options]}}, got {raw!r}")
    count, options = raw["has_at_least"], raw["of"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError("'has_at_least' needs a whole number of at least 1")
    if not isinstance(options, list) or not options:
        raise ValueError("'of' needs a non-empty list")
    return Test(str(raw["q"]), "has_at_least", (count, tuple(options)))
