"""Everything stored about one respondent's audit, as JSON-ready data (and their plan)."""

from __future__ import annotations

import json
import logging
import math
from decimal import Decimal
from typing import Any

from bot.interview import Interview
from bot.plan import Plan
from bot.store import Audit

log = logging.getLogger(__name__)


def personal_data(interview: Interview, respondent_id: str) -> dict[str, Any]:
    """Everything stored about one person, every table, plus the plans made from it: what
    /mydata sends (GDPR Art. 15 and 20: a copy, in a machine-readable format)."""
    stored = interview.store.everything_about(respondent_id)
    for row in stored["answers"] + stored["drafts"]:
        row["value"] = _stored(row["value"], row["audit_id"])
    plans = {
        str(row["id"]): plan_data(interview.plan(Audit.from_row(row)))
        for row in stored["audits"]
        if row["status"] == "finished"
    }
    return {"respondent": respondent_id, "tables": stored, "plans": plans}


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
        "answers": _strict(interview.store.answers(audit.id)),
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


def _stored(value: str | None, audit_id: int) -> Any:
    """A stored value as it was stored, and always valid JSON: the copy a person asks for must
    open anywhere, whatever an older version wrote."""
    if not value:
        return None
    try:
        return _strict(json.loads(value))
    except ValueError:  # not JSON, or an integer too long for Python to read
        log.warning("audit %s: a stored value is not JSON, exported as its text", audit_id)
        return value


def _strict(value: Any) -> Any:
    """NaN and infinities written as text: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_strict(item) for item in value]
    if isinstance(value, dict):
        return {key: _strict(item) for key, item in value.items()}
    return value


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
