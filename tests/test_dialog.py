"""The audit file is valid, and every kind of mistake in it is caught at load, by name."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.dialog import Dialog, InputError, load, toggle
from bot.errors import DialogError

SEED_TOOLS = [
    # Every platform and tool the seed articles name must be something the audit asks about.
    "Facebook", "Instagram", "WhatsApp", "Messenger", "Telegram", "SMS", "Email", "website",
    "podcast", "LinkedIn", "YouTube", "Twitter", "Google Ads", "Google Drive", "External disk",
    "Cloud", "Excel", "Trello", "calendar reminder", "Canva", "Mailerlite",
]  # fmt: skip


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "audit.yaml"
    header = "areas:\n  - {id: a, text: A}\n  - {id: b, text: B}\nquestions:\n"
    path.write_text(header + textwrap.indent(textwrap.dedent(body), "  "), encoding="utf-8")
    return path


def load_error(tmp_path: Path, body: str) -> str:
    with pytest.raises(DialogError) as caught:
        load(write(tmp_path, body))
    return str(caught.value)


def test_the_shipped_audit_loads(audit: Dialog) -> None:
    assert len(audit.questions) >= 25
    assert {q.area for q in audit.questions} >= {
        "contact", "security", "sales", "audience", "website", "ads", "backups", "contingency",
        "revenue",
    }  # fmt: skip
    assert {q.type for q in audit.questions} == {
        "single",
        "multi",
        "number",
        "money",
        "yesno",
        "text",
    }


@pytest.mark.parametrize("tool", SEED_TOOLS)
def test_the_audit_asks_about_every_tool_named_in_the_seeds(audit: Dialog, tool: str) -> None:
    texts = " ".join(
        [q.text for q in audit.questions] + [o.text for q in audit.questions for o in q.options]
    ).lower()
    assert tool.lower() in texts


def test_a_minimal_valid_file(tmp_path: Path) -> None:
    dialog = load(
        write(
            tmp_path,
            """
            - {id: one, type: yesno, area: a, text: "One?"}
            - {id: two, type: text, area: b, text: "Two?", when: {q: one, is: true}}
            """,
        )
    )
    assert [q.id for q in dialog.path({})] == ["one"]
    assert [q.id for q in dialog.path({"one": True})] == ["one", "two"]
    assert [q.id for q in dialog.path({"one": False})] == ["one"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            """
            - {id: one, type: yesno, area: a, text: "One?"}
            - {id: one, type: yesno, area: a, text: "Again?"}
            """,
            "question 'one': duplicate id",
        ),
        (
            """
            - {id: one, type: yesno, area: a, text: "One?", when: {q: nowhere, is: true}}
            """,
            "question 'one': condition on unknown or later question 'nowhere'",
        ),
        (
            """
            - {id: one, type: yesno, area: a, text: "One?", when: {q: two, is: true}}
            - {id: two, type: yesno, area: a, text: "Two?"}
            """,
            "question 'one': condition on unknown or later question 'two'",
        ),
        (
            """
            - id: one
              type: single
              area: a
              text: "One?"
              options: [{id: x, text: X}, {id: y, text: Y}]
            - {id: two, type: text, area: a, text: "Two?", when: {q: one, is: z}}
            """,
            "question 'two': condition on unknown answer 'z' of 'one'",
        ),
        (
            """
            - id: one
              type: single
              area: a
              text: "One?"
              options: [{id: x, text: X}, {text: "No id"}]
            """,
            "question 'one': option #2 has no id",
        ),
        (
            """
            - id: one
              type: single
              area: a
              text: "One?"
              options: [{id: x, text: X}, {id: y, text: Y}]
            - id: two
              type: text
              area: a
              text: "Two?"
              when: {all: [{q: one, is: x}, {q: one, is: y}]}
            """,
            "question 'two': unreachable, its condition can never hold",
        ),
        (
            """
            - {id: n, type: number, area: a, text: "N?"}
            - id: two
              type: text
              area: a
              text: "Two?"
              when: {all: [{q: n, gt: 10}, {q: n, lt: 5}]}
            """,
            "question 'two': unreachable",
        ),
        (
            """
            - {id: one, type: yesno, area: nowhere, text: "One?"}
            """,
            "question 'one': unknown area 'nowhere'",
        ),
        (
            """
            - {id: one, type: essay, area: a, text: "One?"}
            """,
            "question 'one': unknown type 'essay'",
        ),
        (
            """
            - {id: one, type: yesno, area: a, text: "One?", wehn: {q: x, is: true}}
            """,
            "question 'one': unknown key 'wehn'",
        ),
        (
            """
            - {id: n, type: number, area: a, text: "N?"}
            - {id: two, type: text, area: a, text: "Two?", when: {q: n, has: x}}
            """,
            "'has' needs a multi-choice question, 'n' is number",
        ),
        (
            """
            - {id: one, type: yesno, area: a, text: "One?", when: {q: one, eq: 1}}
            """,
            "question 'one': bad condition: unknown operator 'eq'",
        ),
        (
            """
            - {id: One-Question, type: yesno, area: a, text: "One?"}
            """,
            "id must be a short lowercase slug",
        ),
        (
            """
            - {id: one, type: single, area: a, text: "One?", options: [{id: x, text: X}]}
            """,
            "question 'one': needs at least two options",
        ),
    ],
)
def test_mistakes_are_load_errors_that_name_the_question(
    tmp_path: Path, body: str, expected: str
) -> None:
    assert expected in load_error(tmp_path, body)


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    message = load_error(
        tmp_path,
        """
        - {id: one, type: essay, area: a, text: "One?"}
        - {id: two, type: yesno, area: zzz, text: "Two?"}
        """,
    )
    assert "'one'" in message and "'two'" in message


def test_numbers_are_read_in_the_owners_language(audit: Dialog) -> None:
    spend = audit.question("ad_spend")
    assert spend is not None
    assert audit.read_text(spend, "600 000", "fr", {"country": "sn"}) == {
        "amount": 600000,
        "currency": "XOF",
    }
    assert audit.read_text(spend, "1 500,50 zł", "pl", {}) == {
        "amount": "1500.5",
        "currency": "PLN",
    }
    assert audit.read_text(spend, "150$", "es", {"country": "es"}) == {
        "amount": 150,
        "currency": "USD",
    }
    refused = audit.read_text(spend, "1.500,50", "en", {})
    assert isinstance(refused, InputError)
    assert "%(example)s" in refused.message


def test_percentages_stay_within_bounds(audit: Dialog) -> None:
    share = audit.question("meta_revenue_share")
    assert share is not None
    assert audit.read_text(share, "95 %", "en", {}) == 95
    assert isinstance(audit.read_text(share, "140", "en", {}), InputError)
    assert isinstance(audit.read_text(share, "-5", "en", {}), InputError)
    assert isinstance(audit.read_text(share, "lots", "en", {}), InputError)


def test_text_answers_have_a_length_limit(audit: Dialog) -> None:
    name = audit.question("business_name")
    assert name is not None
    assert audit.read_text(name, "  Anillos Alex  ", "es", {}) == "Anillos Alex"
    assert isinstance(audit.read_text(name, "x" * 10_000, "es", {}), InputError)
    assert isinstance(audit.read_text(name, "   ", "es", {}), InputError)


def test_exclusive_options_clear_the_others(audit: Dialog) -> None:
    security = audit.question("account_security")
    assert security is not None
    ticked = toggle(security, [], "two_factor")
    ticked = toggle(security, ticked, "two_admins")
    assert ticked == ["two_factor", "two_admins"]
    assert toggle(security, ticked, "none") == ["none"]
    assert toggle(security, ["none"], "two_factor") == ["two_factor"]
    assert toggle(security, ["two_factor"], "two_factor") == []


def test_choices_outside_the_question_are_refused(audit: Dialog) -> None:
    country = audit.question("country")
    assert country is not None
    assert audit.read_choice(country, "sn") == "sn"
    assert isinstance(audit.read_choice(country, "mars"), InputError)
    first_contact = audit.question("first_contact")
    assert first_contact is not None
    assert isinstance(audit.read_selection(first_contact, []), InputError)
    assert isinstance(audit.read_selection(first_contact, ["instagram", "fax"]), InputError)
