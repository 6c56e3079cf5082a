"""A whole audit in each language, on Telegram and in the terminal, with no English left over."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot import catalogs
from bot.i18n import translator
from tests.answering import JEWELLER
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import asked, finish_audit, running_bot, send
from tests.test_console import run_console, typed_answers

# The jeweller's figures typed the way an owner in each country would.
TYPED = {
    "es": {"country": "es", "meta_revenue_share": "100 %", "ad_spend": "0",
           "daily_revenue": "150 €"},
    "pl": {"country": "pl", "meta_revenue_share": "100%", "ad_spend": "0",
           "daily_revenue": "1 500,50 zł"},
    "fr": {"country": "sn", "meta_revenue_share": "100 %", "ad_spend": "0",
           "daily_revenue": "85 000 FCFA"},
}  # fmt: skip
TELEGRAM_CODES = {"es": "es-419", "pl": "pl", "fr": "fr-CA"}


def english_leftovers(locale: str, text: str) -> list[str]:
    """English source sentences that appear in `text` although `locale` translates them."""
    with catalogs.po_path(locale).open("rb") as po_file:
        catalog = read_po(po_file)
    found = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        # Whole sentences only: short labels (brand names, "SMS") may rightly stay the same.
        english = re.sub(r"%\(\w+\)s", "", message.id).strip()
        if len(english) >= 25 and english in text:
            found.append(english)
    return found


@pytest.mark.parametrize("locale", ["es", "pl", "fr"])
def test_the_terminal_audit_speaks_only_the_owners_language(tmp_path: Path, locale: str) -> None:
    answers = {**JEWELLER, **TYPED[locale]}
    result = run_console(
        tmp_path / "c.db", typed_answers(answers, locale), "console", "--lang", locale, "--id", "x"
    )
    assert result.returncode == 0, result.stderr
    t = translator(locale)
    assert t.gettext("Thank you! Your answers are saved.") in result.stdout
    assert t.gettext("Ready-made outage messages") in result.stdout
    assert english_leftovers(locale, result.stdout) == []


@pytest.mark.parametrize("locale", ["es", "pl", "fr"])
async def test_the_telegram_audit_speaks_only_the_owners_language(
    server: FakeBotAPI, db_path: Path, locale: str
) -> None:
    t = translator(locale)
    owner = server.user(3000, language_code=TELEGRAM_CODES[locale])
    answers = {**JEWELLER, **TYPED[locale]}
    async with running_bot(server, db_path):
        owner.send("/start")
        await asked(server, owner, t=t)
        await finish_audit(server, owner, answers, t)
        await send(server, owner, "/help", t.gettext("What I can do"))
    seen = "\n".join(m.text or "" for m in owner.messages())
    assert english_leftovers(locale, seen) == []
    assert t.gettext("Revenue at risk") in seen
    commands = server.my_commands(language_code=locale)
    assert commands[0]["description"] == t.gettext("Start or continue the audit")


@pytest.mark.parametrize("locale", ["en", "es", "pl", "fr"])
def test_the_outage_sms_fits_one_message_in_every_language(locale: str) -> None:
    from datetime import date

    from bot import render
    from bot.plan import Exposure, Plan

    none = Exposure(None, None, None, 0, None, 0, False, 0, None, None, None, ())
    plan = Plan(
        date(2026, 11, 23), "Anillos Alex SL", None, None, (), ("Instagram", "WhatsApp"), None,
        None, (), none, (), (),
    )  # fmt: skip
    sms = render.outage_messages(plan, translator(locale)).sms
    gsm7 = set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    )
    assert len(sms) <= 160, sms
    assert set(sms) <= gsm7 | set("[]"), set(sms) - gsm7  # [ ] are GSM-7 extension characters
