"""Wiring: one `build_application(settings)` that lists every handler, and `run_bot`."""

from __future__ import annotations

import secrets
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder

from bot import i18n
from bot.content import load as load_content
from bot.interview import Interview
from bot.settings import Settings
from bot.store import Store
from bot.telegram import redact
from bot.telegram.handlers import AuditBot
from bot.telegram.ordering import PerChatOrder
from bot.telegram.privacy import PrivacyBot
from bot.telegram.retry import RetryingRateLimiter
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
    content = load_content()
    i18n.load_all()
    store = store or Store(settings.database)
    interview = Interview(content.dialog, store, content.rules)
    audit_bot = AuditBot(interview, settings)
    workshop_bot = WorkshopBot(Workshops(interview), audit_bot, refresh_seconds)
    privacy_bot = PrivacyBot(audit_bot)

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
        # Telegram's flood limits are kept by PTB's limiter; a 429 is retried after its delay,
        # a 5xx or a dropped connection after a short backoff.
        .rate_limiter(RetryingRateLimiter(max_retries=3))
        .concurrent_updates(PerChatOrder())
        .post_init(post_init)
        .post_shutdown(close_store)
        .build()
    )
    # Workshop handlers first: their deep-link /start must win over the plain /start.
    application.add_handlers(
        workshop_bot.handlers() + privacy_bot.handlers() + audit_bot.handlers()
    )
    application.add_error_handler(audit_bot.on_error)
    return application


WEBHOOK_PATH = "telegram"


def webhook_options(settings: Settings) -> dict[str, Any]:
    """How PTB's webhook server listens: Telegram must send the secret with every update; a
    request without it gets 403 and is never processed. Without WEBHOOK_SECRET a random one is
    made at each start (the bot registers it with setWebhook itself)."""
    assert settings.webhook_url
    return {
        "listen": "0.0.0.0",
        "port": settings.port,
        "url_path": WEBHOOK_PATH,
        "webhook_url": f"{settings.webhook_url.rstrip('/')}/{WEBHOOK_PATH}",
        "secret_token": settings.webhook_secret or secrets.token_urlsafe(32),
        "allowed_updates": Update.ALL_TYPES,
    }


def run_bot(settings: Settings) -> None:
    """Long polling, or a webhook when WEBHOOK_URL is set."""
    application = build_application(settings)
    if settings.webhook_url:
        application.run_webhook(**webhook_options(settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
