"""Texts that name the owner's own situation: their platforms, their payment apps, an amount
written the way their market writes it.

An audit text or a step may hold `%(platforms)s` ("If %(platforms)s vanished tomorrow
morning…"), `%(payments)s` ("Mobile payment (%(payments)s)"), `%(daily)s` (a hint's example
amount), `%(fallbacks)s` (the channels the owner could use in an outage) or `%(down)s` (the
platforms an outage takes down, without those the owner would fall back on). `Situation` is
what fills them, worked out from the answers so far; `fill` puts it into a text already
translated. Other texts are left as they are (they may hold a literal "%").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.lists import format_list

from bot import audit_ids as ids
from bot import markets, platforms
from bot.i18n import N_, Translator
from bot.markets import Market

# Each way to reach customers in an outage as a plan names it (the audit's options speak as the
# owner: "A banner on my website").
CHANNEL_NAMES = {
    "website_banner": N_("a banner on your website"),
    "email": N_("email"),
    "sms": N_("SMS"),
    "telegram": N_("your Telegram channel"),
    "google_post": N_("a post on your Google profile"),
    "linkedin": N_("LinkedIn"),
    "youtube_podcast": N_("YouTube or your podcast"),
    "calls": N_("phone calls"),
    "shop": N_("your shop or stall"),
}


@dataclass(frozen=True)
class Situation:
    platforms: tuple[str, ...] = platforms.UNKNOWN
    market: Market = field(default_factory=lambda: markets.of({}))
    fallbacks: tuple[str, ...] = ()  # the channels the owner could use in an outage, if said


def situation(answers: Mapping[str, Any]) -> Situation:
    return Situation(
        platforms.named(answers), markets.of(answers), fallbacks(answers.get(ids.FALLBACK_CHANNELS))
    )


def fallbacks(answer: Any) -> tuple[str, ...]:
    """The channels of a fallback_channels answer that a plan can name ("I could not": none)."""
    return tuple(channel for channel in answer or () if channel in CHANNEL_NAMES)


def fill(text: str, where: Situation, t: Translator) -> str:
    """`text`, translated already, with the owner's situation in its placeholders."""
    if "%(" not in text:
        return text
    values = {
        "platforms": format_list(list(where.platforms or platforms.UNKNOWN), locale=t.locale),
        # Where an authenticator app protects the login (WhatsApp has a PIN instead).
        "login_platforms": format_list(
            [name for name in where.platforms if name != "WhatsApp"] or ["Instagram"],
            locale=t.locale,
        ),
        "payments": where.market.payments,
        "daily": _example(where.market, t),
        "down": format_list(list(_down(where)), locale=t.locale),
        "fallbacks": format_list(
            [t.gettext(CHANNEL_NAMES[channel]) for channel in where.fallbacks], locale=t.locale
        ),
    }
    for name, value in values.items():
        text = text.replace(f"%({name})s", value)
    return text


# The fallback channels that are also platforms an owner depends on.
FALLBACK_PLATFORMS = {"linkedin": "LinkedIn", "youtube_podcast": "YouTube", "telegram": "Telegram"}


def _down(where: Situation) -> tuple[str, ...]:
    """What a rehearsed outage takes down: Meta's apps, or the owner's platforms but those they
    would reach customers through (a podcast studio on LinkedIn and YouTube, whose fallback is
    YouTube, rehearses without LinkedIn); at least the first platform."""
    down = platforms.in_an_outage(where.platforms or platforms.UNKNOWN)
    kept = {FALLBACK_PLATFORMS[c] for c in where.fallbacks if c in FALLBACK_PLATFORMS}
    return tuple(name for name in down if name not in kept) or down[:1]


def _example(market: Market, t: Translator) -> str:
    """A day's sales as that market writes them ("1.500.000 $", "85 000 F CFA"); a bare
    number where the currency is not known."""
    if market.daily is None or market.currency is None:
        return t.number(150)
    return t.in_market(markets.number_locale(market, t.locale)).estimate(
        market.daily, market.currency
    )
