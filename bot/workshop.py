"""Group onboarding sessions: a facilitator opens a workshop in a group, owners join privately,
and the room sees only anonymous counts and aggregates. Front-end agnostic, like the interview.

Privacy rules live here, not in the front end: nothing an owner answers is shown to the group;
money figures are never aggregated; with fewer than three finished audits only counts are shown.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from bot.i18n import DEFAULT_LOCALE
from bot.interview import Interview, Outcome
from bot.plan import Plan
from bot.room import MIN_FOR_AGGREGATES, Progress, RoomPicture, bands, follow_up, gaps
from bot.store import FINISHED, IN_PROGRESS, Audit

OPEN, CLOSED = "open", "closed"
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
class WorkshopEntry:
    """What following a workshop's join link leads to.

    `problem` is INVALID_LINK or CLOSED_WORKSHOP when the owner cannot join; otherwise they
    have joined `workshop` and either answer (`outcome`: the question to show) or choose
    whether to reuse the audit they already finished (`reusable`).
    """

    workshop: Workshop | None = None
    problem: str | None = None
    outcome: Outcome | None = None
    reusable: Audit | None = None


@dataclass(frozen=True)
class WorkshopChoice:
    """What a participant's choice (reuse, retake, share, keep private) leads to.

    `workshop` is None when it has closed, or was never theirs; `outcome` is the question to
    show after a retake; `ask_to_share` asks whether the facilitator may see the plan.
    """

    workshop: Workshop | None
    outcome: Outcome | None = None
    ask_to_share: bool = False
    reused: Audit | None = None
    """The finished audit reused for the workshop: the one whose plan sharing is about."""
    shared: bool | None = None


@dataclass(frozen=True)
class Access:
    """May this person run the group's workshop commands? (Only the group's admins may.)"""

    allowed: bool
    workshop: Workshop | None
    """The group's open workshop, if any."""
    tell_refusal: bool = False
    """Refused, and not told so yet: tell each person once, then stay quiet (no spam)."""


INVALID_LINK, CLOSED_WORKSHOP = "invalid", "closed"
REUSE, RETAKE, SHARE, PRIVATE = "reuse", "retake", "share", "private"


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
        self._told_not_admin: set[tuple[int, str]] = set()

    # ── Who may act ──────────────────────────────────────────────────────────────────────

    def access(self, chat_id: int, person: str, is_group_admin: bool) -> Access:
        """The rule for /workshop, /summary, /report and /close: the group's admins only."""
        workshop = self.in_chat(chat_id)
        if is_group_admin:
            return Access(True, workshop)
        first_refusal = (chat_id, person) not in self._told_not_admin
        self._told_not_admin.add((chat_id, person))
        return Access(False, workshop, tell_refusal=first_refusal)

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
        return self.store.respondent_locale(workshop.facilitator_id) or DEFAULT_LOCALE

    def remember_join_message(self, workshop: Workshop, message_id: int) -> None:
        self.store.update_workshop(workshop.id, join_message_id=message_id)

    def close(self, workshop: Workshop) -> None:
        self.store.close_workshop(workshop.id)

    def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        self.store.move_chat(old_chat_id, new_chat_id)

    # ── The participant's side ───────────────────────────────────────────────────────────

    def enter(self, start_payload: str | None, respondent_id: str, locale: str) -> WorkshopEntry:
        """Follow a join link: join the workshop, and continue, reuse or begin an audit.

        An audit under way is continued, never set aside; a finished one may be reused.
        """
        code = parse_start_payload(start_payload)
        workshop = self.by_code(code) if code else None
        if workshop is None:
            return WorkshopEntry(problem=INVALID_LINK)
        if not workshop.is_open:
            return WorkshopEntry(workshop, problem=CLOSED_WORKSHOP)
        interview = self.interview
        self.store.save_respondent(respondent_id, locale)
        in_progress = interview.open_audit(respondent_id)
        finished = interview.finished_audit(respondent_id)
        if finished is not None and in_progress is None:
            self.join(workshop, respondent_id, None)
            return WorkshopEntry(workshop, reusable=finished)
        outcome = interview.resume(respondent_id) or interview.start(respondent_id, locale)
        self.join(workshop, respondent_id, interview.open_audit(respondent_id))
        return WorkshopEntry(workshop, outcome=outcome)

    def choose(
        self,
        workshop_id: int,
        respondent_id: str,
        locale: str,
        choice: str,
        audit_id: int | None = None,
    ) -> WorkshopChoice:
        """A participant's button: reuse or retake their audit, share their plan or not.

        Sharing names the audit it was asked about (`audit_id`): that plan, and only that one,
        is what the facilitator sees, whatever the owner does later.
        """
        workshop = next(
            (w for w in self.open_workshops_of(respondent_id) if w.id == workshop_id), None
        )
        if workshop is None:
            return WorkshopChoice(None)
        interview = self.interview
        if choice == REUSE:
            finished = interview.finished_audit(respondent_id)
            if finished is None:  # erased meanwhile
                return WorkshopChoice(None)
            self.join(workshop, respondent_id, finished)
            return WorkshopChoice(workshop, ask_to_share=True, reused=finished)
        if choice == RETAKE:
            # An audit begun since the offer is continued: a stale button never discards it.
            outcome = interview.resume(respondent_id) or interview.start(respondent_id, locale)
            self.join(workshop, respondent_id, interview.open_audit(respondent_id))
            return WorkshopChoice(workshop, outcome=outcome)
        if choice == SHARE:
            audit = self.store.audit(audit_id) if audit_id is not None else None
            if audit is None or audit.respondent_id != respondent_id or audit.status != FINISHED:
                return WorkshopChoice(None)
            self.share_plan(workshop, respondent_id, audit)
            return WorkshopChoice(workshop, shared=True)
        self.share_plan(workshop, respondent_id, None)
        return WorkshopChoice(workshop, shared=False)

    def awaiting_share(self, respondent_id: str) -> list[Workshop]:
        """After an owner finishes: the open workshops to ask whether to share the plan with."""
        return self.open_workshops_of(respondent_id)

    def join(self, workshop: Workshop, respondent_id: str, audit: Audit | None) -> None:
        """Tie a participant (and the audit they take or reuse) to the workshop."""
        self.store.join_workshop(workshop.id, respondent_id, audit.id if audit else None)

    def share_plan(self, workshop: Workshop, respondent_id: str, audit: Audit | None) -> None:
        """Share this finished audit's plan with the facilitator (None: keep it private)."""
        self.store.set_sharing(workshop.id, respondent_id, audit.id if audit else None)

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
        plans = [plan for _, plan in self.finished_plans(workshop)]
        first_moves = sum(self._first_move_done(m) for m in self.store.memberships(workshop.id))
        return RoomPicture(progress, bands(plans), gaps(plans), follow_up(first_moves, plans))

    def _first_move_done(self, membership: dict[str, Any]) -> bool:
        """Whether the first move of the plan made in the workshop (the first audit finished
        since joining) is ticked done, in that audit or a later one (a check-up copies marks)."""
        finished = [a for a in self._audits(membership) if a.status == FINISHED]
        if not finished:
            return False
        first = self.interview.plan(finished[-1]).actions
        if not first:
            return False
        move = first[0].rule.id
        return any(self.store.action_states(a.id).get(move) == "done" for a in finished)

    def finished_plans(self, workshop: Workshop) -> list[tuple[str, Plan]]:
        """(respondent, plan) for every finished participant: for the anonymous picture."""
        found = []
        for membership in self.store.memberships(workshop.id):
            audit = self._finished_audit(membership)
            if audit is not None:
                found.append((membership["respondent_id"], self.interview.plan(audit)))
        return found

    def shared_plans(self, workshop: Workshop) -> list[Plan]:
        """The plans participants chose to share, each as it was when they agreed."""
        plans = []
        for membership in self.store.memberships(workshop.id):
            shared = membership.get("shared_audit_id")
            audit = self.store.audit(shared) if shared is not None else None
            if audit is not None and audit.status == FINISHED:
                plans.append(self.interview.plan(audit))
        return plans

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
