"""Names of people, as the page header and the official records both write them."""

from __future__ import annotations

import regex

_UPPER_NAME = regex.compile(r"^[\p{Lu}][\p{Lu}.]*$")


def person_case(name: str) -> str:
    """Capitalise each syllable of a name; short all-caps initials ("PT") stay as written.

    >>> person_case("NHẬT XUÂN"), person_case("PT"), person_case("hồ sỹ phùng")
    ('Nhật Xuân', 'PT', 'Hồ Sỹ Phùng')
    """
    tokens = name.split()
    if len(tokens) == 1 and _UPPER_NAME.match(name) and len(name) <= 4:
        return name
    return " ".join(t[:1].upper() + t[1:].lower() for t in tokens)
