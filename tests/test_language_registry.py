"""One registry of languages: everything derives from it, and a new language is one entry away.

The German here is registered only for the test, with a catalog that has no translations yet,
to prove that such a language works end to end (in English) rather than crashing `/start`.
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.numbers import is_currency

from bot import __main__ as cli
from bot import catalogs, i18n, languages
from bot.errors import CatalogError
from bot.languages import LANGUAGES, Language, language
from bot.resources import _PACKAGE, data_dir
from bot.telegram import keyboards
from tests.fakebotapi import FakeBotAPI
from tests.telegram_harness import TOKEN, current_question, idle, running_bot

GERMAN = Language("de", "🇩🇪 Deutsch", "EUR")
HEADER_ONLY = """\
msgid ""
msgstr ""
"Project-Id-Version: canasta\\n"
"Language: de\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


@pytest.fixture
def german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Register German with an empty catalog in a copy of the locales; yield its .po path."""
    locales = tmp_path / "locales"
    shutil.copytree(data_dir("locales"), locales)
    po = locales / "de" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    po.parent.mkdir(parents=True)
    po.write_text(HEADER_ONLY, encoding="utf-8")
    monkeypatch.setattr(languages, "LANGUAGES", (*LANGUAGES, GERMAN))
    monkeypatch.setattr(
        i18n, "data_dir", lambda name: locales if name == "locales" else data_dir(name)
    )
    i18n.translator.cache_clear()  # translators are cached per process: load from the copy
    yield po
    i18n.translator.cache_clear()  # drop German and the copy before the registry is restored


# ── The registry as shipped ─────────────────────────────────────────────────────────────────


def test_the_registry_lists_each_language_once_english_first() -> None:
    codes = [entry.code for entry in LANGUAGES]
    assert codes == ["en", "es", "pl", "fr"]
    assert tuple(codes) == i18n.SUPPORTED_LOCALES
    assert i18n.DEFAULT_LOCALE == "en"
    assert language("pl").native_name == "🇵🇱 Polski"
    with pytest.raises(KeyError):
        language("de")


@pytest.mark.parametrize("entry", LANGUAGES, ids=lambda entry: entry.code)
def test_every_entry_is_usable(entry: Language) -> None:
    assert i18n.negotiate(entry.code) == entry.code  # Babel reads the code as itself
    assert is_currency(entry.currency)
    assert i18n.default_currency(entry.code) == entry.currency
    assert i18n.translator(entry.code).day(date(2026, 11, 30))
    assert catalogs.po_path(entry.code).is_file()


def test_every_catalog_folder_is_a_registered_language() -> None:
    folders = {path.name for path in data_dir("locales").iterdir() if path.is_dir()}
    assert folders == set(i18n.SUPPORTED_LOCALES)


def test_the_currency_follows_the_country_before_the_language() -> None:
    assert i18n.default_currency("fr", "sn") == "XOF"
    assert i18n.default_currency("en", "pl") == "PLN"
    assert i18n.default_currency("pl", "other") == "PLN"
    assert i18n.default_currency("xx") == "USD"  # an unknown language: the default one's


def _language_lists(tree: ast.AST, codes: set[str]) -> Iterator[int]:
    """Lines of tuple, list and set literals, and dict keys, naming two registered codes."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items: list[ast.expr | None] = list(node.elts)
        elif isinstance(node, ast.Dict):
            items = list(node.keys)
        else:
            continue
        named = {i.value for i in items if isinstance(i, ast.Constant) and i.value in codes}
        if len(named) >= 2:
            yield node.lineno


def test_no_second_list_of_languages_in_the_code() -> None:
    codes = set(i18n.SUPPORTED_LOCALES)
    found = [
        f"{path.relative_to(_PACKAGE)}:{line}"
        for path in sorted(_PACKAGE.rglob("*.py"))
        if path.name != "languages.py"
        for line in _language_lists(ast.parse(path.read_text(encoding="utf-8")), codes)
    ]
    assert found == []


def test_the_lint_finds_a_second_list() -> None:
    tree = ast.parse('NAMES = {"en": "English", "es": "Español"}\nX = ("pl", "fr")')
    assert list(_language_lists(tree, {"en", "es", "pl", "fr"})) == [1, 2]


# ── A fifth language: one entry and a catalog ───────────────────────────────────────────────


def test_a_new_language_is_negotiated_and_named(german: Path) -> None:
    assert i18n.negotiate("de-AT") == "de"
    assert "de" in i18n.SUPPORTED_LOCALES
    assert keyboards.LANGUAGE_NAMES["de"] == "🇩🇪 Deutsch"
    assert i18n.default_currency("de") == "EUR"
    assert cli._parser().parse_args(["console", "--lang", "de"]).lang == "de"


def test_without_the_entry_the_language_is_refused() -> None:
    assert i18n.negotiate("de-AT") == "en"
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["console", "--lang", "de"])


@pytest.mark.parametrize("content", [HEADER_ONLY, ""], ids=["header-only", "zero-bytes"])
def test_an_untranslated_catalog_reads_english(german: Path, content: str) -> None:
    german.write_text(content, encoding="utf-8")
    t = i18n.translator("de")
    assert t.locale == "de"
    assert t.gettext("Yes, start over") == "Yes, start over"
    assert t.ngettext("%(n)s day", "%(n)s days", 1) == "%(n)s day"
    assert t.ngettext("%(n)s day", "%(n)s days", 3) == "%(n)s days"
    assert t.money(12, "EUR") == "12\u00a0€"  # numbers are German already: that is Babel's
    assert set(i18n.load_all()) == {"en", "es", "pl", "fr", "de"}


def test_a_registered_language_without_a_catalog_stops_the_start(german: Path) -> None:
    german.unlink()
    with pytest.raises(CatalogError, match="missing catalog"):
        i18n.load_all()


def test_the_catalog_check_covers_the_new_language(german: Path) -> None:
    # The check reads the checkout's locales, where no German catalog exists yet.
    assert any(problem.startswith("de: missing") for problem in catalogs.problems())


def test_the_language_keyboard_has_a_button_per_language(german: Path) -> None:
    rows = keyboards.language_keyboard("de").inline_keyboard
    labels = [button.text for row in rows for button in row]
    assert labels == ["🇬🇧 English", "🇪🇸 Español", "🇵🇱 Polski", "🇫🇷 Français", "• 🇩🇪 Deutsch"]
    assert all(len(row) <= 2 for row in rows)


async def test_start_in_the_new_language_welcomes_and_asks(german: Path, db_path: Path) -> None:
    with FakeBotAPI(token=TOKEN) as server:
        hans = server.user(4000, language_code="de")
        async with running_bot(server, db_path):
            hans.send("/start")
            await idle(server)
        (welcome,) = hans.messages()  # the welcome carries the first question
        assert "Hello! I am Canasta." in (welcome.text or "")
        assert "Deutsch" in (welcome.text or "")
        labels = [button.text for row in welcome.buttons for button in row]
        # The question's Skip, then one button per language.
        assert len(labels) == 6 and labels[0] == "Skip" and "• 🇩🇪 Deutsch" in labels
        current_question(hans, i18n.translator("de"))  # the first question, in English
