"""The room's picture: a workshop's progress and anonymous aggregates of its finished plans.

Pure data and arithmetic, apart from the workshop's storage, so that renderers (the group
summary, the report PDF) can draw it without importing the store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import median

from bot.dialog import Area
from bot.plan import Plan
from bot.rules import ActionRule

MIN_FOR_AGGREGATES = 3
"""Below this many finished audits the room sees counts only: a distribution of two people's
scores could tell who is who."""
SCORE_BANDS = ((0, 39), (40, 69), (70, 100))


@dataclass(frozen=True)
class Progress:
    joined: int
    answering: int
    finished: int


@dataclass(frozen=True)
class AreaBands:
    area: Area
    counts: tuple[int, ...]
    """How many finished audits score in each of SCORE_BANDS."""


@dataclass(frozen=True)
class Gap:
    action: ActionRule
    count: int


@dataclass(frozen=True)
class FollowUp:
    """What the room did after the workshop, anonymously: who has done their first move, and
    how the scores of those who took a check-up moved (medians, only from three owners up)."""

    first_moves: int
    rechecked: int
    median_before: int | None = None
    median_after: int | None = None


@dataclass(frozen=True)
class RoomPicture:
    progress: Progress
    bands: tuple[AreaBands, ...]
    gaps: tuple[Gap, ...]
    follow_up: FollowUp | None = None

    @property
    def aggregates_shown(self) -> bool:
        return self.progress.finished >= MIN_FOR_AGGREGATES


def follow_up(first_moves: int, plans: list[Plan]) -> FollowUp:
    """`first_moves` owners ticked the first move of their workshop plan done; from each
    finished owner's latest plan, their overall score before and after a check-up."""
    moved = [
        (plan.previous_overall, plan.overall)
        for plan in plans
        if plan.previous_overall is not None and plan.overall is not None
    ]
    if len(moved) < MIN_FOR_AGGREGATES:
        return FollowUp(first_moves, len(moved))
    return FollowUp(
        first_moves,
        len(moved),
        round(median(before for before, _ in moved)),
        round(median(after for _, after in moved)),
    )


def bands(plans: list[Plan]) -> tuple[AreaBands, ...]:
    if not plans:
        return ()
    bands = []
    for index, area_score in enumerate(plans[0].scores):
        scores = [plan.scores[index].score for plan in plans]
        counts = tuple(
            sum(1 for score in scores if score is not None and low <= score <= high)
            for low, high in SCORE_BANDS
        )
        if sum(counts):
            bands.append(AreaBands(area_score.area, counts))
    return tuple(bands)


def gaps(plans: list[Plan], most: int = 5) -> tuple[Gap, ...]:
    """The actions most owners in the room need; advice everyone gets is not a gap."""
    counts = Counter(
        action.rule.id for plan in plans for action in plan.actions if action.rule.when
    )
    rules = {action.rule.id: action.rule for plan in plans for action in plan.actions}
    return tuple(Gap(rules[rule_id], count) for rule_id, count in counts.most_common(most))
