"""The plan as files: a PDF read back to text in every language, its first page and the score
chart drawn as pictures, an .ics that parses."""

from __future__ import annotations

import dataclasses
import io
import re
import struct
import zlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import typst
from icalendar import Calendar
from pypdf import PdfReader

from bot import calendar, pdf, room, typeset
from bot.i18n import SUPPORTED_LOCALES, translator
from bot.interview import Interview
from bot.plan import Plan
from bot.planview import PlanView, plan_view
from bot.room import Progress, RoomPicture
from tests.personas import PERSONAS

# Every character Typst or a markup language could read as an instruction.
MARKUP_NAME = "#sys.exit() *Bold* _it_ $x^2$ <a> @ref `code` [x] \\ // = Café"
# Letters each language needs, and the two the bundled font cannot print (dropped).
DIACRITICS = {"en": "Café", "es": "Niño Señor", "pl": "Łódź Żółć Gęś", "fr": "Çà « Noël »"}


def plan_of(interview: Interview, name: str, locale: str | None = None) -> Plan:
    from tests.answering import answer_all

    persona = PERSONAS[name]
    answer_all(interview, persona.respondent, persona.answers, locale or persona.locale)
    latest = interview.latest_plan(persona.respondent)
    assert latest is not None
    return latest[1]


def named(plan: Plan, name: str) -> Plan:
    return dataclasses.replace(plan, business_name=name)


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture(scope="module")
def dakar(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """One long plan (ten actions and the ready-made posts), answered once for the module."""
    from bot import dialog
    from bot.store import Store

    store = Store(tmp_path_factory.mktemp("documents") / "c.db")
    plan = plan_of(Interview(dialog.load(), store), "dakar_shop", "fr")
    store.close()
    return plan


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_pdf_reads_back_in_every_language(dakar: Plan, locale: str) -> None:
    t = translator(locale)
    name = f"{MARKUP_NAME} {DIACRITICS[locale]} 🍕"
    content = pdf.render_pdf(plan_view(named(dakar, name), t))
    assert content.startswith(b"%PDF")
    pages = pdf_pages(content)
    text = "\n".join(pages)
    for heading in (
        "Your three moves",
        "Revenue at risk",
        "Scores",
        "Ready-made outage messages",
        "This week",
    ):
        assert t.gettext(heading) in text
    for area in ("Owned audience", "Website", "Backups"):
        assert t.gettext(area) in text
    # The owner's name, markup characters and all, printed as typed (the emoji, which no
    # bundled font has, is left out); on every page, in the footer.
    printed = f"{MARKUP_NAME} {DIACRITICS[locale]}"
    assert printed in text
    for number, page in enumerate(pages, start=1):
        assert printed in page
        label = t.gettext(pdf.PAGE_OF) % {"page": number, "pages": len(pages)}
        assert label in page
    assert len(pages) >= 2
    # No glyph missing: Typst writes a character it has no glyph for as U+0000.
    assert "\x00" not in text and "\ufffd" not in text


def test_the_workshop_report_reads_back(dakar: Plan) -> None:
    t = translator("fr")
    plans = [dakar, dakar, dakar]
    picture = RoomPicture(Progress(4, 1, 3), room.bands(plans), room.gaps(plans))
    shared = [plan_view(named(dakar, "Boutique *Diouf*"), t)]
    pages = pdf_pages(pdf.render_workshop_pdf("Atelier #1 — Dakar", picture, shared, t))
    text = "\n".join(pages)
    for words in ("Workshop report", "The room's picture", "Most common gaps", "Your three moves"):
        assert t.gettext(words) in text
    assert "Atelier #1 — Dakar" in pages[0] and "Boutique *Diouf*" in pages[1]
    assert t.gettext(pdf.PAGE_OF) % {"page": 1, "pages": len(pages)} in pages[0]
    assert "\x00" not in text


def test_a_missing_glyph_would_show(dakar: Plan) -> None:
    """The check above can fail: a character the fonts lack, given to Typst as it is, comes
    back as U+0000; `printable` is what keeps it out."""
    fonts = typst.Fonts(False, False, [str(typeset.FONT_DIR)])
    source = '#set text(font: "Source Sans Pro")\nPizza 🍕 Ł'.encode()
    assert "\x00" in pdf_pages(typst.compile(source, font_paths=fonts))[0]
    assert typeset.printable(["Pizza 🍕\ufe0f Ł", "📢\ufe0f"]) == ["Pizza  Ł", "📢\ufe0f"]


def test_every_catalog_character_is_printable() -> None:
    """What a plan's translated strings can contain, the fonts (or the drawn icons) print."""
    root = Path(__file__).resolve().parent.parent
    drawn = set(re.findall(r'"(.)": icon-frame', _template("common.typ")))
    assert drawn == set(typeset.DRAWN)
    for locale in SUPPORTED_LOCALES:
        catalog = (root / "locales" / locale / "LC_MESSAGES" / "canasta.po").read_text("utf-8")
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', catalog, flags=re.M)
        missing = {c for s in strings for c in s if c not in typeset.coverage()} - typeset.DRAWN
        # Emoji of the buttons, the chat and the terminal's menus only (✅ ❔ 📄 …, the
        # checklist's ⏰ ✖ ↩ ☑, ✏ 🔄): never in a plan view's printed text (the PDF draws an
        # action's state as its box).
        assert missing <= set("✅✔❔⚖📄📅📋🔁◀▓░⏰✖↩☑✏🔄\ufe0f"), (locale, missing)


def test_the_posts_emoji_are_drawn(dakar: Plan) -> None:
    with_channel = replace(dakar, fallback_channels=(*dakar.fallback_channels, "telegram"))
    view = plan_view(with_channel, translator("en"))
    assert "📢" in dict(view.message_blocks)["Telegram channel post"]
    # Drawn by the template: were the characters left to the font, they would read back as U+0000.
    assert "\x00" not in "".join(pdf_pages(pdf.render_pdf(view)))


def test_page_one_is_drawn_not_blank(dakar: Plan) -> None:
    view = plan_view(dakar, translator("pl"))
    pages = pdf.render_plan_png(view, ppi=24)
    width, height = png_size(pages[0])
    assert (width, height) == (round(210 / 25.4 * 24), round(297 / 25.4 * 24))  # A4
    rows = png_rows(pages[0])
    dark = sum(1 for row in rows for value in row[::4] if value < 128)
    assert dark > width * height // 100  # text and bars: more than 1 % of the page is ink


def test_the_score_chart_exports_as_a_png(dakar: Plan) -> None:
    view = plan_view(dakar, translator("fr"))
    chart = pdf.score_chart_png(view, ppi=72)
    width, height = png_size(chart)
    assert width == round(150 / 25.4 * 72)
    assert 40 < height < width  # one bar per area, no more
    assert any(value < 128 for row in png_rows(chart) for value in row[::4])


def test_paper_is_letter_for_us_and_canada(dakar: Plan) -> None:
    view = plan_view(dakar, translator("en"))
    assert view.country == "sn"

    def size(view: PlanView) -> tuple[float, float]:
        box = PdfReader(io.BytesIO(pdf.render_pdf(view))).pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    assert size(view) == (595, 842)
    assert size(dataclasses.replace(view, country="us")) == (612, 792)


def test_the_templates_hold_no_words() -> None:
    """Every word a page shows comes from the catalogs, through the data."""
    allowed = re.compile(
        r"#[0-9a-f]{6}|Source Sans Pro|Canasta|bold|%\(pages?\)s|\w+\.typ|.?|\[📢🌐📨\].*"
        r"|done|snoozed|dropped|before|overall_before"  # data keys, not words
    )
    for name in (
        "common.typ",
        "plan_body.typ",
        "plan.typ",
        "workshop_report.typ",
        "score_chart.typ",
    ):
        code = re.sub(r"//[^\n]*", "", _template(name))
        literals = re.findall(r'"([^"]*)"', code)
        assert [s for s in literals if not allowed.fullmatch(s)] == [], name


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


def _template(name: str) -> str:
    return (typeset.TEMPLATES_DIR / name).read_text("utf-8")


# ── PNG, read by hand (no imaging library among the dependencies) ────────────────────────────


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def png_rows(png: bytes) -> list[bytes]:
    """The pixel rows of an 8-bit RGB or RGBA PNG, unfiltered."""
    width, _ = png_size(png)
    depth, colour = png[24], png[25]
    assert depth == 8 and colour in (2, 6)
    channels = 4 if colour == 6 else 3
    data, at = b"", 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        if kind == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(data)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytes(stride)
    for start in range(0, len(raw), stride + 1):
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        rows.append(bytes(line))
        previous = bytes(line)
    return rows
