"""Loading the audit: read `dialogs/audit.yaml`, build a `Dialog`, validate all of it.

Loading raises one `DialogError` listing every problem, each naming its question, so a
consultant who edits the YAML sees all mistakes at once, at start-up, not in front of an owner.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from bot.conditions import NUMBER_OPERATORS, OPTION_OPERATORS, Condition, Test, parse_condition
from bot.dialog import (
    _ID,
    _OPTION_ID,
    _OPTION_KEYS,
    _QUESTION_KEYS,
    DEFAULT_TEXT_LENGTH,
    QUESTION_TYPES,
    SKIP_STYLES,
    Area,
    Dialog,
    Option,
    Question,
)
from bot.errors import DialogError
from bot.i18n import SHOWN_LIMIT, UNITS_PER_EURO
from bot.resources import SAFE_LOADER, data_dir

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
        languages = option.get("languages") or []
        if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
            problems.append(f"{name}: option {option['id']!r}: `languages` is a list of codes")
            languages = []
        options.append(
            Option(
                str(option["id"]),
                str(option.get("text", "")),
                bool(option.get("exclusive")),
                tuple(languages),
            )
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
