"""Translation workflow: extract every user-visible string, update the catalogs, check them.

    python -m bot catalogs update   # sources → locales/messages.pot → locales/*/canasta.po
    python -m bot catalogs check    # the .pot is in sync; every catalog complete and clean

Strings come from three kinds of source: Python (`gettext`, `ngettext`, `N_`), the Jinja2
templates (`{% trans %}`, `_()`), and the audit data in `dialogs/*.yaml` (its `text`, `hint`,
`title`, `why` and `steps`, through `extract_dialog`, usable by `pybabel` as well: see
`locales/babel.cfg`). English is a catalog like the others, its msgstr equal to the msgid, so
"complete" means the same thing in every language.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n import DEFAULT_LOCALE, DOMAIN, SUPPORTED_LOCALES
from bot.resources import _CHECKOUT

# Keys in dialogs/*.yaml whose values a person reads (`required` areas say `good`, `unknown`).
TRANSLATABLE_KEYS = frozenset({"text", "hint", "title", "why", "steps", "good", "unknown"})
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None, "_": None}
METHOD_MAP = [
    ("bot/**.py", "python"),
    ("bot/templates/**.j2", "jinja2"),
    ("dialogs/**.yaml", "bot.catalogs:extract_dialog"),
]
OPTIONS_MAP = {"bot/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdf]")


def extract_dialog(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extractor for the audit YAML: yields (line, funcname, message, comments)."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    yield from _walk(root, context="")


def _walk(node: Any, context: str) -> Iterator[tuple[int, str | None, str, list[str]]]:
    if isinstance(node, yaml.MappingNode):
        own_id = next(
            (v.value for k, v in node.value if k.value == "id" and isinstance(v, yaml.ScalarNode)),
            None,
        )
        here = f"{context} {own_id}".strip() if own_id else context
        for key, value in node.value:
            if key.value in TRANSLATABLE_KEYS:
                for scalar in _scalars(value):
                    yield scalar.start_mark.line + 1, None, scalar.value, [f"{here}: {key.value}"]
            # Also inside translatable keys: a step may be a mapping with its own text.
            yield from _walk(value, here)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, context)


def _scalars(node: Any) -> Iterator[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode) and node.value.strip():
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)


def locales_dir(root: Path = _CHECKOUT) -> Path:
    return root / "locales"


def po_path(locale: str, root: Path = _CHECKOUT) -> Path:
    return locales_dir(root) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract(root: Path = _CHECKOUT) -> Catalog:
    """A fresh template catalog from the sources."""
    template = Catalog(project="canasta", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        template.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
            flags=("python-format",) if _PLACEHOLDER.search(_first(message)) else (),
        )
    return template


def _first(message: Any) -> str:
    """The singular of a message id or string (plural ones are tuples or lists)."""
    return message if isinstance(message, str) else str(message[0])


def update(root: Path = _CHECKOUT) -> None:
    """Write messages.pot and merge it into every catalog (English filled from the msgids)."""
    template = extract(root)
    _write(template, locales_dir(root) / "messages.pot")
    for locale in SUPPORTED_LOCALES:
        path = po_path(locale, root)
        if path.exists():
            with path.open("rb") as po_file:
                catalog = read_po(po_file, locale=locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(
                locale=locale,
                project="canasta",
                charset="utf-8",
                last_translator="Canasta contributors",
                language_team=f"{locale} <https://github.com/canasta-bot/canasta>",
                revision_date=datetime.now(UTC),
            )
        # update() shares message objects with the template: give each catalog its own copy.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False  # the header: msgfmt would otherwise ignore its Plural-Forms
        if locale == DEFAULT_LOCALE:  # the language of the msgids
            for message in catalog:
                if message.id:
                    message.string = message.id
                    message.flags.discard("fuzzy")
        _write(catalog, path)


def _write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    # No line numbers: a change elsewhere in a file must not rewrite every reference below it,
    # so that a one-string change is a one-string diff.
    write_po(buffer, catalog, width=100, sort_output=False, omit_header=False, include_lineno=False)
    fresh = buffer.getvalue()
    # Unchanged messages keep the old file, creation date and all: no diff for no change.
    if not path.is_file() or _without_dates(path.read_bytes()) != _without_dates(fresh):
        path.write_bytes(fresh)


def _without_dates(content: bytes) -> bytes:
    return re.sub(rb'"(POT-Creation|PO-Revision)-Date: [^"]*"', b"", content)


def problems(root: Path = _CHECKOUT) -> list[str]:
    """Everything wrong with the catalogs: out-of-date template, gaps, fuzzy, bad placeholders."""
    found: list[str] = []
    fresh = {_key(m) for m in extract(root) if m.id}
    pot = locales_dir(root) / "messages.pot"
    if not pot.exists():
        return [f"{pot} is missing: run `python -m bot catalogs update`"]
    with pot.open("rb") as pot_file:
        stored = {_key(m) for m in read_po(pot_file) if m.id}
    if fresh != stored:
        added, gone = len(fresh - stored), len(stored - fresh)
        found.append(
            f"messages.pot is out of date ({added} new, {gone} removed): "
            "run `python -m bot catalogs update`"
        )
    for locale in SUPPORTED_LOCALES:
        found.extend(_catalog_problems(locale, fresh, root))
    return found


def _catalog_problems(locale: str, expected: set[Any], root: Path) -> Iterator[str]:
    path = po_path(locale, root)
    if not path.exists():
        yield f"{locale}: missing {path}"
        return
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    present = {_key(m) for m in catalog if m.id}
    if expected - present:
        yield f"{locale}: {len(expected - present)} messages missing: run catalogs update"
    for message in catalog:
        if not message.id:
            continue
        label = f"{locale}: {_first(message.id)!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            yield f"{label} is fuzzy"
        if not all(strings):
            yield f"{label} is not translated"
            continue
        wanted = set(_PLACEHOLDER.findall(_first(message.id)))
        strings = tuple(str(string) for string in strings)
        for string in strings:
            if set(_PLACEHOLDER.findall(string)) != wanted:
                yield f"{label}: placeholders differ in {string!r}"
    try:
        write_mo(io.BytesIO(), catalog)
    except Exception as error:  # babel raises several types for an uncompilable catalog
        yield f"{locale}: does not compile: {error}"


def _key(message: Any) -> tuple[Any, Any]:
    return (message.id, message.context)
