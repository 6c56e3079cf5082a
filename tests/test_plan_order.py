"""One plan, one order: the chat, the terminal, the PDF and the calendar list the same actions
in the same order, in every language, for owners whose plans differ."""

from __future__ import annotations

import html
import re

import pytest
from icalendar import Calendar

from bot import calendar, pdf, render
from bot.i18n import SUPPORTED_LOCALES, translator
from bot.interview import Interview
from bot.planview import PlanView, plan_view
from tests.test_documents import pdf_pages, plan_of

OWNERS = ("jeweller", "dakar_shop", "podcast_studio")


def plain(text: str) -> str:
    """Text as words: tags and entities gone, words split at a line end joined, one space."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # a word hyphenated at a line end
    return " ".join(text.split())


def order_in(text: str, titles: list[str]) -> list[str]:
    """The titles found one after another in `text`: the whole list when `text` holds them in
    this order (a title may also appear earlier, as one of the three moves)."""
    found, position, text = [], 0, plain(text)
    for title in titles:
        at = text.find(plain(title), position)
        if at < 0:
            break
        found.append(title)
        position = at + len(plain(title))
    return found


@pytest.fixture(params=[(owner, locale) for owner in OWNERS for locale in SUPPORTED_LOCALES])
def view(request: pytest.FixtureRequest, interview: Interview) -> PlanView:
    owner, locale = request.param
    return plan_view(plan_of(interview, owner, locale), translator(locale))


def test_every_front_end_lists_the_plan_in_its_order(view: PlanView) -> None:
    titles = [action.title for action in view.actions]
    assert len(titles) >= 2 and len(set(titles)) == len(titles)
    chat = "\n".join(render.plan_chat(view))
    terminal = render.plan_text(view)
    printed = "\n".join(pdf_pages(pdf.render_pdf(view)))
    events = Calendar.from_ical(calendar.render_ics(view, "audit-1")).walk("VEVENT")
    in_calendar = [str(e["SUMMARY"]) for e in events if "RRULE" not in e]
    assert order_in(chat, titles) == titles
    assert order_in(terminal, titles) == titles
    assert order_in(printed, titles) == titles
    assert in_calendar == titles


def test_the_check_sees_a_changed_order() -> None:
    titles = ["Lock your accounts", "Start your own list", "Back up your phone"]
    assert order_in("Lock your accounts … Back up your phone … Start your own list", titles) != (
        titles
    )
    assert order_in("Lock your ac-\ncounts, Start your own list; Back up your phone", titles) == (
        titles
    )
