"""Button payloads: short, versioned strings that fit Telegram's 64 bytes.

    a|<audit>|<question>|<verb>[|<option>]   an answer button of one audit's question
                                              (verb t/u: tick/untick an option; v: pick
                                              reading r0 or r1 of a number)
    l|<locale>                                choose a language
    r|<audit>|<choice>                        confirm or cancel setting aside an audit under way
    p|<kind>                                  the finished plan: show it, pdf, ics, or retake
    w|<workshop>|<choice>[|<audit>]           a workshop: reuse or retake an audit, share (this
                                              audit's plan) or not
    e|<choice>                                confirm or cancel erasing one's data
    x|<audit>|<question>                      change one answer of a finished audit
    k|<audit>|<index>|<state>                 the checklist of one audit's plan: mark the action
                                              at this place done (d), snoozed (z), not for me (x)
                                              or open again (o), D/Z/X from a reminder;
                                              k|-|-|show opens the checklist

Anything else, or anything malformed (a forged or ancient button), decodes to None: ids are
ASCII digits of a size SQLite can hold, slugs are ASCII, and text that is not valid UTF-8 is
refused before it is looked at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHOOSE, DONE, SKIP, BACK, PICK, KEEP = "c", "d", "s", "b", "v", "k"
# Ticks name the state wanted, not "flip": a press handled twice changes nothing more.
TICK, UNTICK = "t", "u"
VERBS = frozenset({CHOOSE, TICK, UNTICK, DONE, SKIP, BACK, PICK, KEEP})
_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
_ID = re.compile(r"^[0-9]{1,18}$")  # below 2**63: fits an SQLite integer


@dataclass(frozen=True)
class AnswerButton:
    audit_id: int
    question_id: str
    verb: str
    option: str = ""

    def encode(self) -> str:
        parts = ["a", str(self.audit_id), self.question_id, self.verb]
        if self.option:
            parts.append(self.option)
        return "|".join(parts)


@dataclass(frozen=True)
class LanguageButton:
    locale: str

    def encode(self) -> str:
        return f"l|{self.locale}"


@dataclass(frozen=True)
class RestartButton:
    audit_id: int
    """The audit under way that starting again would set aside."""
    confirmed: bool

    def encode(self) -> str:
        return f"r|{self.audit_id}|{'yes' if self.confirmed else 'no'}"


@dataclass(frozen=True)
class PlanButton:
    kind: str

    def encode(self) -> str:
        return f"p|{self.kind}"


PLAN_KINDS = frozenset({"plan", "pdf", "ics", "retake"})


@dataclass(frozen=True)
class WorkshopButton:
    workshop_id: int
    choice: str
    audit_id: int | None = None
    """For "share": the finished audit whose plan the owner is asked about."""

    def encode(self) -> str:
        audit = "" if self.audit_id is None else f"|{self.audit_id}"
        return f"w|{self.workshop_id}|{self.choice}{audit}"


WORKSHOP_CHOICES = frozenset({"reuse", "retake", "share", "private"})


@dataclass(frozen=True)
class EraseButton:
    confirmed: bool

    def encode(self) -> str:
        return f"e|{'yes' if self.confirmed else 'no'}"


@dataclass(frozen=True)
class ChecklistButton:
    audit_id: int | None
    """None: the owner's latest plan (the button under the plan, which knows no audit)."""
    index: int | None
    """The action's place in the plan (0 = first); None with SHOW."""
    state: str

    def encode(self) -> str:
        audit = "-" if self.audit_id is None else str(self.audit_id)
        index = "-" if self.index is None else str(self.index)
        return f"k|{audit}|{index}|{self.state}"


@dataclass(frozen=True)
class ChangeButton:
    audit_id: int
    question_id: str

    def encode(self) -> str:
        return f"x|{self.audit_id}|{self.question_id}"


SHOW = "show"
# Each mark names the state wanted, not "flip": a press handled twice changes nothing more.
MARKS = {"d": "done", "z": "snoozed", "x": "dropped", "o": None}
# The same marks pressed under a reminder (answered in the reminder itself).
MARKS |= {"D": "done", "Z": "snoozed", "X": "dropped"}


Button = (
    AnswerButton
    | LanguageButton
    | RestartButton
    | PlanButton
    | WorkshopButton
    | EraseButton
    | ChecklistButton
    | ChangeButton
)


def decode(data: str | None) -> Button | None:
    try:
        if not data or len(data.encode()) > 64:
            return None
    except UnicodeEncodeError:  # a lone surrogate: no button of ours
        return None
    parts = data.split("|")
    kind = parts[0]
    if kind == "a" and len(parts) in (4, 5):
        return _answer(parts)
    if kind == "l" and len(parts) == 2 and _SLUG.match(parts[1]):
        return LanguageButton(parts[1])
    if kind == "r" and len(parts) == 3 and _ID.match(parts[1]) and parts[2] in ("yes", "no"):
        return RestartButton(int(parts[1]), parts[2] == "yes")
    if kind == "p" and len(parts) == 2 and parts[1] in PLAN_KINDS:
        return PlanButton(parts[1])
    if kind == "e" and len(parts) == 2 and parts[1] in ("yes", "no"):
        return EraseButton(parts[1] == "yes")
    if kind == "w" and len(parts) in (3, 4) and _ID.match(parts[1]):
        return _workshop(parts)
    if kind == "k" and len(parts) == 4:
        return _checklist(parts)
    if kind == "x" and len(parts) == 3 and _ID.match(parts[1]) and _SLUG.match(parts[2]):
        return ChangeButton(int(parts[1]), parts[2])
    return None


def _checklist(parts: list[str]) -> ChecklistButton | None:
    _, audit, index, state = parts
    if (audit, index, state) == ("-", "-", SHOW):
        return ChecklistButton(None, None, SHOW)
    if not _ID.match(audit) or not re.fullmatch(r"[0-9]{1,2}", index) or state not in MARKS:
        return None
    return ChecklistButton(int(audit), int(index), state)


def _workshop(parts: list[str]) -> WorkshopButton | None:
    _, workshop, choice, *audit = parts
    if choice not in WORKSHOP_CHOICES or (audit and not _ID.match(audit[0])):
        return None
    return WorkshopButton(int(workshop), choice, int(audit[0]) if audit else None)


def _answer(parts: list[str]) -> AnswerButton | None:
    _, audit, question, verb, *option = parts
    if not _ID.match(audit) or not _SLUG.match(question) or verb not in VERBS:
        return None
    if option and not _SLUG.match(option[0]):
        return None
    return AnswerButton(int(audit), question, verb, option[0] if option else "")
