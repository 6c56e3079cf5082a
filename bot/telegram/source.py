"""/source: where the bot's source code is. Canasta is AGPL-3.0-or-later, whose §13 asks that
people who use it over a network be offered its source; SOURCE_URL says where (an operator
who changes the code points it at their own copy)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.i18n import N_
from bot.telegram.handlers import AuditBot, Context, user_chat

SOURCE = N_(
    "I am free software, under the GNU Affero General Public License (version 3 or later): you "
    "may read, change and share my code. The source code of this bot is here: %(url)s"
)


class SourceBot:
    def __init__(self, audit_bot: AuditBot) -> None:
        self.audit_bot = audit_bot

    def handlers(self) -> list[BaseHandler]:
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        return [CommandHandler("source", self.source, filters=private)]

    async def source(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        t = self.audit_bot.translator_for(user)
        url = self.audit_bot.settings.source_url
        await chat.send_message(t.gettext(SOURCE) % {"url": url}, disable_web_page_preview=True)
