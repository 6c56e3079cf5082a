"""The flows every front end shares, tested on the core: arriving, starting again, workshops,
languages and erasure. Telegram and the terminal only show what these return."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import dialog, rules
from bot.interview import Interview
from bot.respondents import Respondents
from bot.store import ABANDONED, FINISHED, IN_PROGRESS, Store
from bot.workshop import (
    CLOSED_WORKSHOP,
    INVALID_LINK,
    PRIVATE,
    RETAKE,
    REUSE,
    SHARE,
    Workshops,
)
from tests.answering import answer_all, answer_one

DATA = Path(__file__).parent / "data"
OWNER = "tg:501"


@pytest.fixture
def small(store: Store) -> Interview:
    audit = dialog.load(DATA / "audit.yaml")
    return Interview(audit, store, rules.load(audit, DATA / "actions.yaml"))


# The fixture audit's one question that cannot be skipped; everything else is "don't know".
FINISH = {"backups": ["cloud"]}


def answer_first(interview: Interview, who: str = OWNER) -> None:
    outcome = interview.resume(who)
    assert outcome is not None and outcome.prompt is not None
    answer_one(interview, who, outcome.prompt, "Bakery")


# ── Arriving ────────────────────────────────────────────────────────────────────────────────


def test_a_first_visit_begins_an_audit(small: Interview) -> None:
    entry = small.enter(OWNER, "en")
    assert entry.is_first_visit and entry.outcome is not None
    assert entry.outcome.prompt is not None and entry.outcome.prompt.number == 1


def test_coming_back_mid_audit_continues_where_one_left_off(small: Interview) -> None:
    small.enter(OWNER, "en")
    answer_first(small)
    entry = small.enter(OWNER, "en")
    assert entry.resumed and entry.outcome is not None and entry.outcome.prompt is not None
    assert entry.outcome.prompt.number == 2
    assert len(small.store.audits_since(OWNER, 0)) == 1  # nothing new was begun


def test_coming_back_after_finishing_offers_the_plan_not_a_blank_audit(small: Interview) -> None:
    answer_all(small, OWNER, FINISH)
    entry = small.enter(OWNER, "en")
    assert entry.outcome is None and entry.finished is not None
    assert entry.finished.status == FINISHED
    assert small.open_audit(OWNER) is None


# ── Starting again ──────────────────────────────────────────────────────────────────────────


def test_starting_again_with_nothing_answered_needs_no_confirmation(small: Interview) -> None:
    small.enter(OWNER, "en")
    outcome = small.request_restart(OWNER, "en")
    assert outcome.confirm_restart is None and outcome.prompt is not None


def test_starting_again_mid_audit_asks_first_and_keeps_the_answers_until_yes(
    small: Interview,
) -> None:
    small.enter(OWNER, "en")
    answer_first(small)
    under_way = small.open_audit(OWNER)
    assert under_way is not None
    asked = small.request_restart(OWNER, "en")
    assert asked.confirm_restart == under_way.id and asked.prompt is None
    assert small.open_audit(OWNER) == under_way  # asking changed nothing

    no = small.confirm_restart(OWNER, "en", under_way.id, confirmed=False)
    assert no.prompt is not None and no.prompt.number == 2 and no.resumed
    yes = small.confirm_restart(OWNER, "en", under_way.id, confirmed=True)
    assert yes.prompt is not None and yes.prompt.number == 1
    assert small.store.audit(under_way.id).status == ABANDONED  # type: ignore[union-attr]
    assert small.store.answers(under_way.id)  # set aside, not deleted


def test_a_stale_confirmation_changes_nothing(small: Interview) -> None:
    small.enter(OWNER, "en")
    answer_first(small)
    first = small.open_audit(OWNER)
    assert first is not None
    small.confirm_restart(OWNER, "en", first.id, confirmed=True)
    second = small.open_audit(OWNER)
    assert second is not None and second.id != first.id
    answer_first(small)
    # A second "Yes, start over" for the first audit must not discard the second one.
    again = small.confirm_restart(OWNER, "en", first.id, confirmed=True)
    assert again.stale
    assert small.open_audit(OWNER) == second and small.store.answers(second.id)


# ── Workshops ───────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def workshops(small: Interview) -> Workshops:
    return Workshops(small)


def test_a_join_link_must_name_an_open_workshop(workshops: Workshops) -> None:
    assert workshops.enter("ws-nope", OWNER, "en").problem == INVALID_LINK
    assert workshops.enter(None, OWNER, "en").problem == INVALID_LINK
    workshop = workshops.open(-100, None, "Room", "tg:9", "en")
    workshops.close(workshop)
    assert workshops.enter(workshop.start_payload, OWNER, "en").problem == CLOSED_WORKSHOP
    assert workshops.progress(workshop).joined == 0


def test_joining_mid_audit_continues_it(workshops: Workshops, small: Interview) -> None:
    small.enter(OWNER, "en")
    answer_first(small)
    under_way = small.open_audit(OWNER)
    workshop = workshops.open(-100, None, "Room", "tg:9", "en")
    entry = workshops.enter(workshop.start_payload, OWNER, "en")
    assert entry.outcome is not None and entry.outcome.prompt is not None
    assert entry.outcome.prompt.number == 2 and small.open_audit(OWNER) == under_way
    assert workshops.progress(workshop).answering == 1


def test_a_finished_owner_may_reuse_their_audit_and_is_asked_to_share(
    workshops: Workshops, small: Interview
) -> None:
    answer_all(small, OWNER, FINISH)
    workshop = workshops.open(-100, None, "Room", "tg:9", "en")
    entry = workshops.enter(workshop.start_payload, OWNER, "en")
    assert entry.reusable is not None and entry.outcome is None
    choice = workshops.choose(workshop.id, OWNER, "en", REUSE)
    assert choice.ask_to_share and workshops.progress(workshop).finished == 1
    assert choice.reused == entry.reusable
    shared = workshops.choose(workshop.id, OWNER, "en", SHARE, choice.reused.id)
    assert shared.shared is True and len(workshops.shared_plans(workshop)) == 1
    assert workshops.choose(workshop.id, OWNER, "en", PRIVATE).shared is False
    assert workshops.shared_plans(workshop) == []


def test_the_facilitator_sees_the_plan_shared_not_a_later_private_one(
    workshops: Workshops, small: Interview
) -> None:
    workshop = workshops.open(-100, None, "Room", "tg:9", "en")
    workshops.enter(workshop.start_payload, OWNER, "en")
    answer_all(small, OWNER, {**FINISH, "business_name": "Shared Bakery"})
    shared = small.finished_audit(OWNER)
    assert shared is not None
    workshops.choose(workshop.id, OWNER, "en", SHARE, shared.id)
    workshops.close(workshop)
    small.start(OWNER, "en")  # later, on their own, after the workshop
    answer_all(small, OWNER, {**FINISH, "business_name": "Private Bakery"})
    assert small.finished_audit(OWNER) != shared
    (plan,) = workshops.shared_plans(workshop)
    assert plan.business_name == "Shared Bakery"


def test_sharing_an_audit_that_is_not_ones_own_finished_one_does_nothing(
    workshops: Workshops, small: Interview
) -> None:
    workshop = workshops.open(-100, None, "Room", "tg:9", "en")
    workshops.enter(workshop.start_payload, "tg:502", "en")
    answer_all(small, "tg:502", FINISH)
    workshops.enter(workshop.start_payload, OWNER, "en")
    someone_else = small.finished_audit("tg:502")
    assert someone_else is not None
    mine_in_progress = small.open_audit(OWNER)
    assert mine_in_progress is not None
    for audit_id in (someone_else.id, mine_in_progress.id, None):
        assert workshops.choose(workshop.id, OWNER, "en", SHARE, audit_id).workshop is None
    assert workshops.shared_plans(workshop) == []


def test_a_stale_retake_button_continues_the_audit_under_way(
    workshops: Workshops, small: Interview
) -> None:
    answer_all(small, OWNER, FINISH)
    workshop = workshops.open(-100, None, "Room", "tg:9", "en")
    workshops.enter(workshop.start_payload, OWNER, "en")
    first = workshops.choose(workshop.id, OWNER, "en", RETAKE)
    assert first.outcome is not None and first.outcome.prompt is not None
    answer_first(small)
    under_way = small.open_audit(OWNER)
    second = workshops.choose(workshop.id, OWNER, "en", RETAKE)  # the same button, again
    assert second.outcome is not None and second.outcome.prompt is not None
    assert second.outcome.prompt.number == 2 and small.open_audit(OWNER) == under_way


def test_choices_in_a_closed_or_foreign_workshop_do_nothing(
    workshops: Workshops, small: Interview
) -> None:
    workshop = workshops.open(-100, None, "Room", "tg:9", "en")
    assert workshops.choose(workshop.id, OWNER, "en", SHARE).workshop is None  # never joined
    workshops.enter(workshop.start_payload, OWNER, "en")
    workshops.close(workshop)
    assert workshops.choose(workshop.id, OWNER, "en", RETAKE).workshop is None
    assert workshops.choose(10**6, OWNER, "en", RETAKE).workshop is None


def test_only_admins_run_a_workshop_and_others_are_told_once(workshops: Workshops) -> None:
    workshop = workshops.open(-100, None, "Room", "tg:9", "en")
    admin = workshops.access(-100, "tg:9", is_group_admin=True)
    assert admin.allowed and admin.workshop == workshop
    first = workshops.access(-100, "tg:7", is_group_admin=False)
    second = workshops.access(-100, "tg:7", is_group_admin=False)
    assert not first.allowed and first.tell_refusal
    assert not second.allowed and not second.tell_refusal
    elsewhere = workshops.access(-200, "tg:7", is_group_admin=False)
    assert elsewhere.tell_refusal and elsewhere.workshop is None


def test_after_finishing_the_owner_is_asked_about_each_open_workshop(
    workshops: Workshops, small: Interview
) -> None:
    workshop = workshops.open(-100, None, "Room", "tg:9", "en")
    workshops.enter(workshop.start_payload, OWNER, "en")
    assert workshops.awaiting_share(OWNER) == [workshop]
    workshops.close(workshop)
    assert workshops.awaiting_share(OWNER) == []


# ── Languages and erasure ───────────────────────────────────────────────────────────────────


def test_the_language_is_chosen_then_reported_then_defaulted(store: Store) -> None:
    people = Respondents(store, default_locale="en")
    assert people.locale(OWNER, "es-419") == "es"
    assert people.locale(OWNER, "pt-BR") == "en"
    assert not people.set_locale(OWNER, "pl")  # someone unknown: nothing stored
    people.offer_languages(OWNER, "en")
    assert people.set_locale(OWNER, "pl")
    assert people.locale(OWNER, "es-419") == "pl"  # a choice beats the app's language
    assert not people.set_locale(OWNER, "xx") and people.locale(OWNER) == "pl"
    people.erase(OWNER)
    assert not people.set_locale(OWNER, "fr")  # a language button from before /delete
    assert store.respondent_locale(OWNER) is None


def test_erasing_leaves_no_audit(small: Interview, store: Store) -> None:
    answer_all(small, OWNER, FINISH)
    small.enter(OWNER, "en")
    Respondents(store, "en").erase(OWNER)
    assert store.latest_audit(OWNER, FINISHED) is None
    assert store.latest_audit(OWNER, IN_PROGRESS) is None
    assert store.respondent_locale(OWNER) is None


# ── Delivery: nothing stored is left unshown ────────────────────────────────────────────────


def shown(interview: Interview, who: str = OWNER) -> None:
    """What a front end does once it has shown the current question."""
    prompt = interview.current_prompt(who)
    assert prompt is not None
    interview.store.remember_prompt(prompt.audit_id, prompt.question.id, "1:1")


def test_what_an_answer_leads_to_waits_until_it_is_shown(small: Interview) -> None:
    small.enter(OWNER, "en")
    assert small.undelivered(OWNER) is not None  # the first question, not shown yet
    shown(small)
    assert small.undelivered(OWNER) is None
    answer_first(small)
    # Stored, and the process died before the next question went out:
    pending = small.undelivered(OWNER)
    assert pending is not None and pending.prompt is not None and pending.prompt.number == 2
    shown(small)
    assert small.undelivered(OWNER) is None


def test_a_plan_never_sent_is_still_due_until_marked(small: Interview, store: Store) -> None:
    answer_all(small, OWNER, FINISH)
    pending = small.undelivered(OWNER)
    assert pending is not None and pending.finished is not None
    store.mark_delivered(pending.finished.id)
    assert small.undelivered(OWNER) is None


def test_start_up_finds_only_recent_newest_telegram_audits(small: Interview, store: Store) -> None:
    small.enter("tg:1", "en")
    small.enter("console:x", "en")
    small.enter("tg:2", "en")
    shown(small, "tg:2")
    due = store.awaiting_delivery("tg:", since="2000-01-01")
    assert [audit.respondent_id for audit in due] == ["tg:1"]
    assert store.awaiting_delivery("tg:", since="2999-01-01") == []
    answer_first(small, "tg:1")
    small.request_restart("tg:1", "en")  # asks first: nothing changes
    (audit,) = store.awaiting_delivery("tg:", since="2000-01-01")
    assert audit == small.open_audit("tg:1")
