"""The plan as files: a PDF read back to text in every language, an .ics that parses."""

from __future__ import annotations

import io
from datetime import date

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from bot import calendar, pdf
from bot.i18n import SUPPORTED_LOCALES, translator
from bot.interview import Interview
from bot.plan import Plan
from bot.planview import plan_view
from tests.personas import PERSONAS


def plan_of(interview: Interview, name: str, locale: str | None = None) -> Plan:
    from tests.answering import answer_all

    persona = PERSONAS[name]
    answer_all(interview, persona.respondent, persona.answers, locale or persona.locale)
    latest = interview.latest_plan(persona.respondent)
    assert latest is not None
    return latest[1]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_pdf_reads_back_with_its_sections(interview: Interview, locale: str) -> None:
    t = translator(locale)
    plan = plan_of(interview, "dakar_shop", "fr")
    content = pdf.render_pdf(plan_view(plan, t))
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for heading in ("Revenue at risk", "Scores", "Ready-made outage messages", "This week"):
        assert t.gettext(heading) in text
    for area in ("Owned audience", "Website", "Backups"):
        assert t.gettext(area) in text
    assert "Boutique Diouf" in text
    assert "☐" in text
    assert t.gettext("Page %(page)s") % {"page": 2} in text


def test_the_pdf_prints_polish_and_french_letters(interview: Interview) -> None:
    plan = plan_of(interview, "podcast_studio")
    plan = plan.__class__(**{**plan.__dict__, "business_name": "Łódź Żółć — Café Niño"})
    text = pdf_text(pdf.render_pdf(plan_view(plan, translator("pl"))))
    assert "Łódź Żółć — Café Niño" in text
    money = pdf_text(pdf.render_pdf(plan_view(plan_of(interview, "dakar_shop"), translator("fr"))))
    assert "F\u202fCFA" in money or "F CFA" in money


def test_the_calendar_has_every_deadline_and_a_monthly_backup_day(interview: Interview) -> None:
    plan = plan_of(interview, "jeweller")
    content = calendar.render_ics(plan_view(plan, translator("en")), "audit-7")
    parsed = Calendar.from_ical(content)
    events = [c for c in parsed.walk("VEVENT")]
    assert len(events) == len(plan.actions) + 1
    due = sorted(e.decoded("dtstart") for e in events if "RRULE" not in e)
    assert due == sorted(action.due for action in plan.actions)
    backup = next(e for e in events if "RRULE" in e)
    assert backup["RRULE"]["FREQ"] == ["MONTHLY"] and backup["RRULE"]["BYDAY"] == ["1MO"]
    start = backup.decoded("dtstart")
    assert isinstance(start, date) and start.weekday() == 0 and start > plan.finished_on
    assert all(str(e["UID"]).startswith("audit-7-") for e in events)
