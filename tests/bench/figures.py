"""From raw measurements to the report's figures: one value per run, the targets, and Scale.

Each figure is computed per run; the report shows its median over the runs with min–max.
A target is judged on the median.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from tests.bench.load import LoadResult
from tests.bench.rendering import LOCALES, reportlab_baseline
from tests.bench.stats import Figure, percentile
from tests.bench.suite import Results, Run

#: How long an owner takes for the audit (the bot's own promise: "a five-minute check").
AUDIT_SECONDS = 300
#: Telegram's per-bot limit, which PTB's AIORateLimiter applies to every call naming a chat.
TELEGRAM_CALLS_PER_SECOND = 30
#: "Flat" answer cost: the median with 10,000 audits at most this many times the one with 100.
FLAT_RATIO = 1.25


@dataclass(frozen=True)
class Target:
    """What a figure must reach: ``≤ 50 ms``, in words for the summary, and the check."""

    bound: str
    goal: str
    passes: Callable[[float], bool]


def at_most(limit: float, unit: str, goal: str) -> Target:
    return Target(f"≤ {limit:g} {unit}".rstrip(), goal, lambda value: value <= limit)


@dataclass(frozen=True)
class Row:
    """One line of the report: a figure over runs and, maybe, its target."""

    section: str
    label: str
    values: list[float]
    unit: str
    digits: int = 1
    target: Target | None = None

    @property
    def figure(self) -> Figure:
        return Figure.of(self.values)

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.passes(self.figure.median)

    def text(self) -> str:
        return f"{self.figure.format(self.digits)} {self.unit}".rstrip()


def ms(seconds: Sequence[float], fraction: float) -> float:
    return 1000 * percentile(seconds, fraction)


def rows(results: Results) -> list[Row]:
    """Every figure of the report, in order."""
    options = results.options
    users, pace = options.users, options.pace
    small, big = options.small_audits, options.big_audits

    def each(value: Callable[[Run], float]) -> list[float]:
        return [value(run) for run in results.runs]

    def latencies(name: str, load: Callable[[Run], LoadResult]) -> list[Row]:
        return [
            Row(
                flat,
                f"{name} update → first reply p{round(fraction * 100)}",
                each(partial(_latency, load, fraction)),
                "ms",
                0,
            )
            for fraction in (0.5, 0.95, 0.99)
        ]

    flat = f"Flat out: {users} owners take the whole audit at once, no pauses"
    paced = (
        f"Human pace: {users} owners pause {pace.low:g}–{pace.high:g} s before each tap, "
        f"for {pace.seconds:g} s (Canasta as shipped)"
    )
    render = (
        f"Plan rendering (the longest seed plan, every action that applies listed: "
        f"{results.plan_actions}; warm process)"
    )
    store = f"Storage: {big:,} finished audits stored"
    startup = "Start-up: launch → first getUpdates"
    ratio = Target(
        "≥ 0.75",
        f"Throughput ≥ 0.75 × the echo bot's, {users} owners flat out",
        lambda value: value >= 0.75,
    )
    table = [
        Row(flat, "Canasta updates/s", each(lambda r: r.canasta.updates_per_s), "/s"),
        Row(flat, "echo bot updates/s (same updates)", each(lambda r: r.echo.updates_per_s), "/s"),
        Row(
            flat,
            "Canasta ÷ echo throughput",
            each(lambda r: r.canasta.updates_per_s / r.echo.updates_per_s),
            "",
            2,
            ratio,
        ),
        Row(
            flat, "Canasta CPU per update", each(lambda r: r.canasta.bot_cpu_ms_per_update), "ms", 2
        ),
        Row(flat, "echo bot CPU per update", each(lambda r: r.echo.bot_cpu_ms_per_update), "ms", 2),
        Row(
            flat,
            "Canasta Bot API calls per update (besides getUpdates)",
            each(lambda r: r.canasta.replies / r.canasta.updates),
            "",
            2,
        ),
        Row(
            flat,
            "echo bot Bot API calls per update (besides getUpdates)",
            each(lambda r: r.echo.replies / r.echo.updates),
            "",
            2,
        ),
        Row(
            flat,
            "Canasta CPU per Bot API call (getUpdates included)",
            each(lambda r: 1000 * r.canasta.bot_cpu / r.canasta.calls),
            "ms",
            2,
        ),
        Row(
            flat,
            "echo bot CPU per Bot API call (getUpdates included)",
            each(lambda r: 1000 * r.echo.bot_cpu / r.echo.calls),
            "ms",
            2,
        ),
        *latencies("Canasta", lambda r: r.canasta),
        *latencies("echo bot", lambda r: r.echo),
        Row(
            flat,
            "Canasta owner's wait for the whole answer p50",
            each(lambda r: ms(r.canasta.waits, 0.5)),
            "ms",
            0,
        ),
        Row(flat, "Canasta peak RSS", each(lambda r: r.canasta.peak_rss_mb), "MB"),
        Row(flat, "echo bot peak RSS", each(lambda r: r.echo.peak_rss_mb), "MB"),
        Row(paced, "updates/s offered", each(lambda r: r.paced.updates_per_s), "/s"),
        Row(
            paced,
            "calls naming a chat, per second",
            each(lambda r: r.paced.measured.chat_calls / r.paced.seconds),
            "/s",
        ),
        Row(
            paced,
            "update → first reply p50",
            each(lambda r: ms(r.paced.measured.latencies, 0.5)),
            "ms",
        ),
        Row(
            paced,
            "update → first reply p95",
            each(lambda r: ms(r.paced.measured.latencies, 0.95)),
            "ms",
        ),
        Row(
            paced,
            "update → first reply p99",
            each(lambda r: ms(r.paced.measured.latencies, 0.99)),
            "ms",
            1,
            at_most(100, "ms", f"p99 update → first reply ≤ 100 ms, {users} owners at human pace"),
        ),
        Row(
            paced,
            "owner's wait for the whole answer p50",
            each(lambda r: ms(r.paced.waits, 0.5)),
            "ms",
        ),
        Row(
            paced,
            "owner's wait for the whole answer p99",
            each(lambda r: ms(r.paced.waits, 0.99)),
            "ms",
        ),
        Row(paced, "peak RSS", each(lambda r: r.paced.peak_rss_mb), "MB"),
    ]
    table += _pdf_rows(results, render)
    for locale in LOCALES:
        chat_goal = at_most(10, "ms", f"Chat plan ≤ 10 ms median ({locale})")
        table.append(
            Row(
                render,
                f"chat plan ({locale}) median",
                each(partial(_render, "chat", locale, 0.5)),
                "ms",
                2,
                chat_goal,
            )
        )
    flat_goal = f"from {small:,} to {big:,} audits stored (ratio ≤ {FLAT_RATIO:g})"
    table += [
        Row(
            store,
            "bot's peak RSS after serving one audit",
            each(lambda r: r.big_db.peak_rss_mb),
            "MB",
            1,
            at_most(120, "MB", f"Bot RSS ≤ 120 MB with {big:,} audits stored"),
        ),
        Row(store, "bot's RSS after serving one audit", each(lambda r: r.big_db.rss_mb), "MB"),
        Row(
            store,
            f"record_answer median, {small:,} audits",
            each(lambda r: _median_us(r, small, "record")),
            "µs",
        ),
        Row(
            store,
            f"record_answer median, {big:,} audits",
            each(lambda r: _median_us(r, big, "record")),
            "µs",
        ),
        Row(
            store,
            f"record_answer, {big:,} ÷ {small:,} audits",
            each(lambda r: _median_us(r, big, "record") / _median_us(r, small, "record")),
            "",
            2,
            at_most(FLAT_RATIO, "", f"Answer write (record_answer) flat {flat_goal}"),
        ),
        Row(
            store,
            f"whole interview step median, {small:,} audits",
            each(lambda r: _median_us(r, small, "step")),
            "µs",
            0,
        ),
        Row(
            store,
            f"whole interview step median, {big:,} audits",
            each(lambda r: _median_us(r, big, "step")),
            "µs",
            0,
        ),
        Row(
            store,
            f"whole interview step, {big:,} ÷ {small:,} audits",
            each(lambda r: _median_us(r, big, "step") / _median_us(r, small, "step")),
            "",
            2,
            at_most(FLAT_RATIO, "", f"Whole interview step flat {flat_goal}"),
        ),
        Row(startup, "Canasta, empty database", each(lambda r: r.paced.startup), "s", 2),
        Row(startup, f"Canasta, {big:,} audits", each(lambda r: r.big_db.startup), "s", 2),
        Row(startup, "echo bot", each(lambda r: r.echo.startup), "s", 2),
    ]
    return table


def _pdf_rows(results: Results, render: str) -> list[Row]:
    """The PDF's times per language, and the reportlab renderer's beside them: timed in the
    same run when reportlab is installed, else as recorded before it was removed."""

    def each(value: Callable[[Run], float]) -> list[float]:
        return [value(run) for run in results.runs]

    recorded = reportlab_baseline()
    live = all(run.reportlab is not None for run in results.runs)
    source = "same run" if live else f"recorded {recorded.date}"
    faster = Target("≥ 3", "", lambda value: value >= 3)
    table = []
    for locale in LOCALES:

        def old_ms(run: Run, locale: str = locale) -> float:
            if run.reportlab is None:
                return recorded.median_ms[locale]
            return ms(run.reportlab[locale], 0.5)

        table += [
            Row(
                render,
                f"PDF ({locale}) median",
                each(partial(_render, "pdf", locale, 0.5)),
                "ms",
                1,
                at_most(25, "ms", f"Plan PDF ≤ 25 ms median ({locale})"),
            ),
            Row(render, f"PDF ({locale}) p95", each(partial(_render, "pdf", locale, 0.95)), "ms"),
            Row(render, f"reportlab PDF ({locale}) median ({source})", each(old_ms), "ms"),
            Row(
                render,
                f"reportlab ÷ Typst, PDF ({locale})",
                each(
                    lambda run, old=old_ms, locale=locale: (
                        old(run) / _render("pdf", locale, 0.5, run)
                    )
                ),
                "×",
                1,
                dataclasses.replace(faster, goal=f"Plan PDF ≥ 3× faster than reportlab ({locale})"),
            ),
        ]
    table += [
        Row(
            render,
            "first PDF of a fresh process (import, fonts, layout; pl)",
            each(lambda run: 1000 * run.first_pdf.seconds),
            "ms",
            0,
        ),
        Row(
            render,
            f"reportlab's first PDF ({source})",
            each(
                lambda run: (
                    1000 * run.reportlab_first.seconds if run.reportlab_first else recorded.first_ms
                )
            ),
            "ms",
            0,
        ),
        Row(
            render,
            "process peak RSS after the first PDF",
            each(lambda run: run.first_pdf.rss_mb),
            "MB",
        ),
        Row(
            render,
            "the same process before importing the renderer",
            each(lambda run: run.first_pdf.base_rss_mb),
            "MB",
        ),
        Row(
            render,
            f"reportlab's: after its first PDF ({source})",
            each(
                lambda run: run.reportlab_first.rss_mb if run.reportlab_first else recorded.rss_mb
            ),
            "MB",
        ),
    ]
    return table


def _latency(load: Callable[[Run], LoadResult], fraction: float, run: Run) -> float:
    return ms(load(run).measured.latencies, fraction)


def _render(kind: str, locale: str, fraction: float, run: Run) -> float:
    return ms((run.pdf if kind == "pdf" else run.chat)[locale], fraction)


def _median_us(run: Run, audits: int, kind: str) -> float:
    costs = run.costs[audits]
    return 1e6 * statistics.median(costs.record if kind == "record" else costs.step)


@dataclass(frozen=True)
class Traffic:
    """What one audit costs on the wire (medians over runs of the flat-out run)."""

    updates: float
    calls: float  # every Bot API call but getUpdates
    chat_calls: float  # calls naming a chat: what the flood limiter counts
    messages: float  # sendMessage and sendDocument


def traffic(results: Results) -> Traffic:
    def per_audit(value: Callable[[LoadResult], float]) -> float:
        return statistics.median(value(run.canasta) / run.canasta.users for run in results.runs)

    return Traffic(
        updates=per_audit(lambda load: load.updates),
        calls=per_audit(lambda load: load.replies),
        chat_calls=per_audit(lambda load: load.measured.chat_calls),
        messages=per_audit(
            lambda load: load.measured.calls["sendMessage"] + load.measured.calls["sendDocument"]
        ),
    )


@dataclass(frozen=True)
class Scale:
    """Owners taking the audit at once that one process serves, by each bound."""

    by_flood_limit: float  # Telegram's 30 calls/s over the calls an audit makes
    by_messages_only: float  # the same if only sent messages counted
    by_cpu: float  # the flat-out throughput over the updates an audit makes


def scale(results: Results) -> Scale:
    wire = traffic(results)
    throughput = statistics.median(run.canasta.updates_per_s for run in results.runs)
    return Scale(
        by_flood_limit=TELEGRAM_CALLS_PER_SECOND * AUDIT_SECONDS / wire.chat_calls,
        by_messages_only=TELEGRAM_CALLS_PER_SECOND * AUDIT_SECONDS / wire.messages,
        by_cpu=throughput * AUDIT_SECONDS / wire.updates,
    )


@dataclass(frozen=True)
class Generator:
    """The load generator's own cost (fake Bot API + simulated owners, one process)."""

    fake_cpu_ms_per_call: float  # CPU the fake's threads spend answering one call
    process_cpu_ms_per_call: float  # all of this process's CPU, per call
    core_share: float  # of one core, during the Canasta flat-out run


def generator(results: Results) -> Generator:
    loads = [run.canasta for run in results.runs] + [run.echo for run in results.runs]
    return Generator(
        fake_cpu_ms_per_call=statistics.median(
            1000 * load.measured.serve_cpu / load.measured.served for load in loads
        ),
        process_cpu_ms_per_call=statistics.median(
            1000 * load.generator_cpu / load.calls for load in loads
        ),
        core_share=statistics.median(
            run.canasta.generator_cpu / run.canasta.seconds for run in results.runs
        ),
    )


def log_problems(results: Results) -> int:
    """Warnings and errors the bots logged in all runs (a clean run has none)."""
    return sum(
        load.log_problems
        for run in results.runs
        for load in (run.canasta, run.echo, run.paced, run.big_db)
    )
