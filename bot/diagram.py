"""Views of the audit for the people who edit it: a Mermaid diagram and the path lengths."""

from __future__ import annotations

import random
from typing import Any

from bot.conditions import Test
from bot.dialog import Dialog, Question


def mermaid(dialog: Dialog) -> str:
    """The audit as a Mermaid flowchart: questions in order, follow-ups as hexagons with a
    dashed arrow from each question their condition looks at."""
    lines = ["flowchart TD"]
    for question in dialog.questions:
        label = f"{question.id}<br/><small>{question.type} · {question.area}</small>"
        shape = ("{{", "}}") if question.when else ("[", "]")
        lines.append(f'    {question.id}{shape[0]}"{label}"{shape[1]}')
    for before, after in zip(dialog.questions, dialog.questions[1:], strict=False):
        lines.append(f"    {before.id} --> {after.id}")
    for question in dialog.questions:
        if question.when:
            for test in question.when.tests():
                lines.append(f'    {test.question} -.->|"{_describe(test)}"| {question.id}')
    return "\n".join(lines)


def _describe(test: Test) -> str:
    operand = test.operand
    if isinstance(operand, list):
        operand = ", ".join(map(str, operand))
    return f"{test.operator.replace('_', ' ')} {operand}"


def path_lengths(dialog: Dialog, samples: int = 3000, seed: int = 7) -> tuple[int, int]:
    """The fewest and the most prompts an owner can meet, found by sampling many owners.

    Each sampled owner answers each shown question with a value drawn from the ones that matter
    to the conditions (every option, numbers on either side of each threshold), so every branch
    is taken many times.
    """
    rng = random.Random(seed)
    lengths = [len(_sample_path(dialog, rng)) for _ in range(samples)]
    return min(lengths), max(lengths)


def _sample_path(dialog: Dialog, rng: random.Random) -> list[Question]:
    return dialog.path(sample_answers(dialog, rng))


def sample_answers(dialog: Dialog, rng: random.Random) -> dict[str, Any]:
    """One owner's answers, drawn at random along their own path (about 10 % "don't know")."""
    answers: dict[str, Any] = {}
    while (question := dialog.next_question(answers)) is not None:
        answers[question.id] = _sample_value(question, dialog, rng)
    return answers


def _sample_value(question: Question, dialog: Dialog, rng: random.Random) -> Any:
    if rng.random() < 0.1 and question.can_skip:
        return None
    options = [option.id for option in question.options]
    if question.type == "single":
        return rng.choice(options)
    if question.type == "multi":
        return rng.sample(options, rng.randint(1, len(options)))
    if question.type == "yesno":
        return rng.random() < 0.5
    if question.type in ("number", "money"):
        amount = rng.choice([0, 1, 10, 50, 51, 70, 71, 80, 81, 100, 5000])
        return amount if question.type == "number" else {"amount": amount, "currency": "EUR"}
    return "text"
