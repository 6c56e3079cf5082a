"""What owners did with their plan: ✅ done, ⏰ a week later, ✖ not for them — ticked from the
chat, shown in the chat, the PDF and the calendar; stale and forged ticks act on nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from icalendar import Calendar

from bot import calendar, dialog, pdf
from bot.i18n import translator
from bot.interview import Interview
from bot.planview import plan_view
from bot.store import Store
from tests.answering import JEWELLER, answer_all
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import (
    asked,
    callback_answer,
    current_question,
    edited,
    finish_audit,
    last_prompt,
    mark,
    new_message,
    press,
    running_bot,
    send,
    steps_on_screen,
    take,
)
from tests.test_console import cli  # noqa: F401  (the fixture)
from tests.test_documents import pdf_pages, png_size

ME = "telegram:5"


def finished(interview: Interview) -> int:
    answer_all(interview, ME, JEWELLER)
    audit = interview.finished_audit(ME)
    assert audit is not None
    return audit.id


def test_marks_show_in_the_plan_the_pdf_and_the_calendar(interview: Interview) -> None:
    audit_id = finished(interview)
    first, second, third = (a.rule.id for a in interview.latest_plan(ME)[1].actions[:3])
    before = interview.latest_plan(ME)[1]
    assert interview.mark(ME, audit_id, first, "done") is not None
    assert interview.mark(ME, audit_id, second, "snoozed") is not None
    marked = interview.mark(ME, audit_id, third, "dropped")
    assert marked is not None
    _, plan = marked
    # Ticking never changes a score: only answers do.
    assert plan.overall == before.overall and plan.done == 1
    view = plan_view(plan, translator("en"))
    assert [a.mark for a in view.actions[:4]] == ["✅", "⏰", "✖", "☐"]
    assert view.actions[1].due == before.actions[1].due + timedelta(days=7)
    events = Calendar.from_ical(calendar.render_ics(view, "audit-1")).walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries[0] == f"✅ {view.actions[0].title}"
    assert view.actions[2].title not in summaries  # not for them: not in their calendar
    printed = " ".join(pdf_pages(pdf.render_pdf(view)))
    assert "1 of 10 done." in " ".join(printed.split())
    # Open again: the mark goes.
    assert interview.mark(ME, audit_id, first, None) is not None
    assert interview.latest_plan(ME)[1].done == 0


def test_a_stale_or_forged_mark_acts_on_nothing(interview: Interview) -> None:
    audit_id = finished(interview)
    action = interview.latest_plan(ME)[1].actions[0].rule.id
    assert interview.mark(ME, audit_id + 1, action, "done") is None  # another audit
    assert interview.mark(ME, audit_id, "no_such_action", "done") is None
    assert interview.mark(ME, audit_id, action, "burnt") is None
    assert interview.mark("telegram:6", audit_id, action, "done") is None  # someone else's
    assert interview.latest_plan(ME)[1].states == {}


def test_erasing_a_person_erases_their_marks(interview: Interview, store: Store) -> None:
    audit_id = finished(interview)
    action = interview.latest_plan(ME)[1].actions[0].rule.id
    interview.mark(ME, audit_id, action, "done")
    store.erase(ME)
    assert store.db.execute("select count(*) from action_states").fetchone()[0] == 0


async def test_ticking_from_the_chat_redraws_the_checklist(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(1010, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        await finish_audit(server, alex, JEWELLER)
        checklist = await press(server, alex, "☑ What I have done", "What you have done")
        assert "0 of 10 done." in (checklist.text or "")
        query = alex.press("✅ 1")
        assert (await callback_answer(server, query)).get("text") is None  # no alert
        redrawn = await edited(server, alex, checklist.message_id, "1 of 10 done.")
        assert re.search(r"^1\. ✅ ", redrawn.text or "", re.M)
        assert any(b.text == "✅ ↩ 1" for row in redrawn.buttons for b in row)
        # The same tap again (an old copy of the button) changes nothing more.
        alex.press_data(checklist.message_id, "k|1|0|d")
        await send(server, alex, "/help", "What I can do")
        # A forged tick on an audit that is not theirs: told, nothing marked.
        forged = alex.press_data(checklist.message_id, "k|999|0|d")
        assert "no longer works" in (await callback_answer(server, forged)).get("text", "")
        plan = await send(server, alex, "/plan", "1 of 10 done.")
        assert plan is not None
        again = await send(server, alex, "/done", "What you have done")
        assert "1 of 10 done." in (again.text or "")
    with Store(db_path) as store:
        assert list(store.action_states(1).values()) == ["done"]


def test_ticking_in_the_terminal(interview: Interview) -> None:
    from tests.test_console import run_in_process, typed_answers

    run_in_process(interview, typed_answers(JEWELLER))
    shown = run_in_process(interview, ["2", "1d", "2 z", "99d", "banana", ""])
    assert "0 of 10 done." in shown and "1 of 10 done." in shown
    assert shown.count("Type it like 2d.") == 2
    audit = interview.finished_audit("console:alex")
    assert audit is not None
    states = interview.store.action_states(audit.id)
    assert sorted(states.values()) == ["done", "snoozed"]


def test_an_operator_marks_an_action_from_the_command_line(tmp_path: Path, cli) -> None:  # noqa: F811
    from tests.test_console import typed_answers

    db = tmp_path / "c.db"
    cli(db, typed_answers(JEWELLER), "console", "--lang", "en", "--id", "alex")
    done = cli(db, [], "mark", "--respondent", "console:alex", "secure_accounts", "done")
    assert done.returncode == 0 and "secure_accounts done" in done.stdout
    wrong = cli(db, [], "mark", "--respondent", "console:alex", "fly_to_the_moon", "done")
    assert wrong.returncode == 1 and "not in their plan" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    nobody = cli(db, [], "mark", "--respondent", "console:nobody", "secure_accounts", "done")
    assert nobody.returncode == 1 and "no finished audit" in nobody.stderr
    with Store(db) as store:
        audit = store.latest_audit("console:alex")
        assert audit is not None and store.action_states(audit.id) == {"secure_accounts": "done"}


def test_changing_one_answer_recomputes_the_plan_and_keeps_the_marks(
    interview: Interview,
) -> None:
    audit_id = finished(interview)
    before = interview.latest_plan(ME)[1]
    assert "start_list" in {a.rule.id for a in before.actions}
    interview.mark(ME, audit_id, "secure_accounts", "done")
    outcome = interview.revise(ME, "en", "contact_list")
    assert outcome is not None and outcome.prompt is not None
    assert outcome.prompt.question.id == "contact_list"
    assert outcome.prompt.previous == ["none"]  # the answer it had, shown
    audit = outcome.prompt.audit_id
    asked = []
    step = interview.submit_selection(ME, audit, "contact_list", ["newsletter_tool"])
    # The new answer opens its follow-ups, and only those are asked.
    while step.prompt is not None:
        asked.append(step.prompt.question.id)
        question = step.prompt.question
        option = question.options[0].id
        step = (
            interview.submit_selection(ME, audit, question.id, [option])
            if question.type == "multi"
            else interview.choose(ME, audit, question.id, option)
        )
    assert asked == ["list_coverage", "customer_type", "consent", "newsletter_frequency"]
    after = interview.latest_plan(ME)
    assert after is not None and after[0].id != audit_id  # a new audit; the old one is kept
    actions = {a.rule.id for a in after[1].actions}
    assert "start_list" not in actions
    assert after[1].states.get("secure_accounts") == "done"
    assert interview.revise(ME, "en", "no_such_question") is None


async def test_changing_an_answer_from_the_chat(server: FakeBotAPI, db_path: Path) -> None:
    alex = server.user(1011, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        await finish_audit(server, alex, JEWELLER)
        listing = await send(server, alex, "/answers", "Your answers")
        assert "Do you keep your customers' contacts anywhere" in (listing.text or "")
        number = next(
            str(i)
            for i, line in enumerate((listing.text or "").splitlines()[3:], start=1)
            if "customers' contacts" in line
        )
        since = listing.message_id
        alex.press(number)
        assert (await asked(server, alex, since)).id == "contact_list"
        # A forged change on someone else's audit: told, nothing started.
        forged = alex.press_data(listing.message_id, "x|999|contact_list")
        assert "no longer works" in (await callback_answer(server, forged)).get("text", "")


def test_changing_an_answer_in_the_terminal(interview: Interview) -> None:
    from tests.test_console import run_in_process, typed_answers

    run_in_process(interview, typed_answers(JEWELLER))
    first = interview.finished_audit("console:alex")
    assert first is not None
    listing = run_in_process(interview, ["3", ""])  # the answers, then Enter: nothing changes
    assert "Your answers" in listing and "→ Anillos Alex" in listing
    assert interview.finished_audit("console:alex") == first
    numbered = [line for line in listing.splitlines() if line[:1].isdigit()]
    number = next(line.split(".")[0] for line in numbered if "customers' contacts" in line)
    new_answers = {"contact_list": ["newsletter_tool"], "list_coverage": "half",
                   "customer_type": "consumers", "consent": "double_opt_in",
                   "newsletter_frequency": "monthly"}  # fmt: skip
    shown = run_in_process(interview, ["3", number, *typed_answers(new_answers)])
    assert "Your answer so far: No, nowhere" in shown  # the answer it had, with the question
    latest = interview.latest_plan("console:alex")
    assert latest is not None and latest[0].id != first.id
    assert interview.answers(latest[0].id)["contact_list"] == ["newsletter_tool"]
    assert "start_list" not in {action.rule.id for action in latest[1].actions}


def test_a_checkup_in_the_terminal(interview: Interview) -> None:
    """Enter keeps each last answer; two changed; the plan says what moved."""
    from tests.test_console import run_in_process, typed_answers

    run_in_process(interview, typed_answers(JEWELLER))
    changed = {"account_security": ["two_factor", "recovery_codes"]}
    now = {**JEWELLER, **changed}
    lines = [  # in the order asked: Enter for each question but the changed one
        typed_answers({question.id: now[question.id]})[0] if question.id in changed else ""
        for question in dialog.load().questions
        if question.id in now
    ]
    shown = run_in_process(interview, ["4", *lines])
    assert "A check-up: the same questions" in shown
    assert shown.count("Enter. ✔ Still true") >= 15
    assert "Since your last audit" in shown and "Account security: 0 → 70 ↑" in shown
    assert (
        interview.store.db.execute(
            "select count(*) from audits where status = 'finished'"
        ).fetchone()[0]
        == 2
    )


async def test_a_checkup_from_the_last_answers_shows_what_moved(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(1012, language_code="en")
    changed = {
        "account_security": ["two_factor", "recovery_codes"],
        "contact_list": ["newsletter_tool"],
        # what the new list answer opens
        "list_coverage": "half",
        "customer_type": "consumers",
        "consent": "double_opt_in",
        "newsletter_frequency": "monthly",
    }
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        await finish_audit(server, alex, JEWELLER)
        since = (await send(server, alex, "/checkup", "A check-up")).message_id
        await asked(server, alex, since)
        kept = 0
        while not any("Since your last audit" in (m.text or "") for m in alex.messages()):
            question = current_question(alex)
            since = mark(alex)
            if question.id in changed:
                alex_steps = steps_on_screen(alex, changed[question.id])
                for step in alex_steps:
                    take(alex, step)
            else:
                assert any(b.text == "✔ Still true" for b in last_prompt(alex).buttons[0])
                alex.press("✔ Still true")
                kept += 1
            await new_message(server, alex, since)
        assert kept >= 15
        summary = next(m for m in alex.messages() if "Since your last audit" in (m.text or ""))
        assert "Account security: 0 → 70 ↑" in (summary.text or "")
        assert re.search(r"Overall: \d+ → \d+ ↑", summary.text or "")
        chart = await server.until(
            lambda _: next(
                (m for m in alex.messages() if m.message_id > summary.message_id and m.document),
                None,
            )
        )
        width, height = png_size(chart.document.content)
        assert width > 300 and height > 100
    with Store(db_path) as store:  # every audit is kept: the first and the check-up
        rows = store.db.execute("select count(*) from audits where status = 'finished'")
        assert rows.fetchone()[0] == 2


def test_a_workshop_sees_what_its_room_did_since(interview: Interview) -> None:
    from bot import render
    from bot.workshop import Workshops

    workshops = Workshops(interview)
    workshop = workshops.open(-1001, None, "Room", "facilitator", "en")
    owners = [f"telegram:{n}" for n in (21, 22, 23)]
    for number, owner in enumerate(owners):
        answer_all(interview, owner, JEWELLER)
        finished_audit = interview.finished_audit(owner)
        assert finished_audit is not None
        workshops.join(workshop, owner, finished_audit)
        first = interview.latest_plan(owner)[1].actions[0].rule.id
        if number < 2:
            interview.mark(owner, finished_audit.id, first, "done")
        # A month later: a check-up where two-step login is now on.
        outcome = interview.revise(owner, "en", "account_security")
        assert outcome is not None and outcome.prompt is not None
        audit = outcome.prompt.audit_id
        finished_now = interview.submit_selection(owner, audit, "account_security", ["two_factor"])
        assert finished_now.finished is not None
    picture = workshops.picture(workshop)
    assert picture.follow_up is not None
    assert picture.follow_up.first_moves == 2 and picture.follow_up.rechecked == 3
    assert picture.follow_up.median_before < picture.follow_up.median_after
    summary = render.render("workshop_summary.html.j2", translator("en"), picture=picture)
    assert "2 of 3 have ticked their first move done." in summary
    assert "3 took a check-up: their median score went from" in summary
    assert "telegram:2" not in summary and "Rings" not in summary  # anonymous
