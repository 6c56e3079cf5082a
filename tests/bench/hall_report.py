"""The hall's part of docs/BENCHMARKS.md: a table per number of owners, its targets, a chart.

The section sits between two markers, so ``python -m tests.bench --hall-only`` can rewrite it
alone in the report a full run wrote.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.bench.hall import LIMITS, P95_TARGET, HallRun, ceiling
from tests.bench.owners import Pace
from tests.bench.png import BLACK, GREY, Canvas, Color
from tests.bench.stats import Figure, percentile

BEGIN = "<!-- hall: begin -->"
END = "<!-- hall: end -->"
CHART = "hall.png"
TARGET_OWNERS = 150
TARGET_SHARE = 0.9  # of the ceiling, served within the p95 target
BLUE: Color = (31, 119, 180)
RED: Color = (214, 39, 40)
GREEN: Color = (44, 160, 44)


@dataclass(frozen=True)
class HallResults:
    pace: Pace
    runs: int
    by_owners: dict[int, list[HallRun]]

    def figure(self, owners: int, value: Callable[[HallRun], float]) -> Figure:
        return Figure.of([value(run) for run in self.by_owners[owners]])

    def ceiling(self, owners: int) -> float:
        """Owners the limit allows at this pace, with the calls per answer measured here that
        the owner waits for (the cosmetic ones take only what is left)."""
        return ceiling(self.pace, self.figure(owners, lambda r: r.needed_calls_per_answer).median)

    def within_target(self, owners: int) -> bool:
        p95 = self.figure(owners, lambda run: run.p(0.95)).median
        return p95 <= P95_TARGET and self.figure(owners, lambda run: run.refusals).median == 0

    def served(self) -> int | None:
        """The most owners served within the target (p95 and no 429), or None."""
        return max((n for n in self.by_owners if self.within_target(n)), default=None)


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.0f}"


def _row(results: HallResults, owners: int) -> str:
    f = results.figure
    cells = [
        f"{owners}",
        f(owners, lambda r: 1000 * r.p(0.50)).format(0),
        f(owners, lambda r: 1000 * r.p(0.95)).format(0),
        f(owners, lambda r: 1000 * r.p(0.99)).format(0),
        f(owners, lambda r: 1000 * percentile(r.joins, 0.95)).format(0),
        f(owners, lambda r: r.taps_per_second).format(1),
        f(owners, lambda r: r.calls_per_answer).format(2),
        f(owners, lambda r: r.needed_calls_per_answer).format(2),
        f(owners, lambda r: r.refusals).format(0),
        f"{results.ceiling(owners):.0f}",
    ]
    return "| " + " | ".join(cells) + " |"


def targets(results: HallResults) -> list[tuple[str, str, bool]]:
    """(goal, result, met) for the summary table."""
    rows = []
    if TARGET_OWNERS in results.by_owners:
        p95 = results.figure(TARGET_OWNERS, lambda r: r.p(0.95))
        refusals = results.figure(TARGET_OWNERS, lambda r: r.refusals)
        rows.append((
            f"Hall of {TARGET_OWNERS} owners: p95 tap → next question ≤ {P95_TARGET:g} s",
            f"{p95.format(2)} s", p95.median <= P95_TARGET,
        ))  # fmt: skip
        rows.append((
            f"Hall of {TARGET_OWNERS} owners: no 429 received",
            f"{refusals.format(0)}", refusals.median == 0,
        ))  # fmt: skip
    served = results.served()
    if served is not None:
        share = served / results.ceiling(served)
        rows.append((
            f"Owners served within that ≥ {TARGET_SHARE:g} × the computed ceiling",
            f"{served} of {results.ceiling(served):.0f}: {share:.2f}", share >= TARGET_SHARE,
        ))  # fmt: skip
    return rows


def section(results: HallResults, chart: str = CHART) -> list[str]:
    pace = results.pace
    per_bot, _seconds = LIMITS.per_bot
    served = results.served()
    runs = results.runs
    lines = [
        BEGIN,
        "## The hall: many owners at once, within Telegram's limits",
        "",
        f"N owners at human pace against a fake Bot API that **keeps Telegram's flood limits** "
        f"(per bot {per_bot} calls a second, per private chat {LIMITS.per_chat[0]} in "
        f"{LIMITS.per_chat[1]:g} s, per group {LIMITS.per_group[0]} a minute; 429 with "
        f"`retry_after` beyond), Canasta exactly as shipped (`python -m bot run`). Each owner "
        f"joins at some moment of the first {pace.arrivals:g} s, then taps or types every "
        f"{pace.low:g}–{pace.high:g} s, for {pace.seconds:g} s in all. Median over {runs} "
        f"run{'s' * (runs > 1)} (lowest–highest).",
        "",
        "| owners | tap → next question p50 (ms) | p95 (ms) | p99 (ms) | join → first question "
        "p95 (ms) | answers/s | counted calls per answer | of which awaited | 429s received "
        "| ceiling (owners) |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *(_row(results, owners) for owners in sorted(results.by_owners)),
        "",
        "| target | result | |",
        "|---|---|---|",
        *(
            f"| {goal} | {value} | {'met' if met else '**missed**'} |"
            for goal, value, met in targets(results)
        ),
        "",
        f"![p95 tap → next question against owners at once, with the ceiling]({chart})",
        "",
        f"*The chart: p95 tap → next question (blue, median of the runs, the bar from the "
        f"lowest to the highest run) against the owners at once; the {P95_TARGET:g} s target "
        f"(red, dashed); the ceiling computed for this pace (green, dashed).*",
        "",
        "- **Tap → next question** is the owner's wait, from their tap or typed answer to the "
        "bot's whole answer in their chat (the next question, a ticked option redrawn); "
        "joining (/start → welcome and first question) is shown apart.",
        "- **Counted calls per answer**: calls naming a chat (what the limits count) per "
        "action of an owner; **of which awaited**: without the cosmetic ones (taking an "
        "answered question's buttons away, typing indicators), which the sender sends only "
        "with what the owners' questions leave, and drops under load.",
        f"- **Ceiling** = {per_bot} × {pace.mean_pause:g} s between taps (the pace's mean "
        f"pause) ÷ calls per answer the owner waits for: the owners Telegram's per-bot limit "
        f"allows at this pace. An owner's taps are in fact a little further apart (the pause "
        f"plus the wait), so the real ceiling is a little higher.",
    ]
    if served is not None:
        lines.append(
            f"- **{served} owners** at once get the next question within {P95_TARGET:g} s at "
            f"the 95th percentile with no 429, {served / results.ceiling(served):.2f} of the "
            f"ceiling for this pace."
        )
    lines += [
        "- **Why it holds**: every Bot API call goes through `bot.telegram.sending."
        "PrioritySender`, which lets counted calls through evenly spaced under the limits, "
        "in this order: button answers (not counted), the next question, plan messages and "
        "documents, cosmetic calls. The next question repeats the answer just given as its "
        "first line, so removing the old question's buttons is cosmetic: an answer costs "
        "one counted call the owner waits for instead of two. Joining costs one too: the "
        "welcome shares the first question's message.",
        "",
        "Run alone: `.venv/bin/python -m tests.bench --hall-only` (rewrites this section and "
        "the chart). Options: `--hall-owners 25,50,100,150,200`, `--hall-seconds S`, "
        "`--hall-runs R`.",
        END,
    ]
    return lines


def chart(results: HallResults) -> bytes:
    """p95 against owners, with the target and the ceiling."""
    width, height, left, right, top, bottom = 720, 420, 70, 20, 20, 50
    canvas = Canvas(width, height)
    owners = sorted(results.by_owners)
    ceilings = [results.ceiling(n) for n in owners]
    x_max = max([*owners, *(c for c in ceilings if math.isfinite(c))]) * 1.1
    highs = [results.figure(n, lambda r: r.p(0.95)).high for n in owners]
    y_max = max(P95_TARGET * 2, min(max(highs) * 1.1, 30.0))

    def x(value: float) -> float:
        return left + (width - left - right) * value / x_max

    def y(value: float) -> float:
        return height - bottom - (height - top - bottom) * min(value, y_max) / y_max

    y_step = _step(y_max)
    tick = 0.0
    while tick <= y_max:
        canvas.line(left, y(tick), width - right, y(tick), GREY)
        label = f"{tick:g}"
        canvas.text(left - 8 - Canvas.text_width(label), round(y(tick)) - 5, label)
        tick += y_step
    x_step = _step(x_max)
    tick = 0.0
    while tick <= x_max:
        canvas.line(x(tick), height - bottom, x(tick), height - bottom + 5, BLACK)
        label = f"{tick:g}"
        canvas.text(round(x(tick)) - Canvas.text_width(label) // 2, height - bottom + 10, label)
        tick += x_step
    canvas.line(left, top, left, height - bottom, BLACK, 2)
    canvas.line(left, height - bottom, width - right, height - bottom, BLACK, 2)
    canvas.text(width - right - Canvas.text_width("owners"), height - 18, "owners")
    canvas.text(8, top, "p95 s")
    canvas.line(left, y(P95_TARGET), width - right, y(P95_TARGET), RED, 2, dashed=True)
    at_target = results.served() or owners[-1]
    limit = results.ceiling(at_target)
    if math.isfinite(limit):
        canvas.line(x(limit), top, x(limit), height - bottom, GREEN, 2, dashed=True)
        label = f"ceiling {limit:.0f}"
        canvas.text(round(x(limit)) - Canvas.text_width(label) - 6, top + 4, label, GREEN)
    points = []
    for n in owners:
        p95 = results.figure(n, lambda r: r.p(0.95))
        canvas.line(x(n), y(p95.low), x(n), y(p95.high), BLUE, 2)
        points.append((x(n), y(p95.median)))
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        canvas.line(x0, y0, x1, y1, BLUE, 2)
    for px, py in points:
        canvas.dot(round(px), round(py), BLUE, 9)
    return canvas.png()


def _step(span: float) -> float:
    for step in (0.25, 0.5, 1, 2, 5, 10, 25, 50, 100):
        if span / step <= 8:
            return step
    return 200.0


def write(results: HallResults, report: Path) -> None:
    """The chart beside the report, and the section inside it (added at the end if absent)."""
    (report.parent / CHART).write_bytes(chart(results))
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    replace_section(report, text, section(results))


def replace_section(report: Path, text: str, lines: Sequence[str]) -> None:
    new = "\n".join(lines)
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        text = before + new + after
    else:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    report.write_text(text, encoding="utf-8")
