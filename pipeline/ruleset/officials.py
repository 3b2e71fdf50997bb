"""Official records: one per person, with every title they are given and every mention.

Names are person-cased ("NGUYỄN PHÚ TRỌNG" -> "Nguyễn Phú Trọng"); a title group is split at
the commas that start a new position ("Ủy viên Ban Thường vụ, Trưởng ban Dân vận Tỉnh ủy");
later short mentions ("đồng chí Huy") join the person's `mentions`. The page's bylines are
never officials, nor the leaders of the past the text cites (lexicon `historical_figures`:
"tư tưởng Hồ Chí Minh", "chân dung Chủ tịch Hồ Chí Minh").
"""

from __future__ import annotations

import functools
import unicodedata

import regex

from pipeline.document import Record
from pipeline.names import person_case
from pipeline.people import default_tables, person_key, positions
from pipeline.ruleset.context import Context

_SHORT_HONORIFIC = r"(?:đồng chí|Đồng chí|Đ/c|đ/c|ông|Ông|bà|Bà)"


def split_titles(titles: str, heads: list[str] | tuple[str, ...]) -> list[str]:
    """Split at commas (", đồng thời là" too), semicolons, dashes or slashes followed by a
    position head; keep the others inside a title ("Phòng Kinh tế - Hạ tầng").

    >>> split_titles("Ủy viên Ban Thường vụ, Trưởng ban Dân vận Tỉnh ủy", ["Ủy viên", "Trưởng ban"])
    ['Ủy viên Ban Thường vụ', 'Trưởng ban Dân vận Tỉnh ủy']
    >>> split_titles("HUV - Trưởng phòng Kinh tế - Hạ tầng", ["HUV", "Trưởng phòng"])
    ['HUV', 'Trưởng phòng Kinh tế - Hạ tầng']
    >>> split_titles("Ủy viên Ban Thường vụ / Bí thư Đảng ủy", ["Ủy viên Ban Thường vụ", "Bí thư"])
    ['Ủy viên Ban Thường vụ', 'Bí thư Đảng ủy']
    >>> split_titles("PBT Đảng ủy-CT. HĐND phường", ["PBT", "CT"])  # a dash typed without blanks
    ['PBT Đảng ủy', 'CT. HĐND phường']
    >>> split_titles("TVHU-Chỉ huy trưởng Ban Kinh tế-Ngân sách", ["TVHU", "Chỉ huy trưởng"])
    ['TVHU', 'Chỉ huy trưởng Ban Kinh tế-Ngân sách']
    >>> split_titles("Phó chủ tịch UBND/Chủ tịch Công đoàn phường", ["Phó chủ tịch", "Chủ tịch"])
    ['Phó chủ tịch UBND', 'Chủ tịch Công đoàn phường']
    >>> split_titles("Trưởng phòng LĐ-TB/XH", ["Trưởng phòng"])  # a slash in a name stays
    ['Trưởng phòng LĐ-TB/XH']
    >>> split_titles("Phó Chủ tịch UBND, đồng thời là Trưởng ban", ["Phó Chủ tịch", "Trưởng ban"])
    ['Phó Chủ tịch UBND', 'Trưởng ban']
    >>> split_titles("Hiệu trưởng- Bí thư Chi bộ", ["Hiệu trưởng", "Bí thư"])  # one post, spaced
    ['Hiệu trưởng - Bí thư Chi bộ']
    """
    out: list[str] = []
    folded, starts = _folded_heads(tuple(heads))
    pieces = regex.split(
        r"(\s*,\s*đồng thời(?:\s+là)?\s+|\s*[,;]\s*|\s+[-–—/]\s*|[-–—/]\s+"
        r"|(?<=\p{L})[-/](?=\p{Lu}))",
        " ".join(titles.split()),
    )
    for sep, part in zip(["", *pieces[1::2]], pieces[::2], strict=True):
        dash = not ("," in sep or ";" in sep or "/" in sep)
        if out and (not _bare(part).startswith(starts) or (dash and _bare_head(out[-1], folded))):
            out[-1] += _joint(sep) + part
        else:
            out.append(part)
    return [t for t in out if t]


@functools.lru_cache(maxsize=8)
def _folded_heads(heads: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The heads folded, as a set (a title that is a bare head) and a tuple (a title starting
    with one, in one `str.startswith`): folded once per rule set, not once per title."""
    folded = frozenset(h.casefold() for h in heads)
    return folded, tuple(folded)


def _joint(sep: str) -> str:
    """How a separator reads inside one title: a comma or semicolon with one blank after it, a
    dash typed with a blank on one side only with one on each ("Hiệu trưởng- Bí thư" reads
    as "Hiệu trưởng - Bí thư", so that each of its posts is found in it), others as typed.

    >>> [_joint(s) for s in (" ,", "- ", " -", "-", " / ")]
    [', ', ' - ', ' - ', '-', ' / ']
    """
    if "," in sep or ";" in sep:
        return ", " if "," in sep else "; "
    if sep.strip() and sep != sep.strip():
        return f" {sep.strip()} "
    return sep


def _bare(title: str) -> str:
    """The title without "nguyên" (former) or "quyền" (acting), folded: what its head is read on.

    >>> _bare("nguyên Thủ tướng Chính phủ")
    'thủ tướng chính phủ'
    """
    folded = title.casefold()
    for word in ("nguyên ", "quyền "):
        folded = folded.removeprefix(word)
    return folded


def _bare_head(title: str, heads: frozenset[str]) -> bool:
    """A head with nothing after it, that a dash joins to the next one as one post ("Phó Chủ
    tịch - Tổng Thư ký UBTƯ MTTQ Việt Nam"); a membership ("HUV", "Tỉnh ủy viên") stands alone."""
    return (
        title.casefold() in heads and not title.isupper() and not title.casefold().endswith("viên")
    )


def _add_titles(target: list[str], new: list[str]) -> None:
    """Add the titles not yet held; one that begins a held title ("Chủ tịch Hội" of "Chủ tịch
    Hội Người mù Việt Nam") is the same post, shortened.

    >>> titles = ["Chủ tịch Hội Người mù Việt Nam"]
    >>> _add_titles(titles, ["Chủ tịch Hội", "Ủy viên Ban Thường vụ"])
    >>> titles
    ['Chủ tịch Hội Người mù Việt Nam', 'Ủy viên Ban Thường vụ']
    """
    for title in new:
        folded = title.casefold()
        if not any(t.casefold().startswith(folded) for t in target):
            target.append(title)


def _add_mention(mentions: list[list[int]], span: tuple[int, int]) -> None:
    """Add a mention's span; one that overlaps a held mention (the same person read from its
    name backwards and forwards) widens it.

    >>> mentions = [[14, 49]]
    >>> _add_mention(mentions, (34, 96)); _add_mention(mentions, (120, 130))
    >>> mentions
    [[14, 96], [120, 130]]
    """
    for held in mentions:
        if held[0] < span[1] and span[0] < held[1]:
            held[0], held[1] = min(held[0], span[0]), max(held[1], span[1])
            return
    mentions.append(list(span))


def _plain(name: str) -> str:
    """A name without its tone and vowel marks, for spotting a typo ("Lễ" for "Lê").

    >>> _plain("Lễ Tiến Dũng") == _plain("Lê Tiến Dũng")
    True
    """
    decomposed = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _same_person(name: str, titles: list[str], people: dict[str, Record]) -> str:
    """The key of the person `name` is: itself, or a person already read whose name differs
    only in its marks and who holds one of the same titles (a page's typo, "Lễ Tiến Dũng" in
    a caption for "Lê Tiến Dũng" in the text). Keys are people.person_key's, the one name
    normalisation of the records' `person` field ("H’Lanh" is "H'Lanh")."""
    key = person_key(name)
    if key in people or not titles:
        return key
    plain, held = _plain(name), {t.casefold() for t in titles}
    for other, rec in people.items():
        if _plain(other) == plain and held & {t.casefold() for t in rec.fields["titles"]}:
            return other
    return key


def _widen(known: Record, rec: Record, text: str) -> None:
    """Two readings of one mention (titles before the name, titles after it) make one record
    over both, credited to the longer reading's rule (the one that won the overlap)."""
    if rec.span[1] - rec.span[0] > known.span[1] - known.span[0]:
        known.rule = rec.rule
    known.span = (min(known.span[0], rec.span[0]), max(known.span[1], rec.span[1]))
    known.text = text[known.span[0] : known.span[1]]
    known.extents.extend(rec.extents)


def _short_mentions(people: dict[str, Record], text: str) -> dict[str, list[list[int]]]:
    """ "đồng chí Huy" spans per given name, found with one pattern for the whole page."""
    given = {str(rec.fields["name"]).split()[-1] for rec in people.values()}
    if not given:
        return {}
    names = "|".join(regex.escape(g) for g in sorted(given, key=len, reverse=True))
    pattern = rf"{_SHORT_HONORIFIC}\s+(?P<given>{names})(?![\p{{L}}])(?!\s+\p{{Lu}})"
    found: dict[str, list[list[int]]] = {}
    for m in regex.finditer(pattern, text):
        found.setdefault(m["given"], []).append([m.start(), m.end()])
    return found


_PLACE_BEFORE = regex.compile(
    r"(?P<word>(?i:huyện|xã|phường|thị trấn|thị xã|quận|tỉnh|thành phố|TP\.?))\s+$"
)


#: A person's name by its shape: a surname, "Văn" or "Thị", a given name (no place is so named).
_PERSON_SHAPED = regex.compile(r"\S+\s+(?:Văn|Thị)\s+\S+")


def _is_place(name: str, text: str, provinces: frozenset[str] = frozenset()) -> bool:
    """A name written twice or more, each time after a place word, is a place ("thị trấn
    Dương Minh Châu, huyện Dương Minh Châu"), not a person; after "tỉnh", only a province is
    (the provinces are known: "Chủ tịch UBND tỉnh Phạm Ngọc Nghị" names a person).

    >>> _is_place("Dương Minh Châu", "thị trấn Dương Minh Châu, huyện Dương Minh Châu")
    True
    >>> _is_place("Vương Thị Thu", "Phó Chủ tịch UBND xã Vương Thị Thu")
    False
    >>> _is_place("Mạc Thị Nhung", "Bí thư Đảng ủy xã Mạc Thị Nhung ... Đảng ủy xã Mạc Thị Nhung")
    False
    >>> _is_place("Phạm Văn Nam", "UBND tỉnh Phạm Văn Nam; Chủ tịch UBND tỉnh Phạm Văn Nam")
    False

    A province after its place word is a place even once ("UBND tỉnh Lâm Đồng"):

    >>> _is_place("Lâm Đồng", "Phó Chủ tịch UBND tỉnh Lâm Đồng", frozenset({"Lâm Đồng"}))
    True
    """
    if _PERSON_SHAPED.match(name):
        return False  # "Bí thư Đảng ủy xã Mạc Thị Hồng Nhung", twice: a person all the same
    starts = [m.start() for m in regex.finditer(regex.escape(name), text)]
    if name in provinces and starts:
        return all(_PLACE_BEFORE.search(text, max(0, s - 12), s) for s in starts)
    if len(starts) < 2:
        return False
    for s in starts:
        before = _PLACE_BEFORE.search(text, max(0, s - 12), s)
        if not before or (before["word"].casefold() == "tỉnh" and name not in provinces):
            return False
    return True


def finish_officials(records: list[Record], ctx: Context) -> list[Record]:
    """Person-cased names, split titles, one record per person; bylines dropped. Each record
    gets its `person` key and the `positions` its final titles read into (pipeline/people.py)."""
    heads = tuple(ctx.lexicons.get("position_heads", {}))  # (folded once: _folded_heads)
    authors = {a.casefold() for a in ctx.authors}
    historical = {h.casefold() for h in ctx.lexicons.get("historical_figures", {})}
    provinces = frozenset(ctx.lexicons.get("provinces", ()))
    countries = frozenset(ctx.lexicons.get("countries", ()))
    people: dict[str, Record] = {}
    for rec in sorted(records, key=lambda r: r.span):
        name = person_case(str(rec.fields.get("name") or ""))
        if name.casefold() in authors:
            ctx.reject(rec.rule, rec.span, "byline_not_official")
            continue
        if name.casefold() in historical:  # "chân dung Chủ tịch Hồ Chí Minh": cited, not there
            ctx.reject(rec.rule, rec.span, "historical_figure")
            continue
        if name in countries or _is_place(name, ctx.text, provinces):
            ctx.reject(rec.rule, rec.span, "place_not_official")
            continue
        titles = split_titles(str(rec.fields.get("titles") or ""), heads)
        if held := rec.fields.get("held"):  # "ông A, Trưởng phòng X được bổ nhiệm ..."
            titles = split_titles(str(held), heads) + titles
        if after := rec.fields.get("titles_after"):  # "Bí thư Tỉnh ủy A, Chủ tịch HĐND tỉnh"
            _add_titles(titles, split_titles(str(after), heads))
        honorific = rec.fields.get("honorific")
        if honorific:
            honorific = " ".join(str(honorific).split()).removeprefix("các ").removeprefix("Các ")
            honorific = "đồng chí" if honorific.casefold() == "đ/c" else honorific.casefold()
        key = _same_person(name, titles, people)
        if key in people:
            known = people[key]
            _add_titles(known.fields["titles"], titles)
            _add_mention(known.fields["mentions"], rec.span)
            if known.span[0] < rec.span[1] and rec.span[0] < known.span[1]:
                _widen(known, rec, ctx.text)
            known.fields["honorific"] = known.fields["honorific"] or honorific
            continue
        rec.fields = {
            "name": name,
            "titles": titles,
            "honorific": honorific,
            "mentions": [list(rec.span)],
        }
        people[key] = rec
    short = _short_mentions(people, ctx.text)
    tables = default_tables()
    for rec in people.values():
        seen = {tuple(m) for m in rec.fields["mentions"]}
        for span in short.get(str(rec.fields["name"]).split()[-1], []):
            if not any(s <= span[0] < e for s, e in seen):
                rec.fields["mentions"].append(span)
        rec.fields["mentions"].sort()
        rec.fields["person"] = person_key(str(rec.fields["name"]))
        rec.fields["positions"] = positions(rec.fields["titles"], tables)
    return sorted(people.values(), key=lambda r: r.span)
