"""What people read: prompts, answers as words, chat messages within Telegram's limits."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import render, sms
from bot.dialog import Dialog
from bot.i18n import translator
from bot.interview import Interview
from bot.planview import plan_view
from bot.telegram.showing import answer_echo
from tests.personas import PERSONAS

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
    html = answer_echo(question, "<b>Rings</b> & <a href='x'>co</a>", EN)
    assert "<a href" not in html and "&lt;b&gt;Rings&lt;/b&gt; &amp;" in html


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


def persona_plan(interview: Interview, name: str):
    persona = PERSONAS[name]
    from tests.answering import answer_all

    answer_all(interview, persona.respondent, persona.answers, persona.locale)
    latest = interview.latest_plan(persona.respondent)
    assert latest is not None
    return latest[1], translator(persona.locale)


def test_a_real_plan_fits_telegram_and_keeps_its_tags(interview: Interview) -> None:
    for name in PERSONAS:
        plan, t = persona_plan(interview, name)
        messages = render.plan_chat(plan_view(plan, t), just_finished=True)
        assert len(messages) >= 2  # the summary comes on its own
        assert all(len(m) <= 4096 and balanced(m) for m in messages), name
        joined = "\n".join(messages)
        for action in plan.actions:
            assert t.gettext(action.rule.title) in joined.replace("&#39;", "'")


def test_the_summary_shows_the_score_the_weakest_areas_and_the_money(
    interview: Interview,
) -> None:
    plan, t = persona_plan(interview, "jeweller")
    summary = render.plan_chat(plan_view(plan, t))[0]
    assert f"<b>{plan.overall}/100</b>" in summary
    assert "Weakest areas:" in summary
    assert "from $38 (at a quiet time) to $120" in summary  # estimates, rounded
    assert "$4,500" in summary and "$4,500.00" not in summary
    assert "How: daily sales $150 × 100%" in summary


def test_outage_messages_are_filled_in_and_the_sms_fits(interview: Interview) -> None:
    for name in PERSONAS:
        plan, t = persona_plan(interview, name)
        messages = render.outage_messages(plan, t)
        assert sms.fits(messages.sms), (name, messages.sms)
        assert plan.business_name and plan.business_name in messages.email_body
    studio, t = persona_plan(interview, "podcast_studio")
    assert "escola.example.pl" in render.outage_messages(studio, t).post


def test_outage_messages_name_the_owners_platforms_and_no_site_they_lack(
    interview: Interview,
) -> None:
    jeweller, t = persona_plan(interview, "jeweller")  # Instagram only, a link-in-bio page
    messages = render.outage_messages(jeweller, t)
    texts = [messages.email_subject, messages.email_body, messages.sms, messages.post]
    assert all("Instagram" in text for text in texts)
    assert not any("WhatsApp" in text or "Facebook" in text for text in texts)
    assert not any("[your website]" in text for text in texts) and messages.banner == ""
    assert "Website banner" not in [label for label, _ in plan_view(jeweller, t).message_blocks]
    unsure = dataclasses.replace(jeweller, has_site=None)  # a site, address not typed
    with_site = render.outage_messages(unsure, t)
    assert "[your website]" in with_site.sms and with_site.banner


def test_the_ready_made_messages_are_for_the_owners_own_channels(interview: Interview) -> None:
    jeweller, t = persona_plan(interview, "jeweller")  # no site of her own

    def blocks(*channels: str, phone: str | None = None) -> dict[str, str]:
        owner = dataclasses.replace(jeweller, fallback_channels=channels, phone=phone)
        return dict(plan_view(owner, t).message_blocks)

    # Texts and calls: the SMS and what callers hear, not an email nor a post to channels she
    # does not have.
    texts_and_calls = blocks("sms", "calls", phone="+1 555 0100")
    assert list(texts_and_calls) == ["SMS", "Voicemail greeting"]
    assert texts_and_calls["Voicemail greeting"] == (
        "You have reached Anillos Alex. Instagram is down today, but we are open as usual. "
        "Leave your name and number and we will call you back today."
    )
    assert list(blocks("calls", phone="+1 555 0100")) == ["Voicemail greeting"]
    # A banner only where she said she would put one (the address may be a bracket to fill).
    unsure = dataclasses.replace(jeweller, has_site=None, fallback_channels=("email",))
    assert list(dict(plan_view(unsure, t).message_blocks)) == ["Email"]
    # A Google profile and a shop: the post says where it goes, with no channel to follow, and
    # a sign for the door carries the number.
    google_and_shop = blocks("google_post", "shop", phone="+1 555 0100")
    assert list(google_and_shop) == ["Post on your Google profile", "Sign for your shop or stall"]
    post = google_and_shop["Post on your Google profile"]
    assert "📢 Anillos Alex is open as usual." in post and "Follow this channel" not in post
    sign = google_and_shop["Sign for your shop or stall"]
    assert sign.splitlines() == [
        "Anillos Alex",
        "Instagram is down today. We are open as usual: order here.",
        "Phone: +1 555 0100",
    ]
    telegram = blocks("telegram", "email", phone="+1 555 0100")["Telegram channel post"]
    assert "Follow this channel" in telegram
    # No site to point to first: the other ways are not "or" anything.
    assert "📨 phone +1 555 0100, email to [your email]" in telegram and "or:" not in telegram
    # A message does not offer the channel it came by as another way to reach her.
    linkedin = blocks("linkedin", "email", "sms", phone="+1 555 0100")
    assert "LinkedIn" not in linkedin["LinkedIn post"].split("\n", 1)[1]
    assert "email to [your email]" in linkedin["LinkedIn post"]
    assert "email to" not in linkedin["Email"] and "+1 555 0100" in linkedin["Email"]
    # Worded for a shop and for a service alike: the audit does not say which she is.
    assert "what you ordered or booked with us stands" in linkedin["Email"]
    assert "To order, book or ask a question, simply reply to this email." in linkedin["Email"]
    # None she could use: every message, as something to start from.
    assert list(blocks("none")) == ["Email", "SMS", "Telegram channel or social post"]
    assert list(blocks()) == ["Email", "SMS", "Telegram channel or social post"]
    skipped = dataclasses.replace(jeweller, has_site=None, fallback_channels=())
    assert list(dict(plan_view(skipped, t).message_blocks)) == [
        "Email", "SMS", "Telegram channel or social post", "Website banner",
    ]  # fmt: skip


def test_the_outage_plan_names_the_owners_own_channels(interview: Interview) -> None:
    dakar, t = persona_plan(interview, "dakar_shop")  # SMS and calls, in French
    view = plan_view(dakar, t)
    (outage,) = [action for action in view.actions if action.id == "outage_plan"]
    assert outage.steps[0] == (
        "Décidez qui publie, et sur quel canal en premier\u202f: SMS et appels téléphoniques."
    )
    from tests.answering import answer_all

    unsaid = {**PERSONAS["dakar_shop"].answers, "fallback_channels": None}  # skipped
    answer_all(interview, "console:unsaid", unsaid, "fr")
    latest = interview.latest_plan("console:unsaid")
    assert latest is not None
    (generic,) = [a for a in plan_view(latest[1], t).actions if a.id == "outage_plan"]
    assert "Telegram" in generic.steps[0] and "%(" not in generic.steps[0]


@pytest.mark.parametrize("locale", ["en", "es", "pl", "fr"])
def test_the_sms_stays_one_gsm7_segment_and_says_who_writes(
    interview: Interview, locale: str
) -> None:
    plan, _ = persona_plan(interview, "coach")
    for name in ("Zielińska Łódź Żółć", "Lucía Núñez Peña — Estética", "Ç" * 90):
        named = dataclasses.replace(plan, business_name=name, website="zielinska-lodz.example.pl")
        text = render.outage_messages(named, translator(locale)).sms
        assert sms.fits(text), (locale, text)
        assert text.startswith(sms.to_gsm7(name)[:5])


def test_a_long_business_name_still_leaves_an_sms_that_fits(interview: Interview) -> None:
    plan, t = persona_plan(interview, "jeweller")
    long_name = plan.__class__(**{**plan.__dict__, "business_name": "N" * 80})
    assert len(render.outage_messages(long_name, t).sms) <= render.SMS_LIMIT


def test_a_whatsapp_shop_on_one_phone_backs_up_its_chats_where_whatsapp_keeps_them(
    interview: Interview,
) -> None:
    """The phone's own backup does not reliably hold WhatsApp's chats; and an owner with only
    a phone is not told to copy to a computer at home."""
    from tests.answering import answer_all
    from tests.casebook import DAKAR_TAILOR

    answer_all(interview, DAKAR_TAILOR.respondent, DAKAR_TAILOR.answers, DAKAR_TAILOR.locale)
    latest = interview.latest_plan(DAKAR_TAILOR.respondent)
    assert latest is not None
    view = plan_view(latest[1], translator("fr"))
    (backups,) = [action for action in view.actions if action.id == "three_two_one"]
    steps = " ".join(backups.steps)
    assert "Paramètres → Discussions → Sauvegarde → Quotidienne" in steps
    assert "discussions partent dans le cloud" not in steps  # not the phone's backup
    assert "ordinateur" not in steps


def test_the_messages_say_what_to_do_with_them(interview: Interview) -> None:
    jeweller, t = persona_plan(interview, "jeweller")

    def intro(*channels: str, **changes: object) -> str:
        owner = dataclasses.replace(jeweller, fallback_channels=channels, **changes)
        return plan_view(owner, t).messages_intro

    # A text: no offer in it; brackets to fill only where a message has some.
    texted = intro("sms", phone="+1 555 0100")
    assert "Keep offers out of an outage message" in texted and "brackets" not in texted
    assert "fill in what is in brackets" in intro("sms", business_name=None)  # "[your business]"
    # A sign on the door is not a text nor an email.
    assert "Keep offers out" not in intro("shop", phone="+1 555 0100")


def test_a_banner_says_order_here_only_on_a_site_that_takes_orders(interview: Interview) -> None:
    jeweller, t = persona_plan(interview, "jeweller")

    def banner(kind: str | None) -> str:
        owner = dataclasses.replace(
            jeweller, has_site=True, site_kind=kind, website="anillos.example", fallback_channels=()
        )
        return render.outage_messages(owner, t).banner

    assert "Order here" in banner("ordering") and "Order here" in banner(None)
    assert banner("contact_form") == (
        "Instagram is down right now: we are not. Write to us with the contact form on this page."
    )
    assert banner("info").endswith("Our contact details are on this page.")


def test_a_rehearsed_outage_keeps_the_channels_the_owner_falls_back_on(
    interview: Interview,
) -> None:
    from tests.answering import answer_all
    from tests.casebook import ESCOLA

    answer_all(interview, ESCOLA.respondent, ESCOLA.answers, ESCOLA.locale)
    latest = interview.latest_plan(ESCOLA.respondent)
    assert latest is not None
    view = plan_view(latest[1], translator(ESCOLA.locale))
    (drill,) = [action for action in view.actions if action.id == "outage_drill"]
    assert "Instagram i Facebook" in drill.steps[0]  # Meta's apps, down together
    assert "YouTube" not in drill.steps[0]  # where the studio would reach its listeners
    # Without Meta: the platforms but those the owner falls back on, at least one.
    studio = dataclasses.replace(latest[1], platforms=("LinkedIn", "YouTube"))
    (alone,) = [a for a in plan_view(studio, translator("en")).actions if a.id == "outage_drill"]
    assert "act as if LinkedIn had stopped working" in alone.steps[0]


def test_no_ad_account_for_an_owner_who_runs_no_ads(interview: Interview) -> None:
    from tests.answering import answer_all

    no_ads = {**PERSONAS["jeweller"].answers, "account_security": ["two_factor"], "ad_spend": "0"}
    answer_all(interview, "console:no-ads", no_ads)
    latest = interview.latest_plan("console:no-ads")
    assert latest is not None
    view = plan_view(latest[1], EN)
    steps = [step for action in view.actions for step in action.steps]
    assert "Add a trusted second admin to your business page." in steps
    assert not [step for step in steps if "ad account" in step]
    on_facebook = {**no_ads, "first_contact": ["facebook"], "account_security": ["none"]}
    answer_all(interview, "console:facebook-no-ads", on_facebook)
    latest = interview.latest_plan("console:facebook-no-ads")
    assert latest is not None
    steps = [step for action in plan_view(latest[1], EN).actions for step in action.steps]
    assert (
        "Add a second admin you trust to your Facebook Page (in the Page's settings or Meta "
        "Business Suite)." in steps
    )
    assert not [step for step in steps if "ad account" in step]


def test_no_google_business_profile_for_an_owner_who_is_not_on_google(
    interview: Interview,
) -> None:
    jeweller, _ = persona_plan(interview, "jeweller")  # online only, not on Google Maps
    steps = [step for action in plan_view(jeweller, EN).actions for step in action.steps]
    assert "Link it from every profile." in steps
    assert not [step for step in steps if "Google Business Profile" in step]


def test_a_list_of_phone_numbers_is_not_told_to_send_confirmation_emails(
    interview: Interview,
) -> None:
    from tests.answering import answer_all

    phones = {**PERSONAS["jeweller"].answers, "contact_list": ["phone_book"], "consent": "verbal",
              "list_coverage": "half", "customer_type": "consumers"}  # fmt: skip
    answer_all(interview, "console:phones", phones)
    latest = interview.latest_plan("console:phones")
    assert latest is not None
    plan = latest[1]
    (consent,) = [a for a in (*plan.actions, *plan.later) if a.rule.id == "record_consent"]
    assert "For phone numbers, keep each customer's written yes" in " ".join(consent.steps)
    assert not [step for step in consent.steps if "confirmation email" in step]


def test_lives_are_downloaded_from_the_platform_the_owner_streams_on(
    interview: Interview,
) -> None:
    from tests.answering import answer_all

    def lives_steps(name: str, first_contact: list[str]) -> tuple[str, ...]:
        answers = {**PERSONAS["jeweller"].answers, "first_contact": first_contact,
                   "platform_only_content": ["lives"]}  # fmt: skip
        answer_all(interview, f"console:{name}", answers)
        latest = interview.latest_plan(f"console:{name}")
        assert latest is not None
        everything = (*latest[1].actions, *latest[1].later)
        (lives,) = [action for action in everything if action.rule.id == "download_lives"]
        return lives.steps

    instagram = lives_steps("instagram", ["instagram"])
    assert instagram[0].startswith("Instagram:") and not any("YouTube" in s for s in instagram)
    youtube = lives_steps("youtube", ["youtube_podcast"])
    assert youtube[0].startswith("YouTube:") and not any("Instagram" in s for s in youtube)
