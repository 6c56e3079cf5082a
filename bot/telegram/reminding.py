"""Sending reminders: one periodic job reads what is due from the database and sends it.

The database is the schedule (`bot.reminders` writes it with the plan), so a restart loses
nothing. Each reminder is marked sent only after Telegram took it: a process killed between the
two sends that one reminder again after the restart (at least once), and never loses one. Per
owner, per run: the earliest due, at a daytime hour of their market, at most one a day; none
for an action already done or not for them, or for a plan since replaced.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot import reminders, render
from bot.i18n import DEFAULT_LOCALE, N_, Translator, translator
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
        """Send each owner's earliest due reminder, if the rules allow; the number sent."""
        store = self.audit_bot.interview.store
        sent, seen = 0, set()
        for row in store.due_reminders(now.isoformat(timespec="seconds"), TELEGRAM_PREFIX):
            owner = row["respondent_id"]
            if owner in seen:
                continue
            last = row["last_sent"]
            if last and now - datetime.fromisoformat(last) < reminders.REST:
                seen.add(owner)
                continue
            if not reminders.daytime(now, row["zone"]):
                continue
            message = self._message(row)
            if message is None:  # nothing left to remind of: done, not for them, replaced
                store.drop_reminder(row["id"])
                continue
            seen.add(owner)
            text, keyboard = message
            try:
                await bot.send_message(
                    int(owner.removeprefix(TELEGRAM_PREFIX)),
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard,
                )
            except Forbidden:
                log.info("a reminder could not be sent: the owner blocked the bot")
                store.set_reminders(owner, on=False)
                continue
            except TelegramError as error:  # tried again at the next run
                log.info("a reminder could not be sent: %s", type(error).__name__)
                continue
            store.mark_reminder_sent(row["id"], now.isoformat(timespec="seconds"))
            sent += 1
        return sent

    def _message(self, row: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup | None] | None:
        interview = self.audit_bot.interview
        latest = interview.latest_plan(row["respondent_id"])
        if latest is None or latest[0].id != row["audit_id"]:
            return None
        audit, plan = latest
        t = translator(row["locale"] or DEFAULT_LOCALE)
        view = plan_view(plan, t)
        if row["kind"] in ("backup_day", "checkup"):
            return render.reminder_html(t, row["kind"]), None
        index = next(
            (i for i, action in enumerate(view.actions) if action.id == row["action_id"]), None
        )
        if index is None or view.actions[index].state in ("done", "dropped"):
            return None
        action = view.actions[index]
        text = render.reminder_html(t, row["kind"], action)
        return text, _marks(audit.id, index, t)


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
