"""Amounts as owners type them in each market, and every amount the bot prints read back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.amounts import Amount, NumberNotUnderstood, has_minor_units, parse_amount
from bot.estimates import round_estimate
from bot.i18n import SUPPORTED_LOCALES, Translator, translator

# A market as the market layer passes it: a Babel locale with territory, and its currency.
MARKETS = (
    ("es_ES", "EUR"), ("es_MX", "MXN"), ("es_CO", "COP"), ("es_AR", "ARS"), ("es_CL", "CLP"),
    ("es_PE", "PEN"), ("es_US", "USD"), ("fr_FR", "EUR"), ("fr_SN", "XOF"), ("fr_CI", "XOF"),
    ("fr_CM", "XAF"), ("fr_BE", "EUR"), ("fr_CH", "CHF"), ("fr_CA", "CAD"), ("fr_MA", "MAD"),
    ("pl_PL", "PLN"), ("en_GB", "GBP"), ("en_US", "USD"), ("en_IE", "EUR"),
)  # fmt: skip
CURRENCIES = sorted({currency for _, currency in MARKETS})
D = Decimal


def _read(text: str, locale: str, currency: str | None = None) -> Amount:
    return parse_amount(text, locale, currency)


# ── Typed the local way ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "locale", "market", "value", "currency"),
    [
        # Spain and Latin America
        ("unos 300", "es_ES", "EUR", "300", None),
        ("cerca de 300 €", "es_ES", "EUR", "300", "EUR"),
        ("aprox. 300", "es_ES", "EUR", "300", None),
        ("1.500", "es_ES", "EUR", "1500", None),
        ("$ 1.500.000", "es_CO", "COP", "1500000", "COP"),
        ("1.500.000", "es_CO", "COP", "1500000", None),
        ("1.500.000 pesos", "es_CO", "COP", "1500000", "COP"),
        ("COP 250.000", "es_CO", "COP", "250000", "COP"),
        ("1,5 M", "es_CO", "COP", "1500000", None),
        ("1,5 millones", "es_CO", "COP", "1500000", None),
        ("2 palos", "es_CO", "COP", "2000000", "COP"),
        ("1.500", "es_CO", "COP", "1500", None),  # no cents question for a peso without cents
        ("1,500.50", "es_MX", "MXN", "1500.50", None),
        ("$1,500", "es_MX", "MXN", "1500", "MXN"),
        ("500 mil pesos", "es_MX", "MXN", "500000", "MXN"),
        ("200 dólares", "es_MX", "MXN", "200", "USD"),
        ("MXN 800", "es_MX", "MXN", "800", "MXN"),
        ("$ 25.000", "es_AR", "ARS", "25000", "ARS"),
        ("ARS 25.000,50", "es_AR", "ARS", "25000.50", "ARS"),
        ("20 lucas", "es_AR", "ARS", "20000", "ARS"),
        ("20 lucas", "es_CL", "CLP", "20000", "CLP"),
        ("$15.000", "es_CL", "CLP", "15000", "CLP"),
        ("CLP 15.000", "es_CL", "CLP", "15000", "CLP"),
        ("S/ 1,500.50", "es_PE", "PEN", "1500.50", "PEN"),
        ("S/. 350", "es_PE", "PEN", "350", "PEN"),
        ("350 soles", "es_PE", "PEN", "350", "PEN"),
        ("5 lucas", "es_PE", "PEN", "5", "PEN"),  # a "luca" is one sol in Peru
        ("PEN 90", "es_PE", "PEN", "90", "PEN"),
        ("$1,200.50", "es_US", "USD", "1200.50", "USD"),
        ("300 € al mes", "es", None, "300", "EUR"),
        ("2 mil", "es", None, "2000", None),
        # France, Belgium, Switzerland, Canada, West and Central Africa, Morocco
        ("environ 300", "fr_FR", "EUR", "300", None),
        ("300 € par mois", "fr_FR", "EUR", "300", "EUR"),
        ("15 mille", "fr_FR", "EUR", "15000", None),
        ("45000f", "fr_SN", "XOF", "45000", "XOF"),
        ("15 000 F", "fr_SN", "XOF", "15000", "XOF"),
        ("15 000 Frs", "fr_CI", "XOF", "15000", "XOF"),
        ("45 000 francs", "fr_SN", "XOF", "45000", "XOF"),
        ("45 000 F CFA", "fr_SN", "XOF", "45000", "XOF"),
        ("45\u202f000\u00a0F\u202fCFA", "fr_SN", "XOF", "45000", "XOF"),  # as the bot prints it
        ("15.000 FCFA", "fr_SN", "XOF", "15000", "XOF"),  # no franc CFA has cents
        ("15.000", "fr_CI", "XOF", "15000", None),
        ("45 000 francs", "fr_CM", "XAF", "45000", "XAF"),
        ("45 000 FCFA", "fr_CM", "XAF", "45000", "XAF"),
        ("45000f", "fr", None, "45000", "XOF"),  # no market known: the franc most owners write
        ("Fr. 1'500.50", "fr_CH", "CHF", "1500.50", "CHF"),
        ("1 500 CHF", "fr_CH", "CHF", "1500", "CHF"),
        ("1 500 $", "fr_CA", "CAD", "1500", "CAD"),
        ("1 500 $ CA", "fr_CA", "CAD", "1500", "CAD"),
        ("200 DH", "fr_MA", "MAD", "200", "MAD"),
        ("2 000 dirhams", "fr_MA", "MAD", "2000", "MAD"),
        ("60 pour cent", "fr_FR", "EUR", "60", None),
        # Poland
        ("ok. 1200", "pl_PL", "PLN", "1200", None),
        ("około 1200 zł", "pl_PL", "PLN", "1200", "PLN"),
        ("1200 zł dziennie", "pl_PL", "PLN", "1200", "PLN"),
        ("1200,-", "pl_PL", "PLN", "1200", None),
        ("1200,- zł", "pl_PL", "PLN", "1200", "PLN"),
        ("1,5 tysiąca", "pl_PL", "PLN", "1500", None),
        ("2 tysiące", "pl_PL", "PLN", "2000", None),
        ("5 tysięcy złotych", "pl_PL", "PLN", "5000", "PLN"),
        ("5 tys.", "pl_PL", "PLN", "5000", None),
        ("1,5 mln", "pl_PL", "PLN", "1500000", None),
        ("60 procent", "pl_PL", "PLN", "60", None),
        # The United Kingdom, Ireland, the United States
        ("about 300", "en_GB", "GBP", "300", None),
        ("£600", "en_GB", "GBP", "600", "GBP"),
        ("600 quid a week", "en_GB", "GBP", "600", "GBP"),
        ("~300", "en_US", "USD", "300", None),
        ("≈300", "en_US", "USD", "300", None),
        ("300.", "en_US", "USD", "300", None),  # a full stop ends the sentence
        ("€1,500", "en_IE", "EUR", "1500", "EUR"),
        ("2 grand", "en_US", "USD", "2000", None),
    ],
)
def test_amounts_typed_the_way_each_market_writes_them(
    text: str, locale: str, market: str | None, value: str, currency: str | None
) -> None:
    amount = _read(text, locale, market)
    assert (amount.value, amount.currency, amount.alternative) == (D(value), currency, None)


@pytest.mark.parametrize(
    ("text", "locale", "period", "approximate"),
    [
        ("300 € al mes", "es_ES", "month", False), ("unos 300 /mes", "es_MX", "month", True),
        ("1200 zł dziennie", "pl_PL", "day", False), ("ok. 1200 zł na miesiąc", "pl", "month", True),
        ("15 000 F par jour", "fr_SN", "day", False), ("environ 500 € par semaine", "fr", "week", True),
        ("300 a day", "en_GB", "day", False), ("about $300 per month", "en", "month", True),
        ("40 000 al año", "es_CO", "year", False), ("300", "en", None, False),
    ],
)  # fmt: skip
def test_periods_and_approximations_are_read_and_reported_not_converted(
    text: str, locale: str, period: str | None, approximate: bool
) -> None:
    amount = _read(text, locale)
    assert (amount.period, amount.approximate) == (period, approximate)
    assert amount.value in (D(300), D(1200), D(15000), D(500), D(40000))


@pytest.mark.parametrize(
    ("text", "locale", "market", "low", "high"),
    [
        ("1000–1500", "en_US", "USD", "1000", "1500"),
        ("1000-1500", "es_ES", "EUR", "1000", "1500"),
        ("1 000 – 1 500 zł", "pl_PL", "PLN", "1000", "1500"),
        ("entre 1000 y 1500", "es_MX", "MXN", "1000", "1500"),
        ("entre 1.000 y 1.500 pesos", "es_CO", "COP", "1000", "1500"),
        ("de 1000 à 1500", "fr_FR", "EUR", "1000", "1500"),
        ("entre 10 000 et 15 000 F", "fr_SN", "XOF", "10000", "15000"),
        ("od 1000 do 1500", "pl_PL", "PLN", "1000", "1500"),
        ("1000 to 1500", "en_GB", "GBP", "1000", "1500"),
        ("between 1000 and 1500", "en_GB", "GBP", "1000", "1500"),
        ("1-1,5 mln", "pl_PL", "PLN", "1000000", "1500000"),  # the multiplier is shared
        ("500-2k", "en_US", "USD", "500", "2000"),  # unless that would reverse the range
        ("1500-1000", "en_US", "USD", "1000", "1500"),
    ],
)
def test_a_range_is_read_as_its_middle_and_reported(
    text: str, locale: str, market: str, low: str, high: str
) -> None:
    amount = _read(text, locale, market)
    assert amount.range == (D(low), D(high))
    assert amount.value == (D(low) + D(high)) / 2
    assert amount.alternative is None


@pytest.mark.parametrize(
    ("text", "locale", "market", "value", "alternative"),
    [
        ("1.500", "es_MX", "MXN", "1.5", "1500"),  # Mexico writes a decimal point: ask
        ("1.500", "en_GB", "GBP", "1.5", "1500"),
        ("1,500", "es_ES", "EUR", "1.5", "1500"),
        ("1.500", "fr_FR", "EUR", "1500", "1.5"),
        ("1.500 €", "fr_SN", "XOF", "1500", "1.5"),  # euros have cents, even in Dakar
        ("1,500 mil", "es_CO", "COP", "1500", "1500000"),  # a multiplier: no help from the currency
        ("1.500-2.500", "en_US", "USD", "2", "2000"),
    ],
)
def test_what_still_reads_two_ways_keeps_both_readings(
    text: str, locale: str, market: str, value: str, alternative: str
) -> None:
    amount = _read(text, locale, market)
    assert (amount.value, amount.alternative) == (D(value), D(alternative))


@pytest.mark.parametrize(
    ("text", "locale", "market"),
    [
        ("15 000 F", "fr_FR", "EUR"),  # which franc, in France?
        ("500 pesos", "es_ES", "EUR"),  # which peso, in Spain?
        ("5 lucas", "es_ES", "EUR"),
        ("5 mil", "en_US", "USD"),  # a thousand in Spanish, a million in English slang
        ("1000 y 1500", "es_ES", "EUR"),  # both, or between?
        ("100 € zł", "pl_PL", "PLN"),
        ("200 USD pesos", "es_MX", "MXN"),
        ("300 a day a month", "en_US", "USD"),
        ("-5", "en_US", "USD"),
        ("−5 €", "es_ES", "EUR"),
        ("~-5", "en_US", "USD"),
        ("1000-", "en_US", "USD"),
        ("entre 1000", "es_ES", "EUR"),
        ("environ", "fr_FR", "EUR"),
        ("lots", "en_GB", "GBP"),
        ("1.500,50", "es_MX", "MXN"),  # the decimal comma of another country: do not guess
        ("12 bananas", "en_US", "USD"),
    ],
)
def test_what_would_be_a_guess_is_refused(text: str, locale: str, market: str) -> None:
    with pytest.raises(NumberNotUnderstood):
        _read(text, locale, market)


def test_a_currency_without_cents_in_practice() -> None:
    assert not has_minor_units("XOF") and not has_minor_units("CLP")
    assert not has_minor_units("COP")  # two decimals in ISO 4217, none on a Bogotá price tag
    assert has_minor_units("EUR") and has_minor_units("MXN") and has_minor_units("PEN")


# ── Every amount the bot prints reads back ──────────────────────────────────────────────────

SAMPLES = ("0", "1", "7", "12.34", "150", "999.99", "1000", "1500", "1500.50", "9003",
           "12345.67", "600000", "1234567.89", "30600000")  # fmt: skip


def _exact(value: Decimal, currency: str) -> Decimal:
    return value.quantize(D(10) ** -get_currency_precision(currency))


def _printers() -> list[tuple[Translator, str]]:
    """Each market's own locale, and each language as the bot speaks it today, in every
    market currency."""
    markets = [
        (Translator(locale, translator(locale[:2])._translations), c) for locale, c in MARKETS
    ]
    return markets + [(translator(lang), c) for lang in SUPPORTED_LOCALES for c in CURRENCIES]


PRINTERS = _printers()


@pytest.mark.parametrize(("t", "currency"), PRINTERS, ids=lambda p: getattr(p, "locale", p))
def test_every_amount_the_bot_prints_reads_back_as_itself(t: Translator, currency: str) -> None:
    for sample in SAMPLES:
        value = _exact(D(sample), currency)
        if value != D(sample):
            continue  # a figure this currency cannot show
        for printed, expected in ((t.money(value, currency), value),
                                  (t.estimate(value, currency), round_estimate(value))):  # fmt: skip
            amount = parse_amount(printed, t.locale, currency)
            assert (amount.value, amount.currency, amount.alternative) == (
                expected, currency, None,
            ), printed  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(PRINTERS),
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False),
)
def test_any_amount_printed_reads_back(printer: tuple[Translator, str], value: Decimal) -> None:
    t, currency = printer
    value = _exact(value, currency) if has_minor_units(currency) else value.quantize(D(1))
    for printed, expected in ((t.money(value, currency), value),
                              (t.estimate(value, currency), round_estimate(value))):  # fmt: skip
        amount = parse_amount(printed, t.locale, currency)
        assert (amount.value, amount.currency) == (expected, currency), printed


# ── Estimates and dates as people read them ─────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("9003", "9000"), ("30600000", "31000000"), ("2712.40", "2700"), ("4050", "4100"),
     ("347", "350"), ("12", "12"), ("37.5", "38"), ("15", "15"), ("7.5", "8"), ("0.4", "0"), ("0", "0"), ("999.6", "1000"),
     ("-9003", "-9000")],
)  # fmt: skip
def test_an_estimate_keeps_the_precision_it_has(value: str, rounded: str) -> None:
    assert round_estimate(D(value)) == D(rounded)


def test_estimates_are_written_without_cents() -> None:
    assert translator("fr").estimate(D("9003.17"), "XOF") == "9\u202f000\u00a0F\u202fCFA"
    assert translator("pl").estimate(D("2712.40"), "PLN") == "2\u00a0700\u00a0zł"
    assert translator("es").estimate(D("4050"), "EUR") == "4.100\u00a0€"
    assert translator("en").estimate(D("0.3"), "GBP") == "£0"
    assert translator("en").estimate("not a figure", "GBP") == "—"


@pytest.mark.parametrize(
    ("locale", "december", "may"),
    [("pl", "2 grudnia 2026", "2 maja 2026"), ("es", "2 de diciembre de 2026", "2 de mayo de 2026"),
     ("fr", "2 décembre 2026", "2 mai 2026"), ("en", "December 2, 2026", "May 2, 2026")],
)  # fmt: skip
def test_dates_read_in_each_languages_long_form(locale: str, december: str, may: str) -> None:
    t = translator(locale)
    assert (t.day(date(2026, 12, 2)), t.day(date(2026, 5, 2))) == (december, may)
    assert t.date("2026-12-02T10:00:00+00:00") == december
