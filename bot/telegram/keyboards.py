"""Inline keyboards drawn from prompts: options, multi-choice ticks, Back and Skip."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import languages, render
from bot.i18n import N_, SUPPORTED_LOCALES, Translator
from bot.planview import PlanView
from bot.prompt import NOT_ANSWERED, Prompt
from bot.telegram.callback_data import (
    BACK,
    CHOOSE,
    DONE,
    KEEP,
    PICK,
    SHOW,
    SKIP,
    TICK,
    UNTICK,
    AnswerButton,
    ChecklistButton,
    EraseButton,
    LanguageButton,
    PlanButton,
    RestartButton,
)

# Labels short enough to sit two to a row on a phone.
_PAIR_WIDTH = 18
# Each language is named in itself, so anyone can find theirs (a live view of bot.languages).
LANGUAGE_NAMES: Mapping[str, str] = languages.NATIVE_NAMES
BACK_LABEL, DONE_LABEL = N_("◀ Back"), N_("Done ✔")
STILL_TRUE = N_("✔ Still true")
SKIP_LABELS = {"dont_know": N_("Don't know"), "skip": N_("Skip")}


def prompt_keyboard(prompt: Prompt, t: Translator) -> InlineKeyboardMarkup | None:
    question = prompt.question

    def button(label: str, verb: str, option: str = "") -> InlineKeyboardButton:
        data = AnswerButton(prompt.audit_id, question.id, verb, option).encode()
        return InlineKeyboardButton(label, callback_data=data)

    if question.type == "yesno":
        options = [button(t.gettext("Yes"), CHOOSE, "yes"), button(t.gettext("No"), CHOOSE, "no")]
        rows = [options]
    elif question.type in ("single", "multi"):
        labelled = []
        for option in question.options_for(t.locale):
            label, verb = render.option_words(option.text, t, prompt.situation), CHOOSE
            if question.type == "multi":
                verb = UNTICK if option.id in prompt.ticked else TICK
            if verb == UNTICK:
                label = f"✅ {label}"
            labelled.append(button(label, verb, option.id))
        rows = _rows(labelled)
        if question.type == "multi":
            rows.append([button(t.gettext(DONE_LABEL), DONE)])
    else:
        rows = []
    if prompt.review and prompt.previous is not NOT_ANSWERED:  # a check-up: nothing changed?
        rows.insert(0, [button(t.gettext(STILL_TRUE), KEEP)])
    navigation = []
    if prompt.can_go_back:
        navigation.append(button(t.gettext(BACK_LABEL), BACK))
    if prompt.can_skip:
        navigation.append(button(t.gettext(SKIP_LABELS[question.skip]), SKIP))
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows) if rows else None


def readings_keyboard(
    prompt: Prompt, readings: tuple[Any, ...], t: Translator
) -> InlineKeyboardMarkup:
    """One button per reading of an ambiguous number, labelled as the owner would write it."""
    question = prompt.question
    buttons = [
        InlineKeyboardButton(
            render.describe(question, value, t),
            callback_data=AnswerButton(prompt.audit_id, question.id, PICK, f"r{index}").encode(),
        )
        for index, value in enumerate(readings)
    ]
    return InlineKeyboardMarkup([buttons])


def _rows(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    if all(len(b.text) <= _PAIR_WIDTH for b in buttons):
        return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return [[b] for b in buttons]


def language_keyboard(current: str) -> InlineKeyboardMarkup:
    """One button per registered language, two to a row, the current one marked."""
    buttons = [
        InlineKeyboardButton(
            ("• " if locale == current else "") + LANGUAGE_NAMES[locale],
            callback_data=LanguageButton(locale).encode(),
        )
        for locale in SUPPORTED_LOCALES
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def restart_keyboard(audit_id: int, t: Translator) -> InlineKeyboardMarkup:
    """Ask before setting aside the audit under way; the buttons name that audit."""

    def button(label: str, confirmed: bool) -> InlineKeyboardButton:
        data = RestartButton(audit_id, confirmed).encode()
        return InlineKeyboardButton(t.gettext(label), callback_data=data)

    return InlineKeyboardMarkup(
        [[button(N_("Yes, start over"), True), button(N_("No, carry on"), False)]]
    )


def finished_keyboard(t: Translator) -> InlineKeyboardMarkup:
    """For an owner back after finishing: see the plan, or take the audit again."""

    def button(label: str, kind: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(t.gettext(label), callback_data=PlanButton(kind).encode())

    return InlineKeyboardMarkup(
        [[button(N_("📋 See my plan"), "plan"), button(N_("🔁 Take the audit again"), "retake")]]
    )


def plan_keyboard(t: Translator) -> InlineKeyboardMarkup:
    def button(label: str, kind: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(t.gettext(label), callback_data=PlanButton(kind).encode())

    checklist = ChecklistButton(None, None, SHOW).encode()
    return InlineKeyboardMarkup(
        [
            [button(N_("📄 PDF"), "pdf"), button(N_("📅 Calendar"), "ics")],
            [InlineKeyboardButton(t.gettext(N_("☑ What I have done")), callback_data=checklist)],
            [button(N_("🔁 Take the audit again"), "retake")],
        ]
    )


def checklist_keyboard(audit_id: int, view: PlanView) -> InlineKeyboardMarkup:
    """Per action, by its number in the list: ✅ ⏰ ✖ while it is to do, ↩ once marked."""
    rows = []
    for index, action in enumerate(view.actions):
        marks = (
            [("✅", "d"), ("⏰", "z"), ("✖", "x")]
            if action.state is None
            else [(f"{action.mark} ↩", "o")]
        )
        rows.append([_mark(audit_id, index, label, state) for label, state in marks])
    return InlineKeyboardMarkup(rows)


def _mark(audit_id: int, index: int, label: str, state: str) -> InlineKeyboardButton:
    data = ChecklistButton(audit_id, index, state).encode()
    return InlineKeyboardButton(f"{label} {index + 1}", callback_data=data)


def erase_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("Yes, erase it all"), callback_data=EraseButton(True).encode()
                ),
                InlineKeyboardButton(
                    t.gettext("No, keep it"), callback_data=EraseButton(False).encode()
                ),
            ]
        ]
    )
