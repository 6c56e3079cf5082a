"""The plan reaches Telegram whatever an owner typed: every chunk is valid Telegram HTML and
fits one message, with names and addresses full of markup, entities and emoji."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import render
from bot.i18n import translator
from bot.interview import Interview
from bot.plan import Plan
from bot.planview import plan_view
from tests.answering import answer_all
from tests.fakebotapi import parse_html, utf16_length
from tests.personas import PERSONAS

# What makes markup go wrong: characters that expand when escaped, tags, entities, newlines,
# characters outside the BMP (two UTF-16 units each, as Telegram counts).
HOSTILE = st.lists(
    st.sampled_from([*"&<>\"'/\n ab;#é", "😀", "<pre>", "</b>", "&amp;"]), max_size=120
).map("".join)


def persona_plan(interview: Interview, name: str) -> Plan:
    persona = PERSONAS[name]
    answer_all(interview, persona.respondent, persona.answers, persona.locale)
    latest = interview.latest_plan(persona.respondent)
    assert latest is not None
    return latest[1]


def assert_sendable(messages: list[str]) -> None:
    for message in messages:
        text, _ = parse_html(message)  # raises as Telegram would refuse it
        assert len(message) <= render.TELEGRAM_LIMIT and utf16_length(text) <= 4096


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=HOSTILE.filter(str.strip), site=HOSTILE, locale=st.sampled_from(["en", "fr"]))
def test_every_chunk_is_valid_telegram_html_that_fits(
    interview: Interview, name: str, site: str, locale: str
) -> None:
    plan = persona_plan(interview, "coach")
    hostile = dataclasses.replace(plan, business_name=name[:80], website=site or None)
    messages = render.plan_chat(plan_view(hostile, translator(locale)), just_finished=True)
    assert_sendable(messages)
    if "&" in name:
        assert "&amp;" in "".join(messages)  # escaped, not dropped


def test_an_over_long_section_becomes_plain_text_chunks_that_fit() -> None:
    section = "<b>Title</b>\n" + "<i>" + "&amp;" * 2000 + "</i>\n<pre>" + "x" * 5000 + "</pre>"
    messages = render.pack([section])
    assert len(messages) >= 2
    assert_sendable(messages)
    assert "<pre>" not in "".join(messages)  # the markup went, the text stayed
