"""Nothing stuck, nothing acted on by accident: over the fake Bot API, a question that never
reached the owner is shown again; edits, forged and stale buttons change nothing."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.store import Store
from tests.answering import JEWELLER
from tests.fakebotapi import FakeBotAPI, FakeUser
from tests.telegram_harness import (
    answer,
    asked,
    callback_answer,
    current_question,
    finish_audit,
    handled,
    last_prompt,
    mark,
    new_message,
    running_bot,
    send,
)

APOLOGY = "Sorry, something went wrong"


def answers_of(db_path: Path, respondent: str) -> dict:
    store = Store(db_path)
    audit = store.latest_audit(respondent)
    assert audit is not None
    found = store.answers(audit.id)
    store.close()
    return found


async def test_an_edited_message_gets_a_note_and_changes_no_answer(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(9101, language_code="en")
    async with running_bot(server, db_path):
        await send(server, alex, "/start", "What is your business called?")
        sent = alex.send("Anillos")
        await asked(server, alex, mark(alex) - 1)
        since = mark(alex)
        alex.edit(sent["message"]["message_id"], "Rings of Alex")
        note = await new_message(server, alex, since, "I cannot read edited messages")
        assert "◀ Back" in (note.text or "")
        await handled(server, alex)
    assert answers_of(db_path, "tg:9101") == {"business_name": "Anillos"}
    assert not any(APOLOGY in (m.text or "") for m in alex.messages())


async def test_a_question_that_never_arrived_comes_with_the_next_tap(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(9102, language_code="en")
    async with running_bot(server, db_path):
        await send(server, alex, "/start", "What is your business called?")
        await answer(server, alex, "Anillos")
        assert current_question(alex).id == "country"
        question = last_prompt(alex)
        # The answer is stored, then Telegram refuses the next question.
        server.fail_next("sendMessage", 400, description="Bad Request: chat not reachable")
        since = mark(alex)
        alex.press("Spain")
        await new_message(server, alex, since, APOLOGY)
        assert answers_of(db_path, "tg:9102")["country"] == "es"
        # The owner taps again: the question they never saw comes, not "the one below".
        since = mark(alex)
        tap = alex.press_data(question.message_id, next(
            b.data for row in question.buttons for b in row if b.text == "Spain"
        ) or "")  # fmt: skip
        shown = await new_message(server, alex, since, "first get in touch")
        assert shown.buttons
        assert "moved on" not in ((await callback_answer(server, tap)).get("text") or "")


async def test_after_a_restart_the_unsent_question_arrives_without_a_command(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(9103, language_code="en")
    async with running_bot(server, db_path):
        await send(server, alex, "/start", "What is your business called?")
        server.fail_next("sendMessage", 400, description="Bad Request: chat not reachable")
        since = mark(alex)
        alex.send("Anillos")
        await new_message(server, alex, since, APOLOGY)
    # The bot stopped with the answer stored and the next question never sent.
    since = mark(alex)
    async with running_bot(server, db_path):
        await new_message(server, alex, since, "Where are most of your customers?")
    assert answers_of(db_path, "tg:9103") == {"business_name": "Anillos"}


async def test_forged_and_misplaced_buttons_act_on_nothing(
    server: FakeBotAPI, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    alex = server.user(9104, language_code="en")
    bea = server.user(9105, language_code="en", started=True)
    boss = server.user(9106, language_code="en", started=True)
    group = server.group(-100900, title="Chamber")
    server.set_admins(group.id, [boss.id])
    async with running_bot(server, db_path):
        await send(server, alex, "/start", "What is your business called?")
        await answer(server, alex, "Anillos")
        await send(server, group, "/workshop Room", "Room", by=boss)
        join = group.messages()[-1]
        audit = Store(db_path).latest_audit("tg:9104")
        assert audit is not None
        alex_question = last_prompt(alex)
        # Aimed at alex's audit, and malformed: harmless anywhere.
        at_alex = [f"a|{audit.id}|country|c|es", f"r|{audit.id}|yes", f"a|{audit.id}|country|v|r0"]
        malformed = [
            "a|²|country|c|es", f"a|{audit.id}|country|v|r²", "r|99999999999999999999999|yes",
            "w|99999999999999999999999|share", "a|1|\ud800|c|es", "x" * 80, "",
        ]  # fmt: skip
        # Buttons of a private chat, pressed in the group: they must act nowhere.
        private_kinds = ["p|retake", "p|pdf", "p|plan", "e|yes", "l|fr", "w|1|share|1"]
        taps = [group.press_data(bea, join.message_id, d) for d in at_alex + malformed]
        taps += [group.press_data(boss, join.message_id, d) for d in private_kinds + at_alex]
        taps += [bea.press_data(alex_question.message_id, d) for d in at_alex + malformed]
        for tap in taps:
            await callback_answer(server, tap)
        await handled(server, alex)
        await handled(server, bea)
    assert answers_of(db_path, "tg:9104") == {"business_name": "Anillos"}
    assert len(group.messages()) == 1 and group.messages()[0].text == join.text

    def beyond_help(user: FakeUser) -> list[str]:
        return [m.text or "" for m in user.messages() if "What I can do" not in (m.text or "")]

    assert beyond_help(bea) == [] and len(beyond_help(alex)) == 2  # welcome + question, question
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not any(APOLOGY in (m.text or "") for m in alex.messages() + bea.messages())


async def test_a_stale_retake_button_asks_before_setting_aside_a_newer_audit(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(9107, language_code="en")
    async with running_bot(server, db_path):
        await send(server, alex, "/start", "What is your business called?")
        plan = await finish_audit(server, alex, JEWELLER)
        retake = next(b for row in plan.buttons for b in row if "Take the audit again" in b.text)
        since = mark(alex)
        alex.press_data(plan.message_id, retake.data or "")
        await new_message(server, alex, since, "What is your business called?")
        await answer(server, alex, "Anillos Nuevos")
        since = mark(alex)
        alex.press_data(plan.message_id, retake.data or "")  # the old button, again
        await new_message(server, alex, since, "Start the audit again from the first question?")
        since = mark(alex)
        alex.press("No, carry on")
        await new_message(server, alex, since, "Where are most of your customers?")
    assert answers_of(db_path, "tg:9107") == {"business_name": "Anillos Nuevos"}
