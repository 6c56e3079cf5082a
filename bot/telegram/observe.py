"""Counting what the bot does (bot/metrics.py), from the Telegram layer: the store and the
presenter the bot is built with, seen from outside. The core's rules stay free of metrics."""

from __future__ import annotations

from typing import Any

from telegram import Chat, Update
from telegram.ext import ContextTypes

from bot import metrics
from bot.health import Health
from bot.i18n import Translator
from bot.plan import Plan
from bot.store import IN_PROGRESS, Audit, Store
from bot.telegram.showing import Presenter

Context = ContextTypes.DEFAULT_TYPE


class ObservedStore(Store):
    """The store, counting audits begun and finished and answers stored as they are written."""

    def new_audit(self, respondent_id: str, dialog_version: int) -> Audit:
        audit = super().new_audit(respondent_id, dialog_version)
        metrics.AUDITS_STARTED.inc()
        return audit

    def record_answer(
        self, audit_id: int, question_id: str, value: Any, cursor: str | None = None
    ) -> None:
        super().record_answer(audit_id, question_id, value, cursor)
        metrics.ANSWERS.inc()  # a "don't know" counts: it is an answer stored

    def finish(self, audit_id: int) -> None:
        before = self.audit(audit_id)
        super().finish(audit_id)
        if before is not None and before.status == IN_PROGRESS:
            metrics.AUDITS_FINISHED.inc()


class ObservedPresenter(Presenter):
    """The presenter, counting the plans it sends: in the chat, as a PDF, as a calendar."""

    async def send_plan(
        self,
        chat: Chat,
        plan: Plan,
        t: Translator,
        just_finished: bool = False,
        echo: str | None = None,
    ) -> None:
        await super().send_plan(chat, plan, t, just_finished, echo)
        metrics.PLANS_SENT.labels("chat").inc()

    async def send_file(
        self, chat: Chat, audit: Audit, plan: Plan, kind: str, t: Translator
    ) -> None:
        await super().send_file(chat, audit, plan, kind, t)
        metrics.PLANS_SENT.labels(kind).inc()


def update_handled(health: Health) -> Any:
    """A handler for the last group: runs once the update went through every other group
    (a redelivered update stops earlier, in the de-duplication gate, and is not counted)."""

    async def handled(update: Update, context: Context) -> None:
        health.update_handled()

    return handled


def counting_errors(handler: Any) -> Any:
    """The error handler, counting each error first."""

    async def on_error(update: object, context: Context) -> None:
        metrics.ERRORS.labels("update").inc()
        await handler(update, context)

    return on_error
