"""Converters a rule's field may apply to its filled template: `{date: '{year}-{month}-{day}'}`.

Each takes the filled string and returns the field's value, or None when the text is not a valid
value (a "31/2/2023" is no date): the field is then left empty.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import regex

from pipeline.ruleset.numbers import parse_decimal, parse_number, parse_percent


def to_date(text: str) -> str | None:
    """ "Y-M-D" with any padding to an ISO date; None for an impossible date.

    >>> to_date("2013-6-3"), to_date("2023-2-31")
    ('2013-06-03', None)
    """
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return None


_ROMAN = regex.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def to_roman(text: str) -> str | None:
    """An upper-case Roman numeral, None when `text` is not one.

    >>> to_roman("xiii"), to_roman("IIII")
    ('XIII', None)
    """
    text = text.strip().upper()
    return text if text and _ROMAN.fullmatch(text) else None


def to_int(text: str) -> int | None:
    """Digits with "." or "," thousands separators to an integer.

    >>> to_int("84.404"), to_int("05")
    (84404, 5)
    """
    digits = regex.sub(r"[.,\s]", "", text)
    return int(digits) if digits.isdigit() else None


CONVERTERS: dict[str, Callable[[str], object]] = {
    "date": to_date,
    "roman": to_roman,
    "int": to_int,
    "vnint": parse_number,  # "84.404", "1,2 triệu", "bốn trăm" (ruleset/numbers.py)
    "vndecimal": parse_decimal,  # "102,5", "12,5 tỷ", "2 tỷ 500 triệu"
    "percent": parse_percent,  # "12,5%", "15 phần trăm"
}
