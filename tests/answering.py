"""A scripted owner for tests: answers whatever the interview asks, from a dict of answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.dialog import Question
from bot.interview import Interview, Outcome

# The seeds' jewellery maker: sells on Instagram only, no list, no website, no backups.
JEWELLER: dict[str, Any] = {
    "business_name": "Anillos Alex",
    "country": "us",
    "first_contact": ["instagram"],
    "google_listing": "online_only",
    "account_security": ["none"],
    "account_trouble": False,
    "order_channels": ["dms", "meta_shop"],
    "meta_revenue_share": "100",
    "payments": ["cash", "bank_transfer"],
    "contact_list": ["none"],
    "website": "link_in_bio",
    "ad_spend": "0",
    "devices": "computer",
    "backup_places": ["phone_only"],
    "backup_frequency": "ad_hoc",
    "exports_done": ["none"],
    "platform_only_content": ["photos_posts"],
    "contingency_plan": False,
    "fallback_channels": ["none"],
    "daily_revenue": "150",
    "peak_hours": ["evening"],
    "sales_recovered": "none",
}


def answer_all(
    interview: Interview, respondent: str, answers: dict[str, Any], locale: str = "en"
) -> list[str]:
    """Answer every question asked, in order; return the ids asked. Questions missing from
    `answers` are skipped, as an owner tapping "Don't know" would."""
    outcome = interview.resume(respondent) or interview.start(respondent, locale)
    asked = []
    while outcome.prompt is not None:
        prompt = outcome.prompt
        asked.append(prompt.question.id)
        outcome = answer_one(interview, respondent, prompt, answers.get(prompt.question.id), locale)
        assert outcome.error is None, (prompt.question.id, outcome.error)
    assert outcome.finished is not None
    return asked


@dataclass(frozen=True)
class Move:
    """What a person does to give one answer: skip the question, tap option ids (ticking each
    one, then "Done", for a multiple choice), or type a text."""

    skip: bool = False
    taps: tuple[str, ...] = ()
    typed: str | None = None


def how_to_answer(question: Question, value: Any) -> Move:
    """The one place that knows how each question type is answered. `value` is as in
    JEWELLER: None to skip, option ids (a list for "multi"), True/False for "yesno", else
    the text typed (numbers and money too)."""
    if value is None:
        return Move(skip=True)
    if question.type == "multi":
        return Move(taps=tuple(value))
    if question.type == "yesno":
        return Move(taps=("yes" if value else "no",))
    if question.type == "single":
        return Move(taps=(str(value),))
    return Move(typed=str(value))


def answer_one(
    interview: Interview, respondent: str, prompt: Any, value: Any, locale: str = "en"
) -> Outcome:
    """Give `value` to the prompt's question through the interview, as `how_to_answer` says."""
    question, audit = prompt.question, prompt.audit_id
    move = how_to_answer(question, value)
    if move.skip:
        return interview.skip(respondent, audit, question.id)
    if question.type == "multi":
        return interview.submit_selection(respondent, audit, question.id, list(move.taps))
    if move.taps:
        (option,) = move.taps
        return interview.choose(respondent, audit, question.id, option)
    assert move.typed is not None
    result = interview.answer_text(respondent, move.typed, locale)
    assert result is not None
    return result
