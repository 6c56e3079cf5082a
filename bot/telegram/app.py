"""Wiring: one `build_application(settings)` that lists every handler, and `run_bot`."""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from bot import i18n
from bot.content import load as load_content
from bot.interview import Interview
from bot.settings import Settings
from bot.store import Store
from bot.telegram import redact
from bot.telegram.dedupe import SeenUpdates
from bot.telegram.handlers import AuditBot
from bot.telegram.ordering import PerChatOrder
from bot.telegram.privacy import PrivacyBot
from bot.telegram.retry import RetryingRateLimiter
from bot.telegram.source import SourceBot
from bot.telegram.webhook import WebhookServer
from bot.telegram.workshops import REFRESH_SECONDS, WorkshopBot
from bot.workshop import Workshops

log = logging.getLogger(__name__)

# The update types the handlers use (handlers.py, workshops.py): messages (commands, typed
# answers, a group's migration), edited messages (answered with a note on how to correct an
# answer) and button presses. Nothing else is asked of Telegram: reactions, member changes,
# business and guest messages never reach the bot.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]


def build_application(
    settings: Settings, store: Store | None = None, refresh_seconds: float = REFRESH_SECONDS
) -> Application:
    """The PTB Application with Canasta's handlers; loads the audit and catalogs up front so
    that a broken YAML file or catalog stops the start, not a conversation."""
    if not settings.token:
        raise ValueError("BOT_TOKEN is required for the Telegram front end")
    redact.install(settings.token, settings.webhook_secret)
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

    seen = SeenUpdates(store)

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
        workshop_bot.handlers()
        + privacy_bot.handlers()
        + SourceBot(audit_bot).handlers()
        + audit_bot.handlers()
    )
    # Before every other handler: a repeated update_id stops here (see dedupe.py).
    application.add_handler(TypeHandler(Update, seen.gate), group=-1)
    application.add_error_handler(audit_bot.on_error)
    return application


WEBHOOK_PATH = "telegram"


def webhook_options(settings: Settings) -> dict[str, Any]:
    """How the webhook server (webhook.py) listens: Telegram must send the secret with every
    update; a request without it gets 403 and is never processed. Without WEBHOOK_SECRET a
    random one is made at each start (the bot registers it with setWebhook itself)."""
    assert settings.webhook_url
    return {
        "listen": "0.0.0.0",
        "port": settings.port,
        "url_path": WEBHOOK_PATH,
        "webhook_url": f"{settings.webhook_url.rstrip('/')}/{WEBHOOK_PATH}",
        "secret_token": settings.webhook_secret or secrets.token_urlsafe(32),
        "allowed_updates": ALLOWED_UPDATES,
    }


def run_bot(settings: Settings) -> None:
    """Long polling, or a webhook when WEBHOOK_URL is set."""
    application = build_application(settings)
    if settings.webhook_url:
        asyncio.run(serve_webhook(application, webhook_options(settings)))
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)


async def serve_webhook(
    application: Application,
    options: dict[str, Any],
    stopping: asyncio.Event | None = None,
    listening: asyncio.Future[int] | None = None,
) -> None:
    """Webhook mode with our own server (webhook.py) in front of the update queue, until
    SIGINT or SIGTERM (or `stopping` is set): the same start and stop sequence as PTB's
    run_webhook. `listening` gets the port once the webhook is registered."""
    redact.install(None, options["secret_token"])
    loop = asyncio.get_running_loop()
    signals: tuple[signal.Signals, ...] = ()
    if stopping is None:
        stopping = asyncio.Event()
        signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        loop.add_signal_handler(signum, stopping.set)
    server = WebhookServer(
        application,
        options["secret_token"],
        options["listen"],
        options["port"],
        options["url_path"],
    )
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        port = await server.start()
        await application.bot.set_webhook(
            options["webhook_url"],
            secret_token=options["secret_token"],
            allowed_updates=options["allowed_updates"],
        )
        log.info("webhook listening on %s:%s", options["listen"], port)
        if listening is not None:
            listening.set_result(port)
        await stopping.wait()
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
        await server.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
