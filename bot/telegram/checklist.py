"""What owners did with their plan, ticked from the chat: /done (or the button under the plan)
shows the plan's actions with ✅ ⏰ ✖ buttons; each tap marks one action and redraws the same
message. The rules (which audit, which action, a stale or forged button) are the core's
(`Interview.mark`); this only shows them."""

from __future__ import annotations

from typing import Any

from telegram import Chat, Message, Update, User
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import render
from bot.i18n import N_
from bot.planview import plan_view
from bot.telegram import keyboards
from bot.telegram.callback_data import MARKS, SHOW, ChecklistButton
from bot.telegram.handlers import (
    NO_PLAN,
    STALE_BUTTON,
    AuditBot,
    Context,
    answer_quietly,
    respondent_id,
    user_chat,
)
from bot.telegram.showing import edit

REMINDERS_OFF = N_(
    "I will not write to you first any more. /reminders on brings the reminders back."
)
REMINDERS_ON = N_("I will remind you of your plan's deadlines, at most once a day, in the daytime.")
REMINDERS_HOW = N_(
    "/reminders off stops my reminders; /reminders on brings them back; /reminders 18 sends "
    "them at 18:00 (any hour from 9 to 19)."
)
REMINDERS_AT = N_("Your reminders now come at %(time)s, %(city)s time.")
FROM_REMINDER = {
    "D": N_("✅ Done: %(title)s. Well done!"),
    "Z": N_("⏰ Next week, then: %(title)s."),
    "X": N_("✖ Not for you: %(title)s. It stays off your reminders."),
}


class ChecklistBot:
    def __init__(self, audit_bot: AuditBot) -> None:
        self.audit_bot = audit_bot
        audit_bot.button_owners[ChecklistButton] = self.button

    def handlers(self) -> list[BaseHandler]:
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        return [
            CommandHandler("done", self.done, filters=private),
            CommandHandler("reminders", self.reminders, filters=private),
        ]

    async def reminders(self, update: Update, context: Context) -> None:
        """/reminders off (or on): the owner decides whether the bot writes first;
        /reminders 18: at what hour of their day."""
        user, chat = user_chat(update)
        t = self.audit_bot.translator_for(user)
        store = self.audit_bot.interview.store
        choice = " ".join(context.args or []).lower()
        if choice in ("off", "on"):
            turned_on = choice == "on"
            store.set_reminders(respondent_id(user), on=turned_on)
            text = t.gettext(REMINDERS_ON if turned_on else REMINDERS_OFF)
        elif chosen := self.audit_bot.interview.set_reminder_hour(respondent_id(user), choice):
            text = t.gettext(REMINDERS_AT) % {
                "time": t.clock(chosen.hour),
                "city": t.city(chosen.zone),
            }
        else:
            text = t.gettext(REMINDERS_HOW)
        await chat.send_message(text)

    async def done(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        await self._send(chat, user)

    async def _send(self, chat: Chat, user: User) -> None:
        t = self.audit_bot.translator_for(user)
        latest = self.audit_bot.interview.latest_plan(respondent_id(user))
        if latest is None:
            await chat.send_message(t.gettext(NO_PLAN))
            return
        audit, plan = latest
        view = plan_view(plan, t)
        await chat.send_message(
            render.checklist_html(view),
            parse_mode=ParseMode.HTML,
            reply_markup=keyboards.checklist_keyboard(audit.id, view),
        )

    async def button(self, update: Update, context: Context, button: Any) -> None:
        query = update.callback_query
        assert query is not None and isinstance(query.message, Message)
        t = self.audit_bot.translator_for(query.from_user)
        if button.state == SHOW:
            await answer_quietly(query)
            await self._send(query.message.chat, query.from_user)
            return
        marked = self.audit_bot.interview.mark_nth(
            respondent_id(query.from_user), button.audit_id, button.index, MARKS[button.state]
        )
        if marked is None:
            await query.answer(t.gettext(STALE_BUTTON))
            return
        await answer_quietly(query)
        audit, plan = marked
        view = plan_view(plan, t)
        if button.state.isupper():  # pressed under a reminder: answered in the reminder
            action = view.actions[button.index]
            said = t.gettext(FROM_REMINDER[button.state]) % {"title": action.title}
            await edit(query.message.edit_text(said, reply_markup=None))
            return
        await edit(
            query.message.edit_text(
                render.checklist_html(view),
                parse_mode=ParseMode.HTML,
                reply_markup=keyboards.checklist_keyboard(audit.id, view),
            )
        )
