"""Rendering: what a person reads, from Jinja2 templates and the catalogs, in their language.

Templates use the Jinja2 i18n extension (`{% trans %}`, `_()`), with the person's translator
passed in the render context, so renders for different languages can run side by side.
HTML templates (`*.html.j2`) are autoescaped: an owner's answer can never become markup.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from babel.lists import format_list
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bot import markets, placeholders, platforms, sms
from bot.dialog import InputError, Question, sound
from bot.i18n import N_, UNSHOWN, Money, Translator, money_parts, translator
from bot.placeholders import Situation
from bot.plan import Exposure, Plan
from bot.prompt import NOT_ANSWERED, Prompt
from bot.resources import TEMPLATES_DIR

if TYPE_CHECKING:  # the plan view is built with this module's helpers
    from bot.planview import PlanView

TELEGRAM_LIMIT = 4096
log = logging.getLogger(__name__)
PROGRESS_CELLS = 10


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    # The i18n extension adds this method; real callables come with each render.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


def render(template: str, translator: Translator, **context: Any) -> str:
    """Render `template` in the translator's language."""
    html = template.endswith(".html.j2")
    return (
        environment()
        .get_template(template)
        .render(
            gettext=_gettext(translator, html),
            ngettext=_ngettext(translator, html),
            _=_gettext(translator, html),
            t=translator,
            **context,
        )
        .strip()
    )


def _gettext(translator: Translator, html: bool) -> Any:
    def gettext(message: str, **variables: Any) -> str:
        text = translator.gettext(message)
        text = Markup(text) if html else text
        # Only format when there is something to fill: audit texts may hold a literal "%".
        return text % variables if variables else text

    return gettext


def _ngettext(translator: Translator, html: bool) -> Any:
    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translator.ngettext(singular, plural, num)
        return (Markup(text) if html else text) % variables

    return ngettext


# ── Answers as words ────────────────────────────────────────────────────────────────────────


def describe(question: Question, value: Any, t: Translator, where: Situation | None = None) -> str:
    """An answer as the owner would say it, in their language (`where`: the situation an
    option's text names, such as the payment apps of their market; figures are then written
    the way that market writes them)."""
    if where is not None:
        t = t.in_market(markets.number_locale(where.market, t.locale))
    if value is None:
        return t.gettext("Don't know") if question.skip == "dont_know" else t.gettext("Skipped")
    if not sound(question, value):
        # Stored by an older version (a 27-digit amount, "NaN", a wrong type): a dash, not a
        # crash. The id is logged, never the value.
        log.warning("the stored answer to %s cannot be shown", question.id)
        return UNSHOWN
    if question.type == "single":
        option = question.option(value)
        return option_words(option.text, t, where) if option else str(value)
    if question.type == "multi":
        return ", ".join(option_words(o.text, t, where) for o in question.options if o.id in value)
    if question.type == "yesno":
        return t.gettext("Yes") if value else t.gettext("No")
    if question.type == "number":
        number = t.number(value)
        return f"{number} %" if question.unit == "percent" else number
    if question.type == "money":
        parts = money_parts(value)
        return t.money(*parts) if parts else UNSHOWN
    return str(value)


def readings_question(question: Question, readings: tuple[Any, ...], t: Translator) -> str:
    """Ask which of two readings of a typed number the owner meant."""
    first, second = (describe(question, value, t) for value in readings)
    return t.gettext(N_("Did you mean %(first)s or %(second)s?")) % {
        "first": first,
        "second": second,
    }


def error_text(error: InputError, t: Translator) -> str:
    """Why an answer was refused, in the owner's language, numbers written their way."""
    if error.figures:
        t = t.in_market(error.figures)
    params: dict[str, Any] = {"example": t.number_example()}
    for name, value in error.params.items():
        if isinstance(value, Money):
            params[name] = t.money(value.amount, value.currency)
        elif isinstance(value, Decimal | int):
            params[name] = t.number(value)
        else:
            params[name] = value
    return t.gettext(error.message) % params


def progress_bar(number: int, total: int) -> str:
    filled = round(PROGRESS_CELLS * (number - 1) / max(total, 1))
    return "▓" * filled + "░" * (PROGRESS_CELLS - filled)


def question_words(question: Question, t: Translator, where: Situation | None = None) -> str:
    """The question as the owner reads it: translated, naming their own platforms."""
    return placeholders.fill(t.gettext(question.text), where or Situation(), t)


def option_words(text: str, t: Translator, where: Situation | None = None) -> str:
    """An option or a hint as the owner reads it: translated, naming their payment apps."""
    return placeholders.fill(t.gettext(text), where or Situation(), t)


def prompt_context(prompt: Prompt, t: Translator) -> dict[str, Any]:
    question = prompt.question
    previous = prompt.previous
    return {
        "prompt": prompt,
        "question": question,
        "question_text": question_words(question, t, prompt.situation),
        "hint_text": option_words(question.hint, t, prompt.situation) if question.hint else "",
        "bar": progress_bar(prompt.number, prompt.total),
        "previous": (
            None if previous is NOT_ANSWERED else describe(question, previous, t, prompt.situation)
        ),
    }


def answers_list(
    answers: list[tuple[Question, Any]], where: Situation, t: Translator, text: bool = False
) -> str:
    """A finished audit's answers, numbered, for changing one (/answers; `text`: the
    terminal's, where a number is typed)."""
    rows = [
        (question_words(question, t, where), describe(question, value, t, where))
        for question, value in answers
    ]
    return render("answers.txt.j2" if text else "answers.html.j2", t, answers=rows)


def prompt_html(prompt: Prompt, t: Translator) -> str:
    return render("prompt.html.j2", t, **prompt_context(prompt, t))


def prompt_text(prompt: Prompt, t: Translator) -> str:
    return render("prompt.txt.j2", t, **prompt_context(prompt, t))


def answer_words(
    question: Question,
    value: Any,
    t: Translator,
    where: Situation | None = None,
    typed_range: tuple[Any, Any] | None = None,
) -> str:
    """The answer as stored; for a range typed, that its middle was taken."""
    answer = describe(question, value, t, where)
    if typed_range is None:
        return answer
    low, high = (describe(question, end, t, where) for end in typed_range)
    return t.gettext(N_("%(answer)s, the middle of %(low)s and %(high)s")) % {
        "answer": answer,
        "low": low,
        "high": high,
    }


def checklist_html(view: PlanView) -> str:
    """The plan's actions with what the owner did with each, to tick from the chat."""
    return render("checklist.html.j2", translator(view.locale), view=view)


def reminder_html(t: Translator, kind: str, action: Any = None) -> str:
    """A reminder about the plan: the day before an action is due, the day after ("Did you
    manage it?"), or the monthly backup day."""
    return render("reminder.html.j2", t, kind=kind, action=action)


def checklist_text(view: PlanView) -> str:
    """The same, for the terminal, where a mark is typed ("2d")."""
    return render("checklist.txt.j2", translator(view.locale), view=view)


def pack(sections: Iterable[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Join whole sections into as few messages as fit; a section is never cut in two.

    Each section is a complete HTML fragment, so no message can end inside a tag or an entity.
    Lengths are measured on the markup, which is never shorter than the text Telegram counts.
    A single section longer than the limit (an owner's very long answer quoted back) is sent
    as plain text instead, split at line breaks and escaped again.
    """
    messages: list[str] = []
    current = ""
    for section in _fit(sections, limit):
        joined = f"{current}\n\n{section}" if current else section
        if len(joined) <= limit:
            current = joined
        else:
            messages.append(current)
            current = section
    if current:
        messages.append(current)
    return messages


def _fit(sections: Iterable[str], limit: int) -> Iterable[str]:
    for section in sections:
        if len(section) <= limit:
            yield section
            continue
        yield from pack(_plain_lines(section, limit), limit)


def _plain_lines(section: str, limit: int) -> Sequence[str]:
    """The section's text without markup, line by line, each escaped and within the limit."""
    text = html.unescape(_TAG.sub("", section))
    lines = []
    for line in text.split("\n"):
        escaped = html.escape(line, quote=False)
        while len(escaped) > limit:  # cut the text, never an entity: escape what remains
            line = line[: max(len(line) * limit // len(escaped) - 1, 1)]
            escaped = html.escape(line, quote=False) + "…"
        lines.append(escaped)
    return lines


# ── The plan ────────────────────────────────────────────────────────────────────────────────

SMS_LIMIT = sms.SEGMENT
# How customers reach the owner on each fallback channel, as written in an outage message.
CHANNEL_CONTACTS = {
    "sms": N_("SMS to [your number]"),
    "email": N_("email to [your email]"),
    "telegram": N_("our Telegram channel [t.me/…]"),
    "calls": N_("phone [your number]"),
    "linkedin": N_("LinkedIn"),
}
# The same, once the owner has given the number to put in the messages.
PHONE_CONTACTS = {"sms": N_("SMS to %(phone)s"), "calls": N_("phone %(phone)s")}


# Where an outage post can go, best first: a Telegram channel followers already watch, the
# Google profile searchers land on, LinkedIn for owners selling to businesses.
POSTING = ("telegram", "google_post", "linkedin")


@dataclass(frozen=True)
class OutageMessages:
    email_subject: str
    email_body: str
    sms: str
    post: str
    banner: str
    sign: str = ""  # for the shop's door or the stall, when the owner has one
    voicemail: str = ""  # the greeting callers hear, for an owner who would call customers
    post_channel: str | None = None  # which of POSTING the post is for (None: not said)


def outage_messages(plan: Plan, t: Translator) -> OutageMessages:
    """Messages to send in the first hour of an outage, filled with what the owner told us:
    the platforms they depend on, their site (no site line for an owner without one; a
    bracket to fill in for one who has a site but did not type it), their other channels."""
    business = plan.business_name or t.gettext("[your business]")
    website = plan.website
    if website is None and plan.has_site is not False:
        website = t.gettext("[your website]")
    down = platforms.in_an_outage(plan.platforms)
    post_channel = next((c for c in POSTING if c in plan.fallback_channels), None)
    context = {
        "business": business,
        "website": website,
        "channels": ", ".join(_contacts(plan, t)),
        "platforms": format_list(list(down), locale=t.locale),
        "count": len(down),
        # "Follow this channel" only where there is one to follow.
        "follow": post_channel in (None, "telegram"),
        "phone": plan.phone,
        "site_kind": plan.site_kind,  # a banner says "order here" only on a site that takes orders
    }
    return OutageMessages(
        email_subject=render("outage_email_subject.txt.j2", t, **context),
        # A message does not offer, as another way to reach the owner, the one it came by.
        email_body=render(
            "outage_email.txt.j2", t, **{**context, "channels": _others(plan, t, "email")}
        ),
        sms=_sms(t, context),
        post=render(
            "outage_post.txt.j2", t, **{**context, "channels": _others(plan, t, post_channel)}
        ),
        banner=render("outage_banner.txt.j2", t, **context) if website else "",
        sign=render("outage_sign.txt.j2", t, **context) if "shop" in plan.fallback_channels else "",
        voicemail=(
            render("outage_voicemail.txt.j2", t, **context)
            if "calls" in plan.fallback_channels
            else ""
        ),
        post_channel=post_channel,
    )


def _others(plan: Plan, t: Translator, came_by: str | None) -> str:
    """The owner's contacts but the channel a message is sent through."""
    channels = tuple(channel for channel in plan.fallback_channels if channel != came_by)
    return ", ".join(_contacts(replace(plan, fallback_channels=channels), t))


def _contacts(plan: Plan, t: Translator) -> list[str]:
    """How customers reach the owner without the platforms: the number they gave, not a
    bracket, and the number even when calls were not among the fallbacks they ticked."""
    channels = list(plan.fallback_channels)
    if plan.phone and not {"sms", "calls"} & set(channels):
        channels.insert(0, "calls")
    contacts = []
    if plan.phone and {"sms", "calls"} <= set(channels):
        contacts.append(t.gettext(N_("phone or SMS %(phone)s")) % {"phone": plan.phone})
        channels = [c for c in channels if c not in ("sms", "calls")]
    for channel in channels:
        if plan.phone and channel in PHONE_CONTACTS:
            contacts.append(t.gettext(PHONE_CONTACTS[channel]) % {"phone": plan.phone})
        elif channel in CHANNEL_CONTACTS:
            contacts.append(t.gettext(CHANNEL_CONTACTS[channel]))
    return contacts


def _sms(t: Translator, context: dict[str, Any]) -> str:
    """One GSM-7 segment that still says who is writing: the full wording, else the short
    one, else the short one with the business name cut to fit."""
    for template in ("outage_sms.txt.j2", "outage_sms_short.txt.j2"):
        text = sms.to_gsm7(render(template, t, **context))
        if sms.fits(text):
            return text
    name = sms.to_gsm7(context["business"])
    overflow = sms.septets(text) - sms.SEGMENT
    shorter = {**context, "business": name[: max(len(name) - overflow - 1, 1)]}
    return sms.to_gsm7(render("outage_sms_short.txt.j2", t, **shorter))


def formula(exposure: Exposure, t: Translator) -> str:
    """The revenue-at-risk arithmetic in plain words."""
    if not exposure.known:
        return ""
    assert exposure.daily_revenue is not None and exposure.meta_share is not None
    window = t.percent(exposure.quiet_window)
    if exposure.peak_window is not None and exposure.peak_window > exposure.quiet_window:
        window = t.gettext(N_("%(low)s–%(high)s")) % {
            "low": window,
            "high": t.percent(exposure.peak_window),
        }
    params = {
        "daily": t.money(exposure.daily_revenue, exposure.currency or "USD"),
        "share": t.percent(exposure.meta_share),
        "window": window,
        "lost": t.percent(1 - exposure.recovered),
        "ads": t.estimate(exposure.ad_waste, exposure.currency or "USD"),
    }
    if exposure.ad_waste:
        text = N_(
            "How: daily sales %(daily)s × %(share)s through Meta × %(window)s of a day's sales "
            "in six hours × %(lost)s not made up later, plus %(ads)s of Meta ads paid for nothing."
        )
    else:
        text = N_(
            "How: daily sales %(daily)s × %(share)s through Meta × %(window)s of a day's sales "
            "in six hours × %(lost)s not made up later."
        )
    return t.gettext(text) % params


def plan_chat(view: PlanView, just_finished: bool = False) -> list[str]:
    """The plan as Telegram messages: the summary on its own, then the actions in the view's
    order under their week headings, what is good to know, and the outage messages, packed
    into as few messages of at most 4096 characters as they fit (an action is never cut)."""
    t = translator(view.locale)
    summary = render("plan_summary.html.j2", t, view=view, just_finished=just_finished)
    sections = []
    for group in view.groups:
        for index, action in enumerate(group.actions):
            heading = group.heading if index == 0 else None
            sections.append(render("plan_action.html.j2", t, action=action, heading=heading))
    if view.remarks or view.later:
        sections.append(render("plan_remarks.html.j2", t, remarks=view.remarks, later=view.later))
    for index, (label, text) in enumerate(view.message_blocks):
        intro = view.messages_intro if not index else ""
        sections.append(render("plan_message.html.j2", t, label=label, text=text, intro=intro))
    return [summary, *pack(sections)]


_TAG = re.compile(r"<[^>]+>")


def now_utc() -> datetime:
    return datetime.now(UTC)


def plan_text(view: PlanView, just_finished: bool = False) -> str:
    """The plan for a terminal: the chat messages without their markup."""
    messages = plan_chat(view, just_finished)
    return "\n\n".join(html.unescape(_TAG.sub("", message)) for message in messages)
