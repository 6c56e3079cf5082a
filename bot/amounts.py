"""Amounts as owners type them: "ok. 1200 zł dziennie", "45000f", "$ 1.500.000", "1000–1500".

`parse_amount` reads one typed figure in a locale (a language, or a language and territory such
as "es_CO", whose separators Babel knows) and a market currency (which decides what "$", "F" or
"pesos" mean there). It never guesses: a figure that reads two ways carries both, so the
interview can ask; text that is not a figure raises `NumberNotUnderstood`.

What is read, in order:
- words around the figure, dropped but noted: approximations ("environ", "unos", "około",
  "~"), a period ("al mes", "dziennie", "par jour", "a day"), percent ("%", "procent");
- currencies, written as symbols, codes or words ("zł", "S/", "F CFA", "francs", "lucas");
- one figure, or a range ("1000–1500", "entre 1000 y 1500", "od 1000 do 1500"): its middle;
- each figure's multiplier word in its grammatical forms ("k", "mil", "tys.", "tysiące",
  "1,5 mln", "millones").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    get_currency_precision,
    get_decimal_symbol,
    get_group_symbol,
    get_territory_currencies,
)


class NumberNotUnderstood(ValueError):
    """The text holds no number we can read without guessing."""


@dataclass(frozen=True)
class Amount:
    """A figure read from text, and what was written around it."""

    value: Decimal
    """The figure; for a range, its middle."""
    currency: str | None = None
    """The ISO 4217 code written next to it, if any (None: the caller assumes the market's)."""
    alternative: Decimal | None = None
    """The other reading of a figure such as "1.500" in English (1.5 or 1500?), to confirm."""
    range: tuple[Decimal, Decimal] | None = None
    """(low, high) when a range was typed ("1000–1500"): `value` is its middle. Both ends are
    read the way `value` is, not `alternative`."""
    period: str | None = None
    """"day", "week", "month" or "year" when one was written ("al mes"); not converted."""
    approximate: bool = False
    """An approximation word was written ("environ", "~")."""


def parse_amount(text: str, locale: str, currency: str | None = None) -> Amount:
    """Read a typed figure the way it is written in `locale`, in a market that uses `currency`.

    `locale` is a Babel locale, with or without territory ("es_CO", "fr_SN", "pl", "en_GB"): its
    decimal and group symbols decide what "1.500" means. `currency` is the market's (ISO 4217):
    "$" is the local peso where it is a peso, "F" the franc of a franc market, and a currency
    without minor units (XOF, CLP, COP) is never asked about cents. Without it, the locale's
    territory's currency is assumed, if it has one.
    """
    market = currency or _territory_currency(locale)
    words, language = _normalise(text), _language(locale)
    if words.startswith("-"):  # negative figures are not amounts an owner has
        raise NumberNotUnderstood(text)
    words, found = _remove_words(words)
    written = _resolve_currency(found.currencies, market, text)
    low_text, high_text = _split_range(words, text)
    decimal_symbol, group_symbol = _symbols(locale)
    sides = [
        _Side.read(side, decimal_symbol, group_symbol, language, written or market, text)
        for side in (low_text, high_text)
        if side is not None
    ]
    if any(side.slang for side in sides):  # "5 lucas" names the peso as well as a thousand
        written = written or market
    if len(sides) == 1:
        (only,) = sides
        return Amount(only.value, written, only.alternative, None, found.period, found.approx)
    low, high = _share_multiplier(*sides)
    ends = sorted((low.value, high.value))
    value = (ends[0] + ends[1]) / 2
    alternative = None
    if low.alternative is not None or high.alternative is not None:
        alternative = (_either(low) + _either(high)) / 2
    return Amount(value, written, alternative, (ends[0], ends[1]), found.period, found.approx)


def ascii_digits(text: str) -> str:
    """Write every decimal digit (Arabic-Indic ٣, full-width ３…) as its ASCII digit.

    Deliberate: a phone keyboard set to another script types these, and they mean the same
    number. Other characters that merely look numeric ("²", "½", "Ⅻ") are left alone, and so
    are not read as numbers.
    """
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def has_minor_units(currency: str) -> bool:
    """Whether amounts in `currency` are written with cents in practice (XOF, CLP, COP: no)."""
    return currency not in _NO_CENTS_IN_PRACTICE and get_currency_precision(currency) > 0


# ── Words around the figure ─────────────────────────────────────────────────────────────────

# Currencies that mean "whatever this market calls a peso, a franc, a dollar…". A code names
# itself; a generic word is resolved against the market in `_resolve_currency`.
_DOLLAR, _PESO, _FRANC, _CFA, _DIRHAM = "dollar", "peso", "franc", "cfa", "dirham"
_DOLLAR_SIGN_CURRENCIES = frozenset(
    {"USD", "CAD", "AUD", "NZD", "MXN", "COP", "ARS", "CLP", "UYU", "DOP", "SGD", "HKD"}
)
_PESO_CURRENCIES = frozenset({"MXN", "COP", "ARS", "CLP", "UYU", "DOP", "CUP", "PHP"})
_FRANC_CURRENCIES = frozenset(
    {"XOF", "XAF", "CHF", "GNF", "KMF", "CDF", "BIF", "DJF", "RWF", "XPF"}
)
_DIRHAM_CURRENCIES = frozenset({"MAD", "AED"})
# Written with cents in ISO 4217 (COP), or never in Babel's data either (XOF, CLP…): a typed
# "1.500" in these is fifteen hundred.
_NO_CENTS_IN_PRACTICE = frozenset({"COP"})
_CODES = (
    "EUR", "USD", "GBP", "CHF", "CAD", "PLN", "PEN", "MAD", "MXN", "XOF", "XAF", "CLP", "ARS",
    "COP", "UYU", "BOB", "PYG", "DOP", "GTQ", "HNL", "NIO", "CRC", "VES", "GNF", "CDF", "TND",
    "DZD", "AUD", "NZD", "BRL", "XPF", "RWF", "BIF", "DJF", "KMF", "MGA", "MRU", "HTG", "SEK",
    "NOK", "DKK", "CZK", "HUF", "RON", "UAH", "AED",
)  # fmt: skip

_CURRENCY_WORDS: dict[str, str] = {
    **{code.lower(): code for code in _CODES},
    "$": _DOLLAR, "us$": "USD", "u$s": "USD", "u$d": "USD", "dollars": "USD", "dollar": "USD",
    "dólares": "USD", "dolares": "USD", "dólar": "USD", "dolar": "USD", "dolarów": "USD",
    "dolary": "USD", "mx$": "MXN", "col$": "COP", "ca$": "CAD", "c$": "CAD",
    # How Babel writes them in French: the bot's own "1 500,00 $US" reads back.
    "$us": "USD", "$ us": "USD", "$ca": "CAD", "$ ca": "CAD", "$mx": "MXN", "$co": "COP",
    "$ar": "ARS", "$cl": "CLP", "£gb": "GBP",
    "pesos": _PESO, "peso": _PESO,
    "€": "EUR", "euros": "EUR", "euro": "EUR",
    "zł": "PLN", "zl": "PLN", "złotych": "PLN", "złote": "PLN", "złoty": "PLN", "zlotych": "PLN",
    "zlote": "PLN", "zloty": "PLN", "złotego": "PLN",
    "£": "GBP", "pounds": "GBP", "pound": "GBP", "quid": "GBP",
    "s/": "PEN", "s/.": "PEN", "soles": "PEN", "sol": "PEN",
    "fcfa": _CFA, "f cfa": _CFA, "f.cfa": _CFA, "cfa": _CFA, "franc cfa": _CFA,
    "francs cfa": _CFA, "frs cfa": _CFA,
    "f": _FRANC, "fr": _FRANC, "fr.": _FRANC, "frs": _FRANC, "frs.": _FRANC, "franc": _FRANC,
    "francs": _FRANC,
    "dh": _DIRHAM, "dhs": _DIRHAM, "dirhams": _DIRHAM, "dirham": _DIRHAM,
}  # fmt: skip

_APPROXIMATE = (
    "environ", "env.", "à peu près", "a peu pres", "autour de", "près de", "pres de", "presque",
    "unos", "unas", "cerca de", "aprox.", "aprox", "aproximadamente", "alrededor de",
    "más o menos", "mas o menos", "como", "ok.", "ok", "około", "okolo", "mniej więcej",
    "jakieś", "jakies", "circa", "ca.", "ca", "about", "around", "roughly", "approx.", "approx",
    "approximately", "~", "≈", "±", "+/-", "+-",
)  # fmt: skip

_PERIODS = {
    "day": (
        "a day", "per day", "/day", "daily", "each day", "every day", "al día", "al dia",
        "por día", "por dia", "/día", "/dia", "diario", "diarios", "diaria", "diarias",
        "a diario", "cada día", "cada dia", "par jour", "/jour", "/j", "par j", "le jour",
        "chaque jour", "quotidien", "quotidiens", "dziennie", "na dzień", "na dzien",
        "/dzień", "/dzien", "/dz.", "codziennie",
    ),
    "week": (
        "a week", "per week", "/week", "weekly", "a la semana", "por semana", "/semana",
        "semanal", "semanales", "par semaine", "/semaine", "la semaine", "tygodniowo",
        "na tydzień", "na tydzien", "/tydz.", "/tydzień",
    ),
    "month": (
        "a month", "per month", "/month", "/mo", "monthly", "al mes", "por mes", "/mes",
        "mensual", "mensuales", "par mois", "/mois", "le mois", "mensuel", "mensuels",
        "miesięcznie", "miesiecznie", "na miesiąc", "na miesiac", "/mies.", "/mies", "/m-c",
        "mies.",
    ),
    "year": (
        "a year", "per year", "/year", "/yr", "yearly", "annually", "al año", "al ano",
        "por año", "por ano", "/año", "anual", "anuales", "par an", "/an", "par année",
        "par annee", "l'an", "annuel", "annuels", "rocznie", "na rok", "/rok",
    ),
}  # fmt: skip

_PERCENT = (
    "%", "٪", "procent", "procentów", "procentow", "proc.", "por ciento", "porciento",
    "pour cent", "pourcent", "percent", "per cent", "pct",
)  # fmt: skip

_APPROX, _PERCENT_KIND = "approx", "percent"
_WORDS: dict[str, tuple[str, str]] = {
    **{word: (_APPROX, "") for word in _APPROXIMATE},
    **{word: ("period", period) for period, words in _PERIODS.items() for word in words},
    **{word: (_PERCENT_KIND, "") for word in _PERCENT},
    **{word: ("currency", code) for word, code in _CURRENCY_WORDS.items()},
}
# A trailing full stop is dropped (`_normalise`), so every abbreviation is known without it.
_WORDS = {**{word.rstrip("."): meaning for word, meaning in _WORDS.items()}, **_WORDS}
_LETTER = r"[^\W\d_]"


def _word_pattern(word: str) -> str:
    # A word is a word only between non-letters ("f" in "45000f", not in "francs"); the
    # symbols ("$", "/mes", "~") stand anywhere.
    before = f"(?<!{_LETTER})" if re.match(_LETTER, word[0]) else ""
    after = f"(?!{_LETTER})" if re.match(_LETTER, word[-1]) else ""
    return before + re.escape(word) + after


_WORD_PATTERN = re.compile(
    "|".join(_word_pattern(word) for word in sorted(_WORDS, key=len, reverse=True))
)


@dataclass
class _Found:
    currencies: list[str]
    period: str | None = None
    approx: bool = False


def _remove_words(text: str) -> tuple[str, _Found]:
    found = _Found([])

    def remove(match: re.Match[str]) -> str:
        kind, meaning = _WORDS[match.group(0)]
        if kind == "currency":
            found.currencies.append(meaning)
        elif kind == "period":
            if found.period not in (None, meaning):
                raise NumberNotUnderstood(text)  # "a day a month": which?
            found.period = meaning
        elif kind == _APPROX:
            found.approx = True
        return " "

    return re.sub(r"\s+", " ", _WORD_PATTERN.sub(remove, text)).strip(), found


def _resolve_currency(written: list[str], market: str | None, text: str) -> str | None:
    """The one currency the written words agree on, in this market (None: none written)."""
    codes = {word for word in written if word not in _GENERIC_FAMILIES}
    if len(codes) > 1:
        raise NumberNotUnderstood(text)  # "100 € zł"
    generic = {word for word in written if word in _GENERIC_FAMILIES}
    code = next(iter(codes), None)
    for word in generic:
        meant = code or _generic_currency(word, market)
        if meant is None or meant not in _GENERIC_FAMILIES[word]:
            raise NumberNotUnderstood(text)  # "pesos" in a euro market, "€ pesos"
        code = meant
    return code


_GENERIC_FAMILIES = {
    _DOLLAR: _DOLLAR_SIGN_CURRENCIES,
    _PESO: _PESO_CURRENCIES,
    _FRANC: _FRANC_CURRENCIES,
    _CFA: frozenset({"XOF", "XAF"}),
    _DIRHAM: _DIRHAM_CURRENCIES,
}


def _generic_currency(word: str, market: str | None) -> str | None:
    if market in _GENERIC_FAMILIES[word]:
        return market
    # Outside a market that has one: "$" is the US dollar, "CFA" the West African franc, and so
    # is a bare "F" or "francs" when no market is known (France has written € since 2002; the
    # Swiss write "CHF" or have their market). A peso needs a peso market.
    if word == _FRANC and market is not None:
        return None
    return {_DOLLAR: "USD", _CFA: "XOF", _FRANC: "XOF", _DIRHAM: "MAD"}.get(word)


# ── The figure, or a range of two ───────────────────────────────────────────────────────────

# "between X and Y" joins need their opening word; a dash, "to", "a", "à", "do" stand alone.
_RANGE = re.compile(
    r"^(?:(?P<open>entre|between|from|desde|de|od)\s+)?(?P<low>\S.*?)\s*"
    r"(?P<join>-|(?<!\S)(?:to|a|à|hasta|do|y|et|and)(?!\S))\s*(?P<high>\S.*)$"
)
_JOINS_THAT_NEED_AN_OPENING = {"y": {"entre"}, "et": {"entre"}, "and": {"between"}}


def _split_range(text: str, original: str) -> tuple[str, str | None]:
    match = _RANGE.match(text)
    if match is None:
        return text, None
    opening, join = match.group("open"), match.group("join")
    if join in _JOINS_THAT_NEED_AN_OPENING and opening not in _JOINS_THAT_NEED_AN_OPENING[join]:
        raise NumberNotUnderstood(original)  # "1000 y 1500": both, or between?
    return match.group("low"), match.group("high")


# Multipliers after a figure, in their grammatical forms: 600k, 1,5 mln, 2 tysiące, 3 millones.
_MULTIPLIERS = {
    "k": 1_000, "tys": 1_000, "tys.": 1_000, "tysiąc": 1_000, "tysiące": 1_000,
    "tysięcy": 1_000, "tysiąca": 1_000, "tysiac": 1_000, "tysiace": 1_000, "tysiecy": 1_000,
    "tysiaca": 1_000, "mil": 1_000, "mille": 1_000, "thousand": 1_000, "grand": 1_000,
    "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "mln.": 1_000_000, "mio": 1_000_000,
    "million": 1_000_000, "millions": 1_000_000, "millón": 1_000_000, "millon": 1_000_000,
    "millones": 1_000_000, "mill.": 1_000_000, "mill": 1_000_000, "milion": 1_000_000,
    "miliony": 1_000_000, "milionów": 1_000_000, "milionow": 1_000_000, "miliona": 1_000_000,
}  # fmt: skip
# "Mil" is a thousand in Spanish, a million in English slang: only read where it is Spanish's.
_NOT_IN = {"mil": {"en"}}
# Peso slang, a multiplier that also names the currency: a "luca" is a thousand pesos in Chile,
# Argentina and Colombia but one sol in Peru; a "palo", a million.
_SLANG = {
    "luca": {"CLP": 1_000, "ARS": 1_000, "COP": 1_000, "PEN": 1},
    "lucas": {"CLP": 1_000, "ARS": 1_000, "COP": 1_000, "PEN": 1},
    "palo": {"CLP": 1_000_000, "ARS": 1_000_000, "COP": 1_000_000},
    "palos": {"CLP": 1_000_000, "ARS": 1_000_000, "COP": 1_000_000},
}
_FIGURE = re.compile(r"^(?P<digits>[0-9](?:[0-9., ]*[0-9])?)\s*(?P<word>[^\d\s]*)$")


@dataclass(frozen=True)
class _Side:
    """One figure of what was typed, with its multiplier."""

    value: Decimal
    alternative: Decimal | None
    digits: Decimal
    digits_alternative: Decimal | None
    multiplier: int | None
    slang: bool

    @classmethod
    def read(
        cls,
        text: str,
        decimal_symbol: str,
        group_symbol: str,
        language: str,
        currency: str | None,
        original: str,
    ) -> _Side:
        match = _FIGURE.match(text)
        if match is None:
            raise NumberNotUnderstood(original)
        word, multiplier, slang = match.group("word"), None, False
        if word:
            multiplier = _multiplier(word, language, currency, original)
            slang = word in _SLANG
        value, alternative = _parse_digits(match.group("digits"), decimal_symbol, group_symbol)
        no_cents = currency is not None and not has_minor_units(currency)
        if alternative is not None and multiplier is None and no_cents:
            value, alternative = max(value, alternative), None  # "15.000 FCFA": no cents
        scale = multiplier or 1
        return cls(
            value * scale,
            None if alternative is None else alternative * scale,
            value, alternative, multiplier, slang,
        )  # fmt: skip

    def times(self, multiplier: int) -> _Side:
        alternative = self.digits_alternative
        return _Side(
            self.digits * multiplier,
            None if alternative is None else alternative * multiplier,
            self.digits, alternative, multiplier, self.slang,
        )  # fmt: skip


def _multiplier(word: str, language: str, currency: str | None, original: str) -> int:
    if word in _SLANG:
        if currency not in _SLANG[word]:
            raise NumberNotUnderstood(original)
        return _SLANG[word][currency]
    if word not in _MULTIPLIERS or language in _NOT_IN.get(word, ()):
        raise NumberNotUnderstood(original)
    return _MULTIPLIERS[word]


def _share_multiplier(low: _Side, high: _Side) -> tuple[_Side, _Side]:
    """A multiplier written once counts for both ends ("1–1,5 mln": a million to a million and
    a half) unless that would turn the range round ("500–2k": five hundred to two thousand)."""
    if low.multiplier is None and high.multiplier is not None:
        shared = low.times(high.multiplier)
        if shared.value <= high.value:
            return shared, high
    return low, high


def _either(side: _Side) -> Decimal:
    return side.value if side.alternative is None else side.alternative


# ── Digits and separators ───────────────────────────────────────────────────────────────────


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


# ── Text and locale ─────────────────────────────────────────────────────────────────────────

# Group separators people type (no-break and thin spaces, the Swiss apostrophe) read as a space;
# every dash as a hyphen.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_APOSTROPHE_GROUP = re.compile(r"(?<=[0-9])['’](?=[0-9])")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
# "1200,-" and "1200.–": a whole amount, as written on Polish and Swiss price tags.
_WHOLE_MARK = re.compile(r"(?<=[0-9])[.,]-+(?=\s|$)")


def _normalise(text: str) -> str:
    text = _DASHES.sub("-", ascii_digits(text.strip().lower()))
    text = _APOSTROPHE_GROUP.sub(" ", _SPACES.sub(" ", text))
    # A trailing full stop ends the sentence; every abbreviation is also known without its dot.
    return _WHOLE_MARK.sub("", text).strip().rstrip(".!").rstrip()


@cache
def _symbols(locale: str) -> tuple[str, str]:
    """The decimal and group symbols of `locale`, a group space written as a plain space."""
    group = get_group_symbol(locale)
    return get_decimal_symbol(locale), " " if _SPACES.fullmatch(group) else group


@cache
def _language(locale: str) -> str:
    try:
        return Locale.parse(locale).language
    except (ValueError, UnknownLocaleError):
        return locale.split("_")[0]


@cache
def _territory_currency(locale: str) -> str | None:
    try:
        territory = Locale.parse(locale).territory
    except (ValueError, UnknownLocaleError):
        return None
    currencies = get_territory_currencies(territory, tender=True) if territory else []
    return currencies[0] if currencies else None
