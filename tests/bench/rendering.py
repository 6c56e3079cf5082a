"""Plan rendering: the PDF (``bot.pdf.render_pdf``) and the chat messages (``render.plan_chat``).

Both run on every /pdf and at the end of every audit. They are timed on the longest plan
of the seed owners (most actions), in each language, after one untimed warm-up render
(the first render of a process also loads the fonts and compiles templates).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot import dialog, pdf, render
from bot.i18n import SUPPORTED_LOCALES, translator
from bot.interview import Interview
from bot.plan import Plan
from bot.planview import plan_view
from bot.store import Store
from tests.answering import answer_all
from tests.personas import PERSONAS

LOCALES = SUPPORTED_LOCALES


def longest_plan() -> Plan:
    """The seed owners' plan with the most actions, from a real audit in memory."""
    plans = []
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
    t = translator(locale)
    return _timed(lambda: pdf.render_pdf(plan_view(plan, t)), renders)


def chat_times(plan: Plan, locale: str, renders: int) -> list[float]:
    """Seconds per rendering of ``plan`` as the chat messages sent when an audit ends."""
    t = translator(locale)
    return _timed(lambda: render.plan_chat(plan_view(plan, t), just_finished=True), renders)
