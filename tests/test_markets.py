"""Owners where they are: for every market, a whole terminal audit in its language with amounts
typed the local way, and a plan in its currency, with its payment apps and its law."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bot import markets
from bot.console import ConsoleAudit
from bot.content import load
from bot.i18n import translator
from bot.interview import Interview
from bot.store import Store
from tests.answering import JEWELLER
from tests.test_console import typed_answers

CONTENT = load()
NOTES = {note.id: note.text for note in CONTENT.rules.notes}

# market: (the language its owner reads, a day's sales as typed there, read as, in currency)
TYPED: dict[str, tuple[str, str, str, str]] = {
    "es": ("es", "unos 450 €", "450", "EUR"),
    "mx": ("es", "$ 8,000", "8000", "MXN"),
    "co": ("es", "$ 1.500.000", "1500000", "COP"),
    "ar": ("es", "400 lucas", "400000", "ARS"),
    "pe": ("es", "S/ 1,500", "1500", "PEN"),
    "cl": ("es", "$350.000", "350000", "CLP"),
    "ec": ("es", "$300", "300", "USD"),
    "us": ("en", "about $400", "400", "USD"),
    "gb": ("en", "£350 a day", "350", "GBP"),
    "ie": ("en", "€400", "400", "EUR"),
    "pl": ("pl", "ok. 1200 zł", "1200", "PLN"),
    "fr": ("fr", "environ 400 €", "400", "EUR"),
    "be": ("fr", "400 €", "400", "EUR"),
    "ch": ("fr", "CHF 1'200.–", "1200", "CHF"),
    "ca": ("fr", "1 500 $", "1500", "CAD"),
    "sn": ("fr", "45000f", "45000", "XOF"),
    "ci": ("fr", "85 000 F CFA", "85000", "XOF"),
    "ml": ("fr", "50 000 francs", "50000", "XOF"),
    "bf": ("fr", "50.000 FCFA", "50000", "XOF"),
    "bj": ("fr", "60 000 F", "60000", "XOF"),
    "tg": ("fr", "50 mille F", "50000", "XOF"),
    "cm": ("fr", "75 000 FCFA", "75000", "XAF"),
    "ma": ("fr", "1 500 DH", "1500", "MAD"),
}
# Names of the EU's and the UK's data protection regulation, in our four languages.
GDPR = re.compile(r"\b(GDPR|RGPD|RODO)\b")
DIGITS_ONLY = {ord(c): None for c in map(chr, range(0x3000)) if not c.isdigit()}


def owner(market: str, daily: str) -> dict[str, Any]:
    """The jeweller, selling in `market`, with a list of customers' numbers (so the plan
    speaks of the law on writing to them) and paid through a payment app."""
    return {
        **JEWELLER,
        "country": market,
        "payments": ["mobile_money"],
        "contact_list": ["phone_book"],
        "customer_type": "consumers",
        "list_coverage": "half",
        "consent": "verbal",
        "daily_revenue": daily,
        "sales_recovered": "half",
    }


def terminal_audit(store: Store, language: str, answers: dict[str, Any]) -> tuple[str, Any]:
    interview = Interview(CONTENT.dialog, store, CONTENT.rules)
    out = io.StringIO()
    stdin = io.StringIO("\n".join(typed_answers(answers, language)) + "\n")
    ConsoleAudit(interview, translator(language), "console:owner", stdin, out).run()
    latest = interview.latest_plan("console:owner")
    assert latest is not None, out.getvalue()[-2000:]
    audit, plan = latest
    return words(out.getvalue()), (interview.answers(audit.id), plan)


def words(text: str) -> str:
    """Text with every run of spaces (no-break ones too) as one space, as a terminal's
    wrapping leaves it."""
    return " ".join(text.split())


def test_every_market_is_tested() -> None:
    assert set(TYPED) == set(markets.table().markets)


@pytest.mark.parametrize("market_id", sorted(TYPED))
def test_a_whole_audit_in_each_market(store: Store, market_id: str) -> None:
    language, daily, value, currency = TYPED[market_id]
    market = markets.table().markets[market_id]
    text, (answers, plan) = terminal_audit(store, language, owner(market_id, daily))
    # The amount as typed there, in its currency.
    assert answers["daily_revenue"] == {"amount": int(value), "currency": currency}
    # The estimate in that currency, written the market's way, rounded, without cents.
    t = translator(language).in_market(markets.number_locale(market, language))
    ban = t.estimate(plan.exposure.ban, currency)
    assert words(ban) in text
    assert words(t.money(plan.exposure.ban, currency)) not in text or plan.exposure.ban == (
        Decimal(ban.translate(DIGITS_ONLY) or 0)
    )
    # Its payment apps in the question, and its own law.
    assert market.payments in text
    note = translator(language).gettext(NOTES[f"legal_{market_id}"])
    assert words(note) in text
    # A GDPR citation only where the GDPR applies.
    if not market.eu_law:
        assert not GDPR.search(text), GDPR.search(text)


def test_another_country_is_asked_its_currency_and_reads_no_law(store: Store) -> None:
    answers = {**owner("other", "150"), "currency": "gbp"}
    text, (stored, _) = terminal_audit(store, "en", answers)
    assert stored["daily_revenue"] == {"amount": 150, "currency": "GBP"}
    elsewhere = translator("en").gettext(NOTES["legal_elsewhere"])
    assert words(elsewhere) in text
    assert not GDPR.search(text)


def test_another_currency_must_be_written_with_the_amount(store: Store) -> None:
    interview = Interview(CONTENT.dialog, store, CONTENT.rules)
    answers = {"country": "other", "currency": "other"}
    daily = CONTENT.dialog.question("daily_revenue")
    assert daily is not None
    refused = CONTENT.dialog.read_text(daily, "150", "en", answers)
    assert getattr(refused, "message", "").startswith("Please add the currency")
    read = CONTENT.dialog.read_text(daily, "150 CHF", "en", answers)
    assert read == {"amount": 150, "currency": "CHF"}
    assert interview is not None


def test_the_market_table_is_checked(tmp_path: Any) -> None:
    broken = tmp_path / "markets.yaml"
    broken.write_text(
        "markets:\n  - {id: xx, locale: xx_XX, currency: EURO, timezone: Mars/Base,"
        " payments: '', daily: -1, eu_law: false}\n",
        encoding="utf-8",
    )
    with pytest.raises(Exception) as error:
        markets.load(broken)
    for problem in ("locale", "ISO 4217", "time zone", "daily"):
        assert problem in str(error.value)


def test_a_range_is_read_as_its_middle_and_the_owner_is_told(store: Store) -> None:
    answers = {**owner("pl", "od 1000 do 1500 zł")}
    text, (stored, _) = terminal_audit(store, "pl", answers)
    assert stored["daily_revenue"] == {"amount": 1250, "currency": "PLN"}
    t = translator("pl").in_market("pl_PL")
    told = t.gettext("%(answer)s, the middle of %(low)s and %(high)s") % {
        "answer": t.money(1250, "PLN"),
        "low": t.money(1000, "PLN"),
        "high": t.money(1500, "PLN"),
    }
    assert words(told) in text


MONTH = "(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DAY_FIRST = re.compile(rf"\b\d{{1,2}} {MONTH} \d{{4}}\b")  # 4 October 2021
MONTH_FIRST = re.compile(rf"\b{MONTH} \d{{1,2}}, \d{{4}}\b")  # October 4, 2021


@pytest.mark.parametrize(
    ("market_id", "order", "other_order"),
    [("us", MONTH_FIRST, DAY_FIRST), ("gb", DAY_FIRST, MONTH_FIRST)],
)
def test_english_plans_write_dates_the_markets_way(
    store: Store, market_id: str, order: re.Pattern[str], other_order: re.Pattern[str]
) -> None:
    """The same language, two orders: the outage the plan measures against and every deadline."""
    _, daily, _, _ = TYPED[market_id]
    text, _ = terminal_audit(store, "en", owner(market_id, daily))
    plan = text[text.index("Revenue at risk") :]
    assert re.search(rf"outage like {order.pattern}", plan), plan[:600]
    assert len(order.findall(plan)) >= 3  # the outage day and the deadlines
    assert not other_order.search(plan), other_order.search(plan)


@pytest.mark.parametrize(
    ("language", "figures", "outage_day", "amount"),
    [
        ("es", "us", "4 de octubre de 2021", "$1,500"),  # es_US
        ("fr", "ca", "4 octobre 2021", "1 500 $"),  # fr_CA, not en_CA's "$1,500"
        ("en", "sn", "October 4, 2021", "1 500 F CFA"),  # no en_SN: Senegal's figures
        ("pl", "gb", "4 października 2021", "£1,500"),  # no pl_GB: the UK's figures, Polish words
    ],
)
def test_a_reader_in_another_language_gets_their_words_in_the_markets_figures(
    language: str, figures: str, outage_day: str, amount: str
) -> None:
    market = markets.table().markets[figures]
    t = translator(language).in_market(markets.number_locale(market, language))
    assert t.day(date(2021, 10, 4)) == outage_day
    assert words(t.estimate(1500, market.currency)) == amount
