"""Showing outcomes in an owner's private chat: what comes next first, cosmetics after.

What the owner waits for — the next question, or the plan — is sent before the edit that shows
the answered question as answered (cosmetic: it may fail and nothing is lost). Each time
something is shown the store is told (`remember_prompt`, `mark_delivered`), so what was never
shown — the bot killed, Telegram failing — is found and shown again
(`Interview.undelivered`), never lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, Chat, Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot import calendar, pdf, render
from bot.i18n import Translator
from bot.interview import Interview, Outcome
from bot.plan import Plan
from bot.planview import PlanView, plan_view
from bot.prompt import Prompt
from bot.store import Audit
from bot.telegram import keyboards

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
FinishedHook = Callable[[Context, Chat, Translator, Audit], Awaitable[None]]


class Presenter:
    def __init__(self, interview: Interview) -> None:
        self.interview = interview
        self.store = interview.store
        # Other parts of the bot that react to a finished audit (workshops ask to share it);
        # registered by them, so this module needs not know them.
        self.on_finished: list[FinishedHook] = []

    async def show(self, context: Context, chat: Chat, outcome: Outcome, t: Translator) -> None:
        """Send what is next, then edit the answered question's message to show the answer."""
        if outcome.prompt is not None:
            await self.send_prompt(chat, outcome.prompt, t)
        elif outcome.finished is not None:
            await self.deliver_plan(context, chat, outcome.finished, t)
        if outcome.recorded is not None:
            audit_id = outcome.prompt.audit_id if outcome.prompt else None
            if outcome.finished is not None:
                audit_id = outcome.finished.id
            if audit_id is not None:
                await self._mark_answered(context.bot, audit_id, outcome, t)

    async def deliver_plan(self, context: Context, chat: Chat, audit: Audit, t: Translator) -> None:
        """A just-finished audit's plan, then what other parts ask (sharing with a workshop);
        marked delivered only once all of it went out."""
        await self.send_plan(chat, self.interview.plan(audit), t, just_finished=True)
        for hook in self.on_finished:
            await hook(context, chat, t, audit)
        self.store.mark_delivered(audit.id)

    async def send_plan(
        self, chat: Chat, plan: Plan, t: Translator, just_finished: bool = False
    ) -> None:
        """Summary first, its scores drawn as a chart, then the plan, the last message carrying
        the PDF/calendar buttons."""
        await _cosmetic(chat.send_action(ChatAction.TYPING))
        view = plan_view(plan, t)
        messages = render.plan_chat(view, just_finished)
        for index, text in enumerate(messages):
            last = index == len(messages) - 1
            await chat.send_message(
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboards.plan_keyboard(t) if last else None,
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
        await chat.send_photo(photo=chart, caption=t.gettext("Your scores, area by area"))

    async def send_file(
        self, chat: Chat, audit: Audit, plan: Plan, kind: str, t: Translator
    ) -> None:
        """The plan as a PDF or .ics document, rendered off the event loop."""
        await _cosmetic(chat.send_action(ChatAction.UPLOAD_DOCUMENT))
        loop = asyncio.get_running_loop()
        view = plan_view(plan, t)
        if kind == "pdf":
            content = await loop.run_in_executor(None, pdf.render_pdf, view)
        else:
            uid = f"audit-{audit.id}"
            content = await loop.run_in_executor(None, calendar.render_ics, view, uid)
        filename = f"canasta-plan-{plan.finished_on.isoformat()}.{kind}"
        await chat.send_document(document=content, filename=filename)

    async def send_prompt(self, chat: Chat, prompt: Prompt, t: Translator) -> None:
        message = await chat.send_message(
            render.prompt_html(prompt, t),
            parse_mode=ParseMode.HTML,
            reply_markup=keyboards.prompt_keyboard(prompt, t),
        )
        self._remember(prompt, message)

    async def redraw(self, message: Message, prompt: Prompt, t: Translator) -> None:
        """Show `prompt` in the message the button was on (ticks toggled, or one step back).

        A question shown twice (sent again after a restart that cut its first showing short)
        keeps both copies alike: the newer one is redrawn too and stays the one remembered.
        """
        text = render.prompt_html(prompt, t)
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
        text = render.answered_html(
            recorded.question, recorded.value, t, recorded.situation, recorded.range
        )
        await _cosmetic(
            edit(
                bot.edit_message_text(
                    text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML
                )
            )
        )

    def _remember(self, prompt: Prompt, message: Message) -> None:
        ref = f"{message.chat_id}:{message.message_id}"
        self.store.remember_prompt(prompt.audit_id, prompt.question.id, ref)


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
