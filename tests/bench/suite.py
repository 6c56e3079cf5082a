"""The whole benchmark: every measurement, repeated ``runs`` times, in one invocation.

One run measures, in this order:

1. Canasta flat out: ``users`` owners take the whole audit at once with no pause, against
   Canasta with the flood limiter's rates lifted (its capacity: updates/s, CPU, memory);
2. the echo bot on exactly the same updates (the framework's floor);
3. Canasta as shipped (``python -m bot run``) with the same owners at human pace (the
   latency they feel, flood limiter included);
4. Canasta as shipped on a database of ``big_audits`` finished audits, serving one audit
   (start-up and memory with that much stored);
5. the cost of one answer on databases of ``small_audits`` and ``big_audits`` audits;
6. plan rendering, PDF and chat, in every language, and the first PDF of a fresh process.

Then one profiled flat-out run says where the CPU goes and how much SQL an update runs, and
the hall (``tests/bench/hall.py``) puts 25 to 200 owners at human pace against a fake that
keeps Telegram's flood limits.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.plan import Plan
from tests.bench import hall, rendering, storage
from tests.bench.hall_report import HallResults
from tests.bench.load import LoadResult, audit_script, replay_script, run_load
from tests.bench.owners import Pace
from tests.bench.processes import CANASTA, CANASTA_UNTHROTTLED, ECHO
from tests.bench.profiling import Profile, run_profile


@dataclass(frozen=True)
class Options:
    users: int
    runs: int
    pace: Pace  # the owners' pace in the paced run
    renders: int  # per language
    small_audits: int
    big_audits: int
    cost_audits: int  # audits answered to time answers, per database and run
    hall_owners: tuple[int, ...] = ()  # owners at once in the hall runs (none: no hall)
    hall_pace: Pace = hall.PACE
    hall_runs: int = 3
    hall_only: bool = False  # only the hall, its section rewritten in the report


@dataclass(frozen=True)
class Run:
    """Everything one run measured."""

    canasta: LoadResult  # flat out, flood limiter lifted
    echo: LoadResult  # flat out, the same updates
    paced: LoadResult  # as shipped, human pace
    big_db: LoadResult  # as shipped, one owner, big database
    costs: dict[int, storage.AnswerCosts]  # audits stored → answer costs
    pdf: dict[str, list[float]]  # locale → seconds per render
    chat: dict[str, list[float]]
    first_pdf: rendering.FirstRender  # in a fresh process
    # The reportlab renderer Typst replaced, timed alongside when reportlab is installed.
    reportlab: dict[str, list[float]] | None
    reportlab_first: rendering.FirstRender | None


@dataclass(frozen=True)
class Results:
    options: Options
    runs: list[Run]
    profile: Profile
    plan_actions: int  # in the plan rendered
    seconds: float  # how long the whole benchmark took
    hall: HallResults | None = None


def run_suite(options: Options, say: Callable[[str], None]) -> Results:
    """Measure everything; ``say`` reports progress."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="canasta-bench-") as scratch:
        workdir = Path(scratch)
        databases = {}
        for audits in (options.small_audits, options.big_audits):
            say(f"filling a database with {audits:,} finished audits")
            databases[audits] = workdir / f"audits-{audits}.db"
            storage.fill(databases[audits], audits)
        plan = rendering.longest_plan()
        runs = []
        for number in range(1, options.runs + 1):
            run_dir = workdir / f"run-{number}"
            run_dir.mkdir()
            runs.append(_one_run(options, databases, plan, run_dir, say, number))
        say(f"profiling the bot with {options.users} owners flat out")
        profile = run_profile(options.users, workdir, databases[options.big_audits])
        halls = run_hall_only(options, say, workdir) if options.hall_owners else None
    seconds = time.perf_counter() - started
    return Results(options, runs, profile, len(plan.actions), seconds, halls)


def run_hall_only(
    options: Options, say: Callable[[str], None], workdir: Path | None = None
) -> HallResults:
    """The hall runs alone."""
    with tempfile.TemporaryDirectory(prefix="canasta-hall-") as scratch:
        by_owners = hall.run_halls(
            options.hall_owners, options.hall_runs, options.hall_pace, workdir or Path(scratch), say
        )
    return HallResults(options.hall_pace, options.hall_runs, by_owners)


def _one_run(
    options: Options,
    databases: dict[int, Path],
    plan: Plan,
    run_dir: Path,
    say: Callable[[str], None],
    number: int,
) -> Run:
    def step(text: str) -> None:
        say(f"run {number}/{options.runs}: {text}")

    users = options.users
    step(f"{users} owners take the audit flat out (Canasta, flood limiter lifted)")
    canasta = run_load(CANASTA_UNTHROTTLED, run_dir / "flat.db", users, audit_script)
    step(f"the same {canasta.updates} updates to the echo bot")
    echo = run_load(ECHO, run_dir / "echo.db", users, replay_script(canasta.sent))
    assert echo.updates == canasta.updates, (echo.updates, canasta.updates)
    pace = options.pace
    step(
        f"{users} owners at a {pace.low:g}–{pace.high:g} s pace for {pace.seconds:g} s (as shipped)"
    )
    paced = run_load(CANASTA, run_dir / "paced.db", users, audit_script, pace=pace)
    copies = {}
    for audits, source in databases.items():
        copies[audits] = run_dir / source.name
        shutil.copy(source, copies[audits])
    step(f"one audit on a database of {options.big_audits:,} audits (as shipped)")
    big_db = run_load(CANASTA, copies[options.big_audits], 1, audit_script)
    step("timing answers on each database")
    costs = {
        audits: storage.answer_costs(copy, options.cost_audits, tag=f"run{number}")
        for audits, copy in copies.items()
    }
    step(f"rendering the plan {options.renders} times per language")
    reportlab: dict[str, list[float]] | None = None
    if rendering.reportlab_available():
        both = {
            locale: rendering.pdf_and_reportlab_times(plan, locale, options.renders)
            for locale in rendering.LOCALES
        }
        pdf = {locale: typst for locale, (typst, _) in both.items()}
        reportlab = {locale: old for locale, (_, old) in both.items()}
    else:
        pdf = {
            locale: rendering.pdf_times(plan, locale, options.renders)
            for locale in rendering.LOCALES
        }
    chat = {
        locale: rendering.chat_times(plan, locale, options.renders) for locale in rendering.LOCALES
    }
    step("the first PDF of a fresh process")
    first_pdf = rendering.first_render()
    reportlab_first = rendering.first_render("reportlab") if reportlab is not None else None
    return Run(
        canasta, echo, paced, big_db, costs, pdf, chat, first_pdf, reportlab, reportlab_first
    )
