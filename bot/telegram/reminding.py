"""Sending reminders: one periodic job reads what is due from the database and sends it.

The database is the schedule (`bot.reminders` writes it with the plan), so a restart loses
nothing; which reminders may go out now is the core's rule (`Interview.due_reminders`). Each
is marked sent only after Telegram took it: a process killed between the two sends that one
reminder again after the restart (at least once), and never loses one.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot import render
from bot.i18n import DEFAULT_LOCALE, N_, Translator, translator
from bot.interview import DueReminder
from bot.planview import plan_view
from bot.telegram.callback_data import ChecklistButton
from bot.telegram.handlers import TELEGRAM_PREFIX, AuditBot

log = logging.getLogger(__name__)

# From a reminder: the same marks as the checklist's, answered in the reminder itself.
REMINDER_MARKS = ((N_("✅ Done"), "D"), (N_("⏰ Next week"), "Z"), (N_("✖ Not for me"), "X"))


class ReminderJob:
    def __init__(self, audit_bot: AuditBot) -> None:
        self.audit_bot = audit_bot

    async def run(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send what is due now (a JobQueue callback)."""
        await self.send_due(context.bot, datetime.now(UTC))

    async def send_due(self, bot: Any, now: datetime) -> int:
        """Send what the core says may go out now (`Interview.due_reminders`); the number
        sent. Each is marked sent once Telegram took it."""
        store = self.audit_bot.interview.store
        sent = 0
        for due in self.audit_bot.interview.due_reminders(now, TELEGRAM_PREFIX):
            text, keyboard = _message(due)
            try:
                await bot.send_message(
                    int(due.respondent_id.removeprefix(TELEGRAM_PREFIX)),
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard,
                )
            except Forbidden:
                log.info("a reminder could not be sent: the owner blocked the bot")
                store.set_reminders(due.respondent_id, on=False)
                continue
            except TelegramError as error:  # tried again at the next run
                log.info("a reminder could not be sent: %s", type(error).__name__)
                continue
            store.mark_reminder_sent(due.id, now.isoformat(timespec="seconds"))
            sent += 1
        return sent


def _message(due: DueReminder) -> tuple[str, InlineKeyboardMarkup | None]:
    t = translator(due.locale or DEFAULT_LOCALE)
    if due.action_index is None:
        return render.reminder_html(t, due.kind), None
    action = plan_view(due.plan, t).actions[due.action_index]
    text = render.reminder_html(t, due.kind, action)
    return text, _marks(due.audit.id, due.action_index, t)


def _marks(audit_id: int, index: int, t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext(label), callback_data=ChecklistButton(audit_id, index, state).encode()
                )
                for label, state in REMINDER_MARKS
            ]
        ]
    )
