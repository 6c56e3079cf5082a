"""The room's picture: a workshop's progress and anonymous aggregates of its finished plans.

Pure data and arithmetic, apart from the workshop's storage, so that renderers (the group
summary, the report PDF) can draw it without importing the store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

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
class RoomPicture:
    progress: Progress
    bands: tuple[AreaBands, ...]
    gaps: tuple[Gap, ...]

    @property
    def aggregates_shown(self) -> bool:
        return self.progress.finished >= MIN_FOR_AGGREGATES


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
