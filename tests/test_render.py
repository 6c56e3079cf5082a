"""What people read: prompts, answers as words, chat messages within Telegram's limits."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot import render
from bot.dialog import Dialog
from bot.i18n import translator
from bot.interview import Interview
from tests.answering import JEWELLER, answer_all

EN = translator("en")


def test_answers_read_as_words(audit: Dialog) -> None:
    def describe(question_id: str, value: object, locale: str = "en") -> str:
        question = audit.question(question_id)
        assert question is not None
        return render.describe(question, value, translator(locale))

    assert describe("first_contact", ["instagram", "whatsapp"]) == "Instagram, WhatsApp"
    assert describe("account_trouble", True) == "Yes"
    assert describe("meta_revenue_share", 95) == "95 %"
    assert describe("ad_spend", {"amount": 600000, "currency": "XOF"}, "fr") == (
        "600\u202f000\u00a0F\u202fCFA"
    )
    assert describe("business_name", None) == "Skipped"
    assert describe("website", None) == "Don't know"


def test_an_owners_text_cannot_become_markup(audit: Dialog) -> None:
    question = audit.question("business_name")
    assert question is not None
    html = render.answered_html(question, "<b>Rings</b> & <a href='x'>co</a>", EN)
    assert "<a href" not in html and "&lt;b&gt;Rings&lt;/b&gt; &amp;" in html


def test_the_saved_summary_lists_every_answer(interview: Interview) -> None:
    answer_all(interview, "console:alex", JEWELLER)
    audit = interview.finished_audit("console:alex")
    assert audit is not None
    messages = render.saved_summary_html(interview.dialog, interview.answers(audit.id), EN)
    text = "\n".join(messages)
    assert "Anillos Alex" in text and "Owned audience" in text
    assert "You answered 21 questions." in text


TAG = re.compile(r"</?([a-z]+)[^>]*>")


def balanced(html: str) -> bool:
    stack = []
    for match in TAG.finditer(html):
        name = match.group(1)
        if match.group(0).startswith("</"):
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


@given(st.lists(st.text(min_size=0, max_size=1500), min_size=1, max_size=30))
def test_packed_messages_fit_and_never_cut_a_tag(paragraphs: list[str]) -> None:
    sections = [f"<b>{i}</b>\n<i>{escape(p)}</i>" for i, p in enumerate(paragraphs)]
    messages = render.pack(sections, limit=4096)
    assert all(len(message) <= 4096 for message in messages)
    assert all(balanced(message) for message in messages)
    assert "".join(messages).count("<b>") == len(sections)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_a_section_longer_than_a_message_is_split_at_lines() -> None:
    section = "\n".join(f"<b>line {i}</b> " + "x" * 100 for i in range(100))
    messages = render.pack([section])
    assert len(messages) >= 3
    assert all(len(m) <= 4096 and balanced(m) for m in messages)
