"""The plan: rules load and validate, scores add up, actions fire exactly when their answers
call for them and come in order with their deadlines, the revenue at risk adds up, and four
real owners get sound plans.

The mechanics run on the small fixture audit and rules (tests/data/), whose numbers are worked
out by hand below; the content tests run on the shipped rules and name questions by id.
"""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot import rules as plan_rules
from bot.dialog import Dialog
from bot.errors import DialogError
from bot.interview import Interview
from bot.plan import Plan, build_plan, exposure
from tests.answering import JEWELLER, answer_all
from tests.engine_fixtures import SHOP, SMALL_RULES
from tests.engine_fixtures import small_audit as small_audit
from tests.engine_fixtures import small_interview as small_interview
from tests.engine_fixtures import small_rules as small_rules
from tests.personas import PERSONAS

TODAY = date(2026, 11, 23)
WEEK, MONTH, QUARTER = date(2026, 11, 30), date(2026, 12, 23), date(2027, 2, 21)


@pytest.fixture(scope="module")
def rules(audit: Dialog) -> plan_rules.Rules:
    return plan_rules.load(audit)


def plan_for(audit: Dialog, rules: plan_rules.Rules, answers: dict[str, Any]) -> Plan:
    return build_plan(audit, rules, audit.effective_answers(answers), TODAY)


def persona_plan(interview: Interview, name: str) -> Plan:
    persona = PERSONAS[name]
    answer_all(interview, persona.respondent, persona.answers, persona.locale)
    latest = interview.latest_plan(persona.respondent)
    assert latest is not None
    return latest[1]


# Typed answers as stored: the jeweller's, with numbers as the interview stores them.
STORED_JEWELLER: dict[str, Any] = {
    **JEWELLER,
    "meta_revenue_share": 100,
    "ad_spend": {"amount": 0, "currency": "USD"},
    "daily_revenue": {"amount": 150, "currency": "USD"},
}
# The small audit's shop owner, as stored.
STORED_SHOP: dict[str, Any] = {
    **SHOP,
    "meta_share": 90,
    "ad_spend": {"amount": 0, "currency": "EUR"},
}
ADS = {"amount": 100, "currency": "EUR"}


# ── Mechanics, on the small audit ───────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("actions:\n  - {id: x, area: nowhere, deadline: week, priority: 1, title: T, why: W, steps: [s]}",
         "action 'x': unknown area 'nowhere'"),
        ("actions:\n  - {id: x, area: backups, deadline: soon, priority: 1, title: T, why: W, steps: [s]}",
         "action 'x': deadline must be one of week, month, quarter"),
        ("actions:\n  - {id: x, area: backups, deadline: week, priority: 4, title: T, why: W, steps: [s]}",
         "action 'x': priority must be 1, 2 or 3"),
        ("actions:\n  - {id: x, area: backups, deadline: week, priority: 1, title: T, why: W, steps: [s],"
         " when: {q: nothing, is: true}}",
         "action 'x': condition on unknown or later question 'nothing'"),
        ("actions:\n  - {id: x, area: backups, deadline: week, priority: 1, title: T, why: W, steps: [s],"
         " when: {q: country, is: mars}}",
         "action 'x': condition on unknown answer 'mars' of 'country'"),
        ("actions:\n  - {id: x, area: backups, deadline: week, priority: 1, title: T, why: W, steps: []}",
         "action 'x': has no steps"),
        ("actions:\n  - {id: x, area: backups, deadline: week, priority: 1, title: T, why: W, steps: [s]}"
         "\n  - {id: x, area: ads, deadline: week, priority: 1, title: T, why: W, steps: [s]}",
         "action 'x': duplicate id"),
        ("scores:\n  backups:\n    items:\n      - {points: 10, text: T}",
         "needs either 'when' or 'scale'"),
        ("scores:\n  website:\n    items:\n      - {points: 10, text: T, scale: {q: site_address}}",
         "scale needs a number question, got 'site_address'"),
        ("notes:\n  - {id: n, area: nowhere, text: T}",
         "note 'n': unknown area 'nowhere'"),
    ],
)  # fmt: skip
def test_rule_mistakes_are_load_errors(
    small_audit: Dialog, tmp_path: Path, body: str, expected: str
) -> None:
    path = tmp_path / "actions.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    with pytest.raises(DialogError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        plan_rules.load(small_audit, path)


def small_plan(small_audit: Dialog, small_rules: plan_rules.Rules, answers: dict) -> Plan:
    return plan_for(small_audit, small_rules, {**STORED_SHOP, **answers})


def test_scores_add_up_item_by_item(small_audit: Dialog, small_rules: plan_rules.Rules) -> None:
    plan = small_plan(small_audit, small_rules, {})
    scores = {s.area.id: s for s in plan.scores}
    # 60 points scaled on 10 % outside Meta, and 40 for email.
    assert scores["contact"].score == 46
    assert scores["contact"].earned == (
        ("Share of your sales outside Instagram and WhatsApp", 6),
        ("Customers reach you without social networks", 40),
    )
    # 70 + 50 earned, capped at 100.
    assert scores["website"].score == 100 and len(scores["website"].earned) == 2
    assert scores["ads"].score is None  # no ad spend: the area does not apply
    assert scores["backups"].score == 0 and scores["backups"].missed == (
        ("Copies off the phone", 50),
        ("A copy in the cloud", 50),
    )
    assert plan.overall == 49  # the mean of 46, 100 and 0; ads left out
    assert [s.area.id for s in plan.weakest(2)] == ["backups", "contact"]


@pytest.mark.parametrize(
    ("answers", "points"),
    [
        ({"meta_share": 100}, 0),
        ({"meta_share": 75}, 15),
        ({"meta_share": 50}, 30),
        ({"meta_share": 99}, 1),  # 0.6 rounds to 1
        ({"meta_share": 0}, 60),
        ({"meta_share": None}, 0),  # don't know
        ({"channels": ["phone"]}, 100),  # not asked: `when_not_asked` (all 60) + 40 for phone
    ],
)
def test_a_scale_earns_points_in_proportion(
    small_audit: Dialog, small_rules: plan_rules.Rules, answers: dict, points: int
) -> None:
    plan = small_plan(small_audit, small_rules, {"channels": ["instagram"], **answers})
    assert next(s.score for s in plan.scores if s.area.id == "contact") == points


@pytest.mark.parametrize(
    ("platforms", "score"),
    [(["meta"], 0), (["google_ads"], 50), (["meta", "google_ads"], 50), (["google_ads", "other"], 100)],
)  # fmt: skip
def test_an_area_counts_once_it_applies(
    small_audit: Dialog, small_rules: plan_rules.Rules, platforms: list, score: int
) -> None:
    plan = small_plan(small_audit, small_rules, {"ad_spend": ADS, "ad_platforms": platforms})
    assert next(s.score for s in plan.scores if s.area.id == "ads") == score
    assert plan.overall == round((46 + 100 + 0 + score) / 4)


def test_an_area_with_no_answers_is_not_judged(
    small_audit: Dialog, small_rules: plan_rules.Rules
) -> None:
    plan = small_plan(small_audit, small_rules, {"channels": None})
    assert next(s for s in plan.scores if s.area.id == "contact").score is None
    assert plan.overall == 50  # website 100, backups 0
    nothing = plan_for(small_audit, small_rules, {})
    assert all(s.score is None for s in nothing.scores) and nothing.overall is None
    assert nothing.weakest() == []


# Each conditional action of the small rules, with answers that trigger it and ones that do not.
SMALL_TRIGGERS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "list_contacts": ({"channels": ["instagram"]}, {"channels": ["instagram", "phone"]}),
    "spread_channels": ({"meta_share": 81}, {"meta_share": 80}),
    "note_address": ({"site_address": None}, {"site_address": "sol.example"}),
    "make_site": ({"site": False}, {"site": True}),
    "back_up": ({"backups": ["none"]}, {"backups": ["computer"]}),
    "pause_mailing": (
        {"channels": ["email"], "country": "es"},
        {"channels": ["email"], "country": "pl"},
    ),
    "mail_customers": ({"channels": ["email"], "country": "pl"}, {"channels": ["instagram"]}),
    # An answer to a follow-up no longer shown triggers nothing.
    "diversify_ads": (
        {"ad_spend": ADS, "ad_platforms": ["meta"]},
        {"ad_spend": {"amount": 0, "currency": "EUR"}, "ad_platforms": ["meta"]},
    ),
}


@pytest.mark.parametrize("action_id", sorted(SMALL_TRIGGERS))
def test_an_action_fires_exactly_when_its_condition_holds(
    small_audit: Dialog, small_rules: plan_rules.Rules, action_id: str
) -> None:
    fires, holds_back = SMALL_TRIGGERS[action_id]
    planned = {a.rule.id: a for a in small_plan(small_audit, small_rules, fires).actions}
    assert action_id in planned and planned[action_id].reasons
    quiet = {a.rule.id for a in small_plan(small_audit, small_rules, holds_back).actions}
    assert action_id not in quiet
    assert "test_restore" in planned and "test_restore" in quiet  # no condition: always


def test_every_small_action_has_a_trigger_test(small_rules: plan_rules.Rules) -> None:
    conditional = {rule.id for rule in small_rules.actions if rule.when is not None}
    assert conditional == set(SMALL_TRIGGERS)


def test_reasons_quote_the_answers_the_condition_looked_at(
    small_audit: Dialog, small_rules: plan_rules.Rules
) -> None:
    answers = {"site_address": None, "ad_spend": ADS, "ad_platforms": ["meta", "other"]}
    planned = {a.rule.id: a for a in small_plan(small_audit, small_rules, answers).actions}

    def reasons(action_id: str) -> list[tuple[str, Any]]:
        return [(r.question.id, r.value) for r in planned[action_id].reasons]

    assert reasons("diversify_ads") == [("ad_spend", ADS), ("ad_platforms", ["meta", "other"])]
    assert reasons("note_address") == [("site", True)]  # a skipped answer is not quoted
    assert reasons("test_restore") == []


def test_steps_follow_their_own_conditions(
    small_audit: Dialog, small_rules: plan_rules.Rules
) -> None:
    def steps(channels: list[str]) -> tuple[str, ...]:
        plan = small_plan(small_audit, small_rules, {"channels": channels})
        return next(a.steps for a in plan.actions if a.rule.id == "list_contacts")

    assert steps(["instagram"]) == ("Ask every customer for an email address.",)
    assert steps(["whatsapp"]) == (
        "Ask every customer for an email address.",
        "Start with your WhatsApp contacts.",
    )


# Every week action, with ties on deadline and priority; a month and two quarter actions.
BUSY = {"channels": ["instagram", "whatsapp"], "site_address": None, "ad_spend": ADS,
        "ad_platforms": ["meta"]}  # fmt: skip


def test_actions_come_by_value_then_file_order_at_three_then_two_a_week(
    small_audit: Dialog, small_rules: plan_rules.Rules
) -> None:
    plan = small_plan(small_audit, small_rules, BUSY)
    # Value = weight (by priority 6/4/2) × urgency (week 1.5, month 1, quarter 0.6)
    #         ÷ √(effort ÷ 30 min), the effort by deadline (30, 120, 240 minutes).
    assert [(a.rule.id, a.value) for a in plan.actions] == [
        ("note_address", 9.0),  # week, priority 1, earlier in the file
        ("back_up", 9.0),
        ("spread_channels", 6.0),
        ("diversify_ads", 2.0),
        ("list_contacts", 1.273),  # priority 1, but months away and a long job
        ("test_restore", 0.424),
    ]
    start = plan.finished_on
    assert [(a.week, (a.due - start).days) for a in plan.actions] == [
        (1, 7), (1, 7), (1, 7), (2, 14), (2, 14), (3, 21),
    ]  # fmt: skip


def test_what_the_answers_make_decisive_comes_first(
    small_audit: Dialog, small_rules: plan_rules.Rules
) -> None:
    calm = small_plan(small_audit, small_rules, BUSY)
    all_meta = small_plan(small_audit, small_rules, {**BUSY, "meta_share": 95})
    assert [a.rule.id for a in calm.actions].index("list_contacts") == 4
    assert [a.rule.id for a in all_meta.actions][:3] == [
        "note_address", "back_up", "list_contacts",
    ]  # fmt: skip
    boosted = next(a for a in all_meta.actions if a.rule.id == "list_contacts")
    assert boosted.value == round((6 + 30) * 0.6 / 8**0.5, 3) and boosted.week == 1


def test_an_action_that_stops_sending_replaces_one_that_starts(
    small_audit: Dialog, small_rules: plan_rules.Rules
) -> None:
    def ids(answers: dict) -> list[str]:
        return [a.rule.id for a in small_plan(small_audit, small_rules, answers).actions]

    spain = ids({"channels": ["email"], "country": "es"})
    assert "pause_mailing" in spain and "mail_customers" not in spain
    assert "mail_customers" in ids({"channels": ["email"], "country": "pl"})


def test_a_rule_that_stops_sending_must_exclude_every_rule_that_starts(
    small_audit: Dialog, tmp_path: Path
) -> None:
    text = SMALL_RULES.read_text(encoding="utf-8").replace("    excludes: [mail_customers]\n", "")
    copy = tmp_path / "actions.yaml"
    copy.write_text(text, encoding="utf-8")
    with pytest.raises(DialogError) as caught:
        plan_rules.load(small_audit, copy)
    assert "'pause_mailing' stops sending but does not exclude 'mail_customers'" in str(
        caught.value
    )


def test_sections_follow_the_audit_and_say_what_is_in_good_shape(
    small_audit: Dialog, small_rules: plan_rules.Rules
) -> None:
    busy = small_plan(small_audit, small_rules, BUSY)
    assert [s.area.id for s in busy.sections] == ["contact", "website", "ads", "backups"]
    calm = small_plan(small_audit, small_rules, {"country": "pl"})
    sections = {s.area.id: s for s in calm.sections}
    # profile has no rules; the others in the audit's order.
    assert list(sections) == ["contact", "website", "ads", "backups"]
    assert [a.rule.id for a in sections["contact"].actions] == ["spread_channels", "mail_customers"]
    assert sections["contact"].notes == () and sections["contact"].score == 46
    assert sections["website"].actions == ()
    assert sections["website"].good == "Your website is yours: keep it linked everywhere."
    assert sections["backups"].good is None  # it has actions
    assert sections["ads"].notes == ("Keep your ad receipts.",) and sections["ads"].good is None
    spanish = small_plan(small_audit, small_rules, {})
    notes = next(s.notes for s in spanish.sections if s.area.id == "contact")
    assert notes == ("In Spain, ask before you send a newsletter.",)


def test_the_plan_carries_the_owners_name_and_country(
    small_audit: Dialog, small_rules: plan_rules.Rules
) -> None:
    plan = small_plan(small_audit, small_rules, {})
    assert (plan.business_name, plan.country, plan.finished_on) == ("Tienda Sol", "es", TODAY)
    assert small_plan(small_audit, small_rules, {"business_name": None}).business_name is None


def test_a_finished_audits_plan_is_dated_from_the_day_it_was_finished(
    small_audit: Dialog, small_rules: plan_rules.Rules, small_interview: Interview
) -> None:
    answer_all(small_interview, "console:sol", SHOP)
    latest = small_interview.latest_plan("console:sol")
    assert latest is not None
    audit, plan = latest
    assert audit.finished_at is not None
    assert plan.finished_on == date.fromisoformat(audit.finished_at[:10])
    expected = build_plan(small_audit, small_rules, STORED_SHOP, plan.finished_on)
    assert plan == expected


# ── Content: the shipped rules ──────────────────────────────────────────────────────────────


def test_the_shipped_rules_load(rules: plan_rules.Rules) -> None:
    assert len(rules.actions) >= 20
    assert set(rules.required) == {"audience", "website", "backups"}


# Each action, with an owner whose answers trigger it and one whose answers do not.
TRIGGERS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "second_contact": ({"top_channel_share": 95}, {"top_channel_share": 60}),
    "google_profile": (
        {"first_contact": ["instagram"], "google_listing": "not_listed"},
        {"first_contact": ["instagram"], "google_listing": "online_only"},
    ),
    "secure_accounts": ({"account_security": ["none"]}, {"account_security": ["two_factor"]}),
    "security_gaps": (
        {"account_security": ["two_factor"]},
        {"account_security": ["two_factor", "two_admins", "recovery_codes"]},
    ),
    "second_admin": (
        {"account_security": ["two_factor", "recovery_codes"]},
        {"account_security": ["two_factor", "two_admins", "recovery_codes"]},
    ),
    "restriction_log": ({"account_trouble": True}, {"account_trouble": False}),
    "own_order_form": ({"meta_revenue_share": 90}, {"meta_revenue_share": 20}),
    "payments_off_meta": ({"payments": ["meta_checkout"]}, {"payments": ["cash"]}),
    "start_list": ({"contact_list": ["none"]}, {"contact_list": ["newsletter_tool"]}),
    "first_newsletter": (
        {"contact_list": ["newsletter_tool"], "newsletter_frequency": "sporadic"},
        {"contact_list": ["newsletter_tool"], "newsletter_frequency": "monthly"},
    ),
    "export_list": (
        {"contact_list": ["newsletter_tool"], "exports_done": ["meta_dyi"]},
        {"contact_list": ["newsletter_tool"], "exports_done": ["email_csv"]},
    ),
    "reconsent": (
        {"contact_list": ["spreadsheet"], "consent": "bought"},
        {"contact_list": ["spreadsheet"], "consent": "double_opt_in"},
    ),
    "outage_drill": ({"contingency_plan": True}, {"contingency_plan": False}),
    "record_consent": (
        {"contact_list": ["phone_book"], "consent": "verbal"},
        {"contact_list": ["phone_book"], "consent": "logged_form"},
    ),
    "list_in_tool": (
        {"contact_list": ["spreadsheet"]},
        {"contact_list": ["spreadsheet", "newsletter_tool"]},
    ),
    "grow_list": (
        {"contact_list": ["phone_book"], "list_coverage": "few"},
        {"contact_list": ["phone_book"], "list_coverage": "almost_all"},
    ),
    "one_page_site": ({"website": "link_in_bio"}, {"website": "info"}),
    "own_domain": (
        {"website": "info", "domain_owner": False},
        {"website": "info", "domain_owner": True},
    ),
    "link_site": (
        {"website": "info", "site_in_bios": False},
        {"website": "info", "site_in_bios": True},
    ),
    "diversify_ads": (
        {"ad_spend": {"amount": 100, "currency": "USD"}, "ad_platforms": ["meta"]},
        {"ad_spend": {"amount": 100, "currency": "USD"}, "ad_platforms": ["google_ads"]},
    ),
    "three_two_one": (
        {"backup_places": ["phone_only"]},
        {"backup_places": ["computer", "cloud"], "backup_frequency": "automatic"},
    ),
    "platform_exports": (
        {"exports_done": ["none"]},
        {"exports_done": ["meta_dyi", "google_takeout"]},
    ),
    "backup_day": (
        {"backup_places": ["cloud"], "backup_frequency": "ad_hoc"},
        {"backup_places": ["cloud"], "backup_frequency": "monthly_reminder"},
    ),
    "download_lives": ({"platform_only_content": ["lives"]}, {"platform_only_content": ["none"]}),
    "keep_masters": ({"platform_only_content": ["canva"]}, {"platform_only_content": ["lives"]}),
    "restore_test": (
        {"backup_places": ["cloud"], "restore_tested": False},
        {"backup_places": ["cloud"], "restore_tested": True},
    ),
    "outage_plan": ({"contingency_plan": False}, {"contingency_plan": True}),
    "second_channel": (
        {"fallback_channels": ["email"]},
        {"fallback_channels": ["email", "sms"]},
    ),
}


@pytest.mark.parametrize("action_id", sorted(TRIGGERS))
def test_each_action_fires_exactly_when_its_answers_call_for_it(
    audit: Dialog, rules: plan_rules.Rules, action_id: str
) -> None:
    fires, holds_back = TRIGGERS[action_id]
    base = {**STORED_JEWELLER, "first_contact": ["instagram", "google_profile", "email"],
            "top_channel_share": 50}  # fmt: skip
    # Beyond the plan's length, an action that applies waits in `later`: it still fired.
    fired = plan_for(audit, rules, {**base, **fires})
    planned = {a.rule.id: a for a in fired.actions + fired.later}
    assert action_id in planned
    assert planned[action_id].reasons, "an action says which answer triggered it"
    held = plan_for(audit, rules, {**base, **holds_back})
    assert action_id not in {a.rule.id for a in held.actions + held.later}


@pytest.mark.parametrize(
    ("orders", "share", "fires"),
    [
        (["dms", "in_person"], 40, True),  # orders in messages stop with the apps
        (["dms", "email"], 40, False),  # orders by email keep arriving
        (["dms", "in_person"], 20, False),
        (["phone", "in_person"], 60, True),  # most revenue through Meta, however ordered
    ],
)
def test_an_order_form_is_advised_where_orders_depend_on_messages(
    audit: Dialog, rules: plan_rules.Rules, orders: list[str], share: int, fires: bool
) -> None:
    owner = {**STORED_JEWELLER, "order_channels": orders, "meta_revenue_share": share}
    plan = plan_for(audit, rules, owner)
    assert ("own_order_form" in {a.rule.id for a in plan.actions + plan.later}) is fires


def test_every_action_has_a_trigger_test(rules: plan_rules.Rules) -> None:
    conditional = {rule.id for rule in rules.actions if rule.when is not None}
    assert conditional == set(TRIGGERS)


def test_the_security_steps_skip_what_is_done(audit: Dialog, rules: plan_rules.Rules) -> None:
    plan = plan_for(audit, rules, {**STORED_JEWELLER, "account_security": ["two_factor"]})
    gaps = next(a for a in plan.actions if a.rule.id == "security_gaps")
    assert len(gaps.steps) == 2
    assert not any("Turn on two-step login" in step for step in gaps.steps)


# ── Scores ──────────────────────────────────────────────────────────────────────────────────


def test_scores_stay_within_0_and_100(audit: Dialog, rules: plan_rules.Rules) -> None:
    best = {**PERSONAS["podcast_studio"].answers, "meta_revenue_share": 0}
    best.update(ad_spend={"amount": 10, "currency": "PLN"}, ad_meta_share=30,
                top_channel_share=30, daily_revenue={"amount": 5000, "currency": "PLN"})  # fmt: skip
    for answers in (STORED_JEWELLER, best):
        plan = plan_for(audit, rules, answers)
        for area_score in plan.scores:
            assert area_score.score is None or 0 <= area_score.score <= 100
        assert plan.overall is not None and 0 <= plan.overall <= 100


@pytest.mark.parametrize(
    ("area", "worse", "better"),
    [
        ("contact", {"first_contact": ["instagram"]}, {"first_contact": ["instagram", "email"], "top_channel_share": 60}),
        ("security", {"account_security": ["none"]}, {"account_security": ["two_factor"]}),
        ("sales", {"meta_revenue_share": 100}, {"meta_revenue_share": 40}),
        ("audience", {"contact_list": ["none"]}, {"contact_list": ["spreadsheet"], "list_coverage": "half"}),
        ("website", {"website": "none"}, {"website": "contact_form"}),
        ("backups", {"backup_places": ["phone_only"]}, {"backup_places": ["phone_only", "cloud"]}),
        ("contingency", {"contingency_plan": False}, {"contingency_plan": True}),
    ],
)  # fmt: skip
def test_a_better_answer_raises_its_area_score(
    audit: Dialog, rules: plan_rules.Rules, area: str, worse: dict, better: dict
) -> None:
    def score(answers: dict[str, Any]) -> int:
        plan = plan_for(audit, rules, {**STORED_JEWELLER, **answers})
        value = next(s.score for s in plan.scores if s.area.id == area)
        assert value is not None
        return value

    assert score(better) > score(worse)


def test_unanswered_security_and_unused_ads_are_not_judged(
    audit: Dialog, rules: plan_rules.Rules
) -> None:
    answers = {**STORED_JEWELLER, "account_security": None}
    plan = plan_for(audit, rules, answers)
    assert next(s for s in plan.scores if s.area.id == "security").score is None
    # No ads: the ads area does not apply and is left out of the overall score.
    assert next(s for s in plan.scores if s.area.id == "ads").score is None


def test_every_score_is_explained(audit: Dialog, rules: plan_rules.Rules) -> None:
    plan = plan_for(audit, rules, STORED_JEWELLER)
    for area_score in plan.scores:
        if area_score.score is not None:
            assert sum(points for _, points in area_score.earned) >= area_score.score
            assert area_score.earned or area_score.missed


# ── Revenue at risk ─────────────────────────────────────────────────────────────────────────


def test_the_jewellers_outage_matches_the_worked_example() -> None:
    # D = 150, S = 1, R = 0, six hours: a flat day gives 37.50; her evening peak 120; a
    # 30-day ban 4,500 (DOMAIN.md §5).
    risk = exposure(STORED_JEWELLER)
    assert (risk.outage_low, risk.outage_high, risk.ban) == (
        Decimal("37.50"), Decimal("120.00"), Decimal("4500.00"),
    )  # fmt: skip


def test_francs_cfa_have_no_decimals_and_ads_are_added() -> None:
    answers = {
        "daily_revenue": {"amount": 2_000_000, "currency": "XOF"},
        "meta_revenue_share": 100,
        "sales_recovered": "few",
        "ad_spend": {"amount": 300_000, "currency": "XOF"},
        "ad_platforms": ["meta"],
    }
    risk = exposure(answers)
    # 2,000,000 × 1 × 0.25 × 0.8 = 400,000, plus 300,000 / 30 × 6/24 = 2,500 of ads.
    assert risk.outage_low == Decimal("402500")
    assert risk.ban == Decimal("48000000")
    assert risk.currency == "XOF"


def test_missing_figures_give_not_enough_data() -> None:
    risk = exposure({"meta_revenue_share": 80, "daily_revenue": None})
    assert not risk.known and risk.missing == ("daily_revenue",)
    unknown_share = exposure(
        {"daily_revenue": {"amount": 100, "currency": "EUR"}, "meta_revenue_share": None,
         "order_channels": ["dms", "phone"]}
    )  # fmt: skip
    assert not unknown_share.known and unknown_share.missing == ("meta_revenue_share",)


def test_dont_know_share_with_only_meta_orders_counts_as_all() -> None:
    risk = exposure(
        {"daily_revenue": {"amount": 100, "currency": "EUR"}, "meta_revenue_share": None,
         "order_channels": ["dms", "whatsapp"], "sales_recovered": "none"}
    )  # fmt: skip
    assert risk.meta_share == 1 and risk.outage_low == Decimal("25.00")


def test_no_meta_channel_means_no_outage_loss() -> None:
    risk = exposure({"daily_revenue": {"amount": 500, "currency": "PLN"}})
    assert risk.known and risk.outage_high == Decimal("0.00")


# ── Four owners ─────────────────────────────────────────────────────────────────────────────


def test_the_plan_always_covers_list_website_and_backups(interview: Interview) -> None:
    for name in PERSONAS:
        plan = persona_plan(interview, name)
        covered = {section.area.id for section in plan.sections}
        assert {"audience", "website", "backups"} <= covered, name
        for section in plan.sections:
            assert section.actions or section.good or section.notes


def test_the_jeweller_is_told_to_diversify_first(interview: Interview) -> None:
    plan = persona_plan(interview, "jeweller")
    first = [a.rule.id for a in plan.actions[:5]]
    assert {"second_contact", "start_list", "secure_accounts"} <= set(first)
    assert plan.overall is not None and plan.overall < 20


def test_consent_advice_follows_the_law_of_the_customers_country(interview: Interview) -> None:
    # The coach writes to her own customers in France: the existing-customer exception applies
    # (CPCE L34-5, shown), so she is not told to stop; in Poland there is no such exception.
    plan = persona_plan(interview, "coach")
    ids = [a.rule.id for a in plan.actions + plan.later]
    assert "reconsent" not in ids and "second_contact" in ids[:3]
    notes = [n for s in plan.sections for n in s.notes]
    assert any("CPCE L34-5" in note for note in notes)
    coach = PERSONAS["coach"]
    answer_all(interview, "tg:poland", {**coach.answers, "country": "pl"}, "pl")
    latest = interview.latest_plan("tg:poland")
    assert latest is not None
    polish = [a.rule.id for a in latest[1].actions]
    assert "reconsent" in polish and "first_newsletter" not in polish


def test_the_dakar_shop_counts_in_francs_cfa(interview: Interview) -> None:
    plan = persona_plan(interview, "dakar_shop")
    assert plan.exposure.currency == "XOF"
    assert plan.exposure.outage_high is not None and plan.exposure.outage_high > 300_000
    ids = [a.rule.id for a in plan.actions]
    assert {"secure_accounts", "restriction_log", "platform_exports"} <= set(ids[:7])
    assert any("CDP" in n for s in plan.sections for n in s.notes)


def test_the_podcast_studio_is_mostly_in_good_shape(interview: Interview) -> None:
    plan = persona_plan(interview, "podcast_studio")
    assert plan.overall is not None and plan.overall >= 85
    assert len(plan.actions) <= 3
    good = {s.area.id for s in plan.sections if s.good}
    assert {"audience", "website", "backups"} <= good
