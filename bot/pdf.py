"""The plan and the workshop report as PDF, and the scores as a PNG chart.

The layouts are Typst templates (`bot/templates/plan.typ`, `workshop_report.typ`,
`score_chart.typ`); this module only turns a `PlanView` (already translated, numbers already
formatted) into the data they lay out, with the few words a page needs besides the plan's own
(its headings, "Page 1 of 3"). Compiling happens in `bot.typeset`.
"""

from __future__ import annotations

from typing import Any

from bot.i18n import N_, Translator, translator
from bot.planview import ActionView, PlanView
from bot.room import RoomPicture
from bot.typeset import template

GOOD_TO_KNOW = N_("Good to know")
PAGE_OF = N_("Page %(page)s of %(pages)s")
REMARK_AREA = N_("%(area)s:")
PROGRESS = N_("%(done)s of %(total)s done.")
# Where Letter is the paper in the printer; everywhere else A4.
LETTER_COUNTRIES = frozenset({"us", "ca"})


def render_pdf(view: PlanView) -> bytes:
    """The plan as PDF bytes. CPU-bound: the Telegram layer runs it in an executor."""
    return template("plan.typ").pdf(plan_document(view))


def render_plan_png(view: PlanView, ppi: float = 144) -> list[bytes]:
    """Each page of the plan's PDF as a PNG image (a preview)."""
    return template("plan.typ").png(plan_document(view), ppi)


def plan_document(view: PlanView) -> dict[str, Any]:
    """Everything plan.typ lays out: the page's words and the plan's."""
    t = translator(view.locale)
    return {**_page(view.title, _footer_name(view), t, view.country), **plan_data(view, t)}


def render_workshop_pdf(
    title: str, picture: RoomPicture, shared: list[PlanView], t: Translator
) -> bytes:
    """The facilitator's report: the room's anonymous picture, then each plan shared with them."""
    return template("workshop_report.typ").pdf(workshop_document(title, picture, shared, t))


def workshop_document(
    title: str, picture: RoomPicture, shared: list[PlanView], t: Translator
) -> dict[str, Any]:
    """Everything workshop_report.typ lays out."""
    heading = title or t.gettext("Canasta workshop")
    progress = picture.progress
    return {
        **_page(heading, heading, t, None),
        "heading": heading,
        "subtitle": t.gettext("Workshop report"),
        "progress": t.gettext(
            "Joined: %(joined)s · Answering: %(answering)s · Finished: %(finished)s"
        )
        % {
            "joined": progress.joined,
            "answering": progress.answering,
            "finished": progress.finished,
        },
        "room": _room(picture, t),
        "note": t.gettext(
            "Scores and common gaps appear once at least three owners have finished, "
            "so that nobody can be recognised."
        ),
        "plans": [plan_data(plan, t, with_messages=False) for plan in shared],
    }


def score_chart_png(view: PlanView, ppi: float = 144) -> bytes:
    """The scores per area as the PDF draws them, as a PNG (for a chat, say)."""
    t = translator(view.locale)
    data = {"lang": view.locale, "scores": _scores(view, t)}
    return template("score_chart.typ").png(data, ppi)[0]


def plan_data(view: PlanView, t: Translator, with_messages: bool = True) -> dict[str, Any]:
    """What the plan's template lays out, for a plan of its own or inside a workshop report."""
    return {
        "title": view.title,
        "made_on": view.made_on,
        "progress": (
            t.gettext(PROGRESS) % {"done": view.done, "total": len(view.actions)}
            if view.done
            else ""
        ),
        "moves": _moves(view, t),
        "scores": _scores(view, t),
        "risk": {
            "heading": t.gettext("Revenue at risk"),
            "lines": list(view.risk.lines),
            "formula": view.risk.formula,
        },
        "groups": [
            {"heading": group.heading, "actions": [_action(a, t) for a in group.actions]}
            for group in view.groups
        ],
        "good": _good_to_know(view, t),
        "messages": _messages(view, t) if with_messages and view.message_blocks else None,
    }


def paper(country: str | None) -> str:
    return "us-letter" if country in LETTER_COUNTRIES else "a4"


def _page(title: str, footer_name: str, t: Translator, country: str | None) -> dict[str, str]:
    return {
        "lang": t.locale,
        "paper": paper(country),
        "title": title,
        "footer_name": footer_name,
        "page_label": t.gettext(PAGE_OF),
    }


def _footer_name(view: PlanView) -> str:
    return view.business_name or view.title


def _moves(view: PlanView, t: Translator) -> dict[str, Any] | None:
    if not view.moves:
        return None
    items = []
    for move in view.moves:
        first = t.gettext("First step: %(step)s") % {"step": move.steps[0]} if move.steps else ""
        items.append(
            {
                "title": move.title,
                "when": move.when,
                "first_step": first,
                "why_now": t.gettext("Why now: %(why)s") % {"why": move.why},
            }
        )
    return {"heading": t.gettext(view.moves_heading), "items": items}


def _scores(view: PlanView, t: Translator) -> dict[str, Any]:
    # Each score's value at the audit before, drawn as a mark on its bar (a check-up).
    before = {change.label: change.before for change in view.changes}
    return {
        "heading": t.gettext("Scores"),
        "overall_label": t.gettext("Overall"),
        "overall": view.overall,
        "overall_value": f"{view.overall}/100" if view.overall is not None else "",
        "rows": [
            {
                "label": row.label,
                "score": row.score,
                "value": row.value,
                "before": before.get(row.label),
            }
            for row in view.scores
        ],
        "overall_before": before.get(t.gettext("Overall")),
    }


def _action(action: ActionView, t: Translator) -> dict[str, Any]:
    return {
        "title": action.title,
        "when": action.when,
        "steps": list(action.steps),
        "why_label": t.gettext("Why:"),
        "why": action.why,
        "answered_label": t.gettext("You answered:"),
        "because": action.because if action.answered else "",
        "state": action.state or "",
    }


def _good_to_know(view: PlanView, t: Translator) -> dict[str, Any] | None:
    if not view.remarks and not view.later:
        return None
    return {
        "heading": t.gettext(GOOD_TO_KNOW),
        "remarks": [
            {"area": t.gettext(REMARK_AREA) % {"area": remark.area}, "text": remark.text}
            for remark in view.remarks
        ],
        "later_heading": t.gettext("When these are done"),
        "later": list(view.later),
    }


def _messages(view: PlanView, t: Translator) -> dict[str, Any]:
    return {
        "heading": t.gettext("Ready-made outage messages"),
        "intro": view.messages_intro,
        "blocks": [{"label": label, "text": text} for label, text in view.message_blocks],
    }


def _room(picture: RoomPicture, t: Translator) -> dict[str, Any] | None:
    if not picture.aggregates_shown:
        return None
    total = picture.progress.finished
    return {
        "heading": t.gettext("The room's picture"),
        "scores_heading": t.gettext("Scores per area"),
        "legend": t.gettext("weak 0–39 · fair 40–69 · strong 70–100"),
        "total": total,
        "bands": [
            {
                "label": t.gettext(band.area.text),
                "counts": list(band.counts),
                "counts_text": " · ".join(str(count) for count in band.counts),
            }
            for band in picture.bands
        ],
        "gaps_heading": t.gettext("Most common gaps"),
        "gaps": [
            t.gettext("%(count)s of %(total)s: %(action)s")
            % {"count": gap.count, "total": total, "action": t.gettext(gap.action.title)}
            for gap in picture.gaps
        ],
        "anonymous": t.gettext("Anonymous: no names, no answers, no money figures."),
    }
