"""Everything stored about one respondent's audit, as JSON-ready data (and their plan)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.interview import Interview
from bot.plan import Plan
from bot.store import Audit


def audit_data(interview: Interview, audit: Audit) -> dict[str, Any]:
    data: dict[str, Any] = {
        "respondent": audit.respondent_id,
        "audit": {
            "id": audit.id,
            "status": audit.status,
            "dialog_version": audit.dialog_version,
            "started_at": audit.started_at,
            "finished_at": audit.finished_at,
        },
        "answers": interview.store.answers(audit.id),
    }
    if audit.finished_at:
        data["plan"] = plan_data(interview.plan(audit))
    return data


def plan_data(plan: Plan) -> dict[str, Any]:
    exposure = plan.exposure
    return {
        "finished_on": plan.finished_on.isoformat(),
        "overall": plan.overall,
        "scores": {s.area.id: s.score for s in plan.scores},
        "revenue_at_risk": {
            "currency": exposure.currency,
            "six_hour_outage": [_number(exposure.outage_low), _number(exposure.outage_high)],
            "thirty_day_account_loss": _number(exposure.ban),
            "missing": list(exposure.missing),
        },
        "actions": [
            {
                "id": action.rule.id,
                "area": action.rule.area,
                "deadline": action.rule.deadline,
                "due": action.due.isoformat(),
                "because": [reason.question.id for reason in action.reasons],
            }
            for action in plan.actions
        ],
    }


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
