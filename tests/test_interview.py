"""The interview: branching, back, skip, stale actions, drafts, resume after a restart, finish.

The scenarios take a `case` and run twice: on the small fixture audit and on a copy of the real
audit with a new question after `country`. They reach questions by answering whatever is asked
and name them by id, so a changed audit breaks none of them. The last two tests are content:
the real audit's branches for the jeweller.
"""

from __future__ import annotations

from pathlib import Path

from bot.interview import NOT_ANSWERED, Interview
from bot.store import Store
from tests.answering import JEWELLER, answer_all, answer_one
from tests.engine_fixtures import SHOP, Case
from tests.engine_fixtures import case as case
from tests.engine_fixtures import case_interview as case_interview
from tests.engine_fixtures import small_interview as small_interview

ME = "console:alex"
# README: "about 20 quick questions". The jeweller's path through the real audit stays short.
SHORT_PATH = 22


# ── Walking the small audit ─────────────────────────────────────────────────────────────────


def test_a_full_audit_asks_exactly_the_owners_path(small_interview: Interview) -> None:
    asked = answer_all(small_interview, ME, SHOP)
    assert asked == [
        "business_name", "country", "channels", "meta_share", "site", "site_address",
        "ad_spend", "backups",
    ]  # fmt: skip
    audit = small_interview.finished_audit(ME)
    assert audit is not None and audit.status == "finished" and audit.finished_at
    assert small_interview.answers(audit.id) == {
        "business_name": "Tienda Sol",
        "country": "es",
        "channels": ["instagram", "email"],
        "meta_share": 90,
        "site": True,
        "site_address": "sol.example",
        "ad_spend": {"amount": 0, "currency": "EUR"},
        "backups": ["phone_only"],
    }


def test_other_answers_open_other_branches(small_interview: Interview) -> None:
    owner = dict(SHOP, channels=["email"], site=False, ad_spend="50")
    asked = answer_all(small_interview, ME, owner)
    assert asked == [
        "business_name", "country", "channels", "site", "ad_spend", "ad_platforms", "backups",
    ]  # fmt: skip


def test_a_finished_audit_takes_no_more_answers(small_interview: Interview) -> None:
    prompt = small_interview.start(ME, "en").prompt
    while prompt.question.id != "backups":
        prompt = answer_one(small_interview, ME, prompt, SHOP[prompt.question.id]).prompt
    last = small_interview.submit_selection(ME, prompt.audit_id, "backups", ["cloud"])
    assert last.prompt is None and last.finished is not None
    assert last.recorded is not None and last.recorded.value == ["cloud"]
    assert small_interview.resume(ME) is None
    assert small_interview.current_prompt(ME) is None
    assert small_interview.answer_text(ME, "Tienda Luna", "en") is None
    again = small_interview.choose(ME, prompt.audit_id, "backups", "computer")
    assert again.stale and again.prompt is None
    assert small_interview.answers(prompt.audit_id)["backups"] == ["cloud"]
    latest = small_interview.latest_plan(ME)
    assert latest is not None and latest[0].id == prompt.audit_id


def test_a_question_that_cannot_be_skipped_stays(small_interview: Interview) -> None:
    prompt = small_interview.start(ME, "en").prompt
    while prompt.question.id != "backups":
        prompt = answer_one(small_interview, ME, prompt, SHOP[prompt.question.id]).prompt
    refused = small_interview.skip(ME, prompt.audit_id, "backups")
    assert refused.error is not None and not refused.stale
    assert refused.prompt is not None and refused.prompt.question.id == "backups"
    assert "backups" not in small_interview.answers(prompt.audit_id)


def test_ticks_follow_the_exclusive_option(small_interview: Interview) -> None:
    prompt = small_interview.start(ME, "en").prompt
    while prompt.question.id != "backups":
        prompt = answer_one(small_interview, ME, prompt, SHOP[prompt.question.id]).prompt
    ticks = [
        small_interview.toggle(ME, prompt.audit_id, "backups", option).prompt.ticked
        for option in ("cloud", "computer", "none", "cloud")
    ]
    assert ticks == [("cloud",), ("computer", "cloud"), ("none",), ("cloud",)]
    assert small_interview.toggle(ME, prompt.audit_id, "backups", "fax").stale
    assert small_interview.toggle(ME, prompt.audit_id, "site", "yes").stale


def test_done_with_nothing_ticked_is_refused(small_interview: Interview) -> None:
    prompt = small_interview.start(ME, "en").prompt
    prompt = answer_one(small_interview, ME, prompt, "Tienda Sol").prompt
    prompt = answer_one(small_interview, ME, prompt, "es").prompt
    assert prompt.question.id == "channels"
    refused = small_interview.done(ME, prompt.audit_id, "channels")
    assert refused.error is not None and refused.prompt.question.id == "channels"


# ── Scenarios, on the small audit and on the real one with a question added ─────────────────


def test_progress_counts_the_owners_own_path(case: Case, case_interview: Interview) -> None:
    first = case_interview.start(ME, "en").prompt
    assert first is not None and first.number == 1 and not first.can_go_back
    assert first.question == case.dialog.path({})[0]
    # Every question that answers to come could still open counts: at the start, all of them.
    assert first.total == len(case.dialog.questions)
    second = answer_one(case_interview, ME, first, case.value_for(first.question)).prompt
    assert second is not None and second.number == 2 and second.can_go_back
    assert second.total == first.total


def test_the_progress_total_never_grows_and_ends_at_the_path(case: Case) -> None:
    """Answered in order, an owner's total only shrinks (follow-ups ruled out) and, on the
    last question, is the number of questions they were asked."""
    dialog, answers, totals = case.dialog, {}, []
    while (question := dialog.next_question(answers)) is not None:
        totals.append(dialog.expected_length(answers))
        answers[question.id] = case.value_for(question)
    assert totals == sorted(totals, reverse=True), totals
    assert totals[-1] == len(dialog.path(answers))


def test_back_reopens_the_previous_question_and_keeps_every_answer(
    case: Case, case_interview: Interview
) -> None:
    prompt = case.reach(case_interview, ME, case.single)
    chosen = case.answers[case.single]
    after = answer_one(case_interview, ME, prompt, chosen).prompt
    assert after is not None and after.question.id != case.single
    kept = case_interview.answers(prompt.audit_id)
    back = case_interview.back(ME, after.audit_id, after.question.id).prompt
    assert back is not None and back.question.id == case.single and back.previous == chosen
    assert back.number == after.number - 1
    # Changing the answer continues at the first unanswered question, with every answer kept.
    again = case_interview.choose(ME, back.audit_id, case.single, case.other_option).prompt
    assert again is not None and again.question.id == after.question.id
    assert case_interview.answers(back.audit_id) == {**kept, case.single: case.other_option}


def test_back_on_the_first_question_stays_there(case: Case, case_interview: Interview) -> None:
    first = case_interview.start(ME, "en").prompt
    outcome = case_interview.back(ME, first.audit_id, first.question.id)
    assert not outcome.stale and outcome.prompt is not None
    assert (outcome.prompt.question.id, outcome.prompt.number) == (first.question.id, 1)


def test_skip_stores_dont_know_and_moves_on(case: Case, case_interview: Interview) -> None:
    prompt = case_interview.start(ME, "en").prompt
    first = prompt.question.id
    outcome = case_interview.skip(ME, prompt.audit_id, first)
    assert outcome.recorded is not None and outcome.recorded.value is None
    assert outcome.prompt is not None and outcome.prompt.number == 2
    assert outcome.prompt.question == case.dialog.path({first: None})[1]
    assert case_interview.answers(prompt.audit_id) == {first: None}


def test_actions_on_a_question_that_moved_on_change_nothing(
    case: Case, case_interview: Interview
) -> None:
    prompt = case.reach(case_interview, ME, case.single)
    before = case_interview.answers(prompt.audit_id)
    chosen = case.answers[case.single]
    first = case_interview.choose(ME, prompt.audit_id, case.single, chosen)
    again = case_interview.choose(ME, prompt.audit_id, case.single, case.other_option)  # double tap
    assert not first.stale and again.stale
    assert again.prompt is not None and again.prompt.question == first.prompt.question
    now = first.prompt.question.id
    forged = case_interview.skip(ME, prompt.audit_id + 99, now)
    assert forged.stale
    someone_else = case_interview.skip("console:other", prompt.audit_id, now)
    assert someone_else.stale and someone_else.prompt is None
    for stale in (
        case_interview.back(ME, prompt.audit_id, case.single),
        case_interview.skip(ME, prompt.audit_id, case.single),
        case_interview.done(ME, prompt.audit_id, case.single),
        case_interview.pick(ME, prompt.audit_id, case.single, 0),
        case_interview.submit_selection(ME, prompt.audit_id, case.single, [chosen]),
    ):
        assert stale.stale
    assert case_interview.answers(prompt.audit_id) == {**before, case.single: chosen}


def test_refused_input_keeps_the_question_and_the_answers(
    case: Case, case_interview: Interview
) -> None:
    prompt = case.reach(case_interview, ME, case.multi)
    before = case_interview.answers(prompt.audit_id)
    # Typed text where buttons are expected.
    refused = case_interview.answer_text(ME, "instagram I guess", "en")
    assert refused is not None and refused.error is not None
    assert refused.prompt is not None and refused.prompt.question.id == case.multi
    # A button that is not one of the question's options.
    forged = case_interview.submit_selection(ME, prompt.audit_id, case.multi, ["fax"])
    assert forged.error is not None and forged.prompt.question.id == case.multi
    assert case_interview.answers(prompt.audit_id) == before


def test_multi_choice_ticks_survive_a_restart(
    case: Case, db_path: Path, case_interview: Interview
) -> None:
    prompt = case.reach(case_interview, ME, case.multi)
    for option in reversed(case.opening):
        case_interview.toggle(ME, prompt.audit_id, case.multi, option)
    assert case.multi not in case_interview.answers(prompt.audit_id)
    case_interview.store.close()

    reopened = Interview(case.dialog, Store(db_path), case.rules)
    resumed = reopened.resume(ME)
    assert resumed is not None and resumed.resumed
    assert resumed.prompt is not None and resumed.prompt.question.id == case.multi
    assert resumed.prompt.ticked == case.opening  # in the options' order
    done = reopened.done(ME, prompt.audit_id, case.multi)
    assert reopened.answers(prompt.audit_id)[case.multi] == list(case.opening)
    assert done.prompt is not None and done.prompt.question.id == case.follow_up
    reopened.store.close()


def test_resume_after_restart_lands_on_the_same_question(
    case: Case, db_path: Path, case_interview: Interview
) -> None:
    prompt = case.reach(case_interview, ME, case.money)
    waiting_at, number = prompt.question.id, prompt.number
    assert number > 2
    case_interview.store.close()

    reopened = Interview(case.dialog, Store(db_path), case.rules)
    resumed = reopened.resume(ME)
    assert resumed is not None and resumed.prompt is not None
    assert (resumed.prompt.question.id, resumed.prompt.number) == (waiting_at, number)
    assert resumed.prompt.previous is NOT_ANSWERED
    assert reopened.resume("console:nobody") is None
    reopened.store.close()


def test_a_hidden_follow_up_no_longer_counts_but_is_kept(
    case: Case, case_interview: Interview
) -> None:
    prompt = case.reach(case_interview, ME, case.multi)
    prompt = answer_one(case_interview, ME, prompt, list(case.opening)).prompt
    assert prompt.question.id == case.follow_up
    prompt = answer_one(case_interview, ME, prompt, case.follow_up_answer).prompt
    prompt = case_interview.back(ME, prompt.audit_id, prompt.question.id).prompt
    assert prompt.question.id == case.follow_up
    prompt = case_interview.back(ME, prompt.audit_id, prompt.question.id).prompt
    assert prompt.question.id == case.multi and prompt.ticked == case.opening
    after = answer_one(case_interview, ME, prompt, list(case.closing)).prompt
    assert after.question.id != case.follow_up
    assert case.follow_up not in case_interview.answers(prompt.audit_id)
    assert case_interview.store.answers(prompt.audit_id)[case.follow_up] == 90


def test_restart_sets_the_old_audit_aside(case: Case, case_interview: Interview) -> None:
    first = case_interview.start(ME, "en").prompt
    value = case.value_for(first.question)
    answer_one(case_interview, ME, first, value)
    kept = case_interview.store.answers(first.audit_id)
    assert len(kept) == 1
    second = case_interview.start(ME, "en").prompt
    assert second is not None and second.audit_id != first.audit_id
    assert second.question.id == first.question.id and second.previous is NOT_ANSWERED
    old = case_interview.store.audit(first.audit_id)
    assert old is not None and old.status == "abandoned"
    assert case_interview.store.answers(first.audit_id) == kept
    assert case_interview.open_audit(ME).id == second.audit_id


def test_a_number_that_reads_two_ways_is_confirmed_not_guessed(
    case: Case, db_path: Path, case_interview: Interview
) -> None:
    prompt = case.reach(case_interview, ME, case.money)
    asked = case_interview.answer_text(ME, case.ambiguous, "en")
    assert asked is not None and asked.error is None and asked.recorded is None
    assert asked.readings == (
        {"amount": "1.5", "currency": case.currency},
        {"amount": 1500, "currency": case.currency},
    )
    assert asked.prompt is not None and asked.prompt.question.id == case.money
    assert case.money not in case_interview.answers(prompt.audit_id)
    # The choice survives a restart of the process.
    case_interview.store.close()
    reopened = Interview(case.dialog, Store(db_path), case.rules)
    assert reopened.pick(ME, prompt.audit_id, case.money, 2).stale  # no third reading
    picked = reopened.pick(ME, prompt.audit_id, case.money, 1)
    assert reopened.answers(prompt.audit_id)[case.money] == {
        "amount": 1500,
        "currency": case.currency,
    }
    assert picked.prompt is not None and picked.prompt.question.id == case.money_follow_up
    assert reopened.pick(ME, prompt.audit_id, case.money, 0).stale  # a second tap
    reopened.store.close()


def test_a_reading_out_of_range_is_not_offered(case: Case, case_interview: Interview) -> None:
    owner = {case.multi: list(case.opening)}
    case.reach(case_interview, ME, case.follow_up, **owner)
    outcome = case_interview.answer_text(ME, case.ambiguous, "en")  # 1500 % is impossible
    assert outcome is not None and not outcome.readings
    assert outcome.recorded is not None and outcome.recorded.value == "1.5"


# ── Content: the real audit's branches ──────────────────────────────────────────────────────


def test_the_jeweller_follows_only_the_branches_her_answers_open(interview: Interview) -> None:
    asked = answer_all(interview, ME, JEWELLER)
    # One first-contact channel: no "share of the busiest channel"; no list, no site, no ads:
    # none of their follow-ups.
    for follow_up in (
        "top_channel_share",
        "list_coverage",
        "consent",
        "domain_owner",
        "ad_platforms",
    ):
        assert follow_up not in asked
    assert "meta_revenue_share" in asked and "backup_frequency" in asked
    assert len(asked) <= SHORT_PATH
    audit = interview.finished_audit(ME)
    assert audit is not None
    stored = interview.answers(audit.id)
    assert stored["daily_revenue"] == {"amount": 150, "currency": "USD"}
    assert stored["first_contact"] == ["instagram"]


def test_follow_ups_appear_when_an_answer_calls_for_them(interview: Interview) -> None:
    owner = dict(JEWELLER, first_contact=["instagram", "whatsapp"], website="info", ad_spend="50")
    asked = answer_all(interview, ME, owner)
    assert {"top_channel_share", "website_address", "domain_owner", "ad_platforms"} <= set(asked)


def test_the_scenarios_premises_hold(case: Case) -> None:
    # Guards the scenarios' premises, so a changed fixture cannot make them pass vacuously.
    questions = {q.id: q for q in case.dialog.questions}
    assert questions[case.single].type == "single"
    assert questions[case.multi].type == "multi" and questions[case.money].type == "money"
    assert (questions[case.follow_up].minimum, questions[case.follow_up].maximum) == (0, 100)
    assert case.other_option != case.answers[case.single]
    if case.name == "changed":
        assert case.dialog.question("has_shop") is not None
