"""The plan as a PDF (reportlab): scores with bars, revenue at risk, actions by deadline with
checkboxes, the outage messages, page numbers. Fonts come from the `font-source-sans-pro`
package (OFL), so Polish, French and Spanish letters and Babel's narrow spaces all print."""

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

from bot import render
from bot.i18n import N_, Translator
from bot.plan import Plan, PlannedAction
from bot.rules import DEADLINES
from bot.workshop import RoomPicture, Workshop, Workshops

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


def render_pdf(plan: Plan, t: Translator) -> bytes:
    """The plan as PDF bytes. CPU-bound: the Telegram layer runs it in an executor."""
    title = _plan_title(plan, t)
    return _build(title, t, plan_story(plan, t, with_messages=True))


def workshop_report(workshops: Workshops, workshop: Workshop, t: Translator) -> bytes:
    """The report of one workshop, with the plans of those who chose to share them."""
    picture, shared = workshops.picture(workshop), workshops.shared_plans(workshop)
    return render_workshop_pdf(workshop.title, picture, shared, t)


def render_workshop_pdf(
    title: str, picture: RoomPicture, shared: list[Plan], t: Translator
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


def _plan_title(plan: Plan, t: Translator) -> str:
    if plan.business_name:
        return t.gettext("Your plan for %(name)s") % {"name": plan.business_name}
    return t.gettext("Your plan")


def plan_story(plan: Plan, t: Translator, with_messages: bool) -> list[Any]:
    """The flowables of one plan, for a plan of its own or inside a workshop report."""
    styles = _styles()
    story: list[Any] = [
        Paragraph(escape(_plan_title(plan, t)), styles["title"]),
        Paragraph(
            escape(t.gettext("Made on %(date)s") % {"date": t.day(plan.finished_on)}),
            styles["subtitle"],
        ),
    ]
    story += _scores(plan, t, styles)
    story += _exposure(plan, t, styles)
    for deadline in DEADLINES:
        actions = plan.due_in(deadline)
        if actions:
            story.append(
                Paragraph(escape(t.gettext(render.DEADLINE_HEADINGS[deadline])), styles["h2"])
            )
            for action in actions:
                story += _action(action, t, styles)
    story += _good_to_know(plan, t, styles)
    if with_messages:
        story += _messages(plan, t, styles)
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


def _scores(plan: Plan, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    # Plain strings, not Paragraphs: labels this short need no line breaking, and a table of
    # Paragraphs is laid out several times over.
    rows = []
    if plan.overall is not None:
        rows.append([t.gettext("Overall"), _bar(plan.overall), f"{plan.overall}/100"])
    for area_score in plan.scores:
        score = area_score.score
        value = f"{score}/100" if score is not None else t.gettext("not enough data")
        rows.append([t.gettext(area_score.area.text), _bar(score), value])
    table = Table(rows, colWidths=[55 * mm, BAR_WIDTH + 4 * mm, 40 * mm])
    style = [
        ("FONT", (0, 0), (-1, -1), "Sans", 10),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if plan.overall is not None:
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


def _exposure(plan: Plan, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    exposure = plan.exposure
    currency = exposure.currency or "USD"
    lines = []
    if exposure.known:
        assert exposure.outage_low is not None and exposure.outage_high is not None
        assert exposure.ban is not None
        if exposure.outage_low == exposure.outage_high:
            lines.append(
                t.gettext("A six-hour outage like 4 October 2021: about %(amount)s.")
                % {"amount": t.money(exposure.outage_low, currency)}
            )
        else:
            lines.append(
                t.gettext(
                    "A six-hour outage like 4 October 2021: from %(low)s (at a quiet time) "
                    "to %(high)s (in your busiest hours)."
                )
                % {
                    "low": t.money(exposure.outage_low, currency),
                    "high": t.money(exposure.outage_high, currency),
                }
            )
        lines.append(
            t.gettext("Losing your account for 30 days: about %(amount)s.")
            % {"amount": t.money(exposure.ban, currency)}
        )
        lines.append(f"<i>{escape(render.formula(exposure, t))}</i>")
    else:
        lines.append(
            escape(
                t.gettext(
                    "Not enough data to estimate it: your daily sales and the share that comes "
                    "through Meta are needed. /restart to add them."
                )
            )
        )
    body = [
        Paragraph(line if line.startswith("<i>") else escape(line), styles["body"])
        for line in lines
    ]
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


def _action(action: PlannedAction, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    parts: list[Any] = [
        Paragraph(
            f"☐ {escape(t.gettext(action.rule.title))} "
            f"<font color='#616e7c' size='9'>· {escape(render.deadline_label(action, t))}</font>",
            styles["action"],
        )
    ]
    # One paragraph for the steps and one for the reasons: each Paragraph costs a layout pass.
    steps = "<br/>".join(f"•&nbsp;{escape(t.gettext(step))}" for step in action.steps)
    parts.append(Paragraph(steps, styles["step"]))
    why = f"<i>{escape(t.gettext('Why:'))}</i> {escape(t.gettext(action.rule.why))}"
    if action.reasons:
        answered = "; ".join(
            f"{t.gettext(r.question.text)} → {render.describe(r.question, r.value, t)}"
            for r in action.reasons
        )
        why += f"<br/><i>{escape(t.gettext('You answered:'))}</i> {escape(answered)}"
    parts.append(Paragraph(why, styles["small"]))
    return parts


def _good_to_know(plan: Plan, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    items = [
        (section.area, text)
        for section in plan.sections
        for text in ([section.good] if section.good else []) + list(section.notes)
    ]
    if not items:
        return []
    story: list[Any] = [Paragraph(escape(t.gettext(GOOD_TO_KNOW)), styles["h2"])]
    for area, text in items:
        story.append(
            Paragraph(
                f"<b>{escape(t.gettext(area.text))}:</b> {escape(t.gettext(text))}", styles["body"]
            )
        )
        story.append(Spacer(1, 4))
    return story


GOOD_TO_KNOW = N_("Good to know")


def _messages(plan: Plan, t: Translator, styles: dict[str, ParagraphStyle]) -> list[Any]:
    messages = render.outage_messages(plan, t)
    blocks = [
        (t.gettext("Email"), f"{messages.email_subject}\n\n{messages.email_body}"),
        (t.gettext("SMS"), messages.sms),
        (t.gettext("Telegram channel or social post"), messages.post),
        (t.gettext("Website banner"), messages.banner),
    ]
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
    for label, text in blocks:
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
