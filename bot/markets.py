"""Markets: where an owner's customers are, beyond the language they read.

A Spanish-speaking owner is more often in Bogotá than in Madrid, a French-speaking one in Dakar
than in Lyon. The market, chosen in the audit's `country` question, decides what a bare number
means (pesos, francs CFA), how amounts are read and written, which payment apps the questions
name, the hour reminders may come at, and whether a GDPR citation may appear at all.

The table is data (`dialogs/markets.yaml`), read once and checked; `check` compares it with the
audit's country options.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from bot.errors import DialogError
from bot.resources import SAFE_LOADER, data_dir

if TYPE_CHECKING:
    from bot.dialog import Dialog

COUNTRY = "country"
CURRENCY = "currency"
ELSEWHERE = "other"
"""The country option for a market not in the table."""
_MARKET_KEYS = {"id", "locale", "currency", "timezone", "payments", "daily", "eu_law"}


@dataclass(frozen=True)
class Market:
    id: str
    locale: str | None
    """Babel locale with territory: the separators amounts are read and written with (None:
    those of the language the owner reads)."""
    currency: str | None
    """None in "another country" until the owner names it."""
    timezone: str
    payments: str
    """Payment apps customers there use, as examples ("Nequi, Daviplata")."""
    daily: Decimal | None
    """A typical day of sales there, for examples in hints."""
    eu_law: bool
    """The GDPR (EU or UK) applies: the only markets whose notes may cite it."""


@dataclass(frozen=True)
class Table:
    markets: dict[str, Market]
    elsewhere_payments: str
    elsewhere_timezone: str
    currencies: dict[str, str]
    """The `currency` question's options, by option id → ISO 4217."""


def load(path: Path | None = None) -> Table:
    """Read and check the market table; raise DialogError naming each problem."""
    path = path or data_dir("dialogs") / "markets.yaml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise DialogError(f"{path}: cannot be read: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("markets"), list):
        raise DialogError(f"{path}: needs a `markets:` list")
    problems: list[str] = []
    markets = {}
    for entry in raw["markets"]:
        market = _market(entry, problems)
        if market is not None:
            if market.id in markets:
                problems.append(f"market {market.id!r} appears twice")
            markets[market.id] = market
    elsewhere = raw.get("elsewhere") or {}
    currencies = raw.get("currencies") or {}
    known = set(list_currencies())
    problems += [f"currency {code!r} is not ISO 4217" for code in currencies.values()
                 if code not in known]  # fmt: skip
    _zone(str(elsewhere.get("timezone", "UTC")), "elsewhere", problems)
    if problems:
        raise DialogError(f"{path}:\n  " + "\n  ".join(problems))
    return Table(
        markets,
        str(elsewhere.get("payments", "")),
        str(elsewhere.get("timezone", "UTC")),
        {str(k): str(v) for k, v in currencies.items()},
    )


def _market(entry: Any, problems: list[str]) -> Market | None:
    if not isinstance(entry, dict) or set(entry) != _MARKET_KEYS:
        problems.append(f"a market needs exactly {sorted(_MARKET_KEYS)}: {entry!r}")
        return None
    name = str(entry["id"])
    try:
        Locale.parse(entry["locale"])
    except (ValueError, TypeError, UnknownLocaleError):
        problems.append(f"market {name!r}: unknown locale {entry['locale']!r}")
    if entry["currency"] not in set(list_currencies()):
        problems.append(f"market {name!r}: currency {entry['currency']!r} is not ISO 4217")
    _zone(str(entry["timezone"]), name, problems)
    if not isinstance(entry["daily"], int) or entry["daily"] <= 0:
        problems.append(f"market {name!r}: `daily` must be a positive whole number")
    return Market(
        id=name,
        locale=str(entry["locale"]),
        currency=str(entry["currency"]),
        timezone=str(entry["timezone"]),
        payments=str(entry["payments"]),
        daily=Decimal(entry["daily"]) if isinstance(entry["daily"], int) else None,
        eu_law=entry["eu_law"] is True,
    )


def _zone(name: str, where: str, problems: list[str]) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"market {where!r}: unknown time zone {name!r}")


@cache
def table() -> Table:
    """The shipped table, read once."""
    return load()


def of(answers: Mapping[str, Any]) -> Market:
    """The owner's market from their answers; "another country" (or no answer) is a market
    without a currency unless they named one, read with their language's separators."""
    shipped = table()
    country = answers.get(COUNTRY)
    if isinstance(country, str) and country in shipped.markets:
        return shipped.markets[country]
    return Market(
        id=ELSEWHERE,
        locale=None,
        currency=shipped.currencies.get(str(answers.get(CURRENCY))),
        timezone=shipped.elsewhere_timezone,
        payments=shipped.elsewhere_payments,
        daily=None,
        eu_law=False,
    )


def number_locale(market: Market, language: str) -> str:
    """The Babel locale to read and write this owner's amounts with: the reader's language as
    written in the market's territory where Babel knows the pair (fr_CA, "1 500 $", for a
    French reader in Canada; es_US in the US), else the market's own."""
    if market.locale is None:
        return language
    return _paired(language, market.locale)


@cache
def _paired(language: str, market_locale: str) -> str:
    territory = Locale.parse(market_locale).territory
    if not territory:
        return market_locale
    try:
        return str(Locale.parse(f"{language}_{territory}"))
    except (UnknownLocaleError, ValueError):
        return market_locale


def problems(dialog: Dialog, shipped: Table) -> list[str]:
    """Where the audit's country and currency options and the table disagree."""
    found = []
    country = dialog.question(COUNTRY)
    if country is not None:
        options = {option.id for option in country.options} - {ELSEWHERE}
        found += [f"country option {o!r} has no market in markets.yaml"
                  for o in sorted(options - set(shipped.markets))]  # fmt: skip
        found += [f"market {m!r} is not a country option of the audit"
                  for m in sorted(set(shipped.markets) - options)]  # fmt: skip
    currency = dialog.question(CURRENCY)
    if currency is not None:
        offered = {option.id for option in currency.options}
        found += [f"currency option {o!r} is not in markets.yaml `currencies`"
                  for o in sorted(offered - set(shipped.currencies) - {ELSEWHERE})]  # fmt: skip
    return found
