"""Wiring: one `build_application(settings)` that lists every handler, and `run_bot`."""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from bot import i18n, metrics
from bot.content import load as load_content
from bot.health import Health, HealthServer
from bot.interview import Interview
from bot.settings import Settings
from bot.store import Store
from bot.telegram import redact
from bot.telegram.answers import AnswersBot
from bot.telegram.checklist import ChecklistBot
from bot.telegram.dedupe import SeenUpdates
from bot.telegram.handlers import AuditBot
from bot.telegram.http import AiohttpRequest
from bot.telegram.observe import ObservedPresenter, ObservedStore, counting_errors, update_handled
from bot.telegram.ordering import PerChatOrder
from bot.telegram.privacy import PrivacyBot
from bot.telegram.reminding import ReminderJob
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
HEALTH = "canasta.health"  # the Application's bot_data key for its Health
# Telegram unreachable at start (the network not up yet, an outage): try again this many times,
# the pause doubling from START_FIRST_PAUSE up to START_MAX_PAUSE (about 2 minutes in all).
START_ATTEMPTS = 8
START_FIRST_PAUSE = 1.0
START_MAX_PAUSE = 30.0
# Connections to the Bot API kept open for calls (the long poll has one of its own). Sixteen
# carry about 100 calls a second at 150 ms a round trip: Telegram's 30 counted calls plus the
# button answers, twice over.
CONNECTIONS = 16
# Seconds a call may wait for a free connection before it fails (and is retried, retry.py).
CONNECTION_WAIT = 5.0
T = TypeVar("T")


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
    store = store or ObservedStore(settings.database)
    interview = Interview(content.dialog, store, content.rules)
    audit_bot = AuditBot(interview, settings, ObservedPresenter(interview))
    workshop_bot = WorkshopBot(Workshops(interview), audit_bot, refresh_seconds)
    privacy_bot = PrivacyBot(audit_bot)
    checklist_bot = ChecklistBot(audit_bot)
    answers_bot = AnswersBot(audit_bot)
    reminder_job = ReminderJob(audit_bot)

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
        .request(AiohttpRequest(CONNECTIONS, pool_timeout=CONNECTION_WAIT))
        # The long poll on a connection of its own. PTB adds the poll's timeout (10 s) to this
        # request's read timeout (5 s): a poll that Telegram answers only as it ends is waited for.
        .get_updates_request(AiohttpRequest(1))
        .post_init(post_init)
        .post_shutdown(close_store)
        .build()
    )
    # Workshop handlers first: their deep-link /start must win over the plain /start.
    application.add_handlers(
        workshop_bot.handlers()
        + privacy_bot.handlers()
        + checklist_bot.handlers()
        + answers_bot.handlers()
        + SourceBot(audit_bot).handlers()
        + audit_bot.handlers()
    )
    # Reminders: the database is the schedule; this only looks for what is due.
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            reminder_job.run, interval=settings.reminder_seconds, first=settings.reminder_seconds
        )
    # Before every other handler: a repeated update_id stops here (see dedupe.py).
    application.add_handler(TypeHandler(Update, seen.gate), group=-1)
    # After every other handler: the update was handled (for /healthz and /metrics).
    health = Health(store.probe_write)
    application.bot_data[HEALTH] = health
    application.add_handler(TypeHandler(Update, update_handled(health)), group=1)
    application.add_error_handler(counting_errors(audit_bot.on_error))
    return application


def health_of(application: Application) -> Health:
    health = application.bot_data[HEALTH]
    assert isinstance(health, Health)
    return health


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
        asyncio.run(serve_polling(application, settings.health_port))


async def reach_telegram(
    call: Callable[[], Awaitable[T]],
    what: str,
    attempts: int = START_ATTEMPTS,
    first_pause: float = START_FIRST_PAUSE,
) -> T:
    """`call`, tried again while Telegram cannot be reached (one log line per failed attempt,
    a pause doubling each time); a token Telegram rejects fails at once."""
    pause = first_pause
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except InvalidToken:
            raise
        except (NetworkError, RetryAfter) as error:
            if attempt == attempts:
                raise
            wait = pause
            if isinstance(error, RetryAfter):
                wait = max(pause, _seconds(error.retry_after))
            log.warning(
                "cannot reach Telegram to %s (attempt %d of %d: %s: %s); trying again in %.0fs",
                what, attempt, attempts, type(error).__name__, error, wait,
            )  # fmt: skip
            metrics.RETRIES.labels("start").inc()
            await asyncio.sleep(wait)
            pause = min(pause * 2, START_MAX_PAUSE)
    raise AssertionError("unreachable")


def _seconds(retry_after: Any) -> float:
    return float(getattr(retry_after, "total_seconds", lambda: retry_after)())


async def _start(application: Application) -> None:
    """Initialise (asks Telegram who the bot is: retried while unreachable), post_init, start."""
    await reach_telegram(application.initialize, "start")
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()


async def _stop(application: Application) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    # An Application whose start failed (a rejected token, Telegram unreachable) skips its
    # shutdown, but its bot had opened its HTTP sessions: they are closed here.
    await application.bot.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def _stop_on_signals(stopping: asyncio.Event | None) -> tuple[asyncio.Event, Callable[[], None]]:
    """`stopping`, or a new event set by SIGINT and SIGTERM; and how to stop listening."""
    if stopping is not None:
        return stopping, lambda: None
    event = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        loop.add_signal_handler(signum, event.set)

    def remove() -> None:
        for signum in signals:
            loop.remove_signal_handler(signum)

    return event, remove


async def serve_polling(
    application: Application,
    health_port: int | None = None,
    stopping: asyncio.Event | None = None,
    listening: asyncio.Future[int] | None = None,
    health_listen: str = "0.0.0.0",
) -> None:
    """Long polling until SIGINT or SIGTERM (or `stopping` is set), with /healthz and /metrics
    on `health_port` when given; `listening` gets that port once polling runs (0 without)."""
    stopping, stop_listening = _stop_on_signals(stopping)
    health = health_of(application)
    updater = application.updater
    assert updater is not None
    health.alive = lambda: application.running and updater.running
    server = HealthServer(health, health_listen, health_port) if health_port is not None else None

    def polling_failed(error: TelegramError) -> None:
        # PTB tries again by itself, waiting longer each time: one line, no traceback.
        metrics.ERRORS.labels("polling").inc()
        log.warning("fetching updates failed (%s: %s); trying again", type(error).__name__, error)

    try:
        port = await server.start() if server is not None else 0
        await _start(application)
        await updater.start_polling(
            allowed_updates=ALLOWED_UPDATES,
            bootstrap_retries=START_ATTEMPTS,
            error_callback=polling_failed,
        )
        log.info("polling for updates%s", f"; health on port {port}" if server else "")
        if listening is not None:
            listening.set_result(port)
        await stopping.wait()
    finally:
        stop_listening()
        if server is not None:
            await server.stop()
        await _stop(application)


async def serve_webhook(
    application: Application,
    options: dict[str, Any],
    stopping: asyncio.Event | None = None,
    listening: asyncio.Future[int] | None = None,
) -> None:
    """Webhook mode with our own server (webhook.py) in front of the update queue, until
    SIGINT or SIGTERM (or `stopping` is set): the same start and stop sequence as PTB's
    run_webhook. `listening` gets the port once the webhook is registered. /healthz and
    /metrics are routes of the same server."""
    redact.install(None, options["secret_token"])
    stopping, stop_listening = _stop_on_signals(stopping)
    health = health_of(application)
    server = WebhookServer(
        application,
        options["secret_token"],
        options["listen"],
        options["port"],
        options["url_path"],
        health,
    )
    health.alive = lambda: application.running and server.serving
    try:
        await _start(application)
        port = await server.start()
        await reach_telegram(
            lambda: application.bot.set_webhook(
                options["webhook_url"],
                secret_token=options["secret_token"],
                allowed_updates=options["allowed_updates"],
            ),
            "register the webhook",
        )
        log.info("webhook listening on %s:%s", options["listen"], port)
        if listening is not None:
            listening.set_result(port)
        await stopping.wait()
    finally:
        stop_listening()
        await server.stop()
        await _stop(application)
