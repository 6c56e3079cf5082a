"""The real Canasta Application, polling a FakeBotAPI on 127.0.0.1, inside a test's loop."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from bot import dialog, platforms
from bot.i18n import Translator, translator
from bot.settings import Settings
from bot.telegram import sending
from bot.telegram.app import build_application, serve_webhook, webhook_options
from bot.telegram.sending import FloodLimits
from tests.answering import how_to_answer
from tests.fakebotapi import BotMessage, FakeBotAPI, FakeGroup, FakeUser

TOKEN = "123456:TEST-token-never-real"
_AUDIT = dialog.load()
EN = translator("en")


@asynccontextmanager
async def running_bot(
    server: FakeBotAPI,
    db_path: Path,
    refresh_seconds: float = 3.0,
    flood_limits: bool | FloodLimits = True,
    reminder_seconds: float = 300,
) -> AsyncIterator[Any]:
    """Start the bot as `canasta run` would (post_init included); stop it cleanly after.

    By default the sender keeps Telegram's limits but a private chat's: a test's owner taps
    far faster than a person, and one a second would only slow the tests (the tests of the
    limits themselves pass a `FloodLimits`). `flood_limits=False` lifts every limit (as
    `tests.bench.unthrottled` does): Telegram's 30 calls a second would otherwise pace a test
    of many owners, while the fake itself has no limit to keep."""
    settings = Settings(
        token=TOKEN, database=str(db_path), api_url=server.url, reminder_seconds=reminder_seconds
    )
    limits = flood_limits or sending.UNLIMITED
    if flood_limits is True:
        limits = FAST_OWNER_LIMITS
    with sender_limits(limits):
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


FAST_OWNER_LIMITS = replace(sending.TELEGRAM, per_chat=sending.Window(0, 1.0))
"""Telegram's limits but a private chat's: a test's owner taps far faster than a person."""


@contextmanager
def sender_limits(limits: FloodLimits) -> Iterator[None]:
    """The sender built meanwhile keeps `limits`."""
    before = sending.DEFAULT_LIMITS
    sending.DEFAULT_LIMITS = limits
    try:
        yield
    finally:
        sending.DEFAULT_LIMITS = before


@asynccontextmanager
async def webhook_bot(server: FakeBotAPI, db_path: Path, secret: str) -> AsyncIterator[str]:
    """Run the bot in webhook mode as `canasta run` does (our own server, bot/telegram/
    webhook.py) on a free port of 127.0.0.1; yield its base URL; stop it cleanly after."""
    settings = Settings(
        token=TOKEN, database=str(db_path), api_url=server.url,
        # Telegram calls an https address; a reverse proxy passes it to our port.
        webhook_url="https://bot.example/", webhook_secret=secret, port=0,
    )  # fmt: skip
    options = {**webhook_options(settings), "listen": "127.0.0.1"}
    stopping = asyncio.Event()
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    with sender_limits(FAST_OWNER_LIMITS):
        application = build_application(settings)
    task = asyncio.create_task(serve_webhook(application, options, stopping, listening))
    try:
        yield f"http://127.0.0.1:{await asyncio.wait_for(listening, 30)}"
    finally:
        stopping.set()
        await asyncio.wait_for(task, 30)


async def idle(server: FakeBotAPI) -> None:
    """Wait for a quiet wire. Only for proving that nothing *more* arrives; to wait for a
    reply, wait for the reply itself (`new_message`, `document`, `callback_answer`...)."""
    await asyncio.to_thread(server.wait_idle, 10.0)


Chat = FakeUser | FakeGroup


def mark(chat: Chat) -> int:
    """The id of the bot's newest message in the chat: anything after it is new."""
    messages = chat.messages(include_deleted=True)
    return messages[-1].message_id if messages else 0


def _text(message: BotMessage) -> str:
    return message.text or message.caption or ""


async def new_message(
    server: FakeBotAPI, chat: Chat, since: int, containing: str = "", timeout: float = 10.0
) -> BotMessage:
    """Wait until the bot sent `chat` a message after message `since` (see `mark`) whose
    text or caption contains `containing`; return it."""

    def found(_: FakeBotAPI) -> BotMessage | None:
        fresh = [m for m in chat.messages() if m.message_id > since and containing in _text(m)]
        return fresh[0] if fresh else None

    return await server.until(found, timeout)


async def send(
    server: FakeBotAPI, chat: Chat, text: str, expect: str = "", *, by: FakeUser | None = None
) -> BotMessage:
    """Write `text` in the chat (in a group, as `by`) and wait for the bot's new message
    that contains `expect`."""
    since = mark(chat)
    if isinstance(chat, FakeGroup):
        assert by is not None, "who writes in the group?"
        chat.send(by, text)
    else:
        chat.send(text)
    return await new_message(server, chat, since, expect)


async def handled(server: FakeBotAPI, user: FakeUser, t: Translator = EN) -> None:
    """Wait until the bot has handled everything the user sent so far: it handles one chat's
    updates in order, so once it answered a /help sent now, it is done with the earlier
    ones. Proves that nothing more comes of them, without waiting for a quiet wire."""
    await send(server, user, "/help", t.gettext("What I can do"))


async def press(server: FakeBotAPI, user: FakeUser, label: str, expect: str = "") -> BotMessage:
    """Tap a button in a private chat and wait for the bot's new message that contains
    `expect`."""
    since = mark(user)
    user.press(label)
    return await new_message(server, user, since, expect)


async def edited(
    server: FakeBotAPI, chat: Chat, message_id: int, containing: str, timeout: float = 10.0
) -> BotMessage:
    """Wait until the bot edited message `message_id` to show `containing`, in its text or
    on a button; return the message as it is then."""

    def found(_: FakeBotAPI) -> BotMessage | None:
        (message,) = [m for m in chat.messages() if m.message_id == message_id]
        labels = [button.text for row in message.buttons for button in row]
        shown = containing in _text(message) or containing in labels
        return message if message.raw.get("edit_date") and shown else None

    return await server.until(found, timeout)


async def callback_answer(server: FakeBotAPI, query_id: str) -> dict[str, Any]:
    """Wait until the bot answered the button press `query_id`; return the answer's params."""
    return await server.until(lambda s: s.callback_answer(query_id), 10.0)


async def document(
    server: FakeBotAPI, chat: Chat, suffix: str = "", since: int = 0, timeout: float = 20.0
) -> Any:
    """Wait for a document (after message `since`) whose file name ends with `suffix`."""

    def found(_: FakeBotAPI) -> Any:
        files = [m.document for m in chat.messages() if m.message_id > since and m.document]
        return next((f for f in files if f.filename.endswith(suffix)), None)

    return await server.until(found, timeout)


def current_question(user: FakeUser, t: Translator = EN) -> dialog.Question:
    """Which audit question the user's newest question message asks (by its text in `t`)."""
    return question_in(last_prompt(user), t)


def question_in(message: BotMessage, t: Translator = EN) -> dialog.Question:
    """Which audit question a message asks (by its text in `t`), say under a greeting."""
    text = message.text or ""
    asked = [question for question in _AUDIT.questions if _shows(t.gettext(question.text), text)]
    assert asked, f"no question in {text!r}"
    return max(asked, key=lambda question: len(t.gettext(question.text)))


def _shows(question_text: str, message: str) -> bool:
    """Whether the message shows the question, whichever platforms fill its placeholder."""
    return all(part in message for part in question_text.split(platforms.PLACEHOLDER))


def _on_screen(user: FakeUser, label: str) -> str:
    """The button a label means: a label naming the owner's situation ("Mobile payment
    (%(payments)s)") is the button whose text fills it in ("Mobile payment (Wave, …)")."""
    if "%(" not in label:
        return label
    pattern = re.compile(re.sub(r"%\\\(\w+\\\)s", ".+", re.escape(label)))
    buttons = [button.text for row in last_prompt(user).buttons for button in row]
    return next((text for text in buttons if pattern.fullmatch(text)), label)


def last_prompt(user: FakeUser) -> BotMessage:
    """The newest message that still has buttons: the question waiting for an answer."""
    prompts = [message for message in user.messages() if message.buttons]
    assert prompts, "no message with buttons yet"
    return prompts[-1]


async def asked(
    server: FakeBotAPI, user: FakeUser, since: int = 0, t: Translator = EN
) -> dialog.Question:
    """Wait until a question the bot sent after message `since` waits for an answer."""

    def shown(_: FakeBotAPI) -> dialog.Question | None:
        if last_prompt(user).message_id <= since:
            return None
        return current_question(user, t)  # an AssertionError here means "not yet"

    return await server.until(shown)


class Step(NamedTuple):
    """One thing a person does on Telegram: press a button or send a text."""

    press: str | None  # the button's label
    send: str | None  # the text typed
    #: Whether the bot answers with a new message (else it edits the question in place).
    new_message: bool


def steps(question: dialog.Question, value: Any, t: Translator = EN) -> list[Step]:
    """How `how_to_answer`'s move for `value` is done with the bot's buttons and keyboard."""
    move = how_to_answer(question, value)
    if move.skip:
        return [
            Step(t.gettext("Don't know" if question.skip == "dont_know" else "Skip"), None, True)
        ]
    if move.typed is not None:
        return [Step(None, move.typed, True)]
    labels = []
    for option_id in move.taps:
        if question.type == "yesno":
            labels.append(t.gettext({"yes": "Yes", "no": "No"}[option_id]))
        else:
            option = question.option(option_id)
            assert option is not None, (question.id, option_id)
            labels.append(t.gettext(option.text))
    if question.type == "multi":  # each tick edits the question; "Done" moves on
        return [Step(label, None, False) for label in labels] + [
            Step(t.gettext("Done ✔"), None, True)
        ]
    return [Step(label, None, True) for label in labels]


def take(user: FakeUser, step: Step) -> None:
    if step.press is not None:
        user.press(_on_screen(user, step.press))
    else:
        assert step.send is not None
        user.send(step.send)


def _shape(user: FakeUser) -> tuple[int, int]:
    """How many messages, and how often the newest question was edited (a reply such as
    /help's may have come after it)."""
    messages = user.messages()
    prompts = [message for message in messages if message.buttons]
    return len(messages), len(prompts[-1].edits) if prompts else 0


def _changed(user: FakeUser, before: tuple[int, int], new: bool) -> bool:
    count, edits = _shape(user)
    return count > before[0] if new else (count, edits) != before


def steps_on_screen(user: FakeUser, value: Any, t: Translator = EN) -> list[Step]:
    """`steps` for the question on screen, as a person looking at it does them: options
    already ticked (say, before a restart) are not tapped again, unwanted ticks are undone."""
    planned = steps(current_question(user, t), value, t)
    shown = [b.text for row in last_prompt(user).buttons for b in row]
    ticked = {label.removeprefix("✅ ") for label in shown if label.startswith("✅ ")}
    wanted = {step.press for step in planned if not step.new_message}
    undo = [Step(f"✅ {label}", None, False) for label in sorted(ticked - wanted)]
    return undo + [step for step in planned if step.new_message or step.press not in ticked]


async def quick_answer(server: FakeBotAPI, user: FakeUser, value: Any, t: Translator = EN) -> None:
    """Answer the current question and wait for the bot's reply itself (a new message, or the
    edit of a tick), not for a quiet wire: fast, and sure even on a busy machine."""
    for step in steps_on_screen(user, value, t):
        before = _shape(user)
        take(user, step)
        await server.until(lambda _, b=before, n=step.new_message: _changed(user, b, n))


answer = quick_answer  # the name older tests use


def answer_sync(server: FakeBotAPI, user: FakeUser, value: Any, t: Translator = EN) -> None:
    """`quick_answer` for a test outside the bot's loop (the bot runs in another process)."""
    for step in steps_on_screen(user, value, t):
        before = _shape(user)
        take(user, step)
        server.wait_for(lambda _, b=before, n=step.new_message: _changed(user, b, n), 10.0)


def saved_text(t: Translator = EN) -> str:
    return t.gettext("Thank you! Your answers are saved.")


async def finish_audit(
    server: FakeBotAPI, user: FakeUser, answers: dict[str, Any], t: Translator = EN
) -> BotMessage:
    """Answer every question the bot asks until the whole plan arrived (its last message
    carries the PDF button); return that message."""
    while not any(saved_text(t) in (m.text or "") for m in user.messages()):
        await quick_answer(server, user, answers.get(current_question(user, t).id), t)
    pdf = t.gettext("📄 PDF")

    def plan(_: FakeBotAPI) -> BotMessage | None:
        return next(
            (m for m in user.messages() if any(pdf in b.text for row in m.buttons for b in row)),
            None,
        )

    return await server.until(plan)


def audit_bot_of(application: Any) -> Any:
    """The AuditBot behind a running Application, to break it on purpose in a test."""
    return next(
        handler.callback.__self__
        for handler in application.handlers[0]
        if type(handler.callback.__self__).__name__ == "AuditBot"
    )


async def press_when_shown(server: FakeBotAPI, user: FakeUser, label: str) -> str:
    """Press a button as soon as the bot has shown it; return the callback query id."""

    def shown(_: FakeBotAPI) -> bool:
        return any(label in b.text for m in user.messages() for row in m.buttons for b in row)

    await server.until(shown, 20.0)
    return user.press(label)
