"""Showing outcomes in an owner's private chat: what comes next first, cosmetics after.

What the owner waits for — the next question, or the plan — is sent before anything cosmetic.
The next question carries the answer just given as its first line ("✔ Instagram"), so the chat
reads as a filled-in form even when nothing else is sent; removing the answered question's
buttons (or, when the plan follows, editing it to show the answer) is a cosmetic call, made in
the background at the lowest priority (`sending.Priority.COSMETIC`): under load the sender
drops it, and a tap on an old button gets the polite "that question has moved on".

Each time something is shown the store is told (`remember_prompt`, `mark_delivered`), so what
was never shown — the bot killed, Telegram failing — is found and shown again
(`Interview.undelivered`), never lost.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Chat, InlineKeyboardMarkup, Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes, ExtBot

from bot import calendar, pdf, render
from bot.dialog import Question
from bot.i18n import Translator
from bot.interview import Interview, Outcome
from bot.placeholders import Situation
from bot.plan import Plan
from bot.planview import PlanView, plan_view
from bot.prompt import Prompt
from bot.store import Audit
from bot.telegram import keyboards
from bot.telegram.callback_data import AnswerButton, decode
from bot.telegram.sending import Priority

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
FinishedHook = Callable[[Context, Chat, Translator, Audit], Awaitable[None]]
ANSWERED_MARK = "✔ "
"""Starts the line that repeats the answer just given, at the top of the next question."""
ANSWER_ECHO_LIMIT = 200  # characters of a long typed answer repeated


@dataclass(frozen=True)
class Greeting:
    """What comes above the first question shown: the welcome (`languages`: with a row of
    language buttons under the question's), a workshop's welcome, or "welcome back"."""

    html: str
    languages: bool = False


class Presenter:
    def __init__(self, interview: Interview) -> None:
        self.interview = interview
        self.store = interview.store
        # Other parts of the bot that react to a finished audit (workshops ask to share it);
        # registered by them, so this module needs not know them.
        self.on_finished: list[FinishedHook] = []
        self._application: Application | None = None

    def attach(self, application: Application) -> None:
        """Cosmetic calls then run as the application's tasks (awaited when it stops), so a
        handler never waits for them."""
        self._application = application

    async def tidy(self, request: Coroutine[Any, Any, object]) -> None:
        """A cosmetic call, in the background while the application runs: never raised, never
        waited for. Stopping, it is awaited here (a task made then would never be)."""
        if self._application is None or not self._application.running:
            await _cosmetic(request)
        else:
            self._application.create_task(_cosmetic(request), name="cosmetic")

    async def show(
        self,
        context: Context,
        chat: Chat,
        outcome: Outcome,
        t: Translator,
        greeting: Greeting | None = None,
    ) -> None:
        """Send what is next (the next question repeating the answer, or after `greeting`),
        then tidy the answered question's message."""
        recorded = outcome.recorded
        echo = (
            answer_echo(recorded.question, recorded.value, t, recorded.situation, recorded.range)
            if recorded
            else None
        )
        if outcome.prompt is not None:
            await self.send_prompt(chat, outcome.prompt, t, echo, greeting)
        else:
            if greeting is not None:
                await self.send_greeting(chat, greeting, t)
            if outcome.finished is not None:
                await self.deliver_plan(context, chat, outcome.finished, t, echo)
        if outcome.recorded is not None:
            audit_id = outcome.prompt.audit_id if outcome.prompt else None
            if outcome.finished is not None:
                audit_id = outcome.finished.id
            if audit_id is not None:
                await self._mark_answered(context.bot, audit_id, outcome, t)

    async def deliver_plan(
        self, context: Context, chat: Chat, audit: Audit, t: Translator, echo: str | None = None
    ) -> None:
        """A just-finished audit's plan (`echo`, the last answer, first), then what other parts
        ask (sharing with a workshop); marked delivered only once all of it went out."""
        plan = self.interview.plan(audit)
        await self.send_plan(chat, plan, t, just_finished=True, echo=echo)
        for hook in self.on_finished:
            await hook(context, chat, t, audit)
        self.store.mark_delivered(audit.id)

    async def send_plan(
        self,
        chat: Chat,
        plan: Plan,
        t: Translator,
        just_finished: bool = False,
        echo: str | None = None,
    ) -> None:
        """Summary first (after `echo`, the answer that finished the audit), its scores drawn
        as a chart, then the plan, the last message carrying the PDF/calendar buttons.

        No typing indicator: the plan renders in about a millisecond, and the indicator would
        cost a counted call."""
        bot = ext_bot(chat.get_bot())
        view = plan_view(plan, t)
        messages = render.plan_chat(view, just_finished)
        if echo and len(echo) + 1 + len(messages[0]) <= render.TELEGRAM_LIMIT:
            messages[0] = f"{echo}\n{messages[0]}"
        for index, text in enumerate(messages):
            last = index == len(messages) - 1
            await bot.send_message(
                chat.id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboards.plan_keyboard(t) if last else None,
                rate_limit_args=Priority.PLAN,
            )
            if index == 0 and not last:
                await _cosmetic(self._send_chart(chat, view, t))

    @staticmethod
    async def _send_chart(chat: Chat, view: PlanView, t: Translator) -> None:
        """The scores as the PDF draws them: a picture reads faster than ten lines of figures.
        Drawn off the event loop; a chart that fails to go out costs the plan nothing."""
        loop = asyncio.get_running_loop()
        try:
            chart = await loop.run_in_executor(None, pdf.score_chart_png, view)
        except Exception:  # a drawing bug must not hold back the plan itself
            log.exception("the score chart could not be drawn")
            return
        await ext_bot(chat.get_bot()).send_photo(
            chat.id,
            photo=chart,
            caption=t.gettext("Your scores, area by area"),
            rate_limit_args=Priority.PLAN,
        )

    async def send_file(
        self, chat: Chat, audit: Audit, plan: Plan, kind: str, t: Translator
    ) -> None:
        """The plan as a PDF or .ics document, rendered off the event loop."""
        await self.tidy(chat.send_action(ChatAction.UPLOAD_DOCUMENT))
        loop = asyncio.get_running_loop()
        view = plan_view(plan, t)
        if kind == "pdf":
            content = await loop.run_in_executor(None, pdf.render_pdf, view)
        else:
            uid = f"audit-{audit.id}"
            content = await loop.run_in_executor(None, calendar.render_ics, view, uid)
        filename = f"canasta-plan-{plan.finished_on.isoformat()}.{kind}"
        await chat.send_document(document=content, filename=filename)

    async def send_prompt(
        self,
        chat: Chat,
        prompt: Prompt,
        t: Translator,
        echo: str | None = None,
        greeting: Greeting | None = None,
    ) -> None:
        """The question; `echo` (see `answer_echo`) first when it follows an answer, or the
        `greeting` above it when an audit begins or resumes.

        A greeting shares the question's message: one call instead of two, which is what a
        hall joining at once spends Telegram's 30 a second on, and the owner sees the first
        question with the welcome. Only one too long for a message goes on its own."""
        text = render.prompt_html(prompt, t)
        if echo:
            text = f"{echo}\n{text}"
        keyboard = keyboards.prompt_keyboard(prompt, t)
        if greeting is not None:
            together = f"{greeting.html}\n\n{text}"
            if len(together) <= render.TELEGRAM_LIMIT:
                text, keyboard = together, _with_languages(keyboard, greeting, t)
            else:
                await self.send_greeting(chat, greeting, t)
        message = await chat.send_message(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
        self._remember(prompt, message)

    @staticmethod
    async def send_greeting(chat: Chat, greeting: Greeting, t: Translator) -> None:
        """A greeting on its own (nothing to ask, or too long to share a message)."""
        languages = keyboards.language_keyboard(t.locale) if greeting.languages else None
        await chat.send_message(greeting.html, parse_mode=ParseMode.HTML, reply_markup=languages)

    def shows_question(self, message: Message, prompt: Prompt) -> bool:
        """Whether `message` is where `prompt`'s question was last shown."""
        return self.store.prompt_ref(prompt.audit_id, prompt.question.id) == _ref(message)

    async def regreet(
        self, message: Message, prompt: Prompt, t: Translator, greeting: Greeting
    ) -> None:
        """Draw a greeting and its question again in `message` (its language switched)."""
        text = f"{greeting.html}\n\n{render.prompt_html(prompt, t)}"
        keyboard = _with_languages(keyboards.prompt_keyboard(prompt, t), greeting, t)
        await edit(message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard))

    async def redraw(self, message: Message, prompt: Prompt, t: Translator) -> None:
        """Show `prompt` in the message the button was on (ticks toggled, or one step back).

        A question shown twice (sent again after a restart that cut its first showing short)
        keeps both copies alike: the newer one is redrawn too and stays the one remembered.
        A tick keeps the answer the message repeats at its top; one step back drops it.
        """
        text = render.prompt_html(prompt, t)
        echo = kept_echo(message)
        if echo and prompt.question.id == self._shown_question(message):
            text = f"{echo}\n{text}"
        keyboard = keyboards.prompt_keyboard(prompt, t)
        await edit(message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard))
        ref = self.store.prompt_ref(prompt.audit_id, prompt.question.id)
        if ref is not None:
            chat_id, message_id = (int(part) for part in ref.split(":"))
            if chat_id == message.chat_id and message_id > message.message_id:
                await edit(
                    message.get_bot().edit_message_text(
                        text,
                        chat_id=chat_id,
                        message_id=message_id,
                        parse_mode=ParseMode.HTML,
                        reply_markup=keyboard,
                    )
                )
                return
        self._remember(prompt, message)

    async def _mark_answered(
        self, bot: Bot, audit_id: int, outcome: Outcome, t: Translator
    ) -> None:
        recorded = outcome.recorded
        assert recorded is not None
        ref = self.store.prompt_ref(audit_id, recorded.question.id)
        if ref is None:
            return
        chat_id, message_id = (int(part) for part in ref.split(":"))
        # The next message repeats the answer: the answered question only loses its buttons.
        request = ext_bot(bot).edit_message_reply_markup(
            chat_id=chat_id, message_id=message_id, rate_limit_args=Priority.COSMETIC
        )
        await self.tidy(edit(request))

    def _shown_question(self, message: Message) -> str | None:
        """The question a message of ours shows, from its buttons' callback data."""
        markup = message.reply_markup
        for row in markup.inline_keyboard if markup else ():
            for button in row:
                data = button.callback_data
                payload = decode(data) if isinstance(data, str) else None
                if isinstance(payload, AnswerButton):
                    return payload.question_id
        return None

    def _remember(self, prompt: Prompt, message: Message) -> None:
        self.store.remember_prompt(prompt.audit_id, prompt.question.id, _ref(message))


def _ref(message: Message) -> str:
    """How the store names the message a question was shown in."""
    return f"{message.chat_id}:{message.message_id}"


def answer_echo(
    question: Question,
    value: Any,
    t: Translator,
    where: Situation | None = None,
    typed_range: tuple[Any, Any] | None = None,
) -> str:
    """The first line of the question after an answer: the answer as the owner would say it
    (the middle taken of a range typed, say so), on one line."""
    said = " ".join(render.answer_words(question, value, t, where, typed_range).split())
    if len(said) > ANSWER_ECHO_LIMIT:
        said = said[: ANSWER_ECHO_LIMIT - 1] + "…"
    return f"<b>{html.escape(ANSWERED_MARK + said, quote=False)}</b>"


def _with_languages(
    keyboard: InlineKeyboardMarkup | None, greeting: Greeting, t: Translator
) -> InlineKeyboardMarkup | None:
    """The question's buttons, then the greeting's language buttons when it has them."""
    if not greeting.languages:
        return keyboard
    rows = list(keyboard.inline_keyboard) if keyboard else []
    return InlineKeyboardMarkup(rows + list(keyboards.language_keyboard(t.locale).inline_keyboard))


def kept_echo(message: Message) -> str | None:
    """The answer a question's message repeats at its top, as HTML, or None."""
    first_line = (message.text or "").split("\n", 1)[0]
    if not first_line.startswith(ANSWERED_MARK):
        return None
    return f"<b>{html.escape(first_line, quote=False)}</b>"


def ext_bot(bot: Bot) -> ExtBot[Any]:
    """The application's bot, whose methods take `rate_limit_args` (a `Priority`)."""
    assert isinstance(bot, ExtBot), "the bot comes from a PTB Application"
    return bot


async def edit(request: Awaitable[object]) -> None:
    """Run an edit, ignoring the two harmless refusals: unchanged text, message gone."""
    try:
        await request
    except BadRequest as error:
        harmless = ("message is not modified", "message to edit not found")
        if not any(reason in error.message.lower() for reason in harmless):
            raise
    except Forbidden:
        log.info("cannot edit a message: the user blocked the bot")


async def _cosmetic(request: Awaitable[object]) -> None:
    """A call whose failure changes nothing the owner needs (a typing indicator, the edit that
    marks a question answered): logged, never raised, so it cannot hold back what matters."""
    try:
        await request
    except TelegramError as error:
        log.info("a cosmetic call failed: %s", type(error).__name__)
