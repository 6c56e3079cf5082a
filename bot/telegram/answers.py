"""Changing one answer after finishing: /answers lists the finished audit's answers, a number
asks that question again (and whatever it opens), and the plan is worked out again. The rules
(which audit, a stale button) are the core's (`Interview.revise`); this only shows them."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import render
from bot.i18n import N_
from bot.telegram.callback_data import ChangeButton
from bot.telegram.handlers import (
    NO_PLAN,
    STALE_BUTTON,
    AuditBot,
    Context,
    answer_quietly,
    respondent_id,
    user_chat,
)

PER_ROW = 6
CHECKUP_START = N_(
    "A check-up: the same questions, each with your last answer. Tap ✔ Still true when "
    "nothing changed; at the end you see what moved."
)


class AnswersBot:
    def __init__(self, audit_bot: AuditBot) -> None:
        self.audit_bot = audit_bot
        audit_bot.button_owners[ChangeButton] = self.button

    def handlers(self) -> list[BaseHandler]:
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        return [
            CommandHandler("answers", self.answers, filters=private),
            CommandHandler("checkup", self.checkup, filters=private),
        ]

    async def checkup(self, update: Update, context: Context) -> None:
        """A re-audit from the last answers: every question again, "still true" first."""
        user, chat = user_chat(update)
        t = self.audit_bot.translator_for(user)
        outcome = self.audit_bot.interview.checkup(respondent_id(user), t.locale)
        if outcome is None:
            await chat.send_message(t.gettext(NO_PLAN))
            return
        await chat.send_message(t.gettext(CHECKUP_START))
        await self.audit_bot.show(context, chat, outcome, t)

    async def answers(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        t = self.audit_bot.translator_for(user)
        answered = self.audit_bot.interview.answered(respondent_id(user))
        if answered is None:
            await chat.send_message(t.gettext(NO_PLAN))
            return
        texts = render.pack([render.answers_list(answered.answers, answered.situation, t)])
        audit_id = answered.audit.id
        buttons = [
            InlineKeyboardButton(str(number), callback_data=ChangeButton(audit_id, q.id).encode())
            for number, (q, _) in enumerate(answered.answers, start=1)
        ]
        keyboard = InlineKeyboardMarkup(
            [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
        )
        for index, text in enumerate(texts):
            last = index == len(texts) - 1
            await chat.send_message(
                text, parse_mode=ParseMode.HTML, reply_markup=keyboard if last else None
            )

    async def button(self, update: Update, context: Context, button: Any) -> None:
        query = update.callback_query
        assert query is not None and isinstance(query.message, Message)
        t = self.audit_bot.translator_for(query.from_user)
        interview = self.audit_bot.interview
        me = respondent_id(query.from_user)
        finished = interview.finished_audit(me)
        outcome = None
        if finished is not None and finished.id == button.audit_id:
            outcome = interview.revise(me, t.locale, button.question_id)
        if outcome is None:
            await query.answer(t.gettext(STALE_BUTTON))
            return
        await answer_quietly(query)
        await self.audit_bot.show(context, query.message.chat, outcome, t)
