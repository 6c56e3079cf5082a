"""The advice, over thousands of sampled owners: short, paced, never contradicting itself, and no
step for a platform the owner does not use."""

from __future__ import annotations

import random
from datetime import date

from bot.content import load
from bot.diagram import sample_answers
from bot.plan import build_plan

CONTENT = load()
SAMPLES = 5000
META_USERS = {"instagram", "facebook", "messenger"}


def uses_whatsapp(answers: dict) -> bool:
    return "whatsapp" in (answers.get("first_contact") or []) + (
        answers.get("order_channels") or []
    )


def uses_meta(answers: dict) -> bool:
    contacts = set(answers.get("first_contact") or [])
    orders = set(answers.get("order_channels") or [])
    return bool(contacts & META_USERS or orders & {"dms", "meta_shop"})


def test_sampled_owners_get_a_short_paced_consistent_plan() -> None:
    rng = random.Random(2021)
    dialog, rules = CONTENT.dialog, CONTENT.rules
    steps_of = {step.text: rule.id for rule in rules.actions for step in rule.steps}
    whatsapp_step = next(s for s in steps_of if s.startswith("WhatsApp: open each"))
    meta_step = next(s for s in steps_of if s.startswith("Facebook and Instagram: Accounts"))
    computer_step = next(s for s in steps_of if s.startswith("Keep one copy on your computer"))
    for _ in range(SAMPLES):
        answers = sample_answers(dialog, rng)
        plan = build_plan(dialog, rules, dialog.effective_answers(answers), date(2026, 11, 25))
        sending = {a.rule.sending for a in plan.actions + plan.later}
        assert not {"stops", "starts"} <= sending, answers  # never "stop" and "send" at once
        assert len(plan.actions) <= 10 and sum(a.week == 1 for a in plan.actions) <= 3
        assert [a.week for a in plan.actions] == sorted(a.week for a in plan.actions)
        steps = {step for action in plan.actions for step in action.steps}
        assert whatsapp_step not in steps or uses_whatsapp(answers), answers
        assert meta_step not in steps or uses_meta(answers), answers
        places = set(answers.get("backup_places") or [])
        assert computer_step not in steps or places & {"computer", "external_disk"}, answers


def test_the_three_moves_are_the_most_valuable_and_due_this_week() -> None:
    rng = random.Random(7)
    dialog, rules = CONTENT.dialog, CONTENT.rules
    for _ in range(500):
        answers = dialog.effective_answers(sample_answers(dialog, rng))
        plan = build_plan(dialog, rules, answers, date(2026, 11, 25))
        values = [a.value for a in plan.actions + plan.later]
        assert values == sorted(values, reverse=True)
        assert all(a.week == 1 for a in plan.actions[:3])
