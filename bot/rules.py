"""The plan's rules as data: load `dialogs/actions.yaml` and validate it against the audit.

Scores, actions, legal notes and the areas the plan always covers. Every condition may look at
any question of the audit (the plan is made once all answers are in); every question and option
it names must exist. Like the audit, a mistake stops the start and names the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from bot.conditions import Condition, parse_condition
from bot.dialog import Dialog, check_condition
from bot.errors import DialogError
from bot.resources import SAFE_LOADER, data_dir

DEADLINES = {"week": 7, "month": 30, "quarter": 90}
"""Deadline buckets: how soon an action matters, at the latest."""
PRIORITIES = (1, 2, 3)
# Without a `weight`, an action weighs by its priority; without an `effort`, it takes the time
# its deadline bucket suggests (minutes to a first result).
DEFAULT_WEIGHT = {1: 6, 2: 4, 3: 2}
DEFAULT_EFFORT = {"week": 30, "month": 120, "quarter": 240}
SENDING = ("stops", "starts")
"""What an action does to newsletters and SMS: `stops` them (until consent is fixed) or
`starts` them. One plan must never carry both (checked at load: the stopping action must
`exclude` every starting one)."""


@dataclass(frozen=True)
class Scale:
    """Points in proportion to a number answer: `start` earns none, `end` earns all."""

    question: str
    start: Decimal
    end: Decimal
    when_not_asked: Decimal | None = None


@dataclass(frozen=True)
class ScoreItem:
    points: int
    text: str
    when: Condition | None = None
    scale: Scale | None = None


@dataclass(frozen=True)
class AreaRules:
    area: str
    items: tuple[ScoreItem, ...]
    applies_when: Condition | None = None


@dataclass(frozen=True)
class Step:
    text: str
    when: Condition | None = None


@dataclass(frozen=True)
class Boost:
    """Extra weight when the owner's answers make the action matter more for them."""

    points: int
    when: Condition


@dataclass(frozen=True)
class ActionRule:
    id: str
    area: str
    deadline: str
    priority: int
    title: str
    why: str
    steps: tuple[Step, ...]
    when: Condition | None = None
    weight: int = 4
    effort: int = 60
    """Minutes to a first result."""
    boosts: tuple[Boost, ...] = ()
    sending: str | None = None
    excludes: tuple[str, ...] = ()
    """Actions this one replaces when both would apply (the plan keeps only this one)."""


@dataclass(frozen=True)
class Note:
    id: str
    area: str
    text: str
    when: Condition | None = None


@dataclass(frozen=True)
class Required:
    """An area the plan always covers."""

    good: str
    """Said when the answers show it in good shape and no action is needed."""
    unknown: str
    """Said when every answer about it was "don't know": how to find out, what to do first."""


@dataclass(frozen=True)
class Rules:
    scores: tuple[AreaRules, ...]
    actions: tuple[ActionRule, ...]
    notes: tuple[Note, ...]
    required: dict[str, Required]
    """Area id → what to say when it needs no action, or when it could not be judged."""


def load(dialog: Dialog, path: Path | None = None) -> Rules:
    path = path or data_dir("dialogs") / "actions.yaml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise DialogError(f"{path}: cannot read: {error}") from error
    problems: list[str] = []
    rules = _Builder(dialog, problems).build(raw)
    if problems:
        raise DialogError(f"{path}:\n  " + "\n  ".join(problems))
    return rules


class _Builder:
    """Builds Rules from YAML, collecting every problem instead of stopping at the first."""

    def __init__(self, dialog: Dialog, problems: list[str]) -> None:
        self.dialog = dialog
        self.problems = problems
        self.questions = {question.id: question for question in dialog.questions}
        self.areas = {area.id for area in dialog.areas}

    def build(self, raw: Any) -> Rules:
        if not isinstance(raw, dict):
            self.problems.append("the file must be a mapping")
            return Rules((), (), (), {})
        scores = tuple(self._area(area, body) for area, body in (raw.get("scores") or {}).items())
        actions = tuple(self._action(item) for item in raw.get("actions") or [])
        notes = tuple(self._note(item) for item in raw.get("notes") or [])
        required = {
            str(item.get("area")): Required(str(item.get("good", "")), str(item.get("unknown", "")))
            for item in raw.get("required") or []
        }
        for area, texts in required.items():
            self._check_area("required", area)
            if not texts.good.strip() or not texts.unknown.strip():
                self.problems.append(f"required {area!r}: needs both 'good' and 'unknown'")
        for kind, ids in (("action", [a.id for a in actions]), ("note", [n.id for n in notes])):
            for duplicate in {i for i in ids if ids.count(i) > 1}:
                self.problems.append(f"{kind} {duplicate!r}: duplicate id")
        self._check_exclusions(actions)
        return Rules(scores, actions, notes, required)

    def _check_exclusions(self, actions: tuple[ActionRule, ...]) -> None:
        """Every exclusion names an action; every action that stops sending excludes every
        action that starts it, so that no plan says both."""
        ids = {action.id for action in actions}
        starting = {action.id for action in actions if action.sending == "starts"}
        for action in actions:
            for other in action.excludes:
                if other not in ids:
                    self.problems.append(f"action {action.id!r}: excludes unknown {other!r}")
            if action.sending == "stops":
                for other in sorted(starting - set(action.excludes)):
                    self.problems.append(
                        f"action {action.id!r} stops sending but does not exclude {other!r}, "
                        "which starts it: a plan could say both"
                    )

    def _condition(self, name: str, raw: Any) -> Condition | None:
        if raw is None:
            return None
        try:
            condition = parse_condition(raw)
        except ValueError as error:
            self.problems.append(f"{name}: bad condition: {error}")
            return None
        self.problems.extend(f"{name}: {p}" for p in check_condition(condition, self.questions))
        return condition

    def _check_area(self, name: str, area: str) -> None:
        if area not in self.areas:
            self.problems.append(f"{name}: unknown area {area!r}")

    def _area(self, area: str, body: Any) -> AreaRules:
        name = f"scores of {area!r}"
        self._check_area(name, area)
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            self.problems.append(f"{name}: needs an 'items' list")
            return AreaRules(area, ())
        items = tuple(
            self._score_item(f"{name} item #{n}", item)
            for n, item in enumerate(body["items"], start=1)
        )
        return AreaRules(area, items, self._condition(name, body.get("applies_when")))

    def _score_item(self, name: str, raw: Any) -> ScoreItem:
        if not isinstance(raw, dict) or not isinstance(raw.get("points"), int):
            self.problems.append(f"{name}: needs whole 'points'")
            return ScoreItem(0, "")
        if not str(raw.get("text", "")).strip():
            self.problems.append(f"{name}: has no text")
        if ("when" in raw) == ("scale" in raw):
            self.problems.append(f"{name}: needs either 'when' or 'scale'")
        return ScoreItem(
            points=raw["points"],
            text=str(raw.get("text", "")),
            when=self._condition(name, raw.get("when")),
            scale=self._scale(name, raw.get("scale")),
        )

    def _scale(self, name: str, raw: Any) -> Scale | None:
        if raw is None:
            return None
        question = self.questions.get(str(raw.get("q")))
        if question is None or question.type not in ("number", "money"):
            self.problems.append(f"{name}: scale needs a number question, got {raw.get('q')!r}")
            return None
        not_asked = raw.get("when_not_asked")
        return Scale(
            question=question.id,
            start=Decimal(str(raw.get("from", 0))),
            end=Decimal(str(raw.get("to", 100))),
            when_not_asked=None if not_asked is None else Decimal(str(not_asked)),
        )

    def _action(self, raw: dict[str, Any]) -> ActionRule:
        name = f"action {raw.get('id')!r}"
        self._check_area(name, str(raw.get("area")))
        if raw.get("deadline") not in DEADLINES:
            self.problems.append(f"{name}: deadline must be one of {', '.join(DEADLINES)}")
        if raw.get("priority") not in PRIORITIES:
            self.problems.append(f"{name}: priority must be 1, 2 or 3")
        for key in ("title", "why"):
            if not str(raw.get(key, "")).strip():
                self.problems.append(f"{name}: has no {key}")
        steps = tuple(self._step(name, step) for step in raw.get("steps") or [])
        if not steps:
            self.problems.append(f"{name}: has no steps")
        priority = int(raw.get("priority") or 3)
        deadline = str(raw.get("deadline"))
        weight, effort = raw.get("weight", DEFAULT_WEIGHT.get(priority, 2)), raw.get("effort")
        if effort is None:
            effort = DEFAULT_EFFORT.get(deadline, 60)
        if not isinstance(weight, int) or not isinstance(effort, int) or effort <= 0:
            self.problems.append(f"{name}: weight and effort must be whole numbers, effort > 0")
            weight, effort = 0, 60
        if raw.get("sending") not in (None, *SENDING):
            self.problems.append(f"{name}: sending must be one of {', '.join(SENDING)}")
        return ActionRule(
            id=str(raw.get("id")),
            area=str(raw.get("area")),
            deadline=deadline,
            priority=priority,
            title=str(raw.get("title", "")),
            why=str(raw.get("why", "")),
            steps=steps,
            when=self._condition(name, raw.get("when")),
            weight=weight,
            effort=effort,
            boosts=tuple(self._boost(name, boost) for boost in raw.get("boosts") or []),
            sending=raw.get("sending"),
            excludes=tuple(str(other) for other in raw.get("excludes") or []),
        )

    def _boost(self, name: str, raw: Any) -> Boost:
        if not isinstance(raw, dict) or not isinstance(raw.get("points"), int):
            self.problems.append(f"{name}: a boost needs whole 'points' and a 'when'")
            return Boost(0, parse_condition({"q": "_", "answered": True}))
        condition = self._condition(f"{name} boost", raw.get("when"))
        if condition is None:
            self.problems.append(f"{name}: a boost needs a 'when'")
            return Boost(0, parse_condition({"q": "_", "answered": True}))
        return Boost(raw["points"], condition)

    def _step(self, name: str, raw: Any) -> Step:
        if isinstance(raw, str):
            return Step(raw)
        if not isinstance(raw, dict) or not str(raw.get("text", "")).strip():
            self.problems.append(f"{name}: a step needs text")
            return Step("")
        return Step(str(raw["text"]), self._condition(f"{name} step", raw.get("when")))

    def _note(self, raw: dict[str, Any]) -> Note:
        name = f"note {raw.get('id')!r}"
        self._check_area(name, str(raw.get("area")))
        return Note(
            id=str(raw.get("id")),
            area=str(raw.get("area")),
            text=str(raw.get("text", "")),
            when=self._condition(name, raw.get("when")),
        )
