"""Typst, in-process: the printed documents' layouts in `bot/templates/*.typ` compiled to PDF or
PNG, fed their content as JSON data.

The data goes in as `sys.inputs.data` and the templates insert its strings as text, so nothing
an owner typed is ever read as markup. Fonts are the Source Sans Pro files of the
`font-source-sans-pro` package (OFL) and nothing else, so a document looks the same on every
machine; what those fonts cannot print is dropped before it reaches the template (`printable`),
except the emoji the templates draw themselves (`DRAWN`).
"""

from __future__ import annotations

import json
import struct
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import font_source_sans_pro
import typst

from bot.resources import TEMPLATES_DIR

FONT_DIR = Path(font_source_sans_pro.font_files_ttf["SourceSansPro"]).parent
FONT_FILES = ("SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf", "SourceSansPro-It.ttf")
# The emoji of the ready-made posts, drawn by bot/templates/common.typ (`icons`).
DRAWN = frozenset("📢🌐📨")
# Marks that only change how the character before them looks (emoji presentation, skin tones
# and joiners): meaningless once that character is dropped, and invisible otherwise.
_MODIFIERS = frozenset("\ufe0e\ufe0f\u200d") | frozenset(map(chr, range(0x1F3FB, 0x1F400)))


class Template:
    """One template's compiler, kept for the process: Typst remembers what it laid out, so the
    next document from the same template costs a fraction of the first."""

    def __init__(self, name: str) -> None:
        fonts = typst.Fonts(
            include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONT_DIR)]
        )
        self._compiler = typst.Compiler(
            str(TEMPLATES_DIR / name), root=str(TEMPLATES_DIR), font_paths=fonts
        )
        # One compiler is one document at a time; the bot renders in a thread pool.
        self._lock = threading.Lock()

    def pdf(self, data: Any) -> bytes:
        out = self._compile(data, format="pdf")
        assert isinstance(out, bytes)
        return out

    def png(self, data: Any, ppi: float = 144) -> list[bytes]:
        """Each page as a PNG image."""
        out = self._compile(data, format="png", ppi=ppi)
        return out if isinstance(out, list) else [out]

    def _compile(self, data: Any, **options: Any) -> bytes | list[bytes]:
        inputs = {"data": json.dumps(printable(data), ensure_ascii=False)}
        with self._lock:
            out = self._compiler.compile(sys_inputs=inputs, **options)
        assert out is not None
        return out


@cache
def template(name: str) -> Template:
    return Template(name)


def printable(data: Any) -> Any:
    """``data`` with every character the fonts lack removed from its strings (an emoji in a
    business name, say), so that no page ever shows an empty box."""
    if isinstance(data, str):
        return _printable_text(data)
    if isinstance(data, dict):
        return {key: printable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [printable(value) for value in data]
    return data


def _printable_text(text: str) -> str:
    covered = coverage()
    if all(char in covered for char in text):  # nearly always: no copy
        return text
    kept = "".join(c for c in text if c in covered or c in DRAWN or c in _MODIFIERS)
    out = []
    for index, char in enumerate(kept):
        # A modifier stays only after a drawn emoji (whose template pattern takes it along).
        if char in _MODIFIERS and not (index and (kept[index - 1] in DRAWN)):
            continue
        out.append(char)
    return "".join(out)


@cache
def coverage() -> frozenset[str]:
    """The characters every font the templates use can print (plus line breaks)."""
    sets = [_cmap(FONT_DIR / name) for name in FONT_FILES]
    return frozenset.intersection(*sets) | frozenset("\n")


def _cmap(path: Path) -> frozenset[str]:
    """The characters a TrueType font maps to a glyph (its Unicode cmap subtable, format 4
    or 12)."""
    font = path.read_bytes()
    tables = struct.unpack_from(">H", font, 4)[0]
    offsets = {
        font[12 + 16 * i : 16 + 16 * i]: struct.unpack_from(">I", font, 20 + 16 * i)[0]
        for i in range(tables)
    }
    cmap = offsets[b"cmap"]
    subtables = {
        struct.unpack_from(">HH", font, cmap + 4 + 8 * i): cmap
        + struct.unpack_from(">I", font, cmap + 8 + 8 * i)[0]
        for i in range(struct.unpack_from(">H", font, cmap + 2)[0])
    }
    if (3, 10) in subtables:
        return frozenset(map(chr, _format_12(font, subtables[(3, 10)])))
    return frozenset(map(chr, _format_4(font, subtables[(3, 1)])))


def _format_12(font: bytes, at: int) -> Iterable[int]:
    groups = struct.unpack_from(">I", font, at + 12)[0]
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", font, at + 16 + 12 * i)
        yield from (code for code in range(start, end + 1) if glyph + code - start)


def _format_4(font: bytes, at: int) -> Iterable[int]:
    segments = struct.unpack_from(">H", font, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", font, at + 14)
    starts = struct.unpack_from(f">{segments}H", font, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", font, at + 16 + 4 * segments)
    ranges_at = at + 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", font, ranges_at)
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        for code in range(start, min(end, 0xFFFE) + 1):
            if range_offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                where = ranges_at + 2 * i + range_offsets[i] + 2 * (code - start)
                glyph = struct.unpack_from(">H", font, where)[0]
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                yield code
