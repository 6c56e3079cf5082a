"""The framework's floor: a bare python-telegram-bot application that echoes every update.

It answers each message and each button press with exactly one sendMessage, and is set up
like Canasta where it matters for speed: the same long polling (``run_polling`` defaults,
every update type) and the same number of updates handled at once. Canasta's throughput
is reported as a fraction of this bot's on the same traffic.

Run as ``python -m tests.bench.echo_bot`` with BOT_TOKEN and TELEGRAM_API_URL set.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler
from telegram.ext import filters as message_filters

from bot.telegram.ordering import MAX_CONCURRENT_UPDATES


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the message's text (or the button's data) back to the chat."""
    chat = update.effective_chat
    assert chat is not None
    query, message = update.callback_query, update.effective_message
    text = query.data if query is not None else message.text if message is not None else None
    await chat.send_message(text or "echo")


def main() -> None:
    api = os.environ["TELEGRAM_API_URL"].rstrip("/")
    application = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .concurrent_updates(MAX_CONCURRENT_UPDATES)
        .build()
    )
    application.add_handler(MessageHandler(message_filters.ALL, echo))
    application.add_handler(CallbackQueryHandler(echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
