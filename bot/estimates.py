"""Estimates look like estimates: rounded to the precision they have, shown without cents.

A loss worked out from a typed day's sales and a guessed share is known to a figure or two;
"about 9 003,00 €" claims six. Exact figures (what the owner typed) keep `Translator.money`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_ONE, _TEN = Decimal(1), Decimal(10)


def round_estimate(value: Decimal) -> Decimal:
    """`value` to the precision of an estimate: 9 003 → 9 000, 30 600 000 → 31 000 000.

    From 1 000 up, two significant digits; from 100, to the nearest ten (347 → 350); below, to a
    whole unit (37.5 → 38, not 40): never more than 5 % off. Halves round away from zero, as
    people round.
    """
    if value < 0:
        return -round_estimate(-value)
    if value < 100:
        step = _ONE
    elif value < 1000:
        step = _TEN
    else:
        step = _TEN ** (value.adjusted() - 1)
    return (value / step).quantize(_ONE, ROUND_HALF_UP) * step
