"""The languages Canasta speaks: one registry that everything else derives from.

Adding a language is one `Language` entry below and one catalog,
`locales/<code>/LC_MESSAGES/canasta.po` (`python -m bot catalogs update` writes it). Until it is
translated, people reading that language see the English text.

Plural rules are not here: each catalog's `Plural-Forms` header carries them, so the translator
who knows the language sets them, and gettext applies them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import overload


@dataclass(frozen=True)
class Language:
    """What the bot needs to know about one language, beyond its catalog."""

    code: str
    """The catalog folder and what Telegram's `language_code` is negotiated to (ISO 639-1)."""
    native_name: str
    """The language named in itself, on its button, so anyone can find theirs."""
    currency: str
    """ISO 4217 code assumed when an owner in this language types a bare number."""
    date_format: str = "long"
    """Babel format name or pattern for deadlines and dates. The long form is how each language
    writes a date in a sentence: "November 30, 2026", "30 de noviembre de 2026", "30 novembre
    2026", and Polish's genitive "30 listopada 2026" (the short "30 lis" reads as a nominative
    "maj" in May)."""


# Ordered as the language buttons are. The first one is the language of the source strings
# (catalog msgids) and the fallback when a person's language is not one of these.
LANGUAGES: tuple[Language, ...] = (
    Language("en", "🇬🇧 English", "USD"),
    Language("es", "🇪🇸 Español", "EUR"),
    Language("pl", "🇵🇱 Polski", "PLN"),
    Language("fr", "🇫🇷 Français", "EUR"),
)


def language(code: str) -> Language:
    """The registered language with this code; KeyError when there is none."""
    for entry in LANGUAGES:
        if entry.code == code:
            return entry
    raise KeyError(code)


# The views below read LANGUAGES on every use rather than copy it at import time, so that
# modules which did `from bot.i18n import SUPPORTED_LOCALES` see the same registry as this one
# (a test that registers a language only has to replace LANGUAGES).


class _Codes(Sequence[str]):
    """The registered codes, in order: a live, read-only view of LANGUAGES."""

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        codes = tuple(entry.code for entry in LANGUAGES)
        return codes[index]

    def __len__(self) -> int:
        return len(LANGUAGES)

    def __contains__(self, code: object) -> bool:
        return any(entry.code == code for entry in LANGUAGES)

    def __iter__(self) -> Iterator[str]:
        return iter([entry.code for entry in LANGUAGES])

    def __eq__(self, other: object) -> bool:  # unhashable, as it may change
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __repr__(self) -> str:
        return repr(tuple(self))


class _NativeNames(Mapping[str, str]):
    """Code → native name, in registry order: a live, read-only view of LANGUAGES."""

    def __getitem__(self, code: str) -> str:
        return language(code).native_name

    def __iter__(self) -> Iterator[str]:
        return iter(CODES)

    def __len__(self) -> int:
        return len(LANGUAGES)

    def __repr__(self) -> str:
        return repr(dict(self))


CODES: Sequence[str] = _Codes()
NATIVE_NAMES: Mapping[str, str] = _NativeNames()
