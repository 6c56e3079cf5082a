"""The whole Telegram front end: the real PTB Application polling a fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import dialog
from bot.store import Store
from tests.answering import JEWELLER
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import (
    TOKEN,
    answer,
    audit_bot_of,
    current_question,
    idle,
    last_prompt,
    running_bot,
)

QUESTIONS = [question.text for question in dialog.load().questions]


@pytest.fixture
def server() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(token=TOKEN) as fake:
        yield fake


async def until_document(server: FakeBotAPI, user, suffix: str = ".pdf"):
    def sent(_: FakeBotAPI):
        document = user.last_message().document
        return document if document and document.filename.endswith(suffix) else None

    return await asyncio.to_thread(server.wait_for, sent, 20.0)


def stored_answers(db_path: Path, user_id: int) -> dict:
    store = Store(db_path)
    try:
        audit = store.latest_audit(f"tg:{user_id}")
        assert audit is not None
        return store.answers(audit.id)
    finally:
        store.close()


async def test_a_full_audit_on_telegram(server: FakeBotAPI, db_path: Path) -> None:
    alex = server.user(1001, first_name="Alex", language_code="en-US")
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        welcome = alex.messages()[0]
        assert "Hello! I am Canasta." in (welcome.text or "")
        assert any("Español" in b.text for row in welcome.buttons for b in row)
        asked = []
        while not any(
            "Thank you! Your answers are saved." in (m.text or "") for m in alex.messages()
        ):
            question = current_question(alex)
            asked.append(question.id)
            await answer(server, alex, JEWELLER.get(question.id))
        # The summary, then the plan; the last message carries the PDF and calendar buttons.
        texts = [m.text or "" for m in alex.messages()]
        summary = next(
            i for i, text in enumerate(texts) if "Thank you! Your answers are saved." in text
        )
        assert "Revenue at risk" in texts[summary] and "$4,500.00" in texts[summary]
        assert "Ready-made outage messages" in texts[-1]
        alex.press("📄 PDF")
        # Rendering runs in an executor, quiet on the wire: wait for the document itself.
        document = await until_document(server, alex)
        assert document is not None and document.filename.startswith("canasta-plan-")
        assert document.filename.endswith(".pdf") and document.content.startswith(b"%PDF")
        alex.press("📅 Calendar")
        ics = await until_document(server, alex, ".ics")
        assert ics is not None and b"BEGIN:VCALENDAR" in ics.content
        assert server.calls("sendChatAction")
        alex.send("/plan")
        await idle(server)
        assert "Ready-made outage messages" in (alex.last_message().text or "")
    assert asked == list(JEWELLER)
    # Every answered question's message now reads as a filled-in form line, without buttons.
    answered = [m for m in alex.messages() if (m.text or "").startswith(tuple(QUESTIONS))]
    assert len(answered) == len(JEWELLER)
    assert all("✔" in (m.text or "") and not m.buttons for m in answered)
    assert stored_answers(db_path, 1001)["daily_revenue"] == {"amount": 150, "currency": "USD"}
    # The command menu was registered for every language.
    private_menus = [c for c in server.calls("setMyCommands") if "scope" not in c]
    assert len(private_menus) == 4
    assert len(server.calls("setMyDescription")) == 4
    assert {c.get("language_code") for c in private_menus} == {None, "es", "pl", "fr"}
    assert not server.errors


async def test_ticks_edit_the_question_in_place(server: FakeBotAPI, db_path: Path) -> None:
    alex = server.user(1002, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        await answer(server, alex, "Anillos")
        await answer(server, alex, "es")
        sent_before = len(server.calls("sendMessage"))
        alex.press("Instagram")
        await idle(server)
        alex.press("WhatsApp")
        await idle(server)
        prompt = last_prompt(alex)
        labels = [b.text for row in prompt.buttons for b in row]
        assert "✅ Instagram" in labels and "✅ WhatsApp" in labels and "Facebook" in labels
        assert len(server.calls("sendMessage")) == sent_before  # edited, not re-sent
        alex.press("✅ WhatsApp")  # untick
        await idle(server)
        alex.press("Done ✔")
        await idle(server)
    assert stored_answers(db_path, 1002)["first_contact"] == ["instagram"]


async def test_back_and_skip(server: FakeBotAPI, db_path: Path) -> None:
    alex = server.user(1003, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        await answer(server, alex, None)  # skip the name
        await answer(server, alex, "sn")
        assert current_question(alex).id == "first_contact"
        alex.press("◀ Back")
        await idle(server)
        assert current_question(alex).id == "country"
        assert "Your answer so far: Senegal" in (last_prompt(alex).text or "")
        await answer(server, alex, "fr")
        assert current_question(alex).id == "first_contact"
    assert stored_answers(db_path, 1003) == {"business_name": None, "country": "fr"}


async def test_bad_input_is_explained_and_changes_nothing(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(1004, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        alex.send("x" * 10_000)  # longer than any answer (Telegram itself cuts at 4096)
        await idle(server)
        assert "keep it under 80 characters" in (alex.last_message().text or "")
        await answer(server, alex, "Anillos")
        old_message = last_prompt(alex)
        spain = next(b for row in old_message.buttons for b in row if b.text == "Spain")
        await answer(server, alex, "other")
        # Typing where buttons are expected.
        alex.send("instagram mostly")
        await idle(server)
        assert "Please answer with the buttons" in (alex.last_message().text or "")
        # A button from an old message, and forged payloads.
        query = alex.press_data(old_message.message_id, spain.data or "")
        await idle(server)
        assert "moved on" in (server.callback_answer(query) or {}).get("text", "")
        forgeries = ("a|1|country|c|mars", "zzz", "a|999|first_contact|t|x", "l|xx", "\x00\xff")
        for forged in forgeries:
            query = alex.press_data(last_prompt(alex).message_id, forged)
            await idle(server)
            assert server.callback_answer(query) is not None  # answered, politely
        # /start in the middle resumes; nothing is lost.
        alex.send("/start")
        await idle(server)
        assert "Welcome back" in "".join(m.text or "" for m in alex.messages()[-2:])
        assert current_question(alex).id == "first_contact"
        await answer(server, alex, ["instagram", "facebook"])
        assert current_question(alex).id == "top_channel_share"
        alex.send("1.500,50")
        await idle(server)
        assert "I could not read that as a number. Type it like 1,500.50." in (
            alex.last_message().text or ""
        )
        alex.send("lots")
        await idle(server)
        assert current_question(alex).id == "top_channel_share"
    assert stored_answers(db_path, 1004) == {
        "business_name": "Anillos",
        "country": "other",
        "first_contact": ["instagram", "facebook"],
    }
    assert not server.errors


async def test_a_restarted_bot_resumes_at_the_same_question(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(1005, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        for question_id in list(JEWELLER)[:6]:
            assert current_question(alex).id == question_id
            await answer(server, alex, JEWELLER[question_id])
        waiting = current_question(alex).id
    # A new process: same database, nothing in memory.
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        assert current_question(alex).id == waiting
        await answer(server, alex, JEWELLER[waiting])
        assert current_question(alex).id == list(JEWELLER)[7]
    assert len(stored_answers(db_path, 1005)) == 7


async def test_restart_asks_first_then_starts_over(server: FakeBotAPI, db_path: Path) -> None:
    alex = server.user(1006, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        await answer(server, alex, "Anillos")
        alex.send("/restart")
        await idle(server)
        alex.press("No, carry on")
        await idle(server)
        assert current_question(alex).id == "country"
        alex.send("/restart")
        await idle(server)
        alex.press("Yes, start over")
        await idle(server)
        assert current_question(alex).id == "business_name"


async def test_language_switch_redraws_the_current_question(
    server: FakeBotAPI, db_path: Path
) -> None:
    ana = server.user(1007, language_code="es-419")
    async with running_bot(server, db_path):
        ana.send("/start")
        await idle(server)
        ana.press("English")
        await idle(server)
        assert "What is your business called?" in (last_prompt(ana).text or "")
    store = Store(db_path)
    assert store.respondent_locale("tg:1007") == "en"
    store.close()


async def test_errors_are_logged_without_the_token_and_the_user_gets_an_apology(
    server: FakeBotAPI, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    alex = server.user(1008, language_code="en")
    caplog.set_level(logging.DEBUG)
    async with running_bot(server, db_path) as application:
        alex.send("/start")
        await idle(server)
        audit_bot = audit_bot_of(application)

        def explode(*args: object) -> None:
            raise RuntimeError(f"database on fire near {TOKEN}")

        audit_bot.interview.answer_text = explode
        alex.send("Anillos")
        await idle(server)
        assert "Sorry, something went wrong on my side." in (alex.last_message().text or "")
    assert "database on fire" in caplog.text
    assert TOKEN not in caplog.text


async def test_an_ambiguous_number_is_confirmed_with_buttons(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(1009, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await idle(server)
        while current_question(alex).id != "ad_spend":
            await answer(server, alex, JEWELLER[current_question(alex).id])
        alex.send("1.500")
        await idle(server)
        confirm = alex.last_message()
        assert confirm.text == "Did you mean $1.50 or $1,500.00?"
        alex.press("$1,500.00")
        await idle(server)
        assert not alex.messages()[-2].buttons or "Did you mean" not in (
            alex.messages()[-2].text or ""
        )
        assert current_question(alex).id == "ad_platforms"
    assert stored_answers(db_path, 1009)["ad_spend"] == {"amount": 1500, "currency": "USD"}
