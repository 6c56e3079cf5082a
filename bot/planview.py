"""The plan as people read it: one front-end-neutral view, built once, in one language.

Every front end shows the same view: the chat templates, the terminal (the chat without its
markup), the PDF and the calendar. So an order or a wording decided here — which actions come
first, how a deadline or an amount is written — is the same in all of them. Every string in a
view is already translated and every number already formatted; a renderer only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import markets, placeholders, platforms, render
from bot.i18n import N_, Translator
from bot.placeholders import Situation
from bot.plan import SNOOZE, AreaScore, Plan, PlannedAction
from bot.render import OutageMessages

# The plan is paced by week (see bot/ranking.py): this week, next week, then by date.
WEEK_HEADINGS = {1: N_("This week"), 2: N_("Next week")}
LATER_HEADING = N_("By %(date)s")
WEEK_LABELS = {1: N_("this week, by %(date)s"), 2: N_("next week, by %(date)s")}
LATER_LABEL = N_("by %(date)s")
NOT_ENOUGH_DATA = N_("not enough data")
# Between two quoted answers ("; " in English; French puts a narrow space before the ";").
ANSWER_SEPARATOR = N_("; ")
OVERALL = N_("Overall")
STATE_MARKS = {"done": "✅", "snoozed": "⏰", "dropped": "✖"}
MOVES_HEADINGS = {1: N_("Your first move"), 2: N_("Your two moves"), 3: N_("Your three moves")}
SCORE_LINE = N_("%(area)s: %(score)s")
MESSAGES_INTRO_BRACKETS = N_(
    "Copy them now, fill in what is in brackets, and keep them where you can find them in the "
    "first hour of an outage."
)
MESSAGES_INTRO = N_(
    "Copy them now and keep them where you can find them in the first hour of an outage."
)
# An outage notice, not an advertisement: what the law allows to be sent differs by market
# (the plan's notes), but a message with an offer in it is marketing everywhere.
NO_OFFERS = N_(
    "Keep offers out of an outage message: it tells the customers who already buy from you where "
    "to find you, nothing more."
)
EMAIL_LABEL, SMS_LABEL, BANNER_LABEL = N_("Email"), N_("SMS"), N_("Website banner")
SIGN_LABEL = N_("Sign for your shop or stall")
VOICEMAIL_LABEL = N_("Voicemail greeting")
POST_LABELS = {
    "telegram": N_("Telegram channel post"),
    "google_post": N_("Post on your Google profile"),
    "linkedin": N_("LinkedIn post"),
    None: N_("Telegram channel or social post"),
}


@dataclass(frozen=True)
class ScoreRow:
    label: str
    score: int | None
    value: str
    """"40/100", or why there is no score."""
    line: str
    """Label and value, punctuated the language's way ("Backups: 40/100")."""


@dataclass(frozen=True)
class Change:
    """A score then and now ("Backups: 40 → 75 ↑")."""

    label: str
    before: int
    after: int

    @property
    def arrow(self) -> str:
        return "↑" if self.after > self.before else "↓" if self.after < self.before else "="


@dataclass(frozen=True)
class ActionView:
    id: str
    title: str
    area: str
    week: int
    """1: this week; 2: next week; and so on."""
    when: str
    """"this week, by 2 Dec 2026"."""
    due: date
    steps: tuple[str, ...]
    why: str
    answered: tuple[tuple[str, str], ...]
    """(question, answer) pairs that triggered the action."""
    because: str
    """The same pairs as one line, punctuated the language's way."""
    state: str | None = None
    """What the owner did with it: "done", "snoozed", "dropped", or None (still to do)."""

    @property
    def mark(self) -> str:
        """The box in front of it: ☐ to do, ✅ done, ⏰ snoozed, ✖ not for them."""
        return STATE_MARKS.get(self.state or "", "☐")


@dataclass(frozen=True)
class WeekGroup:
    heading: str
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class Remark:
    """An area already in good shape ("good"), one the plan could not judge ("unknown"), or a
    legal note ("law")."""

    area: str
    text: str
    kind: str


@dataclass(frozen=True)
class RiskView:
    known: bool
    lines: tuple[str, ...]
    """The outage and account-loss estimates, or why there is none."""
    formula: str


@dataclass(frozen=True)
class PlanView:
    locale: str
    title: str
    made_on: str
    finished_on: date
    business_name: str | None
    overall: int | None
    scores: tuple[ScoreRow, ...]
    weakest: tuple[ScoreRow, ...]
    risk: RiskView
    actions: tuple[ActionView, ...]
    """Every action, in the one order all front ends show."""
    groups: tuple[WeekGroup, ...]
    """The same actions, in the same order, under their week headings ("This week", "Next
    week", "By 16 Dec")."""
    remarks: tuple[Remark, ...]
    later: tuple[str, ...]
    """Titles of actions that also apply, for when these are done."""
    messages: OutageMessages
    message_blocks: tuple[tuple[str, str], ...]
    """(label, text) of each ready-made message, in the order every front end shows them."""
    messages_intro: str = ""
    """What to do with them (fill in the brackets only where there are some)."""
    country: str | None = None
    """Where most customers are (the audit's answer): the PDF's paper size follows it."""
    changes: tuple[Change, ...] = ()
    """Since the audit before (overall first, then the areas that moved); empty for a first."""

    @property
    def week_count(self) -> int:
        return sum(1 for action in self.actions if action.week == 1)

    @property
    def done(self) -> int:
        return sum(1 for action in self.actions if action.state == "done")

    @property
    def moves(self) -> tuple[ActionView, ...]:
        """The owner's three moves: the first three actions."""
        return self.actions[:3]

    @property
    def moves_heading(self) -> str:
        """What the moves are called: a plan with one action has no "three moves"."""
        return MOVES_HEADINGS.get(len(self.moves), MOVES_HEADINGS[3])


def plan_view(plan: Plan, t: Translator) -> PlanView:
    # Figures as the owner's market writes them ("1.500.000 $" in Bogotá, not "1 500 000 $").
    t = t.in_market(markets.number_locale(plan.market, t.locale))
    where = Situation(plan.platforms, plan.market, placeholders.fallbacks(plan.fallback_channels))
    actions = tuple(
        _action(action, t, where, plan.states.get(action.rule.id)) for action in plan.actions
    )
    messages = render.outage_messages(plan, t)
    weeks = sorted({action.week for action in actions})
    groups = tuple(
        WeekGroup(
            _week_heading(week, next(a for a in actions if a.week == week).due, t),
            tuple(a for a in actions if a.week == week),
        )
        for week in weeks
    )
    return PlanView(
        locale=t.locale,
        title=plan_title(plan.business_name, t),
        made_on=t.gettext("Made on %(date)s") % {"date": t.day(plan.finished_on)},
        finished_on=plan.finished_on,
        business_name=plan.business_name,
        overall=plan.overall,
        changes=_changes(plan, t),
        scores=tuple(_score(score, t) for score in plan.scores if score.applies),
        weakest=tuple(_score(score, t) for score in plan.weakest()),
        risk=_risk(plan, t),
        actions=actions,
        groups=groups,
        remarks=_remarks(plan, t),
        later=tuple(t.gettext(action.rule.title) for action in plan.later),
        messages=messages,
        message_blocks=(blocks := _message_blocks(plan, messages, t)),
        messages_intro=_messages_intro(blocks, t),
        country=plan.country,
    )


def _message_blocks(
    plan: Plan, messages: OutageMessages, t: Translator
) -> tuple[tuple[str, str], ...]:
    """The ready-made messages for the channels the owner said they could use in an outage;
    every one, as something to start from, when none of them is theirs."""
    has = set(plan.fallback_channels)
    blocks = (
        (EMAIL_LABEL, f"{messages.email_subject}\n\n{messages.email_body}", "email" in has),
        (SMS_LABEL, messages.sms, "sms" in has),
        (POST_LABELS[messages.post_channel], messages.post, messages.post_channel is not None),
        # Empty for an owner without a site of their own.
        (BANNER_LABEL, messages.banner, "website_banner" in has),
        (SIGN_LABEL, messages.sign, True),  # empty without a shop or stall
        (VOICEMAIL_LABEL, messages.voicemail, True),  # empty unless they would call
    )
    theirs = tuple((t.gettext(label), text) for label, text, fits in blocks if text and fits)
    return theirs or tuple((t.gettext(label), text) for label, text, _ in blocks if text)


def _messages_intro(blocks: tuple[tuple[str, str], ...], t: Translator) -> str:
    """What to do with the messages: fill in the brackets where there are some; and, with a
    text or an email among them, no offers in them."""
    intro = t.gettext(
        MESSAGES_INTRO_BRACKETS if any("[" in text for _, text in blocks) else MESSAGES_INTRO
    )
    if {t.gettext(EMAIL_LABEL), t.gettext(SMS_LABEL)} & {label for label, _ in blocks}:
        intro += " " + t.gettext(NO_OFFERS)
    return intro


def plan_title(business_name: str | None, t: Translator) -> str:
    if business_name:
        return t.gettext("Your plan for %(name)s") % {"name": business_name}
    return t.gettext("Your plan")


def _score(area_score: AreaScore, t: Translator) -> ScoreRow:
    score = area_score.score
    value = f"{score}/100" if score is not None else t.gettext(NOT_ENOUGH_DATA)
    label = t.gettext(area_score.area.text)
    line = t.gettext(SCORE_LINE) % {"area": label, "score": value}
    return ScoreRow(label, score, value, line)


def _changes(plan: Plan, t: Translator) -> tuple[Change, ...]:
    """What moved since the audit before: overall, then each area whose score changed."""
    if plan.previous is None:
        return ()
    changes = []
    if plan.overall is not None and plan.previous_overall is not None:
        changes.append(Change(t.gettext(OVERALL), plan.previous_overall, plan.overall))
    for score in plan.scores:
        before = plan.previous.get(score.area.id)
        if score.score is not None and before is not None and before != score.score:
            changes.append(Change(t.gettext(score.area.text), before, score.score))
    return tuple(changes)


def _week_heading(week: int, due: date, t: Translator) -> str:
    if week in WEEK_HEADINGS:
        return t.gettext(WEEK_HEADINGS[week])
    return t.gettext(LATER_HEADING) % {"date": t.day(due)}


def _action(
    action: PlannedAction, t: Translator, where: Situation, state: str | None = None
) -> ActionView:
    rule = action.rule
    # Snoozed: due a week later than planned.
    due = action.due + SNOOZE if state == "snoozed" else action.due
    answered = tuple(
        (
            render.question_words(r.question, t, where),
            render.describe(r.question, r.value, t, where),
        )
        for r in action.reasons
    )
    label = WEEK_LABELS.get(action.week, LATER_LABEL)
    return ActionView(
        id=rule.id,
        title=t.gettext(rule.title),
        area=rule.area,
        week=action.week,
        when=t.gettext(label) % {"date": t.day(due)},
        due=due,
        steps=tuple(placeholders.fill(t.gettext(step), where, t) for step in action.steps),
        why=t.gettext(rule.why),
        answered=answered,
        because=t.gettext(ANSWER_SEPARATOR).join(
            t.gettext("%(question)s → %(answer)s") % {"question": q, "answer": a}
            for q, a in answered
        ),
        state=state,
    )


def _remarks(plan: Plan, t: Translator) -> tuple[Remark, ...]:
    remarks = []
    for section in plan.sections:
        area = t.gettext(section.area.text)
        if section.good:
            remarks.append(Remark(area, t.gettext(section.good), "good"))
        if section.unjudged:
            remarks.append(Remark(area, t.gettext(section.unjudged), "unknown"))
        remarks.extend(Remark(area, t.gettext(note), "law") for note in section.notes)
    return tuple(remarks)


def _risk(plan: Plan, t: Translator) -> RiskView:
    exposure = plan.exposure
    if not exposure.known:
        why = t.gettext(
            "Not enough data to estimate it: your daily sales and the share that comes "
            "through Meta are needed (in the chat, /answers changes one answer)."
        )
        return RiskView(False, (why,), "")
    assert exposure.outage_low is not None and exposure.outage_high is not None
    assert exposure.ban is not None
    currency = exposure.currency or "USD"
    # Estimates read as estimates: rounded, no cents ("about 9 000 F CFA", not "9 003,00").
    low, high = (
        t.estimate(exposure.outage_low, currency),
        t.estimate(exposure.outage_high, currency),
    )
    day = t.day(platforms.BIG_OUTAGE)
    if low == high:
        outage = t.gettext("A six-hour outage like %(day)s: about %(amount)s.") % {
            "day": day,
            "amount": low,
        }
    else:
        outage = t.gettext(
            "A six-hour outage like %(day)s: from %(low)s (at a quiet time) "
            "to %(high)s (in your busiest hours)."
        ) % {"day": day, "low": low, "high": high}
    ban = t.gettext("Losing your account for 30 days: about %(amount)s.") % {
        "amount": t.estimate(exposure.ban, currency)
    }
    return RiskView(True, (outage, ban), render.formula(exposure, t))
