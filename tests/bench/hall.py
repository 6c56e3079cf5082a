"""The hall: N owners at human pace against a fake Bot API that keeps Telegram's flood limits.

Chambers of commerce and business schools run the audit with a whole hall at once, and then
Telegram, not the CPU, sets the ceiling: about 30 calls a second per bot across all chats.
Each owner joins (/start) at some moment of the first ``arrivals`` seconds, then pauses
``low``–``high`` s before every tap or typed answer, for ``seconds`` in all, against Canasta
exactly as shipped (``python -m bot run``, its sender keeping the limits) and a fake that
answers 429 beyond them.

Per number of owners: tap → next question (the owner's wait for the bot's whole answer),
counted calls per answer (all, and without the cosmetic ones the sender may drop), the 429s
the bot received, and the ceiling Telegram's limit allows for the same pacing:
30 × (seconds between taps) ÷ (counted calls per tap the owner waits for).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.bench.load import LoadResult, audit_script, run_load
from tests.bench.owners import Pace
from tests.bench.processes import CANASTA
from tests.bench.stats import percentile
from tests.fakebotapi import FloodLimits

#: Numbers of owners at once, by default.
OWNERS = (25, 50, 100, 150, 200)
#: A tap every 3–8 s, the hall joining over the first half minute, two minutes in all.
PACE = Pace(low=3, high=8, seconds=120, arrivals=30)
LIMITS = FloodLimits()
#: What the owners must get: the next question within this, at the 95th percentile.
P95_TARGET = 1.5


@dataclass(frozen=True)
class HallRun:
    """One run of ``owners`` owners."""

    owners: int
    seconds: float
    taps: list[float]  # s, each action after /start → the bot's whole answer
    joins: list[float]  # s, /start → the first question
    chat_calls: int  # calls naming a chat (what the limits count)
    cosmetic_calls: int  # of those, taking buttons away, typing indicators
    refusals: int  # 429s received

    def p(self, fraction: float) -> float:
        return percentile(self.taps, fraction)

    @property
    def answers(self) -> int:
        return len(self.taps)

    @property
    def calls_per_answer(self) -> float:
        return self.chat_calls / max(self.answers + len(self.joins), 1)

    @property
    def needed_calls_per_answer(self) -> float:
        """Counted calls per answer without the cosmetic ones: what the owner waits for."""
        return (self.chat_calls - self.cosmetic_calls) / max(self.answers + len(self.joins), 1)

    @property
    def taps_per_second(self) -> float:
        return (self.answers + len(self.joins)) / self.seconds


def ceiling(pace: Pace, calls_per_tap: float, per_second: int = LIMITS.per_bot[0]) -> float:
    """Owners Telegram's per-bot limit allows at this pace: 30 × s between taps ÷ calls."""
    return per_second * pace.mean_pause / calls_per_tap if calls_per_tap else math.inf


def run_hall(owners: int, pace: Pace, db_path: Path) -> HallRun:
    result: LoadResult = run_load(CANASTA, db_path, owners, audit_script, pace=pace, limits=LIMITS)
    measured = result.measured
    return HallRun(
        owners=owners,
        seconds=result.seconds,
        taps=result.taps,
        joins=result.joins,
        chat_calls=measured.chat_calls,
        cosmetic_calls=measured.cosmetic_calls,
        refusals=result.refusals,
    )


def run_halls(
    owners: tuple[int, ...], runs: int, pace: Pace, workdir: Path, say: Callable[[str], None]
) -> dict[int, list[HallRun]]:
    """Every number of owners, ``runs`` times (run by run, so the noise spreads evenly)."""
    results: dict[int, list[HallRun]] = {count: [] for count in owners}
    for number in range(1, runs + 1):
        for count in owners:
            say(f"hall run {number}/{runs}: {count} owners for {pace.seconds:g} s")
            db_path = workdir / f"hall-{count}-{number}.db"
            run = run_hall(count, pace, db_path)
            say(
                f"  p95 tap → question {run.p(0.95):.2f} s, {run.answers} answers, "
                f"{run.calls_per_answer:.2f} counted calls per answer, {run.refusals} 429s"
            )
            results[count].append(run)
    return results
