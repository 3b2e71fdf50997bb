"""Names of people, as the page header and the official records both write them."""

from __future__ import annotations

import regex

_UPPER_NAME = regex.compile(r"^[\p{Lu}][\p{Lu}.]*$")


def person_case(name: str) -> str:
    """Capitalise each syllable of a name; short all-caps initials ("PT") stay as written.

    Initials glued with a dot keep their capitals on both sides: "T.Thúy", "N.T.Hà".

    >>> person_case("NHẬT XUÂN"), person_case("PT"), person_case("hồ sỹ phùng")
    ('Nhật Xuân', 'PT', 'Hồ Sỹ Phùng')
    >>> person_case("T.Thúy"), person_case("N.T.HÀ")
    ('T.Thúy', 'N.T.Hà')
    """
    tokens = name.split()
    if len(tokens) == 1 and _UPPER_NAME.match(name) and len(name) <= 4:
        return name
    return " ".join(".".join(p[:1].upper() + p[1:].lower() for p in t.split(".")) for t in tokens)
