"""Handlers: each turns one kind of update into an interview call and the outcome into messages.

State lives in SQLite (through the interview), never here: a restarted process answers the next
update exactly as the old one would have.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import render
from bot.i18n import N_, Translator, translator
from bot.interview import Interview, Outcome
from bot.respondents import Respondents
from bot.settings import Settings
from bot.telegram import keyboards, menus
from bot.telegram.callback_data import (
    BACK,
    CHOOSE,
    DONE,
    KEEP,
    PICK,
    SKIP,
    TICK,
    UNTICK,
    AnswerButton,
    LanguageButton,
    PlanButton,
    RestartButton,
    decode,
)
from bot.telegram.sending import Priority
from bot.telegram.showing import FinishedHook, Greeting, Presenter, edit, ext_bot

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

NO_PLAN = N_("You have no plan yet: /start the audit, and your plan comes at the end.")
STALE_BUTTON = N_("That button no longer works. /start shows where you are.")
APOLOGY = N_("Sorry, something went wrong on my side. Your answers are safe: please try again.")


TELEGRAM_PREFIX = "tg:"
REDELIVERY_WINDOW = timedelta(days=1)
"""At start-up, what went unshown is sent to owners active this recently; older ones get it at
their next message, rather than a question out of the blue."""


def respondent_id(user: User) -> str:
    return telegram_respondent(user.id)


def telegram_respondent(telegram_id: int) -> str:
    """Respondent id of a Telegram user (a private chat's id is its user's id)."""
    return f"{TELEGRAM_PREFIX}{telegram_id}"


class AuditBot:
    def __init__(
        self, interview: Interview, settings: Settings, presenter: Presenter | None = None
    ) -> None:
        self.interview = interview
        self.store = interview.store
        self.respondents = Respondents(interview.store, settings.default_locale)
        self.settings = settings
        self.presenter = presenter or Presenter(interview)
        # Other parts of the bot that own a kind of button; registered by them, so this module
        # needs not know them.
        self.button_owners: dict[type, Callable[[Update, Context, Any], Awaitable[None]]] = {}

    def handlers(self) -> list[BaseHandler]:
        # New messages only: an edited one is answered by `edited`, never read as an answer.
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        return [
            CommandHandler("start", self.start, filters=private),
            CommandHandler("restart", self.restart, filters=private),
            CommandHandler("plan", self.plan, filters=private),
            CommandHandler("pdf", self.pdf, filters=private),
            CommandHandler("calendar", self.calendar, filters=private),
            CommandHandler("language", self.language, filters=private),
            CommandHandler("help", self.help, filters=private),
            CallbackQueryHandler(self.button),
            MessageHandler(private & filters.COMMAND, self.unknown_command),
            MessageHandler(private & filters.TEXT, self.text),
            MessageHandler(private & ~filters.StatusUpdate.ALL, self.not_text),
            MessageHandler(
                filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE, self.edited
            ),
        ]

    async def post_init(self, application: Application) -> None:
        """Register the command menu and descriptions in every language, then show what the
        last run stored but never showed."""
        self.presenter.attach(application)
        await menus.register(application.bot, self.settings.default_locale)
        await self.redeliver_all(application)

    # ── Language ─────────────────────────────────────────────────────────────────────────

    def translator_for(self, user: User) -> Translator:
        return translator(self.respondents.locale(respondent_id(user), user.language_code))

    # ── Commands ─────────────────────────────────────────────────────────────────────────

    async def start(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        t = self.translator_for(user)
        entry = self.interview.enter(respondent_id(user), t.locale)
        if entry.finished is not None and entry.finished.awaiting_delivery:
            await self.presenter.deliver_plan(context, chat, entry.finished, t)  # never sent
            return
        if entry.finished is not None:
            text = t.gettext(
                "You finished your audit on %(date)s. /plan shows your plan again; "
                "/restart takes the audit again."
            ) % {"date": t.date(entry.finished.finished_at or entry.finished.started_at)}
            await chat.send_message(text, reply_markup=keyboards.finished_keyboard(t))
            return
        assert entry.outcome is not None
        if entry.resumed:
            back = html.escape(t.gettext("Welcome back! Here is where you left off."))
            await self.show(context, chat, entry.outcome, t, Greeting(back))
        else:
            await self.show(context, chat, entry.outcome, t, self.welcome(t))

    async def restart(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        await self._start_again(context, chat, user)

    async def _start_again(self, context: Context, chat: Chat, user: User) -> None:
        """/restart and the plan's retake button: the core asks first when answers would be
        set aside."""
        t = self.translator_for(user)
        outcome = self.interview.request_restart(respondent_id(user), t.locale)
        if outcome.confirm_restart is not None:
            await chat.send_message(
                t.gettext("Start the audit again from the first question?"),
                reply_markup=keyboards.restart_keyboard(outcome.confirm_restart, t),
            )
            return
        await self.show(context, chat, outcome, t)

    async def plan(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        await self._show_latest_plan(chat, user)

    async def _show_latest_plan(self, chat: Chat, user: User) -> None:
        t = self.translator_for(user)
        latest = self.interview.latest_plan(respondent_id(user))
        if latest is None:
            await chat.send_message(t.gettext(NO_PLAN))
            return
        await self.presenter.send_plan(chat, latest[1], t)

    async def pdf(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        await self._send_file(chat, user, "pdf")

    async def calendar(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        await self._send_file(chat, user, "ics")

    async def _send_file(self, chat: Chat, user: User, kind: str) -> None:
        t = self.translator_for(user)
        latest = self.interview.latest_plan(respondent_id(user))
        if latest is None:
            await chat.send_message(t.gettext(NO_PLAN))
            return
        await self.presenter.send_file(chat, *latest, kind, t)

    async def language(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        t = self.translator_for(user)
        self.respondents.offer_languages(respondent_id(user), t.locale)
        await chat.send_message(
            t.gettext("Choose your language:"), reply_markup=keyboards.language_keyboard(t.locale)
        )

    async def help(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        t = self.translator_for(user)
        text = render.render("help.html.j2", t, source_url=self.settings.source_url)
        await chat.send_message(text, parse_mode=ParseMode.HTML, disable_web_page_preview=True)

    async def unknown_command(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        t = self.translator_for(user)
        await chat.send_message(t.gettext("I do not know that command. /help lists what I can do."))

    # ── Answers ──────────────────────────────────────────────────────────────────────────

    async def text(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        message = update.effective_message
        assert message is not None and message.text is not None
        t = self.translator_for(user)
        # A question never shown cannot be what this text answers: show it instead.
        if await self.redeliver(context, chat, respondent_id(user), t):
            return
        outcome = self.interview.answer_text(respondent_id(user), message.text, t.locale)
        if outcome is None:
            await chat.send_message(self._no_audit_text(user, t))
        elif outcome.error is not None:
            await message.reply_text(render.error_text(outcome.error, t))
        elif outcome.readings and outcome.prompt is not None:
            await message.reply_text(
                render.readings_question(outcome.prompt.question, outcome.readings, t),
                reply_markup=keyboards.readings_keyboard(outcome.prompt, outcome.readings, t),
            )
        else:
            await self.show(context, chat, outcome, t)

    async def edited(self, update: Update, context: Context) -> None:
        """An edited message changes no answer (which one it was is not always clear, and the
        bot may have moved on): say how to correct one instead of failing silently."""
        user, chat = user_chat(update)
        t = self.translator_for(user)
        await chat.send_message(
            t.gettext(
                "I cannot read edited messages. To change an answer, send it again as a new "
                "message, or tap ◀ Back."
            )
        )

    async def not_text(self, update: Update, context: Context) -> None:
        user, chat = user_chat(update)
        t = self.translator_for(user)
        await chat.send_message(
            t.gettext("I can only read text: type your answer or tap a button.")
        )

    async def button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        t = self.translator_for(query.from_user)
        payload = decode(query.data)
        message = query.message if isinstance(query.message, Message) else None
        if message is None or message.chat.id != query.from_user.id:
            # Every button of ours sits in the presser's own private chat; one pressed anywhere
            # else is forged or copied, and acts on nothing.
            await answer_quietly(query, t.gettext(STALE_BUTTON))
            return
        owner = self.button_owners.get(type(payload))
        if owner is not None and message is not None:
            await owner(update, context, payload)
            return
        if isinstance(payload, LanguageButton):
            if await self._switch_language(query.from_user, payload.locale, message):
                await answer_quietly(query)
            else:
                await answer_quietly(query, t.gettext(STALE_BUTTON))
            return
        if isinstance(payload, PlanButton) and message is not None:
            await answer_quietly(query)
            if payload.kind == "retake":
                await self._start_again(context, message.chat, query.from_user)
            elif payload.kind == "plan":
                await self._show_latest_plan(message.chat, query.from_user)
            else:
                await self._send_file(message.chat, query.from_user, payload.kind)
            return
        if isinstance(payload, RestartButton) and message is not None:
            outcome = self.interview.confirm_restart(
                respondent_id(query.from_user), t.locale, payload.audit_id, payload.confirmed
            )
            if outcome.stale:
                await query.answer(t.gettext(STALE_BUTTON))
                return
            await answer_quietly(query)
            await self.show(context, message.chat, outcome, t)
            await self.presenter.tidy(edit(remove_buttons(message)))
            return
        if not isinstance(payload, AnswerButton) or message is None:
            await query.answer(t.gettext(STALE_BUTTON))
            return
        me = respondent_id(query.from_user)
        outcome = self._press(me, payload)
        if outcome.stale:
            if await self._redeliver_after_stale(context, query, me, t):
                return
            await query.answer(t.gettext("That question has moved on. The current one is below."))
            return
        if outcome.error is not None:
            await query.answer(render.error_text(outcome.error, t), show_alert=True)
            return
        await answer_quietly(query)
        if payload.verb in (TICK, UNTICK, BACK) and outcome.prompt is not None:
            await self.presenter.redraw(message, outcome.prompt, t)
            return
        await self.show(context, message.chat, outcome, t)
        if payload.verb == PICK:  # the "did you mean" question is answered
            await self.presenter.tidy(edit(remove_buttons(message)))

    async def _redeliver_after_stale(
        self, context: Context, query: CallbackQuery, me: str, t: Translator
    ) -> bool:
        """A tap on a question already answered, when what followed was never shown (the bot
        stopped in between): show it now, rather than point at a question that is not there."""
        pending = self.interview.undelivered(me)
        if pending is None or not isinstance(query.message, Message):
            return False
        await answer_quietly(query)
        await self.show(context, query.message.chat, pending, t)
        return True

    def _press(self, me: str, button: AnswerButton) -> Outcome:
        interview, audit, question = self.interview, button.audit_id, button.question_id
        if button.verb == CHOOSE:
            return interview.choose(me, audit, question, button.option)
        if button.verb in (TICK, UNTICK):
            return interview.toggle(me, audit, question, button.option, button.verb == TICK)
        if button.verb == DONE:
            return interview.done(me, audit, question)
        if button.verb == SKIP:
            return interview.skip(me, audit, question)
        if button.verb == KEEP:
            return interview.keep(me, audit, question)
        if button.verb == PICK:
            index = int(button.option[1:]) if button.option[1:] in ("0", "1") else -1
            return interview.pick(me, audit, question, index)
        return interview.back(me, audit, question)

    async def _switch_language(self, user: User, locale: str, message: Message) -> bool:
        """Switch, confirm in the new language and redraw the question under way; False when
        the core refused (a language we lack, or someone erased since the button was sent)."""
        if not self.respondents.set_locale(respondent_id(user), locale):
            return False
        t = translator(locale)
        prompt = self.interview.current_prompt(respondent_id(user))
        if prompt is not None and self.presenter.shows_question(message, prompt):
            # The welcome with the first question: both, in place, in the new language.
            await self.presenter.regreet(message, prompt, t, self.welcome(t))
            return True
        done = t.gettext("Language: %(language)s") % {"language": keyboards.LANGUAGE_NAMES[locale]}
        await edit(message.edit_text(done, reply_markup=None))
        if prompt is not None:
            await self.presenter.send_prompt(message.chat, prompt, t)
        return True

    # ── Showing outcomes ─────────────────────────────────────────────────────────────────

    @property
    def on_finished(self) -> list[FinishedHook]:
        return self.presenter.on_finished

    async def show(
        self,
        context: Context,
        chat: Chat,
        outcome: Outcome,
        t: Translator,
        greeting: Greeting | None = None,
    ) -> None:
        await self.presenter.show(context, chat, outcome, t, greeting)

    @staticmethod
    def welcome(t: Translator) -> Greeting:
        """The welcome above the first question, with the language buttons under it."""
        language = keyboards.LANGUAGE_NAMES[t.locale]
        return Greeting(render.render("welcome.html.j2", t, language=language), languages=True)

    async def redeliver(self, context: Context, chat: Chat, me: str, t: Translator) -> bool:
        """Show what the owner never received (the bot stopped, or Telegram failed, after
        their answer was stored); False when everything was shown."""
        pending = self.interview.undelivered(me)
        if pending is None:
            return False
        await self.show(context, chat, pending, t)
        return True

    async def redeliver_all(self, application: Application) -> None:
        """At start-up: what the last run stored but never showed, for owners active lately."""
        since = (datetime.now(UTC) - REDELIVERY_WINDOW).isoformat(timespec="seconds")
        context = Context(application)
        for audit in self.store.awaiting_delivery(TELEGRAM_PREFIX, since):
            chat = Chat(
                id=int(audit.respondent_id.removeprefix(TELEGRAM_PREFIX)), type=Chat.PRIVATE
            )
            chat.set_bot(application.bot)
            t = translator(self.respondents.locale(audit.respondent_id))
            try:
                await self.redeliver(context, chat, audit.respondent_id, t)
            except TelegramError as error:  # blocked, gone: the next update tries again
                log.info("could not redeliver audit %s: %s", audit.id, type(error).__name__)

    def _no_audit_text(self, user: User, t: Translator) -> str:
        if self.interview.finished_audit(respondent_id(user)) is not None:
            return t.gettext("Your audit is complete and saved. /restart takes it again.")
        return t.gettext("Type /start to begin the audit.")

    # ── Errors ───────────────────────────────────────────────────────────────────────────

    async def on_error(self, update: object, context: Context) -> None:
        """Log first (without the token: see redact.py), then apologise in the user's language."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("error while handling update %s", update_id, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_user is None:
            return
        chat = update.effective_chat
        if chat is None or chat.type != Chat.PRIVATE:
            return
        t = self.translator_for(update.effective_user)
        try:
            await chat.send_message(t.gettext(APOLOGY))
        except Exception:  # the apology itself failed (network, blocked): the log has the cause
            log.warning("could not send the apology for update %s", update_id)


def remove_buttons(message: Message) -> Coroutine[Any, Any, object]:
    """The cosmetic edit that takes an answered message's buttons away."""
    return ext_bot(message.get_bot()).edit_message_reply_markup(
        chat_id=message.chat_id, message_id=message.message_id, rate_limit_args=Priority.COSMETIC
    )


def user_chat(update: Update) -> tuple[User, Chat]:
    assert update.effective_user is not None and update.effective_chat is not None
    return update.effective_user, update.effective_chat


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press (it stops the button's spinner). Telegram refuses answers to
    presses older than about 15 s, e.g. redelivered after a restart: that refusal must not
    stop what the press leads to."""
    try:
        await query.answer(text)
    except BadRequest as error:
        log.info("could not answer a button press: %s", error.message)
