"""Wiring: one `build_application(settings)` that lists every handler, and `run_bot`."""

from __future__ import annotations

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot import dialog, i18n, rules
from bot.interview import Interview
from bot.settings import Settings
from bot.store import Store
from bot.telegram import redact
from bot.telegram.handlers import AuditBot
from bot.telegram.ordering import PerChatOrder
from bot.telegram.workshops import REFRESH_SECONDS, WorkshopBot
from bot.workshop import Workshops


def build_application(
    settings: Settings, store: Store | None = None, refresh_seconds: float = REFRESH_SECONDS
) -> Application:
    """The PTB Application with Canasta's handlers; loads the audit and catalogs up front so
    that a broken YAML file or catalog stops the start, not a conversation."""
    if not settings.token:
        raise ValueError("BOT_TOKEN is required for the Telegram front end")
    redact.install(settings.token)
    audit = dialog.load()
    i18n.load_all()
    store = store or Store(settings.database)
    interview = Interview(audit, store, rules.load(audit))
    audit_bot = AuditBot(interview, settings)
    workshop_bot = WorkshopBot(Workshops(interview), audit_bot, refresh_seconds)

    async def post_init(application: Application) -> None:
        await audit_bot.post_init(application)
        await workshop_bot.post_init(application)

    async def close_store(_: Application) -> None:
        store.close()

    application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.bot_api_base)
        .base_file_url(settings.bot_file_base)
        # Telegram's flood limits are kept by PTB's limiter; a 429 is retried after its delay.
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(PerChatOrder())
        .post_init(post_init)
        .post_shutdown(close_store)
        .build()
    )
    # Workshop handlers first: their deep-link /start must win over the plain /start.
    application.add_handlers(workshop_bot.handlers() + audit_bot.handlers())
    application.add_error_handler(audit_bot.on_error)
    return application


def run_bot(settings: Settings) -> None:
    """Long polling, or a webhook when WEBHOOK_URL is set."""
    application = build_application(settings)
    if settings.webhook_url:
        application.run_webhook(
            listen="0.0.0.0",
            port=settings.port,
            url_path="telegram",
            webhook_url=f"{settings.webhook_url.rstrip('/')}/telegram",
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
