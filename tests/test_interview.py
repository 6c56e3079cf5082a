"""The interview: branching, back, skip, stale actions, resume after a restart."""

from __future__ import annotations

from pathlib import Path

from bot.dialog import Dialog
from bot.interview import NOT_ANSWERED, Interview
from bot.store import Store
from tests.answering import JEWELLER, answer_all, answer_one

ME = "console:alex"


def test_a_full_audit_follows_only_the_branches_the_answers_open(interview: Interview) -> None:
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
    assert len(asked) <= 22
    audit = interview.finished_audit(ME)
    assert audit is not None
    stored = interview.answers(audit.id)
    assert stored["daily_revenue"] == {"amount": 150, "currency": "USD"}
    assert stored["first_contact"] == ["instagram"]


def test_follow_ups_appear_when_an_answer_calls_for_them(interview: Interview) -> None:
    owner = dict(JEWELLER, first_contact=["instagram", "whatsapp"], website="info", ad_spend="50")
    asked = answer_all(interview, ME, owner)
    assert {"top_channel_share", "website_address", "domain_owner", "ad_platforms"} <= set(asked)


def test_progress_counts_the_owners_own_path(interview: Interview) -> None:
    first = interview.start(ME, "en").prompt
    assert first is not None and first.number == 1 and not first.can_go_back
    second = answer_one(interview, ME, first, "Anillos").prompt
    assert second is not None and second.number == 2 and second.can_go_back
    assert second.total == first.total


def test_back_reopens_the_previous_question_and_keeps_every_answer(interview: Interview) -> None:
    prompt = interview.start(ME, "en").prompt
    prompt = answer_one(interview, ME, prompt, "Anillos").prompt
    prompt = answer_one(interview, ME, prompt, "es").prompt
    assert prompt is not None and prompt.question.id == "first_contact"
    back = interview.back(ME, prompt.audit_id, "first_contact").prompt
    assert back is not None and back.question.id == "country" and back.previous == "es"
    # Changing the answer continues at the first unanswered question, with both answers kept.
    after = interview.choose(ME, back.audit_id, "country", "pl").prompt
    assert after is not None and after.question.id == "first_contact"
    assert interview.answers(back.audit_id) == {"business_name": "Anillos", "country": "pl"}


def test_skip_stores_dont_know_and_moves_on(interview: Interview) -> None:
    prompt = interview.start(ME, "en").prompt
    outcome = interview.skip(ME, prompt.audit_id, prompt.question.id)
    assert outcome.recorded is not None and outcome.recorded.value is None
    assert outcome.prompt is not None and outcome.prompt.question.id == "country"
    assert interview.answers(prompt.audit_id) == {"business_name": None}


def test_actions_on_a_question_that_moved_on_change_nothing(interview: Interview) -> None:
    prompt = interview.start(ME, "en").prompt
    prompt = answer_one(interview, ME, prompt, "Anillos").prompt
    first = interview.choose(ME, prompt.audit_id, "country", "es")
    again = interview.choose(ME, prompt.audit_id, "country", "fr")  # a double tap
    assert not first.stale and again.stale
    assert interview.answers(prompt.audit_id)["country"] == "es"
    forged = interview.choose(ME, prompt.audit_id + 99, "first_contact", "instagram")
    assert forged.stale
    someone_else = interview.choose("console:other", prompt.audit_id, "first_contact", "x")
    assert someone_else.stale
    assert interview.answers(prompt.audit_id) == {"business_name": "Anillos", "country": "es"}


def test_refused_input_keeps_the_question_and_the_answers(interview: Interview) -> None:
    prompt = interview.start(ME, "en").prompt
    for value in ("Anillos", "other"):
        prompt = answer_one(interview, ME, prompt, value).prompt
    prompt = answer_one(interview, ME, prompt, ["instagram"]).prompt
    assert prompt is not None
    # Typed text where buttons are expected.
    refused = interview.answer_text(ME, "instagram I guess", "en")
    assert refused is not None and refused.error is not None
    assert refused.prompt is not None and refused.prompt.question.id == prompt.question.id
    assert interview.answers(prompt.audit_id)["first_contact"] == ["instagram"]


def test_multi_choice_ticks_survive_a_restart(
    audit: Dialog, db_path: Path, interview: Interview
) -> None:
    prompt = interview.start(ME, "en").prompt
    prompt = answer_one(interview, ME, prompt, "Anillos").prompt
    prompt = answer_one(interview, ME, prompt, "es").prompt
    interview.toggle(ME, prompt.audit_id, "first_contact", "instagram")
    interview.toggle(ME, prompt.audit_id, "first_contact", "whatsapp")
    interview.store.close()

    reopened = Interview(audit, Store(db_path))
    resumed = reopened.resume(ME)
    assert resumed is not None and resumed.resumed
    assert resumed.prompt is not None and resumed.prompt.question.id == "first_contact"
    assert resumed.prompt.ticked == ("instagram", "whatsapp")
    done = reopened.done(ME, prompt.audit_id, "first_contact")
    assert reopened.answers(prompt.audit_id)["first_contact"] == ["instagram", "whatsapp"]
    assert done.prompt is not None and done.prompt.question.id == "top_channel_share"


def test_resume_after_restart_lands_on_the_same_question(
    audit: Dialog, db_path: Path, interview: Interview
) -> None:
    prompt = interview.start(ME, "en").prompt
    for _ in range(6):
        prompt = answer_one(interview, ME, prompt, JEWELLER[prompt.question.id]).prompt
    waiting_at, number = prompt.question.id, prompt.number
    interview.store.close()

    reopened = Interview(audit, Store(db_path)).resume(ME)
    assert reopened is not None and reopened.prompt is not None
    assert (reopened.prompt.question.id, reopened.prompt.number) == (waiting_at, number)
    assert reopened.prompt.previous is NOT_ANSWERED


def test_a_hidden_follow_up_no_longer_counts_but_is_kept(interview: Interview) -> None:
    prompt = interview.start(ME, "en").prompt
    prompt = answer_one(interview, ME, prompt, "Anillos").prompt
    prompt = answer_one(interview, ME, prompt, "es").prompt
    prompt = answer_one(interview, ME, prompt, ["instagram", "whatsapp"]).prompt
    prompt = answer_one(interview, ME, prompt, "90").prompt  # top_channel_share
    assert prompt.question.id == "account_security"
    prompt = interview.back(ME, prompt.audit_id, prompt.question.id).prompt
    prompt = interview.back(ME, prompt.audit_id, prompt.question.id).prompt
    assert prompt.question.id == "first_contact"
    answer_one(interview, ME, prompt, ["instagram"])
    assert "top_channel_share" not in interview.answers(prompt.audit_id)
    assert interview.store.answers(prompt.audit_id)["top_channel_share"] == 90


def test_restart_sets_the_old_audit_aside(interview: Interview) -> None:
    first = interview.start(ME, "en").prompt
    answer_one(interview, ME, first, "Anillos")
    second = interview.start(ME, "en").prompt
    assert second is not None and second.audit_id != first.audit_id
    assert second.question.id == "business_name"
    old = interview.store.audit(first.audit_id)
    assert old is not None and old.status == "abandoned"
    assert interview.store.answers(first.audit_id) == {"business_name": "Anillos"}


def reach(interview: Interview, question_id: str, answers: dict) -> object:
    prompt = interview.start(ME, "en").prompt
    while prompt.question.id != question_id:
        prompt = answer_one(interview, ME, prompt, answers[prompt.question.id]).prompt
    return prompt


def test_a_number_that_reads_two_ways_is_confirmed_not_guessed(
    audit: Dialog, db_path: Path, interview: Interview
) -> None:
    prompt = reach(interview, "ad_spend", JEWELLER)
    asked = interview.answer_text(ME, "1.500", "en")
    assert asked is not None and asked.error is None
    assert asked.readings == (
        {"amount": "1.5", "currency": "USD"},
        {"amount": 1500, "currency": "USD"},
    )
    assert "ad_spend" not in interview.answers(prompt.audit_id)
    # The choice survives a restart of the process.
    interview.store.close()
    reopened = Interview(audit, Store(db_path))
    picked = reopened.pick(ME, prompt.audit_id, "ad_spend", 1)
    assert reopened.answers(prompt.audit_id)["ad_spend"] == {"amount": 1500, "currency": "USD"}
    assert picked.prompt is not None and picked.prompt.question.id == "ad_platforms"
    assert reopened.pick(ME, prompt.audit_id, "ad_spend", 0).stale  # a second tap


def test_a_reading_out_of_range_is_not_offered(interview: Interview) -> None:
    owner = dict(JEWELLER, first_contact=["instagram", "email"])
    reach(interview, "top_channel_share", owner)
    outcome = interview.answer_text(ME, "1.500", "en")  # 1500 % is impossible: 1.5 %
    assert outcome is not None and not outcome.readings
    assert outcome.recorded is not None and outcome.recorded.value == "1.5"
