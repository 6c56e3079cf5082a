"""One order for one owner: which actions come first, and when each is due.

Every action that applies is given a value from the owner's own answers: its weight, plus the
boosts their situation earns (a single channel carrying 95 % of first contacts, a list that
only needs its first send, a domain held by someone else), times how urgent its kind is,
divided by the effort to a first result. The three with the most value are the owner's three
moves, due this week; the rest follow at two a week, a pace an owner can keep. Beyond
`MAX_ACTIONS` the plan stops listing: a plan of twenty tasks is a plan of none.

Pure: answers in, an order and dates out, traceable (each action keeps its value and boosts).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.conditions import Answers
from bot.rules import ActionRule

MAX_ACTIONS = 10
FIRST_WEEK = 3
PER_WEEK_AFTER = 2
# How much sooner a kind of action matters (its deadline bucket in the rules).
URGENCY = {"week": 1.5, "month": 1.0, "quarter": 0.6}
# An action taking this many minutes to a first result counts its value whole.
EFFORT_UNIT = 30


@dataclass(frozen=True)
class Ranked:
    rule: ActionRule
    value: float
    boosted: int
    """Boost points this owner's answers earned."""


def rank(rules: Sequence[ActionRule], answers: Answers) -> list[Ranked]:
    """The applicable actions, most valuable first; an action another one replaces
    (`excludes`) is dropped when that one applies. Ties keep the rules' order."""
    ranked = [_ranked(rule, answers) for rule in rules]
    ranked.sort(key=lambda item: -item.value)
    kept: list[Ranked] = []
    excluded: set[str] = set()
    for item in ranked:
        if item.rule.id in excluded:
            continue
        kept.append(item)
        excluded.update(item.rule.excludes)
    # An action seen before the one that excludes it goes too: the exclusion is about the
    # pair, not about who came first.
    return [item for item in kept if item.rule.id not in excluded]


def _ranked(rule: ActionRule, answers: Answers) -> Ranked:
    boosted = sum(boost.points for boost in rule.boosts if boost.when.holds(answers))
    effort = math.sqrt(max(rule.effort, 1) / EFFORT_UNIT)
    value = (rule.weight + boosted) * URGENCY.get(rule.deadline, 1.0) / effort
    return Ranked(rule, round(value, 3), boosted)


def week_of(rank_index: int) -> int:
    """The week (1 = this week) an action at this place in the order is due."""
    if rank_index < FIRST_WEEK:
        return 1
    return 2 + (rank_index - FIRST_WEEK) // PER_WEEK_AFTER


def due(finished_on: date, week: int) -> date:
    return finished_on + timedelta(days=7 * week)
