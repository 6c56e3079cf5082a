"""The platforms a business depends on, named as the owner knows them.

Questions, steps and outage messages name these instead of assuming Instagram and WhatsApp: a
Facebook-only bakery reads "Facebook", a podcast studio "LinkedIn and YouTube". A text that
names them holds the placeholder `%(platforms)s` (see `bot.placeholders`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot import audit_ids as ids

PLACEHOLDER = "%(platforms)s"
MOST_NAMED = 3
"""More than three names make a message nobody reads to the end."""
UNKNOWN = ("Instagram", "Facebook", "WhatsApp")
"""For an owner who did not say: the platforms of the 2021 outage, which most owners use."""


META = frozenset({"Instagram", "Facebook", "WhatsApp", "Messenger"})
BIG_OUTAGE = date(2021, 10, 4)
"""The day Meta's apps went dark for six hours: the outage plans are measured against."""


def in_an_outage(names: tuple[str, ...]) -> tuple[str, ...]:
    """The platforms an outage message says are down: Meta's, the apps that fail together
    (as on 4 October 2021); the others stay ways to reach the owner. All of them for an owner
    who uses no Meta app."""
    return tuple(name for name in names if name in META) or names


def named(answers: Mapping[str, Any]) -> tuple[str, ...]:
    """Up to three platforms the owner's customers come through or order on, Meta's first."""
    contacts = set(answers.get(ids.FIRST_CONTACT) or ())
    if "whatsapp" in (answers.get(ids.ORDER_CHANNELS) or ()):
        contacts.add("whatsapp")
    names = [name for option, name in ids.PLATFORM_NAMES.items() if option in contacts]
    return tuple(names[:MOST_NAMED]) or UNKNOWN
