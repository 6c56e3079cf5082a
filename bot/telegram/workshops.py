"""Workshops in Telegram groups: /workshop, /summary, /report and /close for the group's admins,
a join deep link into a private chat, and one group message kept up to date with the counts.

The group only ever sees the join message (edited, at most every few seconds), the summaries an
admin asks for, and short replies to admins. Audit questions are never asked in the group.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, BaseHandler, CommandHandler, MessageHandler, filters

from bot import pdf, render
from bot.i18n import N_, SUPPORTED_LOCALES, Translator, translator
from bot.planview import plan_view
from bot.store import Audit
from bot.telegram.callback_data import WorkshopButton
from bot.telegram.handlers import AuditBot, Context, remove_buttons, respondent_id
from bot.telegram.sending import Dropped, Priority
from bot.telegram.showing import Greeting, edit, ext_bot
from bot.workshop import (
    CLOSED_WORKSHOP,
    PRIVATE,
    RETAKE,
    REUSE,
    SHARE,
    Access,
    Workshop,
    Workshops,
)

log = logging.getLogger(__name__)

REFRESH_SECONDS = 6.0
"""At most one edit of a workshop's join message this often: Telegram allows a bot about 20
messages a minute in a group, and the edits must leave room for the admins' commands."""
ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
ONLY_ADMINS = N_("Only the group's admins can run a workshop.")
# The command menu group admins see (Telegram shows it to admins of every group).
ADMIN_COMMANDS = (
    ("workshop", N_("Open a workshop in this group")),
    ("summary", N_("Show the room's anonymous picture")),
    ("report", N_("Get the workshop report privately")),
    ("close", N_("Close the workshop")),
)


class WorkshopBot:
    def __init__(
        self, workshops: Workshops, audit_bot: AuditBot, refresh_seconds: float = REFRESH_SECONDS
    ) -> None:
        self.workshops = workshops
        self.audit_bot = audit_bot
        self.refresh_seconds = refresh_seconds
        self._pending: set[int] = set()
        self._last_refresh: dict[int, float] = {}
        audit_bot.on_finished.append(self.after_audit)
        audit_bot.button_owners[WorkshopButton] = self.button

    async def post_init(self, application: Application) -> None:
        """Register the admins' command menu in every language."""
        default = self.audit_bot.settings.default_locale
        for locale in SUPPORTED_LOCALES:
            t = translator(locale)
            commands = [BotCommand(name, t.gettext(text)) for name, text in ADMIN_COMMANDS]
            await application.bot.set_my_commands(
                commands,
                scope=BotCommandScopeAllChatAdministrators(),
                language_code=None if locale == default else locale,
            )

    def handlers(self) -> list[BaseHandler]:
        groups = filters.ChatType.GROUPS
        deep_link = filters.ChatType.PRIVATE & filters.Regex(r"^/start ws-")
        return [
            CommandHandler("start", self.join, filters=deep_link),
            CommandHandler("workshop", self.open, filters=groups),
            CommandHandler("summary", self.summary, filters=groups),
            CommandHandler("report", self.report, filters=groups),
            CommandHandler("close", self.close, filters=groups),
            MessageHandler(filters.StatusUpdate.MIGRATE, self.migrated),
        ]

    # ── The facilitator, in the group ────────────────────────────────────────────────────

    async def open(self, update: Update, context: Context) -> None:
        user, chat, message = _from_group(update)
        if not (await self._access(context.bot, chat, user, message)).allowed:
            return
        t = self.audit_bot.translator_for(user)
        title = " ".join(context.args or [])[:80]
        workshop = self.workshops.open(
            chat.id, message.message_thread_id, title, respondent_id(user), t.locale
        )
        # Also when it was open already: the bot may have been removed and added back, and
        # the old join message lost; a fresh one is the one kept up to date from now on.
        await self._post_join_message(context.bot, workshop)

    async def summary(self, update: Update, context: Context) -> None:
        found = await self._admins_workshop(update, context)
        if found is None:
            return
        workshop, message, t = found
        picture = self.workshops.picture(workshop)
        text = render.render("workshop_summary.html.j2", t, picture=picture)
        await message.reply_text(text, parse_mode=ParseMode.HTML)

    async def report(self, update: Update, context: Context) -> None:
        """The workshop PDF, sent privately to the admin who asked."""
        found = await self._admins_workshop(update, context)
        if found is None:
            return
        workshop, message, t = found
        # The database is read here, on the event loop's thread; only drawing the PDF runs in
        # the executor (SQLite connections stay in the thread that opened them).
        picture = self.workshops.picture(workshop)
        shared = [plan_view(plan, t) for plan in self.workshops.shared_plans(workshop)]
        content = await asyncio.get_running_loop().run_in_executor(
            None, pdf.render_workshop_pdf, workshop.title, picture, shared, t
        )
        assert message.from_user is not None
        try:
            await context.bot.send_document(
                message.from_user.id,
                document=content,
                filename=f"canasta-workshop-{workshop.code}.pdf",
            )
        except Forbidden:
            await message.reply_text(t.gettext(
                "I cannot write to you privately yet: open a chat with me, send /start, "
                "then /report again here."
            ))  # fmt: skip

    async def close(self, update: Update, context: Context) -> None:
        found = await self._admins_workshop(update, context)
        if found is None:
            return
        workshop, message, t = found
        self.workshops.close(workshop)
        closed = self.workshops.get(workshop.id)
        assert closed is not None
        await self._edit_join_message(context.bot, closed)
        await message.reply_text(t.gettext("The workshop is closed. /summary shows the room."))

    async def _admins_workshop(
        self, update: Update, context: Context
    ) -> tuple[Workshop, Message, Translator] | None:
        """The group's open workshop, when an admin asks; else None, the asker told why."""
        user, chat, message = _from_group(update)
        access = await self._access(context.bot, chat, user, message)
        if not access.allowed:
            return None
        t = self.audit_bot.translator_for(user)
        workshop = access.workshop
        if workshop is None:
            await message.reply_text(t.gettext(NO_WORKSHOP))
            return None
        return workshop, message, t

    async def migrated(self, update: Update, context: Context) -> None:
        """A group became a supergroup (new chat id): its workshop follows."""
        message = update.effective_message
        if message is not None and message.migrate_to_chat_id:
            self.workshops.moved(message.chat.id, message.migrate_to_chat_id)

    # ── The participant, in private ──────────────────────────────────────────────────────

    async def join(self, update: Update, context: Context) -> None:
        user = update.effective_user
        chat = update.effective_chat
        assert user is not None and chat is not None
        t = self.audit_bot.translator_for(user)
        payload = context.args[0] if context.args else None
        entry = self.workshops.enter(payload, respondent_id(user), t.locale)
        workshop = entry.workshop
        if entry.problem == CLOSED_WORKSHOP:
            await chat.send_message(
                t.gettext(
                    "This workshop has closed. You can still take the audit on your own: /start"
                )
            )
            return
        if workshop is None:
            await chat.send_message(
                t.gettext("That workshop link is not valid. /start begins the audit on your own.")
            )
            return
        if entry.reusable is not None:
            finished = entry.reusable
            await chat.send_message(
                render.render("workshop_welcome_back.html.j2", t, title=workshop.title,
                              date=t.date(finished.finished_at or finished.started_at)),
                parse_mode=ParseMode.HTML,
                reply_markup=_reuse_keyboard(workshop, t),
            )  # fmt: skip
            return
        assert entry.outcome is not None
        welcome = render.render("workshop_welcome.html.j2", t, title=workshop.title)
        await self.audit_bot.show(context, chat, entry.outcome, t, Greeting(welcome))
        self.refresh_soon(context.application, workshop.id)

    async def button(self, update: Update, context: Context, button: WorkshopButton) -> None:
        query = update.callback_query
        assert query is not None and isinstance(query.message, Message)
        user, chat = query.from_user, query.message.chat
        t = self.audit_bot.translator_for(user)
        choice = self.workshops.choose(button.workshop_id, respondent_id(user), t.locale,
                                       button.choice, button.audit_id)  # fmt: skip
        if choice.workshop is None:
            await query.answer(t.gettext("This workshop has closed."))
            return
        await query.answer()
        await self.audit_bot.presenter.tidy(edit(remove_buttons(query.message)))
        if choice.ask_to_share and choice.reused is not None:
            await self._ask_to_share(chat, choice.workshop, choice.reused, t)
        elif choice.outcome is not None:
            await self.audit_bot.show(context, chat, choice.outcome, t)
        elif choice.shared is not None:
            await chat.send_message(t.gettext(SHARED if choice.shared else KEPT_PRIVATE))
        self.refresh_soon(context.application, choice.workshop.id)

    async def after_audit(self, context: Context, chat: Chat, t: Translator, audit: Audit) -> None:
        """An owner finished an audit: ask to share it with each open workshop they are in."""
        for workshop in self.workshops.awaiting_share(audit.respondent_id):
            await self._ask_to_share(chat, workshop, audit, t)
            self.refresh_soon(context.application, workshop.id)

    async def _ask_to_share(
        self, chat: Chat, workshop: Workshop, audit: Audit, t: Translator
    ) -> None:
        share = WorkshopButton(workshop.id, SHARE, audit.id).encode()
        buttons = InlineKeyboardMarkup([[
            InlineKeyboardButton(t.gettext("Yes, share my plan"), callback_data=share),
            InlineKeyboardButton(t.gettext("No, keep it private"),
                                 callback_data=WorkshopButton(workshop.id, PRIVATE).encode()),
        ]])  # fmt: skip
        await chat.send_message(
            render.render("workshop_share.html.j2", t, title=workshop.title),
            parse_mode=ParseMode.HTML,
            reply_markup=buttons,
        )

    # ── The join message ─────────────────────────────────────────────────────────────────

    async def _post_join_message(self, bot: Bot, workshop: Workshop) -> None:
        t = translator(self.workshops.locale(workshop))
        text, keyboard = self._join_message(bot, workshop, t)
        message = await bot.send_message(
            workshop.chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
            message_thread_id=workshop.thread_id,
        )
        self.workshops.remember_join_message(workshop, message.message_id)

    def _join_message(
        self, bot: Bot, workshop: Workshop, t: Translator
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        progress = self.workshops.progress(workshop)
        text = render.render(
            "workshop_join.html.j2",
            t,
            title=workshop.title,
            open=workshop.is_open,
            progress=progress,
            bar=render.progress_bar(progress.finished + 1, max(progress.joined, 1)),
        )
        if not workshop.is_open:
            return text, None
        link = f"https://t.me/{bot.username}?start={workshop.start_payload}"
        button = InlineKeyboardButton(t.gettext("Join privately"), url=link)
        return text, InlineKeyboardMarkup([[button]])

    async def _edit_join_message(
        self, bot: Bot, workshop: Workshop, priority: Priority = Priority.QUESTION
    ) -> None:
        """Show the workshop as it is now; progress is cosmetic (`priority`), closing is not."""
        if workshop.join_message_id is None:
            return
        t = translator(self.workshops.locale(workshop))
        text, keyboard = self._join_message(bot, workshop, t)
        await edit(
            ext_bot(bot).edit_message_text(
                text,
                chat_id=workshop.chat_id,
                message_id=workshop.join_message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                rate_limit_args=priority,
            )
        )

    def refresh_soon(self, application: Application, workshop_id: int) -> None:
        """Edit the join message once the throttle allows; events meanwhile share that edit."""
        if workshop_id in self._pending:
            return
        self._pending.add(workshop_id)
        application.create_task(self._refresh(application.bot, workshop_id))

    async def _refresh(self, bot: Bot, workshop_id: int) -> None:
        loop = asyncio.get_running_loop()
        wait = self._last_refresh.get(workshop_id, -1e9) + self.refresh_seconds - loop.time()
        # Waiting here only gathers events into one edit; Telegram's limits themselves are
        # kept by the sender (sending.py), which sends this edit after the owners' questions.
        await asyncio.sleep(max(wait, 0))
        self._pending.discard(workshop_id)
        self._last_refresh[workshop_id] = loop.time()
        workshop = self.workshops.get(workshop_id)
        if workshop is not None and workshop.is_open:
            try:
                await self._edit_join_message(bot, workshop, Priority.COSMETIC)
            except (BadRequest, Forbidden, Dropped) as error:  # removed, gone, or under load
                log.info("could not refresh workshop %s: %s", workshop_id, error)

    # ── Admins ───────────────────────────────────────────────────────────────────────────

    async def _access(self, bot: Bot, chat: Chat, user: User, message: Message) -> Access:
        """Ask Telegram whether the person is a group admin; the core decides the rest."""
        member = await bot.get_chat_member(chat.id, user.id)
        access = self.workshops.access(
            chat.id, respondent_id(user), member.status in ADMIN_STATUSES
        )
        if access.tell_refusal:
            t = self.audit_bot.translator_for(user)
            await message.reply_text(t.gettext(ONLY_ADMINS))
        return access


NO_WORKSHOP = N_("No workshop is open in this group: an admin starts one with /workshop.")
SHARED = N_("Thank you: the facilitator will see your plan in the workshop report.")
KEPT_PRIVATE = N_("Your plan stays private. The room only sees anonymous counts.")


def _reuse_keyboard(workshop: Workshop, t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t.gettext("Use my finished audit"),
                             callback_data=WorkshopButton(workshop.id, REUSE).encode()),
        InlineKeyboardButton(t.gettext("Take it again"),
                             callback_data=WorkshopButton(workshop.id, RETAKE).encode()),
    ]])  # fmt: skip


def _from_group(update: Update) -> tuple[User, Chat, Message]:
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    assert user is not None and chat is not None and message is not None
    return user, chat, message
