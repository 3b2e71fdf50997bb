"""One key per person and the positions of an official's titles, read with data tables.

`person_key` is equal for every way one name is written (case, tone-mark placement, Unicode
form, spacing); `positions` reads each title as written into a role, an organisation, a level
and a place, with the abbreviations of `rules/people/titles.yaml` written out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from pipeline.config import BUILTIN_RULES
from pipeline.ruleset.schema import RuleError, check_keys, load_yaml, where
from pipeline.steps.normalize import normalize_text

#: The built-in tables (not a rule pack: rules/ reads no subfolder as one).
TITLES = BUILTIN_RULES / "people" / "titles.yaml"
_SECTIONS = ("abbreviations", "roles", "unit_roles", "status", "levels", "not_units")
_KEYS = frozenset({*_SECTIONS, "central_cities"})
_UNIT_LEVELS = ("province", "district", "commune", "city")
_BODY_LEVELS = ("central", "province", "district", "commune")
#: Lowest first: a title's level is that of the lowest unit it names; a foreign country
#: outranks only the central bodies ("Thủ tướng Lào" is a foreign post).
_RANK = {"commune": 0, "district": 1, "province": 2, "foreign": 3, "central": 4}
_STATUS = frozenset({"former", "acting"})

_INITIAL_GAP = regex.compile(r"(?<=(?<!\p{L})\p{Lu}\.)\s+(?=\p{Lu})")
_WORD = r"(?:\p{Lu}[\p{L}'’]*|\d+)"
_PLACE_NAME = regex.compile(rf"\s*({_WORD}(?:(?:\s+|\s*[-–]\s*){_WORD})*)")
_MEMBER = regex.compile(r"(?i)^(.+\s+ủy)\s+viên$")


def person_key(name: str) -> str:
    """The name in lower case, NFC, one tone-mark style ("hòa", "thủy"), single spaces: equal
    for every way one name is written, different for different letters ("Hùng", "Hưng").

    >>> person_key("NGUYỄN  VĂN HOÀ"), person_key("Nguye\\u0302\\u0303n Văn Hòa")
    ('nguyễn văn hòa', 'nguyễn văn hòa')
    >>> person_key("N. T. Hà"), person_key("H’Lanh")  # initials close up; one apostrophe
    ('n.t.hà', "h'lanh")
    """
    text = _INITIAL_GAP.sub("", normalize_text(name).replace("’", "'"))
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, eq=False)
class Tables:
    """The title tables, ready to read with: each pattern compiled once, when loaded."""

    abbreviations: dict[str, str]  # the short form as written -> written out
    places: dict[str, str]  # place words written short, out only before a place's name
    expand: regex.Pattern[str]
    roles: dict[str, str]  # casefolded -> as the table writes it
    role: regex.Pattern[str]
    unit_roles: dict[str, str]
    status: dict[str, str]
    status_word: regex.Pattern[str]
    levels: dict[str, tuple[str, str | None]]  # casefolded word -> (kind, level)
    level_word: regex.Pattern[str]
    central_cities: frozenset[str]


def _alternation(words: list[str], case_of: bool = False) -> str:
    """Longest first; with `case_of`, a word with a capital keeps its case, others any.

    >>> _alternation(["xã", "thị xã", "Bộ"], case_of=True)
    '(?i:thị\\\\ xã)|(?i:xã)|Bộ'
    """
    ordered = sorted(words, key=len, reverse=True)
    if not case_of:
        return "|".join(regex.escape(w) for w in ordered)
    return "|".join(
        regex.escape(w) if w != w.lower() else f"(?i:{regex.escape(w)})" for w in ordered
    )


def _table(data: Any, loc: str, problems: list[str], what: str = "expansion") -> dict[str, str]:
    """A mapping of texts to texts; each entry that is not one is a problem naming its key."""
    if not isinstance(data, dict):
        problems.append(f"{loc}: must be a mapping")
        return {}
    for key, value in data.items():
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{loc}: '{key}' has no {what}")
    return {str(k): v for k, v in data.items() if isinstance(v, str) and v.strip()}


def _words(data: Any, loc: str, problems: list[str]) -> list[str]:
    """A list of non-empty texts; each entry that is not one is a problem."""
    if not isinstance(data, list):
        problems.append(f"{loc}: must be a list of words")
        return []
    bad = [repr(w) for w in data if not isinstance(w, str) or not w.strip()]
    if bad:
        problems.append(f"{loc}: {', '.join(bad)} is no word")
    return [w for w in data if isinstance(w, str) and w.strip()]


def _level_words(data: Any, loc: str, problems: list[str]) -> dict[str, tuple[str, str | None]]:
    """levels.units, levels.bodies and levels.countries, each word once: word -> kind, level."""
    found: dict[str, tuple[str, str | None]] = {}
    seen: set[str] = set()
    levels = check_keys(data, loc, {"units", "bodies", "countries"}, ("units", "bodies"))
    groups: list[tuple[str, str, Any]] = [("countries", "foreign", levels.get("countries"))]
    for kind, allowed in (("units", _UNIT_LEVELS), ("bodies", _BODY_LEVELS)):
        for name, words in _table_of_lists(levels[kind], f"{loc}.{kind}", allowed, problems):
            groups.append((kind, name, words))
    for kind, level, words in groups:
        place = f"{loc}.{kind}" + (f".{level}" if kind != "countries" else "")
        for word in _words(words or [], place, problems):
            if word.casefold() in seen:
                problems.append(f"{place}: '{word}' is listed twice")
            seen.add(word.casefold())
            found[word] = (kind, level)
    return found


def _table_of_lists(
    data: Any, loc: str, allowed: tuple[str, ...], problems: list[str]
) -> list[tuple[str, Any]]:
    """The (level, words) of a mapping whose keys must be among `allowed`."""
    if not isinstance(data, dict):
        problems.append(f"{loc}: must be a mapping of levels to words")
        return []
    problems += [
        f"{loc}: '{k}' is no level (one of: {', '.join(allowed)})" for k in data if k not in allowed
    ]
    return [(str(k), v) for k, v in data.items() if k in allowed]


def load_tables(path: Path) -> Tables:
    """Read and check a titles table; a RuleError names the file and key of each problem."""
    data = check_keys(load_yaml(path), str(path), _KEYS, _SECTIONS)
    problems: list[str] = []
    abbr = check_keys(
        data["abbreviations"], where(path, "abbreviations"), {"roles", "organisations", "places"}
    )
    short = {}
    for part in ("roles", "organisations"):
        short.update(_table(abbr.get(part) or {}, where(path, f"abbreviations.{part}"), problems))
    places = _table(abbr.get("places") or {}, where(path, "abbreviations.places"), problems)
    roles = {r.casefold(): r for r in _words(data["roles"], where(path, "roles"), problems)}
    units = _table(data["unit_roles"], where(path, "unit_roles"), problems, "unit")
    problems += [
        where(path, "unit_roles", f"'{r}' is not one of roles")
        for r in units
        if r.casefold() not in roles
    ]
    status = _table(data["status"], where(path, "status"), problems, "status")
    problems += [
        where(path, "status", f"'{w}': '{s}' is no status (former or acting)")
        for w, s in status.items()
        if s not in _STATUS
    ]
    levels = _level_words(data["levels"], where(path, "levels"), problems)
    for word in _words(data["not_units"], where(path, "not_units"), problems):
        levels[word] = ("not_units", None)
    cities = _words(data.get("central_cities") or [], where(path, "central_cities"), problems)
    if problems:
        raise RuleError(*problems)
    return _compiled(short, places, roles, units, status, levels, cities)


def _compiled(
    short: dict[str, str],
    places: dict[str, str],
    roles: dict[str, str],
    units: dict[str, str],
    status: dict[str, str],
    levels: dict[str, tuple[str, str | None]],
    cities: list[str],
) -> Tables:
    """The tables with their patterns, compiled once."""
    expand = (
        rf"(?<![\p{{L}}\d])(?:(?P<pho>P\.\s?)(?=\p{{Lu}})"
        rf"|(?P<place>{_alternation(list(places))})(?:\.\s*|\s+)(?=\p{{Lu}}|\d)"
        rf"|(?P<short>{_alternation(list(short))})(?![\p{{L}}\d])(?:\.(?=\s|\p{{Lu}}|$))?)"
    )
    return Tables(
        abbreviations=short,
        places=places,
        expand=regex.compile(expand),
        roles=roles,
        role=regex.compile(rf"(?i:{_alternation(list(roles.values()))})(?!\p{{L}})"),
        unit_roles={k.casefold(): v for k, v in units.items()},
        status={k.casefold(): v for k, v in status.items()},
        status_word=regex.compile(rf"(?i:{_alternation(list(status))})\s+"),
        levels={word.casefold(): kind_level for word, kind_level in levels.items()},
        level_word=regex.compile(
            rf"(?<![\p{{L}}\d])(?:{_alternation(list(levels), True)})(?![\p{{L}}\d])"
        ),
        central_cities=frozenset(c.casefold() for c in cities),
    )


@functools.cache
def default_tables() -> Tables:
    """The built-in tables, read and checked once per process."""
    return load_tables(TITLES)


def expand_abbreviations(title: str, tables: Tables | None = None) -> str:
    """The title with its abbreviations written out; "TP" only before a place's name.

    >>> expand_abbreviations("PCT UBND TP. Pleiku"), expand_abbreviations("P.CT HĐND TP")
    ('Phó Chủ tịch Ủy ban nhân dân thành phố Pleiku', 'Phó Chủ tịch Hội đồng nhân dân TP')
    >>> expand_abbreviations("UV.BTV Huyện ủy")  # a dot between two: a space
    'Ủy viên Ban Thường vụ Huyện ủy'
    """
    t = tables or default_tables()
    title = " ".join(title.split())

    def written_out(m: regex.Match[str]) -> str:
        if m["pho"]:
            return "Phó "
        if m["place"]:
            return t.places[m["place"]] + " "
        glued = m[0].endswith(".") and m.end() < len(title) and not title[m.end()].isspace()
        return t.abbreviations[m["short"]] + (" " if glued else "")

    return t.expand.sub(written_out, title)


def split_role(title: str, tables: Tables | None = None) -> tuple[str | None, str | None]:
    """The role a written-out title starts with (as the table writes it) and the organisation
    after it; a unit's head names its unit ("Trưởng ban Dân vận" -> "Ban Dân vận").

    >>> split_role("Trưởng Ban Dân vận Huyện ủy"), split_role("Tỉnh ủy viên")
    (('Trưởng ban', 'Ban Dân vận Huyện ủy'), ('Tỉnh ủy viên', 'Tỉnh ủy'))
    >>> split_role("Linh mục quản xứ")  # a head the table does not know
    (None, 'Linh mục quản xứ')
    """
    t = tables or default_tables()
    m = t.role.match(title)
    if not m:
        return None, title or None
    role = t.roles[m[0].casefold()]
    rest = title[m.end() :].strip(" ,;:-–")
    unit = t.unit_roles.get(role.casefold())
    if rest and unit and not rest.casefold().startswith(unit.casefold() + " "):
        rest = f"{unit} {rest}"
    if not rest and (member := _MEMBER.match(role)):  # "Tỉnh ủy viên": a member of the Tỉnh ủy
        rest = member[1]
    return role, rest or None


def title_level(title: str, tables: Tables | None = None) -> tuple[str | None, str | None]:
    """The level of the lowest unit a written-out title names, and the place named after it
    (a foreign post: no level, the country as its place).

    >>> title_level("Bí thư Đảng ủy xã Ea Tân, huyện Krông Năng")
    ('commune', 'Ea Tân')
    >>> title_level("Chủ tịch thành phố Pleiku"), title_level("Bí thư Thành ủy Hà Nội")
    (('district', 'Pleiku'), ('province', 'Hà Nội'))
    >>> title_level("Trưởng ban Văn hóa - Xã hội"), title_level("Ngoại trưởng Mỹ")
    ((None, None), (None, 'Mỹ'))
    """
    t = tables or default_tables()
    best: tuple[int, bool, str, str | None] | None = None
    for m in t.level_word.finditer(title):
        kind, level = t.levels[m[0].casefold()]
        place = None
        if kind == "units":
            named = _PLACE_NAME.match(title, m.end())
            place = named[1] if named else None
        if kind == "countries":
            place = m[0]
        if level == "city":  # a province if one of the five, else a city of a province
            if place is None:
                continue
            level = "province" if place.casefold() in t.central_cities else "district"
        if level is None:  # "xã hội": no unit
            continue
        found = (_RANK[level], place is None, level, place)
        if best is None or found[:2] < best[:2]:
            best = found
    if best is None:
        return None, None
    return (None if best[2] == "foreign" else best[2]), best[3]


def level_and_place(name: str, tables: Tables | None = None) -> tuple[str | None, str | None]:
    """The level and the place an organisation's name gives, abbreviations and all: what
    tells one province's or district's body from another's (a document's issuer, dockeys.py).

    >>> level_and_place("UBND tỉnh Gia Lai"), level_and_place("Ban Thường vụ Huyện ủy")
    (('province', 'Gia Lai'), ('district', None))
    """
    t = tables or default_tables()
    return title_level(expand_abbreviations(name, t), t)


def position(title: str, tables: Tables | None = None) -> dict[str, str | None]:
    """One title as written, read into its role, organisation, level, place and status.

    >>> p = position("nguyên PCT UBND tỉnh Gia Lai")
    >>> p["role"], p["organisation"], p["level"], p["place"], p["status"]
    ('Phó Chủ tịch', 'Ủy ban nhân dân tỉnh Gia Lai', 'province', 'Gia Lai', 'former')
    """
    t = tables or default_tables()
    text = expand_abbreviations(title, t)
    status = None
    if m := t.status_word.match(text):
        status, text = t.status[m[0].strip().casefold()], text[m.end() :]
    role, organisation = split_role(text, t)
    level, place = title_level(text, t)
    return {
        "role": role,
        "organisation": organisation,
        "level": level,
        "place": place,
        "status": status,
        "as_written": title,
    }


def positions(titles: list[str], tables: Tables | None = None) -> list[dict[str, str | None]]:
    """The positions of an official's titles, one for each, in their order.

    >>> [p["role"] for p in positions(["UVBTV Tỉnh ủy", "Trưởng BDV Tỉnh ủy"])]
    ['Ủy viên Ban Thường vụ', 'Trưởng ban']
    """
    t = tables or default_tables()
    return [position(title, t) for title in titles]
