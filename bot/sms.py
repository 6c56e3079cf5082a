"""SMS as phones count them: GSM-7 septets, one segment of 160.

A single character outside GSM-7 ("ł", "ó" in some names, "ç" capital) switches a whole SMS to
UCS-2, where one segment holds 70 characters: "Zielińska" alone would turn a 150-character
message into three paid parts. So an SMS is written in GSM-7 letters, transliterating what is
not ("ń" → "n", "ł" → "l"), and counted in septets (the extension characters count two).
"""

from __future__ import annotations

import unicodedata

SEGMENT = 160
BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = set("^{}\\[~]|€")
# Letters NFKD does not break into a base letter and an accent.
_PLAIN = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "œ": "oe", "Œ": "OE", "’": "'",
          "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u202f": " ",
          "\u00a0": " "}  # fmt: skip


def to_gsm7(text: str) -> str:
    """The text in GSM-7 characters: kept where they are GSM-7, else transliterated, else
    dropped (an emoji has no GSM-7 form)."""
    out = []
    for char in text:
        if char in BASIC or char in EXTENSION:
            out.append(char)
            continue
        char = _PLAIN.get(char, char)
        plain = "".join(c for c in unicodedata.normalize("NFKD", char) if c in BASIC | EXTENSION)
        out.append(plain)
    return "".join(out)


def septets(text: str) -> int:
    """How many septets a GSM-7 text takes (an extension character takes two)."""
    return sum(2 if char in EXTENSION else 1 for char in text)


def fits(text: str) -> bool:
    return all(char in BASIC or char in EXTENSION for char in text) and septets(text) <= SEGMENT
