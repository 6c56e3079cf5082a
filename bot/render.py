"""Rendering: what a person reads, from Jinja2 templates and the catalogs, in their language.

Templates use the Jinja2 i18n extension (`{% trans %}`, `_()`), with the person's translator
passed in the render context, so renders for different languages can run side by side.
HTML templates (`*.html.j2`) are autoescaped: an owner's answer can never become markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bot.dialog import Dialog, InputError, Question
from bot.i18n import Translator
from bot.interview import NOT_ANSWERED, Prompt
from bot.resources import TEMPLATES_DIR

TELEGRAM_LIMIT = 4096
PROGRESS_CELLS = 10


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    # The i18n extension adds this method; real callables come with each render.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


def render(template: str, translator: Translator, **context: Any) -> str:
    """Render `template` in the translator's language."""
    html = template.endswith(".html.j2")
    return (
        environment()
        .get_template(template)
        .render(
            gettext=_gettext(translator, html),
            ngettext=_ngettext(translator, html),
            _=_gettext(translator, html),
            t=translator,
            **context,
        )
        .strip()
    )


def _gettext(translator: Translator, html: bool) -> Any:
    def gettext(message: str, **variables: Any) -> str:
        text = translator.gettext(message)
        text = Markup(text) if html else text
        # Only format when there is something to fill: audit texts may hold a literal "%".
        return text % variables if variables else text

    return gettext


def _ngettext(translator: Translator, html: bool) -> Any:
    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translator.ngettext(singular, plural, num)
        return (Markup(text) if html else text) % variables

    return ngettext


# ── Answers as words ────────────────────────────────────────────────────────────────────────


def describe(question: Question, value: Any, t: Translator) -> str:
    """An answer as the owner would say it, in their language."""
    if value is None:
        return t.gettext("Don't know") if question.skip == "dont_know" else t.gettext("Skipped")
    if question.type == "single":
        option = question.option(value)
        return t.gettext(option.text) if option else str(value)
    if question.type == "multi":
        return ", ".join(t.gettext(o.text) for o in question.options if o.id in value)
    if question.type == "yesno":
        return t.gettext("Yes") if value else t.gettext("No")
    if question.type == "number":
        number = t.number(Decimal(str(value)))
        return f"{number} %" if question.unit == "percent" else number
    if question.type == "money":
        return t.money(Decimal(str(value["amount"])), value["currency"])
    return str(value)


def error_text(error: InputError, t: Translator) -> str:
    """Why an answer was refused, in the owner's language, numbers written their way."""
    params: dict[str, Any] = {"example": t.number_example()}
    for name, value in error.params.items():
        params[name] = t.number(value) if isinstance(value, Decimal | int) else value
    return t.gettext(error.message) % params


def progress_bar(number: int, total: int) -> str:
    filled = round(PROGRESS_CELLS * (number - 1) / max(total, 1))
    return "▓" * filled + "░" * (PROGRESS_CELLS - filled)


def prompt_context(prompt: Prompt, t: Translator) -> dict[str, Any]:
    question = prompt.question
    previous = prompt.previous
    return {
        "prompt": prompt,
        "question": question,
        "bar": progress_bar(prompt.number, prompt.total),
        "previous": None if previous is NOT_ANSWERED else describe(question, previous, t),
    }


def prompt_html(prompt: Prompt, t: Translator) -> str:
    return render("prompt.html.j2", t, **prompt_context(prompt, t))


def prompt_text(prompt: Prompt, t: Translator) -> str:
    return render("prompt.txt.j2", t, **prompt_context(prompt, t))


def answered_html(question: Question, value: Any, t: Translator) -> str:
    """The text a question's message is edited to once answered, so the chat reads as a form."""
    return render("answered.html.j2", t, question=question, answer=describe(question, value, t))


def saved_sections(dialog: Dialog, answers: dict[str, Any], t: Translator) -> list[dict[str, Any]]:
    """The owner's answers grouped by area, for the "your answers are saved" summary."""
    sections = []
    for area in dialog.areas:
        rows = [
            (t.gettext(q.text), describe(q, answers[q.id], t))
            for q in dialog.questions
            if q.area == area.id and q.id in answers
        ]
        if rows:
            sections.append({"title": t.gettext(area.text), "rows": rows})
    return sections


def saved_summary_html(dialog: Dialog, answers: dict[str, Any], t: Translator) -> list[str]:
    """The closing summary as Telegram messages, each within Telegram's 4096 characters."""
    sections = saved_sections(dialog, answers, t)
    parts = [render("saved_header.html.j2", t, count=len(answers))]
    parts += [render("saved_section.html.j2", t, section=section) for section in sections]
    parts.append(render("saved_footer.html.j2", t))
    return pack(parts)


def saved_summary_text(dialog: Dialog, answers: dict[str, Any], t: Translator) -> str:
    sections = saved_sections(dialog, answers, t)
    return render("saved_summary.txt.j2", t, sections=sections, count=len(answers))


def pack(sections: Iterable[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Join whole sections into as few messages as fit; a section is never cut in two.

    Each section is a complete HTML fragment, so no message can end inside a tag. A single
    section longer than the limit is split at line breaks (its lines are whole fragments too).
    """
    messages: list[str] = []
    current = ""
    for section in _fit(sections, limit):
        joined = f"{current}\n\n{section}" if current else section
        if len(joined) <= limit:
            current = joined
        else:
            messages.append(current)
            current = section
    if current:
        messages.append(current)
    return messages


def _fit(sections: Iterable[str], limit: int) -> Iterable[str]:
    for section in sections:
        if len(section) <= limit:
            yield section
            continue
        yield from pack(_lines(section, limit), limit)


def _lines(section: str, limit: int) -> Sequence[str]:
    # A line longer than the limit can only be an owner's own text: cut it (it is plain text).
    return [line[:limit] for line in section.split("\n")]
