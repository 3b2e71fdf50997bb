"""Names of people, as the page header and the official records both write them."""

from __future__ import annotations

import regex

_UPPER_NAME = regex.compile(r"^[\p{Lu}][\p{Lu}.]*$")
_PART = regex.compile(r"[^.\-'’]+")  # the parts of "T.Thúy", "Chuan-Jin", "H'Lanh"


def person_case(name: str) -> str:
    """Capitalise each syllable of a name; short all-caps initials ("PT") stay as written.

    Initials glued with a dot keep their capitals on both sides: "T.Thúy", "N.T.Hà", and so do
    the parts of a hyphenated name, "Tan Chuan-Jin", and of a highland name with an
    apostrophe, "Rơ Châm H'Lanh".

    >>> person_case("NHẬT XUÂN"), person_case("PT"), person_case("hồ sỹ phùng")
    ('Nhật Xuân', 'PT', 'Hồ Sỹ Phùng')
    >>> person_case("T.Thúy"), person_case("N.T.HÀ"), person_case("TAN CHUAN-JIN")
    ('T.Thúy', 'N.T.Hà', 'Tan Chuan-Jin')
    >>> person_case("RƠ CHÂM H'LANH")
    "Rơ Châm H'Lanh"
    """
    tokens = name.split()
    if len(tokens) == 1 and _UPPER_NAME.match(name) and len(name) <= 4:
        return name
    return " ".join(_PART.sub(lambda m: m[0][:1].upper() + m[0][1:].lower(), t) for t in tokens)
