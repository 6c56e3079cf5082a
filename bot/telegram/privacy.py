"""What people can ask about their data: /privacy, /mydata (everything, as a file) and /delete
(after a confirmation button). The rules are the core's (`Respondents`, `export`); this only
shows them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import export, render
from bot.telegram import keyboards
from bot.telegram.callback_data import EraseButton
from bot.telegram.handlers import AuditBot, Context, answer_quietly, respondent_id, user_chat
from bot.telegram.showing import edit


class PrivacyBot:
    def __init__(self, audit_bot: AuditBot) -> None:
        self.audit_bot = audit_bot
        audit_bot.button_owners[EraseButton] = self.erase_button

    def handlers(self) -> list[BaseHandler]:
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        return [
            CommandHandler("privacy", self.privacy, filters=private),
            CommandHandler("mydata", self.mydata, filters=private),
            CommandHandler("delete", self.delete, filters=private),
        ]

    async def privacy(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        t = self.audit_bot.translator_for(user)
        await chat.send_message(render.render("privacy.html.j2", t), parse_mode=ParseMode.HTML)

    async def mydata(self, update: Update, context: Context) -> None:
        """A JSON file of every row stored about the user (GDPR Art. 15 and 20)."""
        user, chat = user_chat(update)
        t = self.audit_bot.translator_for(user)
        data = export.personal_data(self.audit_bot.interview, respondent_id(user))
        content = json.dumps(data, ensure_ascii=False, indent=2).encode()
        await chat.send_document(
            document=content,
            filename=f"canasta-mydata-{date.today().isoformat()}.json",
            caption=t.gettext("Everything I store about you."),
        )

    async def delete(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        t = self.audit_bot.translator_for(user)
        await chat.send_message(
            t.gettext(
                "Erase everything I store about you: your answers, your plans and your workshop "
                "memberships? This cannot be undone."
            ),
            reply_markup=keyboards.erase_keyboard(t),
        )

    async def erase_button(self, update: Update, context: Context, button: Any) -> None:
        query = update.callback_query
        assert query is not None and isinstance(query.message, Message)
        t = self.audit_bot.translator_for(query.from_user)
        await answer_quietly(query)
        if button.confirmed:
            self.audit_bot.respondents.erase(respondent_id(query.from_user))
            text = t.gettext("Done: everything I stored about you is erased. /start begins afresh.")
        else:
            text = t.gettext("Nothing was erased.")
        await edit(query.message.edit_text(text, reply_markup=None))
