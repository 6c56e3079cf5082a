"""Group onboarding sessions: a facilitator opens a workshop in a group, owners join privately,
and the room sees only anonymous counts and aggregates. Front-end agnostic, like the interview.

Privacy rules live here, not in the front end: nothing an owner answers is shown to the group;
money figures are never aggregated; with fewer than three finished audits only counts are shown.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.dialog import Area
from bot.interview import Interview
from bot.plan import Plan
from bot.rules import ActionRule
from bot.store import FINISHED, IN_PROGRESS, Audit

OPEN, CLOSED = "open", "closed"
MIN_FOR_AGGREGATES = 3
"""Below this many finished audits the room sees counts only: a distribution of two people's
scores could tell who is who."""
SCORE_BANDS = ((0, 39), (40, 69), (70, 100))
_CODE_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes get read aloud


@dataclass(frozen=True)
class Workshop:
    id: int
    code: str
    chat_id: int
    thread_id: int | None
    title: str
    facilitator_id: str
    status: str
    join_message_id: int | None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def start_payload(self) -> str:
        """What follows /start in the join deep link."""
        return f"ws-{self.code}"


@dataclass(frozen=True)
class Progress:
    joined: int
    answering: int
    finished: int


@dataclass(frozen=True)
class AreaBands:
    area: Area
    counts: tuple[int, ...]
    """How many finished audits score in each of SCORE_BANDS."""


@dataclass(frozen=True)
class Gap:
    action: ActionRule
    count: int


@dataclass(frozen=True)
class RoomPicture:
    progress: Progress
    bands: tuple[AreaBands, ...]
    gaps: tuple[Gap, ...]

    @property
    def aggregates_shown(self) -> bool:
        return self.progress.finished >= MIN_FOR_AGGREGATES


def parse_start_payload(payload: str | None) -> str | None:
    """The workshop code in a /start payload such as "ws-ab3k9xqz", or None."""
    if not payload or not payload.startswith("ws-"):
        return None
    code = payload[3:]
    return code if code and all(char in _CODE_LETTERS for char in code) else None


class Workshops:
    def __init__(self, interview: Interview) -> None:
        self.interview = interview
        self.store = interview.store

    # ── The facilitator's side ───────────────────────────────────────────────────────────

    def open(
        self, chat_id: int, thread_id: int | None, title: str, facilitator: str, locale: str
    ) -> Workshop:
        """Open a workshop in a group; if one is already open there, return that one.

        The group reads the workshop's messages in the facilitator's language.
        """
        existing = self.in_chat(chat_id)
        if existing is not None:
            return existing
        self.store.save_respondent(facilitator, self.store.respondent_locale(facilitator) or locale)
        code = "".join(secrets.choice(_CODE_LETTERS) for _ in range(8))
        return _workshop(self.store.open_workshop(code, chat_id, thread_id, title, facilitator))

    def in_chat(self, chat_id: int) -> Workshop | None:
        row = self.store.open_workshop_in(chat_id)
        return _workshop(row) if row else None

    def by_code(self, code: str) -> Workshop | None:
        row = self.store.workshop_by_code(code)
        return _workshop(row) if row else None

    def get(self, workshop_id: int) -> Workshop | None:
        row = self.store.workshop(workshop_id)
        return _workshop(row) if row else None

    def locale(self, workshop: Workshop) -> str:
        return self.store.respondent_locale(workshop.facilitator_id) or "en"

    def remember_join_message(self, workshop: Workshop, message_id: int) -> None:
        self.store.update_workshop(workshop.id, join_message_id=message_id)

    def close(self, workshop: Workshop) -> None:
        self.store.close_workshop(workshop.id)

    def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        self.store.move_chat(old_chat_id, new_chat_id)

    # ── The participant's side ───────────────────────────────────────────────────────────

    def join(self, workshop: Workshop, respondent_id: str, audit: Audit | None) -> None:
        """Tie a participant (and the audit they take or reuse) to the workshop."""
        self.store.join_workshop(workshop.id, respondent_id, audit.id if audit else None)

    def share_plan(self, workshop: Workshop, respondent_id: str, shares: bool) -> None:
        self.store.set_sharing(workshop.id, respondent_id, shares)

    def open_workshops_of(self, respondent_id: str) -> list[Workshop]:
        found = []
        for membership in self.store.open_memberships_of(respondent_id):
            workshop = self.get(membership["workshop_id"])
            if workshop is not None:
                found.append(workshop)
        return found

    # ── The room's picture ───────────────────────────────────────────────────────────────

    def progress(self, workshop: Workshop) -> Progress:
        statuses = [self._status(m) for m in self.store.memberships(workshop.id)]
        return Progress(
            joined=len(statuses),
            answering=statuses.count(IN_PROGRESS),
            finished=statuses.count(FINISHED),
        )

    def picture(self, workshop: Workshop) -> RoomPicture:
        progress = self.progress(workshop)
        if progress.finished < MIN_FOR_AGGREGATES:
            return RoomPicture(progress, (), ())
        plans = [plan for _, plan, _ in self.finished_plans(workshop)]
        return RoomPicture(progress, _bands(plans), _gaps(plans))

    def finished_plans(self, workshop: Workshop) -> list[tuple[str, Plan, bool]]:
        """(respondent, plan, shares with the facilitator) for every finished participant."""
        found = []
        for membership in self.store.memberships(workshop.id):
            audit = self._finished_audit(membership)
            if audit is not None:
                plan = self.interview.plan(audit)
                found.append((membership["respondent_id"], plan, bool(membership["shares_plan"])))
        return found

    def shared_plans(self, workshop: Workshop) -> list[Plan]:
        """The plans participants chose to share with the facilitator."""
        return [plan for _, plan, shares in self.finished_plans(workshop) if shares]

    def _finished_audit(self, membership: dict[str, Any]) -> Audit | None:
        audits = self._audits(membership)
        return next((audit for audit in audits if audit.status == FINISHED), None)

    def _status(self, membership: dict[str, Any]) -> str:
        audits = self._audits(membership)
        if any(audit.status == FINISHED for audit in audits):
            return FINISHED
        if audits and audits[0].status == IN_PROGRESS:
            return IN_PROGRESS
        return "joined"

    def _audits(self, membership: dict[str, Any]) -> list[Audit]:
        if membership["audit_id"] is None:
            return []
        return self.store.audits_since(membership["respondent_id"], membership["audit_id"])


def _bands(plans: list[Plan]) -> tuple[AreaBands, ...]:
    if not plans:
        return ()
    bands = []
    for index, area_score in enumerate(plans[0].scores):
        scores = [plan.scores[index].score for plan in plans]
        counts = tuple(
            sum(1 for score in scores if score is not None and low <= score <= high)
            for low, high in SCORE_BANDS
        )
        if sum(counts):
            bands.append(AreaBands(area_score.area, counts))
    return tuple(bands)


def _gaps(plans: list[Plan], most: int = 5) -> tuple[Gap, ...]:
    """The actions most owners in the room need; advice everyone gets is not a gap."""
    counts = Counter(
        action.rule.id for plan in plans for action in plan.actions if action.rule.when
    )
    rules = {action.rule.id: action.rule for plan in plans for action in plan.actions}
    return tuple(Gap(rules[rule_id], count) for rule_id, count in counts.most_common(most))


def _workshop(row: dict[str, Any]) -> Workshop:
    return Workshop(
        id=row["id"],
        code=row["code"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        title=row["title"] or "",
        facilitator_id=row["facilitator_id"],
        status=row["status"],
        join_message_id=row["join_message_id"],
    )
