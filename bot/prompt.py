"""A question to show: everything a front end needs to draw it, and nothing about storage.

Kept apart from the interview so that renderers and keyboards can draw a prompt without
importing the store (and sqlite-utils) behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.dialog import Area, Question
from bot.placeholders import Situation

NOT_ANSWERED = object()
"""`Prompt.previous` when the question has no stored answer yet."""


@dataclass(frozen=True)
class Prompt:
    """A question to show, with everything a front end needs to draw it."""

    audit_id: int
    question: Question
    area: Area
    number: int
    total: int
    can_go_back: bool
    ticked: tuple[str, ...] = ()
    previous: Any = NOT_ANSWERED
    review: bool = False
    """A check-up: the question comes with its previous answer and a "still true" button."""
    situation: Situation = field(default_factory=Situation)
    """The owner's platforms and market so far, for a text that names them."""

    @property
    def can_skip(self) -> bool:
        return self.question.can_skip
