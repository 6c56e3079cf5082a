"""Languages: catalogs, locale negotiation, and numbers the way people type and read them.

Catalogs are read from `locales/<lang>/LC_MESSAGES/canasta.po` once, at start-up, and compiled in
memory: no `.mo` file can go stale or be left out of a wheel. A missing catalog stops the start.
The locale is always passed explicitly (a `Translator` per person), never set process-wide.
Which languages there are, and what each assumes, is in `bot.languages`.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
    get_territory_currencies,
)

from bot import languages
from bot.errors import CatalogError
from bot.resources import data_dir

# A live view of the registry, so `in` and iteration always agree with bot.languages.
SUPPORTED_LOCALES: Sequence[str] = languages.CODES
DEFAULT_LOCALE = languages.LANGUAGES[0].code
DOMAIN = "canasta"


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
    """Everything one person reads, in their language."""

    locale: str
    _translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def number(self, value: Decimal | int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def money(self, amount: Decimal | int | float, currency: str) -> str:
        return format_currency(amount, currency, locale=self.locale)

    def percent(self, fraction: Decimal | int | float) -> str:
        return format_percent(fraction, locale=self.locale)

    def day(self, day: date) -> str:
        """A deadline as people write it ("30 Nov 2026", "30 lis 2026")."""
        return format_date(day, languages.language(self.locale).date_format, locale=self.locale)

    def date(self, iso_timestamp: str) -> str:
        """A stored ISO timestamp as a date the owner reads naturally ("23 nov 2026")."""
        when = datetime.fromisoformat(iso_timestamp)
        return format_date(when, languages.language(self.locale).date_format, locale=self.locale)

    def number_example(self) -> str:
        """A sample amount written the local way, shown when we cannot read one."""
        return format_decimal(Decimal("1500.50"), format="#,##0.00", locale=self.locale)


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


# ── Numbers as people type them ─────────────────────────────────────────────────────────────

# What people write next to an amount, mapped to ISO 4217. Longest first, so "f cfa" wins
# over "cfa" and "us$" over "$".
_CURRENCY_WORDS = {
    "fcfa": "XOF", "f cfa": "XOF", "f.cfa": "XOF", "cfa": "XOF", "xof": "XOF", "franc cfa": "XOF",
    "francs cfa": "XOF", "us$": "USD", "usd": "USD", "$": "USD", "dollars": "USD",
    "dollar": "USD", "dólares": "USD", "dólar": "USD", "dolarów": "USD", "€": "EUR",
    "eur": "EUR", "euros": "EUR", "euro": "EUR", "euro.": "EUR", "zł": "PLN", "zl": "PLN",
    "pln": "PLN", "złotych": "PLN", "złote": "PLN", "£": "GBP", "gbp": "GBP",
}  # fmt: skip
_CURRENCY_PATTERN = re.compile(
    "|".join(re.escape(word) for word in sorted(_CURRENCY_WORDS, key=len, reverse=True))
)
# Multipliers after the number: 600k, 1,5 mln, 2 tys., 3 millones, 1.2M.
_MULTIPLIERS = {
    "k": 1_000, "tys": 1_000, "tys.": 1_000, "mil": 1_000, "mille": 1_000,
    "m": 1_000_000, "mln": 1_000_000, "mio": 1_000_000, "million": 1_000_000,
    "millions": 1_000_000, "millón": 1_000_000, "millones": 1_000_000, "milion": 1_000_000,
    "miliony": 1_000_000, "milionów": 1_000_000,
}  # fmt: skip
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_NUMBER_AND_SUFFIX = re.compile(r"^(?P<digits>[0-9][0-9., ]*)\s*(?P<suffix>[^\d\s]*)$")


class NumberNotUnderstood(ValueError):
    """The text holds no number we can read without guessing."""


@dataclass(frozen=True)
class Amount:
    """A number read from text, with the currency written next to it, if any."""

    value: Decimal
    currency: str | None = None
    alternative: Decimal | None = None
    """The other reading of a number such as "1.500" in English (1.5 or 1500?), to confirm."""


def parse_amount(text: str, locale: str) -> Amount:
    """Read "1 500,50", "1.500,50 zł", "600k", "1,5 mln", "150$", "50 000 FCFA" in `locale`.

    Raises NumberNotUnderstood when the text is not a number, or is one written with the
    separators of another language in a way we would only be guessing at ("1.500,50" in English).
    """
    cleaned = text.strip().lower()
    currency = None
    found = _CURRENCY_PATTERN.search(cleaned)
    if found:
        currency = _CURRENCY_WORDS[found.group(0)]
        cleaned = (cleaned[: found.start()] + " " + cleaned[found.end() :]).strip()
    cleaned = cleaned.rstrip("%").strip()
    cleaned = _SPACES.sub(" ", cleaned)
    match = _NUMBER_AND_SUFFIX.match(cleaned)
    if not match:
        raise NumberNotUnderstood(text)
    multiplier = 1
    suffix = match.group("suffix")
    if suffix:
        if suffix not in _MULTIPLIERS:
            raise NumberNotUnderstood(text)
        multiplier = _MULTIPLIERS[suffix]
    digits = match.group("digits").strip()
    value, alternative = _parse_digits(digits, get_decimal_symbol(locale), get_group_symbol(locale))
    return Amount(
        value * multiplier, currency, None if alternative is None else alternative * multiplier
    )


def _parse_digits(
    digits: str, decimal_symbol: str, group_symbol: str
) -> tuple[Decimal, Decimal | None]:
    """Decide which of '.', ',' and ' ' group thousands and which marks the decimals.

    Returns the reading and, when the text allows two ("1.500" in English: 1.5 or 1500?),
    the other one, so the owner can be asked instead of guessed for.
    """
    digits = _ungroup_spaces(digits)
    marks = [char for char in digits if char in ".,"]
    if not marks:
        return _decimal(digits), None
    last = marks[-1]
    if len(set(marks)) == 2:
        # "1.500,50" or "1,500.50": the last mark is the decimal one. Accept it only when it is
        # this language's decimal mark; otherwise we would be guessing.
        if last != decimal_symbol or marks.count(last) > 1:
            raise NumberNotUnderstood(digits)
        whole, fraction = digits.rsplit(last, 1)
        return _decimal(_ungroup(whole, other_mark(last)) + "." + fraction), None
    if len(marks) > 1:
        return _decimal(_ungroup(digits, last)), None
    whole, fraction = digits.split(last)
    as_decimal = _decimal(whole + "." + fraction)
    if len(fraction) != 3 or not 1 <= len(whole) <= 3 or whole == "0":
        return as_decimal, None
    as_thousands = _decimal(whole + fraction)
    if last == group_symbol:
        return as_thousands, None  # "1,500" in English, "1.500" in Spanish
    if last == decimal_symbol:
        return as_decimal, as_thousands  # "1.500" in English: 1.5, or a thousands mark?
    return as_thousands, as_decimal  # "1.500" in French: a thousands dot, or a decimal point?


def other_mark(mark: str) -> str:
    return "," if mark == "." else "."


def _ungroup(digits: str, mark: str) -> str:
    """Remove thousands marks, insisting on groups of three so that "1,50,0" is refused."""
    head, *groups = digits.split(mark)
    if not 1 <= len(head) <= 3 or any(len(group) != 3 for group in groups):
        raise NumberNotUnderstood(digits)
    return head + "".join(groups)


def _ungroup_spaces(digits: str) -> str:
    if " " not in digits:
        return digits
    head, *groups = digits.split(" ")
    # The last group may carry decimals: "1 500,50".
    groups[-1] = re.split(r"[.,]", groups[-1], maxsplit=1)[0] if groups else ""
    if not 1 <= len(head) <= 3 or any(len(group) != 3 for group in groups):
        raise NumberNotUnderstood(digits)
    return digits.replace(" ", "")


def _decimal(digits: str) -> Decimal:
    try:
        return Decimal(digits)
    except InvalidOperation as error:
        raise NumberNotUnderstood(digits) from error


# ── Currencies ──────────────────────────────────────────────────────────────────────────────


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
