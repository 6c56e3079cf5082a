"""The whole Telegram front end: the real PTB Application polling a fake Bot API over HTTP."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from bot.i18n import translator
from bot.store import Store
from tests.answering import JEWELLER
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import (
    TOKEN,
    answer,
    asked,
    audit_bot_of,
    callback_answer,
    current_question,
    document,
    edited,
    handled,
    last_prompt,
    mark,
    press,
    question_in,
    running_bot,
    send,
)
from tests.test_documents import png_size


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
        welcome = await send(server, alex, "/start", "Hello! I am Canasta.")
        await asked(server, alex)
        assert any("Español" in b.text for row in welcome.buttons for b in row)
        asked_ids = []
        while not any(
            "Thank you! Your answers are saved." in (m.text or "") for m in alex.messages()
        ):
            question = current_question(alex)
            asked_ids.append(question.id)
            await answer(server, alex, JEWELLER.get(question.id))
        # The summary, then the plan; the last message carries the PDF and calendar buttons.
        await server.until(
            lambda _: any(b.text == "📄 PDF" for r in alex.last_message().buttons for b in r)
        )
        texts = [m.text or "" for m in alex.messages()]
        summary = next(
            i for i, text in enumerate(texts) if "Thank you! Your answers are saved." in text
        )
        assert "Revenue at risk" in texts[summary] and "$4,500" in texts[summary]
        assert any("Ready-made outage messages" in text for text in texts[summary:])
        assert "Telegram channel or social post" in texts[-1]  # the messages come last
        # Right after the summary, its scores drawn: a real PNG, decoded.
        chart = alex.messages()[summary + 1]
        assert chart.caption == "Your scores, area by area" and chart.document is not None
        width, height = png_size(chart.document.content)
        assert width > 300 and height > 100
        since = mark(alex)
        alex.press("📄 PDF")
        # Rendering runs in an executor, quiet on the wire: wait for the document itself.
        pdf = await document(server, alex, ".pdf", since)
        assert pdf.filename.startswith("canasta-plan-") and pdf.content.startswith(b"%PDF")
        alex.press("📅 Calendar")
        ics = await document(server, alex, ".ics", since)
        assert b"BEGIN:VCALENDAR" in ics.content
        # The upload indicator is cosmetic: sent when the budget allows, maybe after the file.
        await server.until(lambda _: server.calls("sendChatAction"))
        await send(server, alex, "/plan", "Ready-made outage messages")
    assert asked_ids == list(JEWELLER)
    # The chat reads as a filled-in form: each question after the first, and the plan's
    # summary, repeat the answer just given at their top; answered questions lose their buttons.
    asked_messages = [m for m in alex.messages() if re.search(r"^\d+/\d+ ", m.text or "", re.M)]
    assert len(asked_messages) == len(JEWELLER)
    assert not any(m.buttons for m in asked_messages)
    echoes = [(m.text or "").startswith("✔ ") for m in asked_messages]
    assert echoes == [False] + [True] * (len(JEWELLER) - 1)
    summary_message = next(m for m in alex.messages() if "Revenue at risk" in (m.text or ""))
    assert (summary_message.text or "").startswith("✔ Almost none\n")
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
        await asked(server, alex)
        await answer(server, alex, "Anillos")
        await answer(server, alex, "es")
        sent_before = len(server.calls("sendMessage"))
        prompt = last_prompt(alex)
        alex.press("Instagram")
        await edited(server, alex, prompt.message_id, "✅ Instagram")
        alex.press("WhatsApp")
        prompt = await edited(server, alex, prompt.message_id, "✅ WhatsApp")
        labels = [b.text for row in prompt.buttons for b in row]
        assert "✅ Instagram" in labels and "✅ WhatsApp" in labels and "Facebook" in labels
        assert len(server.calls("sendMessage")) == sent_before  # edited, not re-sent
        await callback_answer(server, alex.press("✅ WhatsApp"))  # untick
        await press(server, alex, "Done ✔")
    assert stored_answers(db_path, 1002)["first_contact"] == ["instagram"]


async def test_back_and_skip(server: FakeBotAPI, db_path: Path) -> None:
    alex = server.user(1003, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        await answer(server, alex, None)  # skip the name
        await answer(server, alex, "sn")
        assert current_question(alex).id == "first_contact"
        prompt = last_prompt(alex)
        alex.press("◀ Back")
        await edited(server, alex, prompt.message_id, "Your answer so far: Senegal")
        assert current_question(alex).id == "country"
        await answer(server, alex, "fr")
        assert current_question(alex).id == "first_contact"
    assert stored_answers(db_path, 1003) == {"business_name": None, "country": "fr"}


async def test_bad_input_is_explained_and_changes_nothing(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(1004, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        # Longer than any answer (Telegram itself cuts at 4096).
        await send(server, alex, "x" * 10_000, "keep it under 80 characters")
        await answer(server, alex, "Anillos")
        old_message = last_prompt(alex)
        spain = next(b for row in old_message.buttons for b in row if b.text == "Spain")
        await answer(server, alex, "us")
        # Typing where buttons are expected.
        await send(server, alex, "instagram mostly", "Please answer with the buttons")
        # A button from an old message, and forged payloads.
        query = alex.press_data(old_message.message_id, spain.data or "")
        assert "moved on" in (await callback_answer(server, query)).get("text", "")
        forgeries = ("a|1|country|c|mars", "zzz", "a|999|first_contact|t|x", "l|xx", "\x00\xff")
        for forged in forgeries:
            query = alex.press_data(last_prompt(alex).message_id, forged)
            await callback_answer(server, query)  # answered, politely
        # /start in the middle resumes; nothing is lost.
        welcome = await send(server, alex, "/start", "Welcome back")
        assert question_in(welcome).id == "first_contact"  # under the greeting
        await answer(server, alex, ["instagram", "facebook"])
        assert current_question(alex).id == "top_channel_share"
        await send(server, alex, "1.500,50", "I could not read that as a number. Type it like 60.")
        await send(server, alex, "lots", "I could not read that as a number")
        assert current_question(alex).id == "top_channel_share"
    assert stored_answers(db_path, 1004) == {
        "business_name": "Anillos",
        "country": "us",
        "first_contact": ["instagram", "facebook"],
    }
    assert not server.errors


async def test_a_restarted_bot_resumes_at_the_same_question(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(1005, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        for question_id in list(JEWELLER)[:6]:
            assert current_question(alex).id == question_id
            await answer(server, alex, JEWELLER[question_id])
        waiting = current_question(alex).id
    # A new process: same database, nothing in memory.
    async with running_bot(server, db_path):
        welcome = await send(server, alex, "/start", "Welcome back")
        assert question_in(welcome).id == waiting
        await answer(server, alex, JEWELLER[waiting])
        assert current_question(alex).id == list(JEWELLER)[7]
    assert len(stored_answers(db_path, 1005)) == 7


async def test_restart_asks_first_then_starts_over(server: FakeBotAPI, db_path: Path) -> None:
    alex = server.user(1006, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        await answer(server, alex, "Anillos")
        await send(server, alex, "/restart", "Start the audit again from the first question?")
        since = mark(alex)
        alex.press("No, carry on")
        assert (await asked(server, alex, since)).id == "country"
        await send(server, alex, "/restart", "Start the audit again from the first question?")
        since = mark(alex)
        alex.press("Yes, start over")
        assert (await asked(server, alex, since)).id == "business_name"


async def test_language_switch_redraws_the_current_question(
    server: FakeBotAPI, db_path: Path
) -> None:
    ana = server.user(1007, language_code="es-419")
    async with running_bot(server, db_path):
        ana.send("/start")
        await asked(server, ana, t=translator("es"))
        (welcome,) = ana.messages()  # the welcome carries the first question
        assert "¡Hola! Soy Canasta." in (welcome.text or "")
        ana.press("English")
        # The same message, redrawn in English: welcome, question and both rows of buttons.
        redrawn = await edited(server, ana, welcome.message_id, "What is your business called?")
        assert "Hello! I am Canasta." in (redrawn.text or "")
        labels = [button.text for row in redrawn.buttons for button in row]
        assert "Skip" in labels and "• 🇬🇧 English" in labels and "🇪🇸 Español" in labels
        await handled(server, ana)
        assert [m.message_id for m in ana.messages() if m.buttons] == [welcome.message_id]
        # Once the first question is answered, a language button left elsewhere (/language)
        # confirms the switch and shows the question under way again.
        await send(server, ana, "Anillos Ana", "Where are most of your customers?")
        await send(server, ana, "/language", "Choose your language:")
        await press(server, ana, "Español", "¿En qué país está la mayoría de tus clientes?")
    store = Store(db_path)
    assert store.respondent_locale("tg:1007") == "es"
    store.close()


async def test_errors_are_logged_without_the_token_and_the_user_gets_an_apology(
    server: FakeBotAPI, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    alex = server.user(1008, language_code="en")
    caplog.set_level(logging.DEBUG)
    async with running_bot(server, db_path) as application:
        alex.send("/start")
        await asked(server, alex)
        audit_bot = audit_bot_of(application)

        def explode(*args: object) -> None:
            raise RuntimeError(f"database on fire near {TOKEN}")

        audit_bot.interview.answer_text = explode
        await send(server, alex, "Anillos", "Sorry, something went wrong on my side.")
    assert "database on fire" in caplog.text
    assert TOKEN not in caplog.text


async def test_an_ambiguous_number_is_confirmed_with_buttons(
    server: FakeBotAPI, db_path: Path
) -> None:
    alex = server.user(1009, language_code="en")
    async with running_bot(server, db_path):
        alex.send("/start")
        await asked(server, alex)
        while current_question(alex).id != "ad_spend":
            await answer(server, alex, JEWELLER[current_question(alex).id])
        confirm = await send(server, alex, "1.500", "Did you mean")
        assert confirm.text == "Did you mean $1.50 or $1,500?"
        alex.press("$1,500")
        await asked(server, alex, confirm.message_id)
        # Its buttons go after the next question, as a cosmetic edit.
        await server.until(lambda _: not alex.messages()[-2].buttons)
        assert "Did you mean" in (alex.messages()[-2].text or "")
        assert current_question(alex).id == "ad_platforms"
    assert stored_answers(db_path, 1009)["ad_spend"] == {"amount": 1500, "currency": "USD"}
