"""What Telegram shows about the bot before anyone talks to it: the command menu and the
descriptions, in every language (Telegram picks one by the person's app language)."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.i18n import N_, SUPPORTED_LOCALES, translator

# The command menu, in the order Telegram shows it.
COMMANDS = (
    ("start", N_("Start or continue the audit")),
    ("restart", N_("Take the audit again from the start")),
    ("plan", N_("Show my action plan again")),
    ("done", N_("Tick what I have done")),
    ("answers", N_("See or change one of my answers")),
    ("checkup", N_("Check-up: the audit again from my last answers")),
    ("reminders", N_("Reminders on or off")),
    ("pdf", N_("My plan as a PDF")),
    ("calendar", N_("My deadlines as a calendar file")),
    ("language", N_("Change the language")),
    ("privacy", N_("What I store about you, and why")),
    ("mydata", N_("Everything I store about you, as a file")),
    ("delete", N_("Erase everything I store about you")),
    ("source", N_("My source code (I am free software)")),
    ("help", N_("What I can do")),
)
DESCRIPTION = N_(
    "On 4 October 2021 Facebook, Instagram and WhatsApp went dark for six hours, and many small "
    "businesses sold nothing. Canasta asks you about 20 quick questions about your channels, "
    "customer contacts, website, ads and backups, and keeps your answers safe."
)
SHORT_DESCRIPTION = N_("A five-minute check of how much your business depends on one platform.")


async def register(bot: Bot, default_locale: str) -> None:
    """The default language's texts for everyone, then each language's for its speakers."""
    for locale in SUPPORTED_LOCALES:
        t = translator(locale)
        language = None if locale == default_locale else locale
        commands = [BotCommand(name, t.gettext(text)) for name, text in COMMANDS]
        await bot.set_my_commands(commands, language_code=language)
        await bot.set_my_description(t.gettext(DESCRIPTION), language_code=language)
        await bot.set_my_short_description(t.gettext(SHORT_DESCRIPTION), language_code=language)
