"""A very small PNG canvas: lines, dots and digits, written with zlib and struct alone.

Enough for the benchmark's one chart without a plotting library (matplotlib is no dependency
of ours): an RGB canvas, straight lines of any thickness, filled squares, and labels drawn in
a 3×5 pixel font that knows digits, a few letters and punctuation, scaled up.
"""

from __future__ import annotations

import struct
import zlib

Color = tuple[int, int, int]
WHITE: Color = (255, 255, 255)
BLACK: Color = (0, 0, 0)
GREY: Color = (200, 200, 200)

_FONT = {  # 3 columns × 5 rows, row by row
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111",
    "3": "111001111001111", "4": "101101111001001", "5": "111100111001111",
    "6": "111100111101111", "7": "111001001001001", "8": "111101111101111",
    "9": "111101111001111", ".": "000000000000010", " ": "000000000000000",
    "-": "000000111000000", "s": "000011110001110", "p": "000111101111100",
    "N": "101111111111101", "=": "000111000111000", ",": "000000000010100",
    "o": "000111101101111", "w": "000101101111111", "n": "000110101101101",
    "e": "000111111100111", "r": "000111100100100", "c": "000111100100111",
    "i": "010000010010010", "l": "010010010010010", "g": "000111101111001",
    "t": "010111010010011", "a": "000111011101111", "u": "000101101101111",
    "q": "000111101111001", "(": "001010010010001", ")": "100010010010100",
}  # fmt: skip


class Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(WHITE * (width * height))

    def dot(self, x: int, y: int, color: Color, size: int = 1) -> None:
        half = size // 2
        for dy in range(-half, size - half):
            for dx in range(-half, size - half):
                px, py = x + dx, y + dy
                if 0 <= px < self.width and 0 <= py < self.height:
                    start = 3 * (py * self.width + px)
                    self.pixels[start : start + 3] = bytes(color)

    def line(
        self, x0: float, y0: float, x1: float, y1: float, color: Color, width: int = 1,
        dashed: bool = False,
    ) -> None:  # fmt: skip
        steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        for step in range(steps + 1):
            if dashed and (step // 6) % 2:
                continue
            f = step / steps
            self.dot(round(x0 + (x1 - x0) * f), round(y0 + (y1 - y0) * f), color, width)

    def text(self, x: int, y: int, text: str, color: Color = BLACK, scale: int = 2) -> None:
        """``text`` with its top left corner at (x, y); unknown characters are skipped."""
        for index, char in enumerate(text):
            glyph = _FONT.get(char)
            if glyph is None:
                continue
            for cell, on in enumerate(glyph):
                if on == "1":
                    col, row = cell % 3, cell // 3
                    for dy in range(scale):
                        for dx in range(scale):
                            self.dot(
                                x + 4 * scale * index + col * scale + dx,
                                y + row * scale + dy,
                                color,
                            )

    @staticmethod
    def text_width(text: str, scale: int = 2) -> int:
        return 4 * scale * len(text) - scale

    def png(self) -> bytes:
        rows = b"".join(
            b"\x00" + bytes(self.pixels[3 * self.width * y : 3 * self.width * (y + 1)])
            for y in range(self.height)
        )

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b"")
        )
