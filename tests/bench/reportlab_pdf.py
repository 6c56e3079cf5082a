"""The reportlab renderer that bot/pdf.py replaced (as of commit ce77ca1), kept only so that the
benchmark can time it beside the Typst one in the same run, on the same machine under the same
load: `pip install reportlab` (the `bench` extra) to include it. Not used by the bot."""

from __future__ import annotations

import io
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

import font_source_sans_pro as fonts
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import PageBreak, Spacer

from bot.i18n import N_, Translator, translator
from bot.planview import ActionView, PlanView
from bot.room import RoomPicture

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#0b6e4f")
WARNING = colors.HexColor("#b44d12")
AMBER = colors.HexColor("#d9a400")
PALE = colors.HexColor("#f2f4f6")
BAR_WIDTH = 60 * mm


@cache
def _styles() -> dict[str, ParagraphStyle]:
    for name, file in (
        ("Sans", "SourceSansPro"),
        ("Sans-Bold", "SourceSansProBold"),
        ("Sans-Italic", "SourceSansProIt"),
        ("Sans-BoldItalic", "SourceSansProBoldIt"),
    ):
        pdfmetrics.registerFont(TTFont(name, fonts.font_files_ttf[file]))
    pdfmetrics.registerFontFamily(
        "Sans", normal="Sans", bold="Sans-Bold", italic="Sans-Italic", boldItalic="Sans-BoldItalic"
    )
    base = ParagraphStyle("body", fontName="Sans", fontSize=10, leading=13.5, textColor=INK)

    def style(name: str, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return {
        "body": base,
        "title": style("title", fontName="Sans-Bold", fontSize=20, leading=24),
        "subtitle": style("subtitle", textColor=MUTED, spaceAfter=6),
        "h2": style(
            "h2",
            fontName="Sans-Bold",
            fontSize=14,
            leading=18,
            spaceBefore=10,
            spaceAfter=4,
            textColor=ACCENT,
        ),
        # An action's title never ends a page alone (cheaper than KeepTogether, which wraps
        # every paragraph twice).
        "action": style(
            "action", fontName="Sans-Bold", fontSize=11, leading=14, spaceBefore=6, keepWithNext=1
        ),
        "step": style("step", leftIndent=8),
        "small": style("small", fontSize=8.5, leading=11, textColor=MUTED),
        "message": style("message", fontSize=9.5, leading=12.5, alignment=TA_LEFT),
    }


def render_pdf(view: PlanView) -> bytes:
    """The plan as PDF bytes. CPU-bound: the Telegram layer runs it in an executor."""
    t = translator(view.locale)
    return _build(view.title, t, plan_story(view, t, with_messages=True))


def render_workshop_pdf(
    title: str, picture: RoomPicture, shared: list[PlanView], t: Translator
) -> bytes:
    """The facilitator's report: the room's anonymous picture, then each plan shared with them."""
    styles = _styles()
    heading = title or t.gettext("Canasta workshop")
    progress = picture.progress
    story: list[Any] = [
        Paragraph(escape(heading), styles["title"]),
        Paragraph(escape(t.gettext("Workshop report")), styles["subtitle"]),
        Paragraph(
            escape(
                t.gettext("Joined: %(joined)s · Answering: %(answering)s · Finished: %(finished)s")
                % {"joined": progress.joined, "answering": progress.answering,
                   "finished": progress.finished}
            ),
            styles["body"],
        ),
    ]  # fmt: skip
    story += _room(picture, t, styles)
    for plan in shared:
        story.append(PageBreak())
        story += plan_story(plan, t, with_messages=False)
    return _build(heading, t, story)


def plan_story(view: PlanView, t: Translator, with_messages: bool) -> list[Any]:
    """The flowables of one plan, for a plan of its own or inside a workshop report."""
    styles = _styles()
    story: list[Any] = [
        Paragraph(escape(view.title), styles["title"]),
        Paragraph(escape(view.made_on), styles["subtitle"]),
    ]
    story += _moves(view, t, styles)  # page 1 alone carries what matters most
    story += _scores(view, t, styles)
    story += _risk(view, t, styles)
    for group in view.groups:
        story.append(Paragraph(escape(group.heading), styles["h2"]))
        for action in group.actions:
            story += _action(action, t, styles)
    story += _good_to_know(view, t, styles)
    if with_messages:
        story += _messages(view, t, styles)
    return story


def _build(title: str, t: Translator, story: list[Any]) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Canasta",
        lang=t.locale,
    )

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Sans", 8)
        canvas.setFillColor(MUTED)
        page = t.gettext("Page %(page)s") % {"page": doc.page}
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, page)
        canvas.drawString(18 * mm, 10 * mm, f"Canasta · {title}")
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _room(picture: RoomPicture, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    if not picture.aggregates_shown:
        note = t.gettext(
            "Scores and common gaps appear once at least three owners have finished, "
            "so that nobody can be recognised."
        )
        return [Spacer(1, 8), Paragraph(escape(note), styles["body"])]
    total = picture.progress.finished
    rows = [
        [
            Paragraph(f"<b>{escape(t.gettext('Scores per area'))}</b>", styles["body"]),
            "",
            Paragraph(escape(t.gettext("weak 0–39 · fair 40–69 · strong 70–100")), styles["small"]),
        ]
    ]
    for band in picture.bands:
        rows.append(
            [
                Paragraph(escape(t.gettext(band.area.text)), styles["body"]),
                _stacked_bar(band.counts, total),
                Paragraph(" · ".join(str(count) for count in band.counts), styles["body"]),
            ]
        )
    table = Table(rows, colWidths=[55 * mm, BAR_WIDTH + 4 * mm, 55 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story: list[Any] = [
        Paragraph(escape(t.gettext("The room's picture")), styles["h2"]),
        table,
        Paragraph(escape(t.gettext("Most common gaps")), styles["h2"]),
    ]
    for gap in picture.gaps:
        line = t.gettext("%(count)s of %(total)s: %(action)s") % {
            "count": gap.count,
            "total": total,
            "action": t.gettext(gap.action.title),
        }
        story.append(Paragraph(escape(line), styles["body"], bulletText="•"))
    story.append(Spacer(1, 6))
    story.append(
        Paragraph(
            escape(t.gettext("Anonymous: no names, no answers, no money figures.")), styles["small"]
        )
    )
    return story  # fmt: skip


def _stacked_bar(counts: tuple[int, ...], total: int) -> Drawing:
    drawing = Drawing(BAR_WIDTH, 8)
    x = 0.0
    for count, color in zip(counts, (WARNING, AMBER, ACCENT), strict=True):
        width = BAR_WIDTH * count / max(total, 1)
        drawing.add(Rect(x, 0, width, 8, fillColor=color, strokeColor=None))
        x += width
    return drawing


def _scores(view: PlanView, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    # Plain strings, not Paragraphs: labels this short need no line breaking, and a table of
    # Paragraphs is laid out several times over.
    rows = []
    if view.overall is not None:
        rows.append([t.gettext("Overall"), _bar(view.overall), f"{view.overall}/100"])
    rows += [[row.label, _bar(row.score), row.value] for row in view.scores]
    table = Table(rows, colWidths=[55 * mm, BAR_WIDTH + 4 * mm, 40 * mm])
    style = [
        ("FONT", (0, 0), (-1, -1), "Sans", 10),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if view.overall is not None:
        style += [
            ("FONT", (0, 0), (-1, 0), "Sans-Bold", 10),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, MUTED),
        ]
    table.setStyle(TableStyle(style))
    return [Paragraph(escape(t.gettext("Scores")), styles["h2"]), table]


def _bar(score: int | None) -> Drawing:
    drawing = Drawing(BAR_WIDTH, 8)
    drawing.add(Rect(0, 0, BAR_WIDTH, 8, fillColor=PALE, strokeColor=None))
    if score:
        fill = ACCENT if score >= 60 else WARNING
        drawing.add(Rect(0, 0, BAR_WIDTH * score / 100, 8, fillColor=fill, strokeColor=None))
    return drawing


def _risk(view: PlanView, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    body = [Paragraph(escape(line), styles["body"]) for line in view.risk.lines]
    if view.risk.formula:
        body.append(Paragraph(f"<i>{escape(view.risk.formula)}</i>", styles["body"]))
    box = Table([[body]], colWidths=[174 * mm])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), PALE),
                ("BOX", (0, 0), (-1, -1), 0.5, WARNING),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return [Paragraph(escape(t.gettext("Revenue at risk")), styles["h2"]), box]


def _action(action: ActionView, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    parts: list[Any] = [
        Paragraph(
            f"☐ {escape(action.title)} "
            f"<font color='#616e7c' size='9'>· {escape(action.when)}</font>",
            styles["action"],
        )
    ]
    # One paragraph for the steps and one for the reasons: each Paragraph costs a layout pass.
    steps = "<br/>".join(f"•&nbsp;{escape(step)}" for step in action.steps)
    parts.append(Paragraph(steps, styles["step"]))
    why = f"<i>{escape(t.gettext('Why:'))}</i> {escape(action.why)}"
    if action.answered:
        why += f"<br/><i>{escape(t.gettext('You answered:'))}</i> {escape(action.because)}"
    parts.append(Paragraph(why, styles["small"]))
    return parts


def _moves(view: PlanView, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    if not view.moves:
        return []
    story: list[Any] = [Paragraph(escape(t.gettext("Your three moves")), styles["h2"])]
    for number, move in enumerate(view.moves, start=1):
        story.append(
            Paragraph(
                f"{number}. {escape(move.title)} "
                f"<font color='#616e7c' size='9'>· {escape(move.when)}</font>",
                styles["action"],
            )
        )
        lines = [escape(t.gettext("Why now: %(why)s") % {"why": move.why})]
        if move.steps:
            lines.insert(0, escape(t.gettext("First step: %(step)s") % {"step": move.steps[0]}))
        story.append(Paragraph("<br/>".join(lines), styles["step"]))
    return story


def _good_to_know(view: PlanView, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    if not view.remarks and not view.later:
        return []
    story: list[Any] = [Paragraph(escape(t.gettext(GOOD_TO_KNOW)), styles["h2"])]
    for remark in view.remarks:
        story.append(
            Paragraph(f"<b>{escape(remark.area)}:</b> {escape(remark.text)}", styles["body"])
        )
        story.append(Spacer(1, 4))
    if view.later:
        story.append(Paragraph(escape(t.gettext("When these are done")), styles["action"]))
        story += [Paragraph(f"•&nbsp;{escape(title)}", styles["step"]) for title in view.later]
    return story


GOOD_TO_KNOW = N_("Good to know")


def _messages(view: PlanView, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [
        Paragraph(escape(t.gettext("Ready-made outage messages")), styles["h2"]),
        Paragraph(
            escape(
                t.gettext(
                    "Copy them now, fill in what is in brackets, and keep them where you can find "
                    "them in the first hour of an outage."
                )
            ),
            styles["body"],
        ),
    ]
    for label, text in view.message_blocks:
        body = Paragraph(escape(text).replace("\n", "<br/>"), styles["message"])
        box = Table(
            [[Paragraph(f"<b>{escape(label)}</b>", styles["body"])], [body]], colWidths=[174 * mm]
        )
        box.setStyle(
            TableStyle(
                [("BACKGROUND", (0, 1), (-1, -1), PALE), ("LEFTPADDING", (0, 0), (-1, -1), 6)]
            )
        )
        story += [Spacer(1, 6), box]
    return story
