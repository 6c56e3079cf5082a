"""Summaries shared by every measurement: percentiles of samples, and a figure over runs.

Each benchmark figure is measured once per run; the report gives its median over the runs
with the smallest and largest value, so a reader sees both the typical value and the noise.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.99 → p99); NaN for no samples."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(math.ceil(fraction * len(ordered)), 1)
    return ordered[rank - 1]


@dataclass(frozen=True)
class Figure:
    """One figure over runs: its median and range."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Figure:
        if not values:
            return cls(math.nan, math.nan, math.nan)
        return cls(statistics.median(values), min(values), max(values))

    def format(self, digits: int = 1) -> str:
        """``12.3 (11.9–13.0)``; a single run prints without the range."""
        if self.low == self.high:
            return f"{self.median:.{digits}f}"
        return f"{self.median:.{digits}f} ({self.low:.{digits}f}–{self.high:.{digits}f})"
