"""Counted records: participant counts and award tallies, from a rule's parts to their fields.

A participant count keeps `count`, `qualifier` (over, nearly, about, at_least), `unit` and
`activity`. An award tally sorts its counted units into `individuals` and `collectives` (or an
undivided `total`), and keeps the `award`, `grantor` and `reason` its context names; a tally
whose sentence names no award, grantor or award verb counts something else and is dropped.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

from pipeline.document import Record
from pipeline.ruleset.context import Context
from pipeline.ruleset.lexicon import alternation

_SENTENCE_ENDS = ".!?\n"
_AND_END = regex.compile(r"(?:\s(?:và|cùng)|,)\s*$")
#: A level an honour is given at, named beside its count ("cấp tỉnh có 29 nông dân", "483
#: nông dân giỏi cấp xã"): each level's title is an honour of its own, no part of a whole.
_LEVEL = regex.compile(
    r"(?<!\p{L})cấp\s+(?:tỉnh|huyện|xã|cơ sở|trung ương|bộ|ngành|thành phố|quận|thị xã|phường"
    r"|thị trấn|toàn quốc|trường)(?!\p{L})",
    regex.IGNORECASE,
)
#: A whole's breakdown in the sentence after it: "... các cấp. Trong đó, cấp tỉnh có ..."
_NEXT_BREAKDOWN = regex.compile(r"[^.!?\n]*[.!?]\s*(?:trong đó|cụ thể)\s*[,:]?[^.!?\n]*", regex.I)
_DIGITS = regex.compile(r"\d[\d.]*")
_ITEM_END = regex.compile(r"[,;]|\s(?:và|còn)\s")  # where a list's item ends


def finish_participants(records: list[Record], ctx: Context) -> list[Record]:
    """Counts as integers, the activity as {count, kind} or null (the qualifier comes as a
    code already: its field reads the count_qualifiers table); a count that an award tally
    has taken (its recipients) is no count of participants."""
    awarded = {tuple(m) for a in ctx.records.get("award", []) for m in a.fields["mentions"]}
    out = []
    for rec in records:
        f = rec.fields
        if f.get("count") is None:
            ctx.reject(rec.rule, rec.span, "vague_count")
            continue
        if any(s <= rec.span[0] and rec.span[1] <= e for s, e in awarded):
            ctx.reject(rec.rule, rec.span, "award_recipients")  # "17 đồng chí ... được nhận"
            continue
        activity = (
            {"count": f["act_n"], "kind": f["act_kind"]} if f.get("act_n") is not None else None
        )
        rec.fields = {
            "count": f["count"],
            "qualifier": f.get("qualifier"),  # (read by the count_qualifiers table)
            "unit": f.get("unit"),
            "activity": activity,
        }
        out.append(rec)
    # the same number with another qualifier is another group ("hơn 20 người" ... "20 bác sĩ"),
    # unless it counts the same people ("Có 1.300 vận động viên" ... "gần 1.300 vận động viên")
    by_qualifier = merge_mentions(out, ("count", "qualifier"), ctx.text)
    return merge_mentions(by_qualifier, ("count", "unit"), ctx.text)


def _agree(a: Record, b: Record, fields: tuple[str, ...], headline: bool = False) -> bool:
    """No field of `fields` set differently in the two (case and blanks aside). With one of
    them in the `headline`, a value that goes on where the other stops is the same (an award
    of the same kind), and the reason does not count: a headline words it its own way.

    >>> r = lambda why: Record("award", (0, 1), "x", "r", {"reason": why})
    >>> short, other = r("có thành tích xuất sắc"), r("có thành tích trong cứu nạn")
    >>> _agree(short, other, ("reason",)), _agree(short, other, ("reason",), headline=True)
    (False, True)
    """
    for name in fields:
        x, y = a.fields.get(name), b.fields.get(name)
        if x is None or y is None or (headline and name == "reason"):
            continue
        x, y = (" ".join(str(v).split()).casefold() for v in (x, y))
        prefix = x.startswith(y) or y.startswith(x)
        if x != y and not (headline and (prefix or (name == "award" and _same_kind(x, y)))):
            return False
    return True


def _same_kind(x: str, y: str) -> bool:
    """Two awards of the same kind by their first two words: the headline's "huy hiệu 30, 40,
    50 năm tuổi đảng" and the body's "huy hiệu đảng".

    >>> _same_kind("huy hiệu 30, 40 năm tuổi đảng", "huy hiệu đảng"), _same_kind("a b", "a c")
    (True, False)
    """
    xs = x.split()
    return len(xs) > 2 and xs[:2] == y.split()[:2]


def merge_mentions(
    records: list[Record], key: tuple[str, ...], text: str, agree: tuple[str, ...] = ()
) -> list[Record]:
    """One record per distinct `key` (the headline and the body telling the same tally) whose
    `agree` fields do not differ: the first mention keeps its span, fills its empty fields
    from later ones and lists every span in `mentions` (a record merged before brings its
    own, so that the merge may run twice on different keys). Two tallies of one sentence are two
    ("05 cá nhân ... vì A, 05 cá nhân ... vì B"), never merged."""
    first: dict[tuple[Any, ...], list[Record]] = {}
    out: list[Record] = []
    headline_end = text.find("\n") if "\n" in text else len(text)
    for rec in records:
        k = tuple(rec.fields.get(name) for name in key)
        known = next(
            (
                r
                for r in first.get(k, [])
                if _agree(r, rec, agree, r.span[0] < headline_end)
                and not _same_sentence(text, r, rec)
            ),
            None,
        )
        if known is None:
            first.setdefault(k, []).append(rec)
            rec.fields["mentions"] = rec.fields.get("mentions") or [list(rec.span)]
            out.append(rec)
            continue
        known.fields["mentions"] = sorted(
            known.fields["mentions"] + (rec.fields.get("mentions") or [list(rec.span)])
        )
        for name, value in rec.fields.items():
            if known.fields.get(name) is None and value is not None:
                known.fields[name] = value
    return out


def _badges_given(text: str, rec: Record) -> bool:
    """The paragraph is about Party badges given before it counts members by their years
    ("... trao Huy hiệu Đảng ... (1 đồng chí 70 năm tuổi đảng)"), not about a cell's members.

    >>> text = "Trao huy hiệu đảng cho 75 đảng viên; 1 đồng chí 70 năm"
    >>> _badges_given(text, Record("award", (37, 47), "1 đồng chí", "r"))
    True
    """
    start = text.rfind("\n", 0, rec.span[0]) + 1
    return "huy hiệu" in text[start : rec.span[0]].casefold()


_WHOLE_BEFORE = regex.compile(r"(?<!\p{L})trong\s+(?:tổng\s+)?số(?:\s+(?:các|hơn|gần|khoảng))?\s*$")


def _a_whole(rec: Record, text: str) -> bool:
    """A tally opened by "trong số" is a whole the counts after it break down: they take
    nothing from it ("Trong số 94 cán bộ nhận Giải thưởng ... có 27 cán bộ cấp huyện"), but
    a Party badge's classes do ("Trong tổng số 5 đảng viên nhận Huy hiệu ..., có 3 đảng viên
    55 tuổi đảng").

    >>> text = "Trong số 94 cán bộ nhận giải có 27 cán bộ cấp huyện; có 5 cán bộ được khen"
    >>> [_a_whole(Record("award", span, "", "r"), text) for span in ((9, 18), (56, 64))]
    [True, False]
    """
    if "huy hiệu" in str(rec.fields.get("award") or "").casefold():
        return False
    return bool(_WHOLE_BEFORE.search(text[max(0, rec.span[0] - 30) : rec.span[0]].casefold()))


def _own_title(rec: Record, text: str) -> bool:
    """The tally's award is the title of those it counts, right after the count ("353 học
    sinh xuất sắc toàn diện"): theirs only, not the next item's of a list.

    >>> text = "353 học sinh xuất sắc toàn diện; 304 học sinh khen lĩnh vực"
    >>> title = {"award": "học sinh xuất sắc toàn diện"}
    >>> _own_title(Record("award", (0, 31), "", "r", title), text)
    True
    """
    award = str(rec.fields.get("award") or "")
    counted = text[rec.span[0] : rec.span[1]].split(maxsplit=1)
    return (
        bool(award)
        and len(counted) == 2
        and counted[0][:1].isdigit()
        and counted[1].startswith(award)
    )


def _same_sentence(text: str, a: Record, b: Record) -> bool:
    between = text[a.span[1] : b.span[0]]
    return not any(c in between for c in _SENTENCE_ENDS)


def _places_or_teams(f: dict[str, Any], places: set[str]) -> bool:
    """Every group the tally counts is a place or a team ("10 đội", "8 huyện"): counted so
    often for other things that a grantor named nearby is no sign of an honour.

    >>> _places_or_teams({"n1": 10, "u1": "đội"}, {"đội"}), _places_or_teams(
    ...     {"n1": 3, "u1": "đội", "n2": 9, "u2": "cá nhân"}, {"đội"})
    (True, False)
    """
    units = [f.get(f"u{i}") for i in (1, 2, 3) if f.get(f"n{i}") is not None]
    return bool(units) and all(_unit_key(u) in places for u in units)


def _unit_key(unit: object) -> str:
    """A counted group's unit as the lexicons hold it: blanks collapsed, case folded, "lượt"
    aside.

    >>> _unit_key("lượt  Tập thể")
    'tập thể'
    """
    return " ".join(str(unit).split()).casefold().removeprefix("lượt ")


def _sides(f: dict[str, Any], collective: set[str]) -> tuple[int | None, int | None]:
    """(individuals, collectives) of a tally's counted groups; `collective` holds the
    collective units, case-folded.

    >>> f = {"n1": 16, "u1": "tập thể", "n2": 46, "u2": "cá nhân", "n3": 7, "u3": "Đảng bộ"}
    >>> _sides(f, {"tập thể", "đảng bộ"})
    (46, 16)
    """
    individuals = collectives = None
    pairs = [(f.get(f"n{i}"), f.get(f"u{i}")) for i in (1, 2, 3)]
    for i, (n, unit) in enumerate(pairs):
        if n is None or unit is None:
            continue
        is_collective = _unit_key(unit) in collective
        if i == 2 and individuals is not None and collectives is not None:
            break  # a third group after both sides is a tally of its own ("..., 46 cá nhân
            # và 07 Đảng bộ ..."), not more of one side
        if is_collective:
            collectives = (collectives or 0) + n
        else:
            individuals = (individuals or 0) + n
    return individuals, collectives


def _one_unit_twice(rec: Record) -> list[Record]:
    """One unit counted twice ("cấp huyện 98 nông dân và 483 nông dân giỏi cấp xã") is two
    tallies, not one sum of its sides: the record is cut at its second number.

    >>> rec = Record("award", (10, 37), "98 nông dân và 483 nông dân", "r",
    ...              {"n1": 98, "u1": "nông dân", "n2": 483, "u2": "nông dân"})
    >>> [(r.span, r.text, r.fields["n1"]) for r in _one_unit_twice(rec)]
    [((10, 21), '98 nông dân', 98), ((25, 37), '483 nông dân', 483)]
    """
    f = rec.fields
    if None in (f.get("n1"), f.get("n2")) or f.get("n3") is not None:
        return [rec]
    runs = list(_DIGITS.finditer(rec.text))
    if _unit_key(f.get("u1")) != _unit_key(f.get("u2")) or len(runs) != 2:
        return [rec]
    cut, end = runs[1].start(), len(rec.text[: runs[1].start()].rstrip(" ,;và"))
    first = Record(
        rec.type,
        (rec.span[0], rec.span[0] + end),
        rec.text[:end],
        rec.rule,
        {**f, "n2": None, "u2": None},
        list(rec.extents),
    )
    second = Record(
        rec.type,
        (rec.span[0] + cut, rec.span[1]),
        rec.text[cut:],
        rec.rule,
        {**f, "n1": f["n2"], "u1": f["u2"], "n2": None, "u2": None},
    )
    return [first, second]


def _level_part(text: str, rec: Record, after: int) -> bool:
    """The tally names its own level, just before it (since `after`, the tally before) or
    after its unit in its own list item: an honour of its own, not a part of the whole."""
    before = text[max(after, rec.span[0] - 30) : rec.span[0]]
    item = _ITEM_END.split(text[rec.span[1] : rec.span[1] + 40])[0]
    return bool(_LEVEL.search(before) or _LEVEL.search(item))


def _continues(text: str, before: Record, rec: Record) -> bool:
    """The tally belongs with the one before it: the same sentence, or a breakdown the next
    sentence opens ("... các cấp. Trong đó, cấp tỉnh có 29 nông dân ...")."""
    between = text[before.span[1] : rec.span[0]]
    return _same_sentence(text, before, rec) or (
        len(between) <= 150 and bool(_NEXT_BREAKDOWN.fullmatch(between))
    )


def finish_awards(records: list[Record], ctx: Context) -> list[Record]:
    """Tallies with their award, grantor and reason; a later tally of the same sentence that
    names neither takes them from the tally before it ("cho 05 cá nhân ..., 05 cá nhân"), and
    one that names its award only, the grantor."""
    out: list[Record] = []
    strong_verbs = {v.casefold() for v in ctx.lexicons.get("strong_award_verbs", {})}
    giving = _words_pattern(tuple(ctx.lexicons.get("giving_verbs", ())))
    collective = {
        u.casefold()
        for name in ("collective_units", "paired_collective_units")
        for u in ctx.lexicons.get(name, {})
    }
    places = {u.casefold() for u in ctx.lexicons.get("places_and_teams", {})}
    decisions = _words_pattern(
        tuple(f"quyết định {kind}" for kind in ctx.lexicons.get("appointing_decisions", ()))
    )
    # a verb of honouring or an honour named after the decision: the honour is the tally's
    honours = _words_pattern(
        tuple(ctx.lexicons.get("strong_award_verbs", ()))
        + tuple(ctx.lexicons.get("award_names", ()))
    )
    for rec in [part for r in records for part in _one_unit_twice(r)]:
        f = rec.fields
        if _appointed(ctx.text, rec, decisions, honours):
            ctx.reject(rec.rule, rec.span, "appointment_decision")
            continue
        individuals, collectives = _sides(f, collective)
        fields = {
            "award": f.get("award"),
            "grantor": f.get("grantor_of") or f.get("grantor"),
            "individuals": individuals,
            "collectives": collectives,
            "total": f.get("total"),
            "reason": f.get("reason"),
        }
        strong = " ".join(str(f.get("verb") or "").split()).casefold() in strong_verbs
        if (
            out
            and not fields["award"]
            and fields["grantor"] in (None, out[-1].fields["grantor"])  # (the sentence's subject)
            and _continues(ctx.text, out[-1], rec)
            and not _own_title(out[-1], ctx.text)
            and not _a_whole(out[-1], ctx.text)
        ):
            between = ctx.text[out[-1].span[1] : rec.span[0]]
            level = _level_part(ctx.text, rec, out[-1].span[1])
            if not (f.get("badge") or level) and _part_told(out[-1], fields, between):
                ctx.reject(rec.rule, rec.span, "part_of_a_whole")
                continue
            if _other_side(out[-1], fields, between, giving):
                _join_sides(out[-1], rec, fields)  # "5 tập thể có thành tích ... và 10 cá nhân"
                continue
            fields["award"], fields["grantor"] = out[-1].fields["award"], out[-1].fields["grantor"]
        elif not fields["grantor"] and out and _same_sentence(ctx.text, out[-1], rec):
            fields["grantor"] = out[-1].fields["grantor"]  # the giver goes on giving: "Công
            # đoàn ngành trao Cờ ... cho 07 đơn vị; trao 06 Cờ thi đua chuyên đề cho ..."
        badge = f.get("badge") if fields["award"] or _badges_given(ctx.text, rec) else None
        fields["award"] = badge or fields["award"]  # "03 đồng chí 60 năm tuổi Đảng"
        split = (
            bool(out) and _splits_total(out[-1], fields) and _same_sentence(ctx.text, out[-1], rec)
        )
        grantor = fields["grantor"] and not _places_or_teams(f, places)
        if not (fields["award"] or grantor or strong or split):
            ctx.reject(rec.rule, rec.span, "award_without_context")
            continue
        if (
            fields["individuals"] is None
            and fields["collectives"] is None
            and fields["total"] is None
        ):
            ctx.reject(rec.rule, rec.span, "award_without_count")
            continue
        rec.fields = fields
        out.append(rec)
    _heading_grantors(out, ctx.text)
    _one_grantor(out)
    key = ("individuals", "collectives", "total")
    return _totals_told_split(merge_mentions(out, key, ctx.text, agree=("award", "reason")))


@lru_cache(maxsize=8)
def _words_pattern(words: tuple[str, ...]) -> regex.Pattern[str]:
    """Any of `words` as whole words, ignoring case (compiled once per lexicon).

    >>> giving = _words_pattern(("tặng", "trao"))
    >>> bool(giving.search("và Tặng Giấy khen")), bool(giving.search("và trao đổi")), bool(
    ...     _words_pattern(()).search("x"))
    (True, True, False)
    """
    if not words:
        return regex.compile(r"(?!)")
    return regex.compile(rf"(?<!\p{{L}})(?:{alternation(words)})(?!\p{{L}})", regex.IGNORECASE)


def _appointed(
    text: str, rec: Record, decisions: regex.Pattern[str], honours: regex.Pattern[str]
) -> bool:
    """The tally counts those a decision admits, appoints or moves, named before it in its
    clause with no verb of honouring nor honour (`honours`) after it ("trao quyết định kết
    nạp đảng viên cho 2 đoàn viên"): they receive no honour.

    >>> kinds = _words_pattern(("quyết định kết nạp",))
    >>> text = "Trao quyết định kết nạp đảng viên cho 2 đoàn viên và tặng Giấy khen cho 3 em"
    >>> [_appointed(text, Record("award", s, "", "r"), kinds, _words_pattern(("tặng",)))
    ...  for s in ((38, 49), (73, 77))]
    [True, False]
    """
    window = max(0, rec.span[0] - 240)  # (a clause this long holds its decision)
    start = max(text.rfind(c, window, rec.span[0]) for c in ";" + _SENTENCE_ENDS) + 1
    clause = text[max(start, window) : rec.span[0]]
    ends = [m.end() for m in decisions.finditer(clause)]
    return bool(ends) and not honours.search(clause, ends[-1])


_BREAKS_DOWN = regex.compile(r"(?<!\p{L})(?:bao gồm|gồm(?:\s+có)?|trong đó(?:\s+có)?)(?!\p{L})")


def _part_told(before: Record, fields: dict[str, Any], between: str) -> bool:
    """The tally breaks the one before it down, on the same side and after "bao gồm", "gồm"
    or "trong đó" ("30 người được phong tặng ...; bao gồm 20 người ..., 6 người ..."): a part
    of that whole, not an honour of its own (a Party badge's classes are: the caller asks).

    >>> whole = Record("award", (0, 8), "30 người", "r", {"individuals": 30, "collectives": None})
    >>> _part_told(whole, {"individuals": 20, "collectives": None}, " được phong tặng; bao gồm ")
    True
    >>> _part_told(whole, {"individuals": 20, "collectives": None}, " và ")
    False
    >>> _part_told(whole, {"individuals": None, "collectives": 5}, " bao gồm ")  # the other side
    False
    """
    if len(between) > 200 or not _BREAKS_DOWN.search(between.casefold()):
        return False
    a, b = before.fields, fields
    sides = [(a[s], b[s]) for s in ("individuals", "collectives") if b[s] is not None]
    return bool(sides) and all(w is not None and part < w for w, part in sides)


def _splits_total(before: Record, fields: dict[str, Any]) -> bool:
    """The tally tells both sides of the combined total before it ("khen thưởng 285 tập thể,
    cá nhân, trong đó có 95 tập thể và 190 cá nhân"): it is that honour's, given by the same.

    >>> total = Record("award", (0, 9), "285 tập thể, cá nhân", "r", {"total": 285})
    >>> _splits_total(total, {"individuals": 190, "collectives": 95})
    True
    """
    whole, sides = before.fields.get("total"), (fields["individuals"], fields["collectives"])
    return whole is not None and None not in sides and sum(sides) == whole


def _other_side(
    before: Record, fields: dict[str, Any], between: str, giving: regex.Pattern[str]
) -> bool:
    """The tally goes on: collectives, then (after words on what they did) "và" and the
    individuals, or the other way round; one giving, not two ("...; Giấy khen cho ...", "...
    và tặng Giấy khen cho ...": `giving`, the verbs of a giving of its own)."""
    a, b = before.fields, fields
    sides = (a["collectives"], a["individuals"], b["collectives"], b["individuals"])
    one_each = (sides[0] is None) != (sides[1] is None) and (sides[2] is None) != (sides[3] is None)
    flips = one_each and (sides[0] is None) != (sides[2] is None) and a["total"] is None
    return bool(
        flips
        and len(between) <= 200
        and ";" not in between
        and _AND_END.search(between)
        and not giving.search(between)
    )


def _join_sides(before: Record, rec: Record, fields: dict[str, Any]) -> None:
    """`rec`'s side joins the tally before it, which now spans both."""
    for side in ("collectives", "individuals"):
        before.fields[side] = before.fields[side] if fields[side] is None else fields[side]
    before.fields["reason"] = before.fields["reason"] or fields["reason"]
    before.span = (before.span[0], rec.span[1])


def _totals_told_split(records: list[Record]) -> list[Record]:
    """A combined total that another tally of the page tells split ("Tuyên dương 35 tập thể,
    cá nhân" in the headline, "2 tập thể, 33 cá nhân" in the text) is a mention of that tally,
    not a tally of its own; so is one side of it told again on its own ("10 tập thể, 20 cá
    nhân được tuyên dương", then the headings "Tuyên dương 10 tập thể ...", "Tuyên dương 20
    cá nhân ...") when it names no other award or grantor."""
    split = [r for r in records if None not in (r.fields["individuals"], r.fields["collectives"])]
    out = []
    for rec in records:
        f = rec.fields
        same = next((r for r in split if r is not rec and _part_of(rec, r)), None)
        if same is None:
            out.append(rec)
            continue
        same.fields["mentions"] = sorted(same.fields["mentions"] + f["mentions"])
        for name in ("award", "grantor", "reason"):
            same.fields[name] = same.fields[name] or f[name]
    return out


def _part_of(rec: Record, whole: Record) -> bool:
    """`rec` tells `whole` again: as its total, or as one of its two sides alone."""
    f, w = rec.fields, whole.fields
    if f["individuals"] is None and f["collectives"] is None:
        return f["total"] == w["individuals"] + w["collectives"] and _agree(whole, rec, ("award",))
    if f["total"] is not None or None not in (f["individuals"], f["collectives"]):
        return False
    side = "individuals" if f["individuals"] is not None else "collectives"
    return f[side] == w[side] and _agree(whole, rec, ("award", "grantor"))


def _one_grantor(records: list[Record]) -> None:
    """When a page names one grantor only, its other tallies are that grantor's too: a
    ceremony's breakdown ("Huy hiệu 30 năm tuổi Đảng có 3 đồng chí; ...") seldom repeats who
    confers it, and a page with two grantors keeps its tallies as they are."""
    grantors = {r.fields["grantor"] for r in records if r.fields["grantor"]}
    if len(grantors) == 1:
        (grantor,) = grantors
        for rec in records:
            rec.fields["grantor"] = rec.fields["grantor"] or grantor


#: A list item's line: "– Bằng khen: 5 tập thể", "+ Cờ thi đua cho 2 đơn vị".
_LIST_ITEM = regex.compile(r"[^\S\n]*[-–—+•*][^\S\n]")
#: A heading that names who gives the list below it: "UBND tỉnh Sơn La tặng:", "Chính phủ
#: tặng", "Nhà nước tặng thưởng:" (a name of ten words at most, opened by a capital).
_GIVER_HEADING = regex.compile(
    r"[^\S\n]*(?P<grantor>\p{Lu}[^\n:.;,]{1,80}?)\s+(?:đã\s+)?(?:tặng(?:\s+thưởng)?|trao tặng"
    r"|khen thưởng)[^\S\n]*[:.]?[^\S\n]*"
)


def _heading_grantors(records: list[Record], text: str) -> None:
    """A tally in a list item with no grantor of its own takes the one its list's heading
    names ("Chính phủ tặng:" over "– Cờ thi đua: 2 tập thể"): the nearest line above that is
    not an item, up to 40 lines up."""
    for rec in records:
        if rec.fields["grantor"]:
            continue
        start = text.rfind("\n", 0, rec.span[0]) + 1
        if not _LIST_ITEM.match(text, start):
            continue
        for _ in range(40):
            if start == 0:
                break
            end = start - 1
            start = text.rfind("\n", 0, end) + 1
            if _LIST_ITEM.match(text, start):
                continue
            head = _GIVER_HEADING.fullmatch(text, start, end)
            if head and len(head["grantor"].split()) <= 10:
                rec.fields["grantor"] = head["grantor"]
            break
