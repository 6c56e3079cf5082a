"""One owner's audit, front-end agnostic: start, answer, back, skip, resume, restart, finish.

Front ends (Telegram, the terminal) call these methods with what the person did and show the
`Outcome` they get back. Every action names the question it was meant for; an action aimed at
a question that is no longer current (an old button, a double tap, a replayed update) changes
nothing and comes back `stale`, so the front end can say the question has moved on.

The position is derived from the stored answers (the first unanswered question on the owner's
path), plus a cursor that only "back" sets. Both live in SQLite and change in the transaction
that stores the answer, so a restart of the process resumes exactly where the owner was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bot import markets, placeholders, reminders
from bot import rules as plan_rules
from bot.dialog import Ambiguous, Dialog, InputError, Middle, Question, toggle
from bot.i18n import N_
from bot.placeholders import Situation
from bot.plan import SNOOZE, Plan, build_plan
from bot.prompt import NOT_ANSWERED, Prompt
from bot.rules import Rules
from bot.store import FINISHED, IN_PROGRESS, SKIPPED, Audit, Store
from bot.store_progress import ACTION_STATES


@dataclass(frozen=True)
class Recorded:
    """An answer just stored (value None: skipped), so the front end can echo it."""

    question: Question
    value: Any
    situation: Situation = field(default_factory=Situation)
    """The owner's platforms and market, for a text that names them."""
    range: tuple[Any, Any] | None = None
    """The range the owner typed, when the value is its middle."""


@dataclass(frozen=True)
class DueReminder:
    """A reminder the front end may send now (see `Interview.due_reminders`)."""

    id: int
    respondent_id: str
    locale: str | None
    kind: str
    audit: Audit
    plan: Plan
    action_index: int | None
    """The action's place in the plan (for its buttons); None for the backup day, check-up."""


@dataclass(frozen=True)
class Outcome:
    """What to show after an action.

    `prompt` is the question to show now (None once the audit is finished); `error` says why the
    input was refused; `stale` marks an action aimed at a question that has moved on;
    `recorded` is the answer just stored; `finished` is the completed audit.
    """

    prompt: Prompt | None = None
    error: InputError | None = None
    stale: bool = False
    recorded: Recorded | None = None
    finished: Audit | None = None
    resumed: bool = False
    readings: tuple[Any, ...] = ()
    """Two readings of a typed number to choose from (see `Interview.pick`)."""
    confirm_restart: int | None = None
    """Starting again would set aside this audit under way: ask the owner first, then call
    `Interview.confirm_restart` with its id."""


@dataclass(frozen=True)
class Entry:
    """Where an owner arrives when they come to the bot (/start, or the terminal run again).

    Exactly one of: `outcome` with `resumed` (the audit under way, where they left off);
    `outcome` alone (a fresh audit, their first); `finished` (nothing under way and an audit
    already done: the front end offers to show its plan or to start again).
    """

    outcome: Outcome | None = None
    resumed: bool = False
    finished: Audit | None = None

    @property
    def is_first_visit(self) -> bool:
        return self.outcome is not None and not self.resumed


@dataclass(frozen=True)
class ReminderHour:
    """The local hour reminders now come at, and the time zone it is in."""

    hour: int
    zone: str


@dataclass(frozen=True)
class Answered:
    """A finished audit's answers as /answers lists them: each question on the owner's path
    that has an answer, in the order asked, and the owner's situation (their platforms)."""

    audit: Audit
    answers: list[tuple[Question, Any]]
    situation: Situation


class Interview:
    def __init__(self, dialog: Dialog, store: Store, rules: Rules | None = None) -> None:
        self.dialog = dialog
        self.store = store
        self.rules = rules or plan_rules.load(dialog)

    # ── Starting and resuming ────────────────────────────────────────────────────────────

    def open_audit(self, respondent_id: str) -> Audit | None:
        return self.store.latest_audit(respondent_id, IN_PROGRESS)

    def finished_audit(self, respondent_id: str) -> Audit | None:
        return self.store.latest_audit(respondent_id, FINISHED)

    def start(self, respondent_id: str, locale: str) -> Outcome:
        """Begin a fresh audit (an unfinished one is set aside as abandoned, not deleted)."""
        self.store.save_respondent(respondent_id, locale)
        audit = self.store.new_audit(respondent_id, self.dialog.version)
        return Outcome(prompt=self._prompt(audit))

    def enter(self, respondent_id: str, locale: str) -> Entry:
        """Continue the audit under way; else point at the finished one; else begin one."""
        resumed = self.resume(respondent_id)
        if resumed is not None:
            return Entry(outcome=resumed, resumed=True)
        finished = self.finished_audit(respondent_id)
        if finished is not None:
            return Entry(finished=finished)
        return Entry(outcome=self.start(respondent_id, locale))

    def request_restart(self, respondent_id: str, locale: str) -> Outcome:
        """Start again, unless that would set answers aside: then ask first (`confirm_restart`)."""
        audit = self.open_audit(respondent_id)
        if audit is not None and self.store.answers(audit.id):
            return Outcome(confirm_restart=audit.id)
        return self.start(respondent_id, locale)

    def confirm_restart(
        self, respondent_id: str, locale: str, audit_id: int, confirmed: bool
    ) -> Outcome:
        """The owner's answer to "start again?" about `audit_id`. A stale question (the audit
        was finished or set aside meanwhile) changes nothing, whatever the answer."""
        audit = self.open_audit(respondent_id)
        if audit is None or audit.id != audit_id:
            return self._stale(audit)
        if confirmed:
            return self.start(respondent_id, locale)
        return self._advance(audit, resumed=True)

    def resume(self, respondent_id: str) -> Outcome | None:
        """The question an owner left off at, or None when they have no audit under way."""
        audit = self.open_audit(respondent_id)
        if audit is None:
            return None
        return self._advance(audit, resumed=True)

    def undelivered(self, respondent_id: str) -> Outcome | None:
        """What the owner should see next but was never shown — the bot stopped, or Telegram
        failed, between storing their answer and showing what follows — else None."""
        audit = self.store.latest_audit(respondent_id)
        if audit is None or not audit.awaiting_delivery:
            return None
        if audit.status == IN_PROGRESS:
            return self._advance(audit)
        return Outcome(finished=audit) if audit.status == FINISHED else None

    # ── Answering ────────────────────────────────────────────────────────────────────────

    def answer_text(self, respondent_id: str, text: str, locale: str) -> Outcome | None:
        """Typed text for the current question; None when no audit is under way."""
        audit = self.open_audit(respondent_id)
        if audit is None:
            return None
        question = self._current(audit)
        if question is None:
            return self._advance(audit)
        answers = self.store.answers(audit.id)
        value = self.dialog.read_text(question, text, locale, answers)
        if isinstance(value, Ambiguous):
            # Kept as a draft, so the choice survives a restart and old buttons stay harmless.
            self.store.save_draft(audit.id, question.id, {"readings": list(value.readings)})
            return Outcome(prompt=self._prompt(audit), readings=value.readings)
        return self._store_or_refuse(audit, question, value)

    def pick(self, respondent_id: str, audit_id: int, question_id: str, index: int) -> Outcome:
        """Choose one reading of an ambiguous number offered by `answer_text`."""
        audit, question = self._target(respondent_id, audit_id, question_id)
        if question is None:
            return self._stale(audit)
        assert audit is not None
        draft = self.store.draft(audit.id, question.id)
        readings = draft.get("readings") if isinstance(draft, dict) else None
        if not readings or not 0 <= index < len(readings):
            return self._stale(audit)
        return self._store_or_refuse(audit, question, readings[index])

    def choose(self, respondent_id: str, audit_id: int, question_id: str, option: str) -> Outcome:
        audit, question = self._target(respondent_id, audit_id, question_id)
        if question is None:
            return self._stale(audit)
        assert audit is not None
        return self._store_or_refuse(audit, question, self.dialog.read_choice(question, option))

    def toggle(
        self,
        respondent_id: str,
        audit_id: int,
        question_id: str,
        option: str,
        tick: bool | None = None,
    ) -> Outcome:
        """Tick or untick one option of a multi-choice question; stored as a draft.

        With `tick` given, the press says which state the owner wants (the state the button
        showed them), so a press handled twice, or one whose redraw was lost, cannot flip the
        option back: pressing "tick" on a ticked option changes nothing.
        """
        audit, question = self._target(respondent_id, audit_id, question_id)
        if question is None or question.type != "multi" or question.option(option) is None:
            return self._stale(audit)
        assert audit is not None
        ticked = self._ticked(audit, question)
        if tick is None or tick != (option in ticked):
            self.store.save_draft(audit.id, question.id, toggle(question, ticked, option))
        return Outcome(prompt=self._prompt(audit))

    def done(self, respondent_id: str, audit_id: int, question_id: str) -> Outcome:
        """Confirm the ticked options of a multi-choice question."""
        audit, question = self._target(respondent_id, audit_id, question_id)
        if question is None or question.type != "multi":
            return self._stale(audit)
        assert audit is not None
        value = self.dialog.read_selection(question, self._ticked(audit, question))
        return self._store_or_refuse(audit, question, value)

    def keep(self, respondent_id: str, audit_id: int, question_id: str) -> Outcome:
        """ "Still true": the answer the question already has, given again (a check-up)."""
        audit, question = self._target(respondent_id, audit_id, question_id)
        if question is None:
            return self._stale(audit)
        assert audit is not None
        stored = self.store.answers(audit.id)
        if question.id not in stored:
            return self._stale(audit)
        value = stored[question.id]
        return self._store_or_refuse(audit, question, SKIPPED if value is None else value)

    def checkup(self, respondent_id: str, locale: str) -> Outcome | None:
        """A re-audit from the last one's answers: every question again, each with "still
        true"; the plan at the end shows what changed. None without a finished audit."""
        finished = self.finished_audit(respondent_id)
        if finished is None:
            return None
        path = self.dialog.path(self.store.answers(finished.id))
        self.store.save_respondent(respondent_id, locale)
        audit = self.store.copy_audit(
            respondent_id, finished.id, self.dialog.version, path[0].id, review=True
        )
        return Outcome(prompt=self._prompt(audit))

    def skip(self, respondent_id: str, audit_id: int, question_id: str) -> Outcome:
        audit, question = self._target(respondent_id, audit_id, question_id)
        if question is None:
            return self._stale(audit)
        assert audit is not None
        if not question.can_skip:
            return Outcome(
                prompt=self._prompt(audit), error=InputError(N_("This one cannot be skipped."))
            )
        return self._store_or_refuse(audit, question, SKIPPED)

    def back(self, respondent_id: str, audit_id: int, question_id: str) -> Outcome:
        """Step back to the previous question on the owner's path, keeping every answer."""
        audit, question = self._target(respondent_id, audit_id, question_id)
        if question is None:
            return self._stale(audit)
        assert audit is not None
        _, path, index = self._position(audit)
        if not index:
            return Outcome(prompt=self._prompt(audit))
        self.store.set_cursor(audit.id, path[index - 1].id)
        return Outcome(prompt=self._prompt(self._reload(audit)))

    def submit_selection(
        self, respondent_id: str, audit_id: int, question_id: str, options: list[str]
    ) -> Outcome:
        """Answer a multi-choice question in one go (the terminal's "1,3")."""
        audit, question = self._target(respondent_id, audit_id, question_id)
        if question is None:
            return self._stale(audit)
        assert audit is not None
        return self._store_or_refuse(audit, question, self.dialog.read_selection(question, options))

    # ── Reading state ────────────────────────────────────────────────────────────────────

    def answers(self, audit_id: int) -> dict[str, Any]:
        """The answers that count (those of questions on the owner's final path)."""
        return self.dialog.effective_answers(self.store.answers(audit_id))

    def answered(self, respondent_id: str) -> Answered | None:
        """The latest finished audit's answers, any of which `revise` asks again; None
        without a finished audit."""
        audit = self.finished_audit(respondent_id)
        if audit is None:
            return None
        stored = self.answers(audit.id)
        path = [question for question in self.dialog.path(stored) if question.id in stored]
        return Answered(
            audit, [(question, stored[question.id]) for question in path],
            placeholders.situation(stored),
        )  # fmt: skip

    def plan(self, audit: Audit) -> Plan:
        """The action plan for a finished audit, dated from the day it was finished."""
        finished_on = date.fromisoformat((audit.finished_at or audit.started_at)[:10])
        plan = build_plan(self.dialog, self.rules, self.answers(audit.id), finished_on)
        plan = replace(plan, states=self.store.action_states(audit.id))
        before = self.store.finished_before(audit)
        if before is None:
            return plan
        earlier = build_plan(self.dialog, self.rules, self.answers(before.id), finished_on)
        return replace(
            plan,
            previous={score.area.id: score.score for score in earlier.scores},
            previous_overall=earlier.overall,
        )

    def revise(self, respondent_id: str, locale: str, question_id: str) -> Outcome | None:
        """Ask one question of the finished audit again (and then any follow-up the new answer
        opens), in a copy of it: the plan is recomputed when it is done, the marks of the
        actions that remain are kept, and the audit before stays as it was (history). None when
        there is no finished audit, or the question is not on its path (a stale button)."""
        finished = self.finished_audit(respondent_id)
        if finished is None:
            return None
        path = self.dialog.path(self.store.answers(finished.id))
        if question_id not in {question.id for question in path}:
            return None
        self.store.save_respondent(respondent_id, locale)
        audit = self.store.copy_audit(respondent_id, finished.id, self.dialog.version, question_id)
        return Outcome(prompt=self._prompt(audit))

    def mark_nth(
        self, respondent_id: str, audit_id: int, index: int, state: str | None
    ) -> tuple[Audit, Plan] | None:
        """`mark` the action at this place of the plan (as a button names it)."""
        latest = self.latest_plan(respondent_id)
        if latest is None or latest[0].id != audit_id or not 0 <= index < len(latest[1].actions):
            return None
        return self.mark(respondent_id, audit_id, latest[1].actions[index].rule.id, state)

    def due_reminders(self, now: datetime, prefix: str) -> list[DueReminder]:
        """What may be sent now to respondents whose id starts with `prefix`: per owner the
        earliest due reminder, at a daytime hour of their market, a day after the last one.
        Reminders with nothing left to remind of (the action done or not for them, the plan
        since replaced) are dropped on the way."""
        chosen: list[DueReminder] = []
        seen: set[str] = set()
        for row in self.store.due_reminders(now.isoformat(timespec="seconds"), prefix):
            owner = row["respondent_id"]
            if owner in seen:
                continue
            last = row["last_sent"]
            if last and now - datetime.fromisoformat(last) < reminders.REST:
                seen.add(owner)
                continue
            if not reminders.daytime(now, row["zone"]):
                continue
            due = self._due(row)
            if due is None:
                self.store.drop_reminder(row["id"])
                continue
            seen.add(owner)
            chosen.append(due)
        return chosen

    def _due(self, row: dict[str, Any]) -> DueReminder | None:
        latest = self.latest_plan(row["respondent_id"])
        if latest is None or latest[0].id != row["audit_id"]:
            return None
        audit, plan = latest
        index = None
        if row["action_id"] is not None:
            ids = [action.rule.id for action in plan.actions]
            if row["action_id"] not in ids:
                return None
            index = ids.index(row["action_id"])
            if plan.states.get(row["action_id"]) in ("done", "dropped"):
                return None
        return DueReminder(
            row["id"], row["respondent_id"], row["locale"], row["kind"], audit, plan, index
        )

    def mark(
        self, respondent_id: str, audit_id: int, action_id: str, state: str | None
    ) -> tuple[Audit, Plan] | None:
        """Mark an action of the owner's latest plan done, snoozed or not for them (None: open
        again). None when the button is stale or forged: another audit, an action not in it."""
        latest = self.latest_plan(respondent_id)
        if latest is None or latest[0].id != audit_id:
            return None
        audit, plan = latest
        if state is not None and state not in ACTION_STATES:
            return None
        if action_id not in {action.rule.id for action in plan.actions}:
            return None
        with self.store.together():
            self.store.set_action_state(audit.id, action_id, state)
            if state == "snoozed":
                self.store.postpone_reminders(audit.id, action_id, SNOOZE)
        return audit, self.plan(audit)

    def set_reminder_hour(self, respondent_id: str, typed: str) -> ReminderHour | None:
        """The hour typed for reminders ("18", "18:00"), kept and applied to every reminder
        not sent yet, with the time zone it is read in (the market's of the latest audit);
        None (nothing changed) unless it is a daytime hour."""
        hour = reminders.typed_hour(typed)
        if hour is None:
            return None
        self.store.set_reminder_hour(
            respondent_id, hour, lambda due_at, zone: reminders.moved(due_at, zone, hour)
        )
        audit = self.finished_audit(respondent_id)
        answers = self.answers(audit.id) if audit is not None else {}
        return ReminderHour(hour, markets.of(answers).timezone)

    def save_results(self, audit: Audit) -> None:
        """Keep what a finished audit came to (scores, the plan's actions) for anonymous
        figures; no name, no money figure (see `canasta stats`)."""
        plan = self.plan(audit)
        with self.store.together():  # the results and the reminders they call for, or neither
            self._save_results(audit, plan)

    def _save_results(self, audit: Audit, plan: Plan) -> None:
        self.store.replace_reminders(
            audit.respondent_id,
            audit.id,
            [
                (r.action_id, r.kind, r.due_at.isoformat(timespec="seconds"), r.zone)
                for r in reminders.schedule(plan, self.store.reminder_hour(audit.respondent_id))
            ],
        )
        self.store.save_results(
            audit.id,
            plan.country,
            plan.overall,
            {score.area.id: score.score for score in plan.scores},
            [action.rule.id for action in plan.actions],
        )

    def latest_plan(self, respondent_id: str) -> tuple[Audit, Plan] | None:
        """The plan of the owner's most recently finished audit, if any."""
        audit = self.finished_audit(respondent_id)
        return None if audit is None else (audit, self.plan(audit))

    def current_prompt(self, respondent_id: str) -> Prompt | None:
        audit = self.open_audit(respondent_id)
        return self._prompt(audit) if audit else None

    # ── Internals ────────────────────────────────────────────────────────────────────────

    def _position(self, audit: Audit) -> tuple[dict[str, Any], list[Question], int | None]:
        """Stored answers, the owner's path, and the index of the current question on it."""
        answers = self.store.answers(audit.id)
        path = self.dialog.path(answers)
        ids = [q.id for q in path]
        if audit.cursor in ids:
            return answers, path, ids.index(audit.cursor)
        index = next((i for i, q in enumerate(path) if q.id not in answers), None)
        return answers, path, index

    def _current(self, audit: Audit) -> Question | None:
        _, path, index = self._position(audit)
        return None if index is None else path[index]

    def _prompt(self, audit: Audit) -> Prompt | None:
        answers, path, index = self._position(audit)
        if index is None:
            return None
        question = path[index]
        ticked: tuple[str, ...] = ()
        if question.type == "multi":
            ticked = tuple(self._ticked(audit, question, answers))
        return Prompt(
            audit_id=audit.id,
            question=question,
            area=self.dialog.area(question.area),
            number=index + 1,
            total=self.dialog.expected_length(answers),
            can_go_back=index > 0,
            ticked=ticked,
            previous=answers.get(question.id, NOT_ANSWERED),
            situation=placeholders.situation(answers),
            review=audit.review,
        )

    def _ticked(
        self, audit: Audit, question: Question, answers: dict[str, Any] | None = None
    ) -> list[str]:
        """The ticks on a multi-choice question: the unconfirmed draft, else the stored answer."""
        draft = self.store.draft(audit.id, question.id)
        if isinstance(draft, list):
            return draft
        stored = (self.store.answers(audit.id) if answers is None else answers).get(question.id)
        return list(stored) if isinstance(stored, list) else []

    def _target(
        self, respondent_id: str, audit_id: int, question_id: str
    ) -> tuple[Audit | None, Question | None]:
        """The owner's open audit, and the question if the action is aimed at the current one."""
        audit = self.open_audit(respondent_id)
        if audit is None or audit.id != audit_id:
            return audit, None
        current = self._current(audit)
        return audit, current if current and current.id == question_id else None

    def _store_or_refuse(self, audit: Audit, question: Question, value: Any) -> Outcome:
        if isinstance(value, InputError):
            return Outcome(prompt=self._prompt(audit), error=value)
        typed_range = None
        if isinstance(value, Middle):
            value, typed_range = value.value, (value.low, value.high)
        self.store.record_answer(
            audit.id, question.id, value, self._review_next(audit, question, value)
        )
        answers = self.store.answers(audit.id)
        recorded = Recorded(
            question,
            None if value is SKIPPED else value,
            placeholders.situation(answers),
            typed_range,
        )
        return self._advance(self._reload(audit), recorded)

    def _advance(
        self, audit: Audit, recorded: Recorded | None = None, resumed: bool = False
    ) -> Outcome:
        prompt = self._prompt(audit)
        if prompt is not None:
            return Outcome(prompt=prompt, recorded=recorded, resumed=resumed)
        self.store.finish(audit.id)
        self.save_results(self._reload(audit))
        return Outcome(recorded=recorded, finished=self._reload(audit))

    def _review_next(self, audit: Audit, question: Question, value: Any) -> str | None:
        """In a check-up, the question after this one (all were answered before, so the first
        unanswered one is no guide); None otherwise, and after the last."""
        if not audit.review:
            return None
        answers = {**self.store.answers(audit.id), question.id: None if value is SKIPPED else value}
        ids = [q.id for q in self.dialog.path(answers)]
        if question.id not in ids or ids.index(question.id) + 1 >= len(ids):
            return None
        return ids[ids.index(question.id) + 1]

    def _stale(self, audit: Audit | None) -> Outcome:
        return Outcome(prompt=self._prompt(audit) if audit else None, stale=True)

    def _reload(self, audit: Audit) -> Audit:
        fresh = self.store.audit(audit.id)
        assert fresh is not None
        return fresh
