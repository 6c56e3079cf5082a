"""The audit: the engine walks and validates any audit file, every kind of mistake in one is
caught at load, by name, and the shipped audit is valid and asks about every seed tool.

Engine tests use the small fixture audit (tests/data/audit.yaml) or YAML written on the spot;
content tests use the real audit and look its questions up by id.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot import audit_ids, render
from bot.dialog import Ambiguous, Dialog, InputError, Middle, load, toggle
from bot.errors import DialogError
from bot.i18n import translator
from tests.engine_fixtures import small_audit as small_audit

SEED_TOOLS = [
    # Every platform and tool the seed articles name must be something the audit asks about.
    "Facebook", "Instagram", "WhatsApp", "Messenger", "Telegram", "SMS", "Email", "website",
    "podcast", "LinkedIn", "YouTube", "Twitter", "Google Ads", "Google Drive", "External disk",
    "Cloud", "Excel", "Trello", "calendar reminder", "Canva", "Mailerlite",
]  # fmt: skip


# Questions the plan and the reading of amounts look up by id, with their types.
def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "audit.yaml"
    header = "areas:\n  - {id: a, text: A}\n  - {id: b, text: B}\nquestions:\n"
    path.write_text(header + textwrap.indent(textwrap.dedent(body), "  "), encoding="utf-8")
    return path


def load_error(tmp_path: Path, body: str) -> str:
    with pytest.raises(DialogError) as caught:
        load(write(tmp_path, body))
    return str(caught.value)


# ── Content: the shipped audit ──────────────────────────────────────────────────────────────


def test_the_shipped_audit_loads(audit: Dialog) -> None:
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


def test_the_questions_the_code_reads_exist(audit: Dialog) -> None:
    assert audit_ids.problems(audit) == []


@pytest.mark.parametrize("tool", SEED_TOOLS)
def test_the_audit_asks_about_every_tool_named_in_the_seeds(audit: Dialog, tool: str) -> None:
    texts = " ".join(
        [q.text for q in audit.questions] + [o.text for q in audit.questions for o in q.options]
    ).lower()
    assert tool.lower() in texts


# ── Engine: loading and walking any audit ───────────────────────────────────────────────────


def test_the_fixture_audit_covers_every_kind_of_question(small_audit: Dialog) -> None:
    # The engine tests lean on it: every type, skip style, an exclusive option, bounds, follow-ups.
    assert {q.type for q in small_audit.questions} == {
        "single", "multi", "number", "money", "yesno", "text",
    }  # fmt: skip
    assert {q.skip for q in small_audit.questions} == {"dont_know", "skip", "never"}
    assert any(o.exclusive for q in small_audit.questions for o in q.options)
    assert any(q.minimum is not None and q.maximum is not None for q in small_audit.questions)
    assert sum(q.when is not None for q in small_audit.questions) >= 3


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


def test_the_path_grows_with_the_answers(small_audit: Dialog) -> None:
    def path(answers: dict) -> list[str]:
        return [q.id for q in small_audit.path(answers)]

    assert path({}) == ["business_name", "country", "channels", "site", "ad_spend", "backups"]
    opened = {
        "channels": ["email", "whatsapp"],
        "site": True,
        "ad_spend": {"amount": 5, "currency": "EUR"},
    }
    assert path(opened) == [
        "business_name", "country", "channels", "meta_share", "site", "site_address", "ad_spend",
        "ad_platforms", "backups",
    ]  # fmt: skip
    # Skipped ("don't know") opens no follow-up; neither does an answer that misses the test.
    assert path({"channels": None, "site": None, "ad_spend": None}) == path({})
    assert path(
        {"channels": ["email"], "site": False, "ad_spend": {"amount": 0, "currency": "EUR"}}
    ) == path({})


def test_the_next_question_is_the_first_unanswered_on_the_path(small_audit: Dialog) -> None:
    def following(answers: dict) -> str | None:
        question = small_audit.next_question(answers)
        return None if question is None else question.id

    assert following({}) == "business_name"
    assert following({"business_name": None, "country": "es"}) == "channels"
    assert following({"business_name": "S", "country": "es", "channels": ["whatsapp"]}) == (
        "meta_share"
    )
    finished = {"business_name": "S", "country": None, "channels": ["email"], "site": False,
                "ad_spend": {"amount": 0}, "backups": ["none"]}  # fmt: skip
    assert following(finished) is None


def test_answers_of_hidden_follow_ups_do_not_count(small_audit: Dialog) -> None:
    stored = {"channels": ["email"], "meta_share": 90, "site": False, "site_address": "x.example"}
    assert small_audit.effective_answers(stored) == {"channels": ["email"], "site": False}
    shown = {**stored, "channels": ["instagram"], "site": True}
    assert small_audit.effective_answers(shown) == shown


def test_numbers_are_read_in_the_owners_language(small_audit: Dialog) -> None:
    spend = small_audit.question("ad_spend")
    assert spend is not None and spend.type == "money"
    read = small_audit.read_text
    assert read(spend, "600 000", "fr", {"country": "sn"}) == {"amount": 600000, "currency": "XOF"}
    assert read(spend, "1 500,50 zł", "pl", {}) == {"amount": "1500.5", "currency": "PLN"}
    assert read(spend, "150$", "es", {"country": "es"}) == {"amount": 150, "currency": "USD"}
    assert read(spend, "150", "en", {"country": "es"}) == {"amount": 150, "currency": "EUR"}
    assert read(spend, "1.500", "en", {}) == Ambiguous(
        ({"amount": "1.5", "currency": "USD"}, {"amount": 1500, "currency": "USD"})
    )
    refused = read(spend, "1.500,50", "en", {})
    assert isinstance(refused, InputError)
    assert "%(example)s" in refused.message


def test_percentages_stay_within_bounds(small_audit: Dialog) -> None:
    share = small_audit.question("meta_share")
    assert share is not None and (share.minimum, share.maximum) == (0, 100)
    assert small_audit.read_text(share, "95 %", "en", {}) == 95
    assert small_audit.read_text(share, "100", "en", {}) == 100
    assert small_audit.read_text(share, "0", "en", {}) == 0
    too_much = small_audit.read_text(share, "140", "en", {})
    assert isinstance(too_much, InputError) and too_much.params == {"minimum": 0, "maximum": 100}
    assert isinstance(small_audit.read_text(share, "-5", "en", {}), InputError)
    assert isinstance(small_audit.read_text(share, "lots", "en", {}), InputError)


def test_text_answers_have_a_length_limit(small_audit: Dialog) -> None:
    name = small_audit.question("business_name")
    assert name is not None and name.max_length == 40
    assert small_audit.read_text(name, "  Anillos Alex  ", "es", {}) == "Anillos Alex"
    assert small_audit.read_text(name, "x" * 40, "es", {}) == "x" * 40
    too_long = small_audit.read_text(name, "x" * 41, "es", {})
    assert isinstance(too_long, InputError) and too_long.params == {"limit": 40}
    assert isinstance(small_audit.read_text(name, "x" * 10_000, "es", {}), InputError)
    assert isinstance(small_audit.read_text(name, "   ", "es", {}), InputError)


def test_typing_is_refused_where_buttons_are_expected(small_audit: Dialog) -> None:
    for question_id in ("country", "channels", "site"):
        question = small_audit.question(question_id)
        assert question is not None
        assert isinstance(small_audit.read_text(question, "es", "en", {}), InputError)


def test_exclusive_options_clear_the_others(small_audit: Dialog) -> None:
    backups = small_audit.question("backups")
    assert backups is not None
    ticked = toggle(backups, [], "cloud")
    ticked = toggle(backups, ticked, "computer")
    assert ticked == ["computer", "cloud"]  # in the options' order
    assert toggle(backups, ticked, "none") == ["none"]
    assert toggle(backups, ["none"], "cloud") == ["cloud"]
    assert toggle(backups, ["cloud"], "cloud") == []
    assert toggle(backups, ["cloud"], "fax") == ["cloud"]


def test_choices_outside_the_question_are_refused(small_audit: Dialog) -> None:
    country = small_audit.question("country")
    assert country is not None
    assert small_audit.read_choice(country, "sn") == "sn"
    assert isinstance(small_audit.read_choice(country, "mars"), InputError)
    assert isinstance(small_audit.read_choice(country, "yes"), InputError)
    site = small_audit.question("site")
    assert site is not None
    assert small_audit.read_choice(site, "yes") is True
    assert small_audit.read_choice(site, "no") is False
    assert isinstance(small_audit.read_choice(site, "es"), InputError)
    channels = small_audit.question("channels")
    assert channels is not None
    assert isinstance(small_audit.read_choice(channels, "email"), InputError)
    assert small_audit.read_selection(channels, ["phone", "email", "email"]) == ["email", "phone"]
    assert isinstance(small_audit.read_selection(channels, []), InputError)
    assert isinstance(small_audit.read_selection(channels, ["instagram", "fax"]), InputError)


def test_skip_styles(small_audit: Dialog) -> None:
    skips = {q.id: q.can_skip for q in small_audit.questions}
    assert skips["backups"] is False
    assert skips["business_name"] and skips["channels"]


def test_money_is_read_in_the_owners_market(small_audit: Dialog) -> None:
    spend = small_audit.question("ad_spend")
    assert spend is not None
    read = small_audit.read_text
    # The franc CFA has no cents: no "15 000 or 15?" question; "F" is the market's franc.
    assert read(spend, "15.000 FCFA", "fr", {"country": "sn"}) == {
        "amount": 15000,
        "currency": "XOF",
    }
    assert read(spend, "45000f", "fr", {"country": "sn"}) == {"amount": 45000, "currency": "XOF"}
    assert read(spend, "ok. 1200 zł dziennie", "pl", {}) == {"amount": 1200, "currency": "PLN"}
    # A range: its middle, with the range kept to tell the owner.
    assert read(spend, "entre 100 y 200 €", "es", {"country": "es"}) == Middle(
        {"amount": 150, "currency": "EUR"},
        {"amount": 100, "currency": "EUR"},
        {"amount": 200, "currency": "EUR"},
    )


def test_a_percentage_is_typed_the_way_its_refusal_shows_it(small_audit: Dialog) -> None:
    share = small_audit.question("meta_share")
    assert share is not None
    assert small_audit.read_text(share, "60 procent", "pl", {}) == 60
    refused = small_audit.read_text(share, "most of it", "en", {})
    assert isinstance(refused, InputError)
    assert render.error_text(refused, translator("en")).endswith("Type it like 60.")
