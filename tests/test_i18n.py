"""Locale negotiation, numbers as people type them, money as people read it, the catalogs."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest

from bot import catalogs
from bot.i18n import (
    SUPPORTED_LOCALES,
    NumberNotUnderstood,
    default_currency,
    negotiate,
    parse_amount,
    translator,
)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("es-419", "es"), ("es", "es"), ("fr-CA", "fr"), ("fr_SN", "fr"), ("pl", "pl"),
        ("en-GB", "en"), ("pt-br", "en"), ("de", "en"), (None, "en"), ("", "en"),
        ("not a locale!", "en"), ("pl_PL.UTF-8", "pl"),
    ],
)  # fmt: skip
def test_telegram_language_codes_map_to_our_four(code: str | None, expected: str) -> None:
    assert negotiate(code) == expected


@pytest.mark.parametrize(
    ("text", "locale", "value", "currency"),
    [
        ("1 500,50", "fr", "1500.50", None),
        ("1 500,50", "pl", "1500.50", None),
        ("1.500,50", "es", "1500.50", None),
        ("1,500.50", "en", "1500.50", None),
        ("600 000", "fr", "600000", None),
        ("600\u202f000", "fr", "600000", None),
        ("600k", "en", "600000", None),
        ("1,5 mln", "pl", "1500000", None),
        ("2 tys.", "pl", "2000", None),
        ("150$", "en", "150", "USD"),
        ("$150", "es", "150", "USD"),
        ("50 000 FCFA", "fr", "50000", "XOF"),
        ("50.000 F CFA", "fr", "50000", "XOF"),
        ("300 000 fcfa", "fr", "300000", "XOF"),
        ("1500 zł", "pl", "1500", "PLN"),
        ("20 €", "es", "20", "EUR"),
        ("1.500", "es", "1500", None),
        ("1,500", "en", "1500", None),
        ("2,5", "es", "2.5", None),
        ("80%", "en", "80", None),
    ],
)
def test_numbers_typed_the_local_way(
    text: str, locale: str, value: str, currency: str | None
) -> None:
    amount = parse_amount(text, locale)
    assert amount.value == Decimal(value)
    assert amount.currency == currency


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("1.500,50", "en"),  # a decimal comma in an English session: refuse, do not guess
        ("1,500.50", "es"),
        ("1,500.50", "fr"),
        ("lots", "en"),
        ("1,50,0", "en"),
        ("60 0000", "fr"),
        ("12 bananas", "en"),
        ("", "en"),
    ],
)
def test_numbers_we_would_only_be_guessing_at_are_refused(text: str, locale: str) -> None:
    with pytest.raises(NumberNotUnderstood):
        parse_amount(text, locale)


def test_currency_follows_the_country_then_the_language() -> None:
    assert default_currency("fr", "sn") == "XOF"
    assert default_currency("fr", "fr") == "EUR"
    assert default_currency("pl", None) == "PLN"
    assert default_currency("en", "other") == "USD"


def test_money_is_formatted_for_the_reader() -> None:
    assert translator("fr").money(Decimal(600000), "XOF") == "600\u202f000\u00a0F\u202fCFA"
    assert translator("pl").money(Decimal("1500.50"), "PLN") == "1\u00a0500,50\u00a0zł"
    assert translator("en").money(Decimal(150), "USD") == "$150"  # whole: no cents
    assert translator("en").money(Decimal("150.5"), "USD") == "$150.50"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_catalog_loads(locale: str) -> None:
    assert translator(locale).locale == locale


def test_every_catalog_is_complete_clean_and_in_sync() -> None:
    # In sync with the sources, every message translated, none fuzzy, placeholders intact.
    assert catalogs.problems() == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_msgfmt_accepts_every_catalog(locale: str) -> None:
    path = catalogs.po_path(locale)
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 działanie"), (2, "2 działania"), (5, "5 działań"), (22, "22 działania"),
     (25, "25 działań"), (112, "112 działań")],
)  # fmt: skip
def test_polish_has_three_plural_forms(count: int, expected: str) -> None:
    t = translator("pl")
    text = t.ngettext("This week: %(num)s action.", "This week: %(num)s actions.", count)
    assert expected in text % {"num": count}


def test_the_yaml_extractor_finds_question_and_option_texts() -> None:
    template = catalogs.extract()
    ids = {message.id for message in template}
    assert "Where do new customers first get in touch with you?" in ids
    assert "Google Ads" in ids
    assert "Contact channels" in ids
    assert "Welcome back! Here is where you left off." in ids  # from Python
    assert "What I can do" in ids  # from a template


@pytest.mark.parametrize(
    ("text", "locale", "value", "alternative"),
    [
        ("1.500", "en", "1.5", "1500"),  # a decimal point, or a thousands dot?
        ("1,500", "es", "1.5", "1500"),
        ("1,500", "pl", "1.5", "1500"),
        ("1.500", "fr", "1500", "1.5"),  # a thousands dot is common in France
        ("1,500", "en", "1500", None),  # English thousands: no doubt
        ("1.500", "es", "1500", None),
        ("0.500", "en", "0.5", None),
        ("1.50", "en", "1.5", None),
        ("12.345k", "en", "12345", "12345000"),
    ],
)
def test_numbers_that_read_two_ways_carry_both(
    text: str, locale: str, value: str, alternative: str | None
) -> None:
    amount = parse_amount(text, locale)
    assert amount.value == Decimal(value)
    assert amount.alternative == (None if alternative is None else Decimal(alternative))
