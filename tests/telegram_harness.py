"""The real Canasta Application, polling a FakeBotAPI on 127.0.0.1, inside a test's loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot import dialog
from bot.i18n import Translator, translator
from bot.settings import Settings
from bot.telegram.app import build_application
from tests.fakebotapi import BotMessage, FakeBotAPI, FakeUser

TOKEN = "123456:TEST-token-never-real"
_AUDIT = dialog.load()
EN = translator("en")


@asynccontextmanager
async def running_bot(
    server: FakeBotAPI, db_path: Path, refresh_seconds: float = 3.0
) -> AsyncIterator[Any]:
    """Start the bot as `canasta run` would (post_init included); stop it cleanly after."""
    settings = Settings(token=TOKEN, database=str(db_path), api_url=server.url)
    application = build_application(settings, refresh_seconds=refresh_seconds)
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)


async def idle(server: FakeBotAPI) -> None:
    await asyncio.to_thread(server.wait_idle, 10.0)


def current_question(user: FakeUser, t: Translator = EN) -> dialog.Question:
    """Which audit question the user's newest question message asks (by its text in `t`)."""
    text = last_prompt(user).text or ""
    asked = [question for question in _AUDIT.questions if t.gettext(question.text) in text]
    assert asked, f"no question in {text!r}"
    return max(asked, key=lambda question: len(t.gettext(question.text)))


def last_prompt(user: FakeUser) -> BotMessage:
    """The newest message that still has buttons: the question waiting for an answer."""
    return [message for message in user.messages() if message.buttons][-1]


async def answer(server: FakeBotAPI, user: FakeUser, value: Any, t: Translator = EN) -> None:
    """Answer the current question as a person would (tap options, or type), then wait for
    the bot's reply and for the wire to go quiet."""
    await quick_answer(server, user, value, t)
    await idle(server)


def _shape(user: FakeUser) -> tuple[int, int]:
    messages = user.messages()
    prompt_edits = len(messages[-1].edits) if messages else 0
    return len(messages), prompt_edits


async def changed(server: FakeBotAPI, user: FakeUser, before: tuple[int, int], new: bool) -> None:
    """Wait until the bot sent a new message (`new`) or edited its last one."""

    def done(_: FakeBotAPI) -> bool:
        count, edits = _shape(user)
        return count > before[0] if new else (count, edits) != before

    await asyncio.to_thread(server.wait_for, done, 10.0)


async def quick_answer(server: FakeBotAPI, user: FakeUser, value: Any, t: Translator = EN) -> None:
    """Answer the current question and wait for the bot's reply itself (a new message, or the
    edit of a tick), not for a quiet wire: fast, and sure even on a busy machine."""
    question = current_question(user, t)
    if question.type == "multi" and value is not None:
        for option_id in value:
            option = question.option(option_id)
            assert option is not None
            before = _shape(user)
            user.press(t.gettext(option.text))
            await changed(server, user, before, new=False)
        before = _shape(user)
        user.press(t.gettext("Done ✔"))
        await changed(server, user, before, new=True)
        return
    before = _shape(user)
    if value is None:
        user.press(t.gettext("Don't know" if question.skip == "dont_know" else "Skip"))
    elif question.type == "yesno":
        user.press(t.gettext("Yes" if value else "No"))
    elif question.type == "single":
        option = question.option(value)
        assert option is not None
        user.press(t.gettext(option.text))
    else:
        user.send(str(value))
    await changed(server, user, before, new=True)


async def finish_audit(server: FakeBotAPI, user: FakeUser, answers: dict[str, Any]) -> None:
    """Answer every question the bot asks until the plan arrives."""
    while not any("Thank you! Your answers are saved." in (m.text or "") for m in user.messages()):
        await quick_answer(server, user, answers.get(current_question(user).id))
    await idle(server)


def audit_bot_of(application: Any) -> Any:
    """The AuditBot behind a running Application, to break it on purpose in a test."""
    return next(
        handler.callback.__self__
        for handler in application.handlers[0]
        if type(handler.callback.__self__).__name__ == "AuditBot"
    )


async def press_when_shown(server: FakeBotAPI, user: FakeUser, label: str) -> None:
    """Press a button as soon as the bot has shown it (a busy machine may take a while)."""

    def shown(_: FakeBotAPI) -> bool:
        return any(label in b.text for m in user.messages() for row in m.buttons for b in row)

    await asyncio.to_thread(server.wait_for, shown, 20.0)
    user.press(label)
