"""Plan rendering: the PDF (``bot.pdf.render_pdf``) and the chat messages (``render.plan_chat``).

Both run on every /pdf and at the end of every audit. They are timed on the longest plan a
seed owner can get, in each language, after one untimed warm-up render (the first render of a
process also loads the fonts and compiles templates). The first render is timed on its own in
a fresh process, with that process' memory.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot import dialog, pdf, ranking, render
from bot.i18n import SUPPORTED_LOCALES, translator
from bot.interview import Interview
from bot.plan import Plan
from bot.planview import plan_view
from bot.store import Store
from tests.answering import answer_all
from tests.personas import PERSONAS

LOCALES = SUPPORTED_LOCALES


@contextmanager
def _uncapped() -> Iterator[None]:
    """Plans list at most `ranking.MAX_ACTIONS` actions; the benchmark lays out every action
    that applies, so that the PDF timed is the longest an owner could ever be sent."""
    cap = ranking.MAX_ACTIONS
    ranking.MAX_ACTIONS = 1_000
    try:
        yield
    finally:
        ranking.MAX_ACTIONS = cap


def longest_plan() -> Plan:
    """The seed owners' plan with the most actions, from a real audit in memory."""
    plans = []
    with _uncapped():
        for persona in PERSONAS.values():
            store = Store(":memory:")
            interview = Interview(dialog.load(), store)
            answer_all(interview, persona.respondent, persona.answers, persona.locale)
            latest = interview.latest_plan(persona.respondent)
            assert latest is not None
            plans.append(latest[1])
            store.close()
    return max(plans, key=lambda plan: len(plan.actions))


def _timed(render_once: Callable[[], object], renders: int) -> list[float]:
    render_once()  # warm-up
    samples = []
    for _ in range(renders):
        started = time.perf_counter()
        render_once()
        samples.append(time.perf_counter() - started)
    return samples


def pdf_times(plan: Plan, locale: str, renders: int) -> list[float]:
    """Seconds per PDF of ``plan`` in ``locale``."""
    view = plan_view(plan, translator(locale))
    return _timed(lambda: pdf.render_pdf(view), renders)


def reportlab_available() -> bool:
    return importlib.util.find_spec("reportlab") is not None


def pdf_and_reportlab_times(
    plan: Plan, locale: str, renders: int
) -> tuple[list[float], list[float]]:
    """Seconds per PDF of ``plan`` in ``locale`` by Typst and by the reportlab renderer it
    replaced, one of each in turn, so that both meet the same load on the machine."""
    from tests.bench import reportlab_pdf

    view = plan_view(plan, translator(locale))
    typst: list[float] = []
    reportlab: list[float] = []
    pdf.render_pdf(view), reportlab_pdf.render_pdf(view)  # warm-up
    for _ in range(renders):
        for render_once, samples in (
            (lambda: pdf.render_pdf(view), typst),
            (lambda: reportlab_pdf.render_pdf(view), reportlab),
        ):
            started = time.perf_counter()
            render_once()
            samples.append(time.perf_counter() - started)
    return typst, reportlab


def chat_times(plan: Plan, locale: str, renders: int) -> list[float]:
    """Seconds per rendering of ``plan`` as the chat messages sent when an audit ends."""
    view = plan_view(plan, translator(locale))
    return _timed(lambda: render.plan_chat(view, just_finished=True), renders)


@dataclass(frozen=True)
class FirstRender:
    seconds: float  # importing the renderer and drawing the first PDF, fonts loaded
    rss_mb: float  # the whole process' peak resident memory after it
    base_rss_mb: float  # the same process' peak before importing the renderer


_FIRST_RENDER = """
import json, sys, time
from bot.i18n import translator
from bot.planview import plan_view
from tests.bench.rendering import longest_plan, peak_rss_mb
view = plan_view(longest_plan(), translator("pl"))
base = peak_rss_mb()
started = time.perf_counter()
if sys.argv[1] == "typst":
    from bot import pdf
else:
    from tests.bench import reportlab_pdf as pdf
assert pdf.render_pdf(view).startswith(b"%PDF")
seconds = time.perf_counter() - started
print(json.dumps([seconds, peak_rss_mb(), base]))
"""


def first_render(renderer: str = "typst") -> FirstRender:
    """The first PDF of a fresh process (what the first /pdf after a start costs), by Typst
    or by the reportlab renderer it replaced."""
    out = subprocess.run(
        [sys.executable, "-c", _FIRST_RENDER, renderer],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seconds, rss, base = json.loads(out)
    return FirstRender(seconds, rss, base)


def peak_rss_mb() -> float:
    """This process' peak resident memory (VmHWM), in MB."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


@dataclass(frozen=True)
class Recorded:
    """The reportlab renderer the Typst one replaced, timed by this module on the same plan
    before it was removed (tests/bench/reportlab_baseline.json): the ratio's denominator."""

    what: str
    date: str
    plan_actions: int
    median_ms: dict[str, float]
    p95_ms: dict[str, float]
    first_ms: float
    rss_mb: float
    base_rss_mb: float
    renders: int
    runs: int


def reportlab_baseline() -> Recorded:
    path = Path(__file__).with_name("reportlab_baseline.json")
    return Recorded(**json.loads(path.read_text(encoding="utf-8")))
