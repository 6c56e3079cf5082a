"""Languages: catalogs, locale negotiation, and numbers the way people type and read them.

Catalogs are read from `locales/<lang>/LC_MESSAGES/canasta.po` once, at start-up, and compiled in
memory: no `.mo` file can go stale or be left out of a wheel. A missing catalog stops the start.
The locale is always passed explicitly (a `Translator` per person), never set process-wide.
Which languages there are, and what each assumes, is in `bot.languages`.
"""

from __future__ import annotations

import gettext
import io
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_timezone, get_timezone_location
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_territory_currencies,
)

from bot import languages
from bot.amounts import Amount as Amount
from bot.amounts import NumberNotUnderstood as NumberNotUnderstood
from bot.amounts import ascii_digits as ascii_digits
from bot.amounts import parse_amount as parse_amount
from bot.errors import CatalogError
from bot.estimates import round_estimate
from bot.resources import data_dir

# A live view of the registry, so `in` and iteration always agree with bot.languages.
SUPPORTED_LOCALES: Sequence[str] = languages.CODES
DEFAULT_LOCALE = languages.LANGUAGES[0].code
DOMAIN = "canasta"

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (it is translated on display)."""
    return message


def negotiate(language_code: str | None, default: str = DEFAULT_LOCALE) -> str:
    """Map a Telegram or system language code (es-419, fr_CA, pl, pt-br, None) to ours."""
    if not language_code:
        return default
    try:
        language = Locale.parse(language_code.replace("-", "_").split(".")[0]).language
    except (ValueError, UnknownLocaleError):
        return default
    return language if language in SUPPORTED_LOCALES else default


# ── Catalogs ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Translator:
    """Everything one person reads, in their language, with figures written as their market
    writes them (`in_market`: "1.500.000 $" in Bogotá, "$1,500" in Mexico City)."""

    locale: str
    _translations: gettext.NullTranslations
    number_locale: str | None = None
    """The Babel locale figures are written with (a market's, such as es_CO); the language's
    when None."""

    def in_market(self, number_locale: str) -> Translator:
        """The same person, with figures written the way their market writes them."""
        return replace(self, number_locale=number_locale)

    @property
    def figures(self) -> str:
        return self.number_locale or self.locale

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    # Never raise: a figure that cannot be shown (see `finite`) reads UNSHOWN. Callers that
    # know which answer it came from log its id; this logs that it happened.
    def number(self, value: Any) -> str:
        return self._format(finite(value), lambda n: format_decimal(n, locale=self.figures))

    def money(self, amount: Any, currency: Any) -> str:
        """An amount as typed or computed; a whole one without cents ("$150", not "$150.00")."""
        number = finite(amount) if is_currency(currency) else None
        return self._format(number, lambda n: self._currency(n, currency))

    def _currency(self, number: Decimal, currency: str) -> str:
        if number == number.to_integral_value():
            return format_currency(
                number, currency, format=_whole_pattern(self.figures), currency_digits=False,
                locale=self.figures,
            )  # fmt: skip
        return format_currency(number, currency, locale=self.figures)

    def estimate(self, amount: Any, currency: Any) -> str:
        """An estimated amount, rounded (`round_estimate`) and without cents: "9 000 F CFA"."""
        number = finite(amount) if is_currency(currency) else None
        rounded = None if number is None else round_estimate(number)
        return self._format(
            rounded,
            lambda n: format_currency(
                n, currency, format=_whole_pattern(self.figures), currency_digits=False,
                locale=self.figures,
            ),
        )  # fmt: skip

    def percent(self, fraction: Any) -> str:
        return self._format(finite(fraction), lambda n: format_percent(n, locale=self.figures))

    @staticmethod
    def _format(number: Decimal | None, formatter: Callable[[Decimal], str]) -> str:
        if number is None:
            log.warning("a figure that cannot be shown was replaced by %s", UNSHOWN)
            return UNSHOWN
        return formatter(number)

    def day(self, day: date) -> str:
        """A date as people write it where they are: "November 30, 2026" in the US, "30
        November 2026" in the UK, "30 listopada 2026" (the language's words, the market's
        order)."""
        return format_date(
            day,
            languages.language(self.locale).date_format,
            locale=_date_locale(self.locale, self.figures),
        )

    def clock(self, hour: int) -> str:
        """An hour as people write it where they are ("6:00 PM" in the US, "18:00" in Warsaw)."""
        return format_time(time(hour, 0), "short", locale=_date_locale(self.locale, self.figures))

    def city(self, zone: str) -> str:
        """A time zone by its city, in the reader's language ("Nueva York", "Warszawa")."""
        return get_timezone_location(get_timezone(zone), locale=self.locale, return_city=True)

    def date(self, iso_timestamp: str) -> str:
        """A stored ISO timestamp as a date the owner reads naturally ("23 listopada 2026")."""
        return self.day(datetime.fromisoformat(iso_timestamp))

    def number_example(self) -> str:
        """A sample amount written the local way, shown when we cannot read one."""
        return format_decimal(Decimal("1500.50"), format="#,##0.00", locale=self.figures)


@cache
def _date_locale(language: str, figures: str) -> str:
    """Dates in the reader's language, in the market's order where the figures' locale speaks
    it (en_US "October 4, 2021", en_GB "4 October 2021"); a Polish reader whose figures are
    en_GB's (Babel has no pl_GB) reads Polish month names."""
    return figures if Locale.parse(figures).language == language else language


@cache
def _whole_pattern(locale: str) -> str:
    """The locale's currency pattern without its decimals ("#,##0.00 ¤" → "#,##0 ¤")."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    return re.sub(r"\.[0#]+", "", pattern)


def _compile_po(path: Path) -> gettext.GNUTranslations:
    with path.open("rb") as po_file:
        catalog = read_po(po_file, abort_invalid=True)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def translator(locale: str) -> Translator:
    """The translator for one of SUPPORTED_LOCALES, loaded once per process.

    A catalog with no translations yet (a new language, header only) loads too: its readers
    see the English source text until translators fill it in.
    """
    if locale not in SUPPORTED_LOCALES:
        raise CatalogError(f"unsupported locale {locale!r}")
    path = data_dir("locales") / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        raise CatalogError(f"missing catalog {path}")
    try:
        return Translator(locale, _compile_po(path))
    except Exception as error:  # babel raises several types for a broken .po
        raise CatalogError(f"cannot load {path}: {error}") from error


def load_all() -> dict[str, Translator]:
    """Load every catalog now, so that a broken one stops the start rather than a user."""
    return {locale: translator(locale) for locale in SUPPORTED_LOCALES}


# ── Numbers as people type them: `bot.amounts` (re-exported for the callers that read here) ──

# ── Figures that can be shown ───────────────────────────────────────────────────────────────

UNSHOWN = "—"
"""Read in place of a stored figure that cannot be shown: never an exception."""

SHOWN_LIMIT = 10**15
"""No figure this large is formatted or computed with. Babel rounds an amount to its currency's
decimals (up to 4) within Decimal's 28 digits, and the plan multiplies a day's sales by 30:
15 digits leave room for both. Every input limit is far below it (`dialog.validate` makes sure)."""

# A decimal as stored (`dialog._plain`: ASCII digits and a point; typed, so at most 40 of
# them), or with an exponent.
_STORED_DECIMAL = re.compile(r"-?[0-9]{1,40}(\.[0-9]{1,40})?([eE][-+]?[0-9]{1,4})?")
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")


def finite(value: Any) -> Decimal | None:
    """`value` as a Decimal that is safe to format and compute with, or None. Never raises.

    Accepts what a number answer is stored as (an int, or a decimal string) and what code
    computes (Decimal); also a float, as an older version or a hand-edited row might hold.
    None for anything else: NaN, infinities, text, a bool, a list, or |value| ≥ SHOWN_LIMIT.
    """
    number: Decimal
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not -SHOWN_LIMIT < value < SHOWN_LIMIT:  # before any conversion: ints may be huge
            return None
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str) and _STORED_DECIMAL.fullmatch(value):
        number = Decimal(value)
    else:
        return None
    if not number.is_finite() or not -SHOWN_LIMIT < number < SHOWN_LIMIT:
        return None
    return number


def is_currency(code: Any) -> bool:
    """An ISO 4217-shaped code (three capitals): what a money answer's currency must be."""
    return isinstance(code, str) and _CURRENCY_CODE.fullmatch(code) is not None


def money_parts(value: Any) -> tuple[Decimal, str] | None:
    """(amount, currency) of a stored money answer, or None if either cannot be used."""
    if not isinstance(value, dict):
        return None
    amount, currency = finite(value.get("amount")), value.get("currency")
    if amount is None or not isinstance(currency, str) or not is_currency(currency):
        return None
    return amount, currency


@dataclass(frozen=True)
class Money:
    """An amount in a currency, as a message parameter (formatted for the reader on display)."""

    amount: Decimal
    currency: str


# ── Currencies ──────────────────────────────────────────────────────────────────────────────

MONEY_LIMIT_EUR = Decimal(1_000_000)
"""The largest amount an owner may type, in euros, unless the question's `max:` says otherwise
(also in euros). More than a small business takes or spends in a month (the EU's "small
enterprise" turns over at most €10 million a year), so a real figure is never refused; a slip
of several zeros, or a 27-digit number, is."""

# Rough units of a currency per euro, rounded to a round figure: a limit, not an exchange rate.
# FCFA, peso and zloty amounts are many times euro ones, so a limit in euros is scaled by these.
UNITS_PER_EURO: dict[str, int] = {
    "EUR": 1, "USD": 1, "GBP": 1, "CHF": 1, "CAD": 2, "PLN": 5, "PEN": 5, "MAD": 10,
    "MXN": 20, "XOF": 1_000, "XAF": 1_000, "CLP": 1_000, "ARS": 1_000, "COP": 5_000,
}  # fmt: skip
UNLISTED_UNITS_PER_EURO = 10_000
"""A currency not listed above gets a generous scale, the Guinean franc's: better to let a slip
through than refuse a real figure. Even in dong (about 27 000 to the euro) that allows some
€370 000, above any small business's day."""


def money_limit(currency: str, euros: Decimal = MONEY_LIMIT_EUR) -> Decimal:
    """The largest amount accepted in `currency`, for a limit of `euros`."""
    return euros * UNITS_PER_EURO.get(currency, UNLISTED_UNITS_PER_EURO)


def default_currency(locale: str, country_answer: str | None = None) -> str:
    """The currency to assume when an owner types a bare number.

    Where the customers are says more than the language: French is spoken in Senegal (XOF) and
    in France (EUR). The audit's country options are ISO 3166 codes ("sn"), "other" is none.
    """
    if country_answer:
        currencies = get_territory_currencies(country_answer.upper(), tender=True)
        if currencies:
            return currencies[0]
    if locale not in SUPPORTED_LOCALES:
        locale = DEFAULT_LOCALE
    return languages.language(locale).currency
