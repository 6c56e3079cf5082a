"""Answers → Plan: a score per area, the revenue at risk, and dated actions with their reasons.

Pure: no I/O, no language. Everything the plan says is traceable: each score lists the items it
earned and missed, each action the answers that triggered it, the revenue at risk its formula.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from statistics import mean
from typing import Any

from babel.numbers import get_currency_precision

from bot import audit_ids as ids
from bot import markets, platforms, ranking
from bot.conditions import Answers
from bot.dialog import Area, Dialog, Question
from bot.i18n import finite, money_parts
from bot.markets import Market
from bot.rules import ActionRule, AreaRules, Rules

OUTAGE_HOURS = 6
SNOOZE = timedelta(days=7)
"""How much later a snoozed action ("⏰ next week") is due."""
GOOD_SHAPE = 70
"""A score from which an area is in good shape: said so, and never among the weakest."""
BAN_DAYS = 30
# When an owner names their busiest hours, we assume this share of the day's sales falls in
# them; an outage that hits them costs that much (the 2021 outage hit Europe's evening peak).
PEAK_SHARE = Decimal("0.8")
log = logging.getLogger(__name__)
RECOVERED_SHARE = {"most": Decimal("0.75"), "half": Decimal("0.5"), "few": Decimal("0.2"),
                   "none": Decimal(0)}  # fmt: skip


@dataclass(frozen=True)
class Reason:
    """An answer that triggered an action, quoted back to the owner."""

    question: Question
    value: Any


@dataclass(frozen=True)
class AreaScore:
    area: Area
    score: int | None
    """0–100, or None when the answers do not allow a judgement."""
    earned: tuple[tuple[str, int], ...]
    missed: tuple[tuple[str, int], ...]
    applies: bool = True
    """False when the area does not concern this owner (no ads): nothing to judge or show."""


@dataclass(frozen=True)
class PlannedAction:
    rule: ActionRule
    due: date
    steps: tuple[str, ...]
    reasons: tuple[Reason, ...]
    week: int = 1
    """1: this week; 2: next week; and so on (see `ranking`)."""
    value: float = 0.0


@dataclass(frozen=True)
class Section:
    """One area of the plan: its actions, or why it is already fine, and legal notes."""

    area: Area
    score: int | None
    actions: tuple[PlannedAction, ...]
    good: str | None
    notes: tuple[str, ...]
    unjudged: str | None = None
    """For an area the plan always covers but could not judge ("don't know" to all):
    how to find out, and the first thing to do."""


@dataclass(frozen=True)
class Exposure:
    """Revenue at risk: Loss = D × S × W × (1 − R), plus ad spend wasted during the outage.

    D daily revenue, S share of revenue through Meta, W share of the day's sales in the outage
    hours (`quiet_window` when it hits quiet hours, `peak_window` when it hits the busiest),
    R share of lost sales customers make later.
    """

    currency: str | None
    daily_revenue: Decimal | None
    meta_share: Decimal | None
    quiet_window: Decimal
    peak_window: Decimal | None
    recovered: Decimal
    recovered_known: bool
    ad_waste: Decimal
    outage_low: Decimal | None
    outage_high: Decimal | None
    ban: Decimal | None
    missing: tuple[str, ...]

    @property
    def known(self) -> bool:
        return self.outage_low is not None


@dataclass(frozen=True)
class Plan:
    finished_on: date
    business_name: str | None
    website: str | None
    country: str | None
    fallback_channels: tuple[str, ...]
    platforms: tuple[str, ...]
    """The platforms the business depends on, as named in outage messages (Meta's first)."""
    has_site: bool | None
    """Whether the owner has a site of their own (None: they did not say)."""
    overall: int | None
    scores: tuple[AreaScore, ...]
    exposure: Exposure
    actions: tuple[PlannedAction, ...]
    """The owner's actions, most valuable first (see `ranking`); the first three are their
    three moves."""
    sections: tuple[Section, ...]
    later: tuple[PlannedAction, ...] = ()
    """Actions that also apply, beyond what one plan should ask at once."""
    phone: str | None = None
    """The number customers should call or text in an outage, as the owner typed it."""
    site_kind: str | None = None
    """What that site does: "ordering", "contact_form" or "info" (the audit's options)."""
    market: Market = field(default_factory=lambda: markets.of({}))
    """Where the customers are: how figures are written, which law and payment apps apply."""
    previous: Mapping[str, int | None] | None = None
    """The scores per area of the owner's audit before this one (None: this is the first),
    so a check-up shows what changed; `previous_overall` likewise."""
    previous_overall: int | None = None
    states: Mapping[str, str] = field(default_factory=dict)
    """What the owner did with each action so far ("done", "snoozed", "dropped"), by id."""

    @property
    def done(self) -> int:
        return sum(1 for action in self.actions if self.states.get(action.rule.id) == "done")

    def weakest(self, count: int = 3) -> list[AreaScore]:
        """The areas most in need, weakest first; an area in good shape is never among them."""
        judged = [s for s in self.scores if s.score is not None and s.score < GOOD_SHAPE]
        return sorted(judged, key=lambda s: s.score or 0)[:count]


def build_plan(dialog: Dialog, rules: Rules, answers: Answers, finished_on: date) -> Plan:
    """The plan for one owner's effective answers (see `Dialog.effective_answers`)."""
    answers = dialog.usable(answers)  # an unusable stored figure counts as "don't know"
    scores = tuple(_score(dialog, area_rules, answers) for area_rules in rules.scores)
    scored = [s for s in scores if s.score is not None]
    actions, later = _actions(dialog, rules, answers, finished_on)
    return Plan(
        finished_on=finished_on,
        business_name=_text(answers.get(ids.BUSINESS_NAME)),
        website=_text(answers.get(ids.WEBSITE_ADDRESS)),
        country=answers.get(ids.COUNTRY),
        fallback_channels=tuple(answers.get(ids.FALLBACK_CHANNELS) or ()),
        platforms=platforms.named(answers),
        has_site=_has_site(answers.get(ids.WEBSITE)),
        site_kind=_site_kind(answers.get(ids.WEBSITE)),
        phone=_text(answers.get(ids.OUTAGE_PHONE)),
        market=markets.of(answers),
        overall=round(mean(s.score for s in scored if s.score is not None)) if scored else None,
        scores=scores,
        exposure=exposure(answers),
        actions=actions,
        sections=_sections(dialog, rules, answers, scores, actions),
        later=later,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _site_kind(website: Any) -> str | None:
    return website if website in ids.SITE_OPTIONS else None


def _has_site(website: Any) -> bool | None:
    if website in ids.SITE_OPTIONS:
        return True
    return False if website in ids.NO_SITE_OPTIONS else None


# ── Scores ──────────────────────────────────────────────────────────────────────────────────


def _score(dialog: Dialog, area_rules: AreaRules, answers: Answers) -> AreaScore:
    area = dialog.area(area_rules.area)
    applies = area_rules.applies_when is None or area_rules.applies_when.holds(answers)
    looked_at = {
        test.question
        for item in area_rules.items
        if item.when is not None
        for test in item.when.tests()
    } | {item.scale.question for item in area_rules.items if item.scale}
    if not applies:
        return AreaScore(area, None, (), (), applies=False)
    if all(answers.get(question) is None for question in looked_at):
        return AreaScore(area, None, (), ())
    earned, missed = [], []
    for item in area_rules.items:
        points = _points(item.points, item, answers)
        if points:
            earned.append((item.text, points))
        else:
            missed.append((item.text, item.points))
    return AreaScore(area, min(100, sum(p for _, p in earned)), tuple(earned), tuple(missed))


def _points(points: int, item: Any, answers: Answers) -> int:
    if item.when is not None:
        return points if item.when.holds(answers) else 0
    scale = item.scale
    if scale.question not in answers:
        fraction = scale.when_not_asked or Decimal(0)
    else:
        value = _figure(scale.question, answers[scale.question])
        if value is None:
            return 0
        fraction = (value - scale.start) / (scale.end - scale.start)
    return round(points * min(Decimal(1), max(Decimal(0), fraction)))


# ── Actions ─────────────────────────────────────────────────────────────────────────────────


def _actions(
    dialog: Dialog, rules: Rules, answers: Answers, finished_on: date
) -> tuple[tuple[PlannedAction, ...], tuple[PlannedAction, ...]]:
    """The owner's actions in their order, and those beyond the plan's length (for later)."""
    applicable = [rule for rule in rules.actions if rule.when is None or rule.when.holds(answers)]
    planned = []
    for index, item in enumerate(ranking.rank(applicable, answers)):
        rule = item.rule
        week = ranking.week_of(index)
        planned.append(
            PlannedAction(
                rule=rule,
                due=ranking.due(finished_on, week),
                steps=tuple(s.text for s in rule.steps if s.when is None or s.when.holds(answers)),
                reasons=_reasons(dialog, rule, answers),
                week=week,
                value=item.value,
            )
        )
    return tuple(planned[: ranking.MAX_ACTIONS]), tuple(planned[ranking.MAX_ACTIONS :])


def _reasons(dialog: Dialog, rule: ActionRule, answers: Answers) -> tuple[Reason, ...]:
    if rule.when is None:
        return ()
    seen: list[str] = []
    for test in rule.when.tests():
        if test.question not in seen and answers.get(test.question) is not None:
            seen.append(test.question)
    reasons = []
    for question_id in seen:
        question = dialog.question(question_id)
        if question is not None:
            reasons.append(Reason(question, answers[question_id]))
    return tuple(reasons)


def _sections(
    dialog: Dialog,
    rules: Rules,
    answers: Answers,
    scores: tuple[AreaScore, ...],
    actions: tuple[PlannedAction, ...],
) -> tuple[Section, ...]:
    """Per area: its actions, its legal notes, and for the areas always covered either that
    they are in good shape (only when the answers show it) or that they could not be judged."""
    score_of = {s.area.id: s.score for s in scores}
    sections = []
    for area in dialog.areas:
        own = tuple(a for a in actions if a.rule.area == area.id)
        notes = tuple(
            n.text
            for n in rules.notes
            if n.area == area.id and (n.when is None or n.when.holds(answers))
        )
        required = rules.required.get(area.id)
        score = score_of.get(area.id)
        good = unjudged = None
        if required is not None and not own:
            if score is None:
                unjudged = required.unknown
            elif score >= GOOD_SHAPE:
                good = required.good
        if own or good or unjudged or notes:
            sections.append(Section(area, score, own, good, notes, unjudged))
    return tuple(sections)


# ── Revenue at risk ─────────────────────────────────────────────────────────────────────────


def exposure(answers: Answers) -> Exposure:
    """Revenue at risk. A figure that cannot be used (see `i18n.finite`) counts as missing."""
    revenue = _money_answer(ids.DAILY_REVENUE, answers.get(ids.DAILY_REVENUE))
    daily, currency = revenue if revenue else (None, None)
    share = _meta_share(answers)
    quiet = Decimal(OUTAGE_HOURS) / 24
    peak = _peak_window(answers.get(ids.PEAK_HOURS))
    recovered_answer = answers.get(ids.SALES_RECOVERED)
    recovered = RECOVERED_SHARE.get(recovered_answer or "", Decimal(0))
    missing = tuple(
        name for name, value in ((ids.DAILY_REVENUE, daily), (ids.META_REVENUE_SHARE, share))
        if value is None
    )  # fmt: skip
    ad_waste = _ad_waste(answers, currency)
    lost = None if daily is None or share is None else daily * share * (1 - recovered)

    def at_risk(window: Decimal) -> Decimal | None:
        return None if lost is None else _money(lost * window + ad_waste, currency)

    low, high = at_risk(quiet), at_risk(max(quiet, peak or quiet))
    ban = None if lost is None else _money(lost * BAN_DAYS, currency)
    if lost is not None and None in (low, high, ban):  # figures too large to round
        low = high = ban = None
        missing = (ids.DAILY_REVENUE, ids.META_REVENUE_SHARE)

    return Exposure(
        currency=currency,
        daily_revenue=daily,
        meta_share=share,
        quiet_window=quiet,
        peak_window=peak,
        recovered=recovered,
        recovered_known=recovered_answer in RECOVERED_SHARE,
        ad_waste=ad_waste,
        outage_low=low,
        outage_high=high,
        ban=ban,
        missing=missing,
    )


def _meta_share(answers: Answers) -> Decimal | None:
    if ids.META_REVENUE_SHARE not in answers:
        return Decimal(0)  # never asked: no Meta channel among first contacts or orders
    value = _figure(ids.META_REVENUE_SHARE, answers[ids.META_REVENUE_SHARE])
    if value is not None:
        return value / 100
    orders = set(answers.get(ids.ORDER_CHANNELS) or ())
    if orders and orders <= ids.META_ORDER_OPTIONS:
        return Decimal(1)  # "don't know", but every order arrives through Meta's apps
    return None


def _peak_window(peak_hours: Any) -> Decimal | None:
    if not isinstance(peak_hours, list) or not peak_hours or len(peak_hours) >= 4:
        return None
    return PEAK_SHARE / len(peak_hours)


def _ad_waste(answers: Answers, currency: str | None) -> Decimal:
    """Meta ad spend paid for the outage hours, when it is in the revenue's currency."""
    spend = _money_answer(ids.AD_SPEND, answers.get(ids.AD_SPEND))
    platforms = answers.get(ids.AD_PLATFORMS) or []
    if spend is None or spend[1] != currency or ids.META_AD_OPTION not in platforms:
        return Decimal(0)
    share = _figure(ids.AD_META_SHARE, answers.get(ids.AD_META_SHARE))
    meta_share = Decimal(1) if len(platforms) == 1 else (share or Decimal(0)) / 100
    return spend[0] * meta_share / 30 * OUTAGE_HOURS / 24


def _figure(question_id: str, value: Any) -> Decimal | None:
    """The number in a number or money answer, or None: unknown, or unusable (logged)."""
    if isinstance(value, dict):
        parts = _money_answer(question_id, value)
        return None if parts is None else parts[0]
    number = finite(value)
    if number is None and value is not None:
        log.warning("the answer to %s is not a usable number: counted as unknown", question_id)
    return number


def _money_answer(question_id: str, value: Any) -> tuple[Decimal, str] | None:
    parts = money_parts(value)
    if parts is None and value is not None:
        log.warning("the answer to %s is not a usable amount: counted as unknown", question_id)
    return parts


def _money(amount: Decimal, currency: str | None) -> Decimal | None:
    """`amount` rounded to the currency's decimals; None if it is too large to round."""
    digits = get_currency_precision(currency) if currency else 2
    try:
        return amount.quantize(Decimal(1).scaleb(-digits))
    except InvalidOperation:
        log.warning("a revenue-at-risk figure in %s is too large: counted as unknown", currency)
        return None
