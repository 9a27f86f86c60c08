"""Numbers as pages show them: grouped thousands, a fixed number of decimals, a dash
for no value."""

from __future__ import annotations


def number(value, decimals: int = 0) -> str:
    """``value`` with thousands separators and ``decimals`` places; "–" for None.

    >>> number(12400), number(83.456, 1), number(None)
    ('12,400', '83.5', '–')
    """
    if value is None:
        return "–"
    return f"{float(value):,.{decimals}f}"
