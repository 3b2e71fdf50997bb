"""Date records: from the parts a rule found to `value`, `grain`, `role`, `year_inferred`, `also`.

Resolution is deterministic: a date written without its year takes the nearest explicit year
of the same paragraph (document dates and periods excepted: "Ngày 6/12, ... Nghị quyết ... ngày
3/6/2013" says nothing about the year of 6/12), else the article's publication year, else stays
"XXXX". The reported event itself ("Sáng 8/1, ... tổng kết năm 2023") takes the publication
year first, moved back a year when that would put it after the article. When the year comes
from the paragraph, a year that a review looks back on (right after "tổng kết" and a few
words) dates a date of January to June in the next year ("tổng kết công tác năm 2022 ...
sáng 12/1": 2023-01-12). Today's clock is never read.
"""

from __future__ import annotations

import bisect
import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import regex

from pipeline.document import Record
from pipeline.ruleset.context import Context

_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4}
# What may stand before a date that opens the report: a sentence end, or the outlet's dateline
# prefix of a lead ("LSO - ", "(ĐCSVN) - ", "QĐND Online - "); "Vào lúc 9 giờ ngày ...".
_OPENING = regex.compile(
    r"(?:^|[.!?:;]\s*|\n)\s*(?:\([^()\n]{1,30}\)\s*[-–]\s*|\p{Lu}[\p{L}.]{1,20}(?:\s+Online)?\s*[-–]\s*"
    r"|[-–]\s*|(?i:hôm nay|(?:sáng|chiều|tối|trưa) nay|theo đó|vừa qua|mới đây)\s*,?\s*"
    r"(?:(?i:ngày)\s+)?"
    r"|(?i:trong thời gian)(?:\s+\p{L}+){0,4}\s+)?(?i:vào\s+)?(?i:(?:lúc|đúng)\s+)?$"
)
# A period of days opening its sentence: "Từ ngày 11/6 đến 15/6/2024, đoàn ..." (not a month
# from which something goes on: "Từ tháng 6/2023, xã triển khai ...").
_FROM_OPENING = regex.compile(r"(?:^|[.!?:;]\s*|\n)\s*(?i:từ)(?:\s+(?i:ngày))?\s+$")
# A day and the place of the reported meeting: "ngày 30/5, tại Trung tâm Văn hóa tỉnh, ...";
# its time given under a label: "Thời gian: 17g30 ngày 06/01/2017".
_THEN_PLACE = regex.compile(r"\s*,\s*tại\s")
_TIME_LABEL = regex.compile(r"(?i:thời gian)\s*:\s*(?:\S+\s+){0,3}$")
# "... ngày 27/08/2022 vừa qua": the day just past is the reported one.
_PAST_WORDS = r"(?:vừa qua|vừa rồi)"
_JUST_PAST = regex.compile(rf"\s+{_PAST_WORDS}(?!\p{{L}})")
# "Ngày 6/12, ...", "Ngày 6/12 vừa qua, ...", "Ngày 17/11 tại Hà Nội, ..." or "Ngày 23/10 Văn
# phòng Tỉnh ủy ..." (its subject right after it): the date opens the report; so does "Ngày
# 29/3/2021 (nhằm ngày 17 tháng 2 ...), ..." and "Từ ngày 22/4 đến nay, ...".
_THEN_COMMA = regex.compile(
    rf"(?:\s+(?:{_PAST_WORDS}|qua|đến nay))?(?:\s*\([^()\n]{{1,60}}\))?"
    rf"(?:\s+tại\s+[^,.\n]{{1,60}})?\s*,"
)
_SUBJECT_NEXT = regex.compile(r"[^\S\n]+\p{Lu}\p{Ll}")
# A day with the verb of the reported event next to it: "ngày 31/8, Tỉnh đoàn tổ chức hội
# thi", "sẽ được tổ chức ngày 13/10", "diễn ra từ ngày 21-23/11", "diễn ra trong hai ngày, 2-3/12",
# "tổ chức trong 03 ngày (24-26/12)", "diễn ra vào các ngày 30 và 31/3", "diễn ra trong 2 ngày 3
# và 4/4" (the day's span holds "ngày"), "kéo dài 5 ngày (từ 10-15/10)", "ra quân vào ngày 17/3".
_EVENT_VERB = (
    r"(?:tổ chức|diễn ra|khai mạc|bế mạc|khai giảng|xét xử|tiến hành|họp|ra quân)(?!\p{L})"
)
_EVENT_AFTER = regex.compile(r"[^.!?;\n]{0,60}?(?<!\p{L})" + _EVENT_VERB)
_EVENT_BEFORE = regex.compile(
    r"(?:"
    + _EVENT_VERB
    + r"|kéo dài(?=\s+\d))"  # (how long it lasted, then its days)
    + r"\s+(?:(?:trong\s+)?(?:\d+|hai|ba|bốn|năm)(?:\s+ngày)?\s*[,(]?\s*)?(?:vào\s+)?"
    + r"(?:(?:các|những)\s+)?(?:(?:sáng|chiều|tối)\s+)?(?:(?:từ\s+)?ngày|từ)?\s*$",
    regex.IGNORECASE,
)
# The verb, what was held (a name in quotes, a place) and then its day: "đã tổ chức lớp tập
# huấn \"...\" vào ngày 27/6", "tổ chức họp mặt ... vào lúc 8 giờ ngày 17/01", "vào sáng nay
# 4/11".
_EVENT_THEN_DAY = regex.compile(
    r"(?<!\p{L})(?:(?:(?:đã|sẽ|vừa|được)\s+(?:được\s+)?"
    + _EVENT_VERB
    + r"|tại\s+(?:(?:buổi|cuộc)\s+)?(?:hội nghị|lễ|đại hội|hội thảo|hội thi|tọa đàm))"
    + r"[^.!?;\n]{0,140}?\svào\s+(?:lúc\s+)?(?:(?:sáng|chiều|tối)(?:\s+nay)?\s+)?"
    + r"|"  # with no "đã", "sẽ" ...: only a day given its hour or "sáng nay" (a plain day after
    + _EVENT_VERB  # a bare verb is as often a plan or an end: "kết thúc vào ngày ...")
    + r"[^.!?;\n]{0,140}?\svào\s+(?:lúc\s+|(?:sáng|chiều|tối)\s+nay\s+))(?:ngày\s*)?$",
    regex.IGNORECASE,
)
# A sentence that opens with what the meeting carries out, then its day and a comma: "Thực
# hiện kế hoạch năm 2019, ngày 15/10/2019, Ban Thường vụ ... tổ chức hội nghị".
_LEAD_CLAUSE = regex.compile(
    r"(?:^|[.!?]\s*|\n)\s*(?:Thực hiện|Triển khai|Hưởng ứng|Nhằm|Chào mừng|Nhân dịp|Nhân kỷ niệm"
    r"|Trong không khí|Được sự|Trong khuôn khổ|Nằm trong|Để|Với|Tiếp tục|Hướng tới|Thiết thực"
    r"|Kỷ niệm|Căn cứ|Theo|Cùng với|Tiếp nối|Phát huy|Qua)"
    r"[^.!?;\n]{0,200},\s*$"
)
# A year a plan aims at: "đến năm 2030", "tầm nhìn đến 2045", "trước năm 2035".
_TARGET = regex.compile(r"(?<!\p{L})(?:đến|tới|trước)\s*$", regex.IGNORECASE)
# The year a review looks back on: "Hội nghị tổng kết công tác năm 2022 ... Sáng 10/1" is held
# early in the next year. Up to 16 words between, a dash or a bracketed short name among them
# ("tổng kết công tác thi đua - khen thưởng năm 2023", "... cứu hộ (PCCC và CNCH) năm 2018").
_REVIEWED = regex.compile(  # the year directly after "tổng kết" and a few words
    r"(?<!\p{L})tổng kết(?:\s+(?:[-–]\s+)?\p{L}+|\s+\([^()\n]{1,30}\)){0,16}?(?:\s+năm)?\s*$",
    regex.IGNORECASE,
)
#: Months in which a year's review meeting is held the next year (a year is reviewed once it
#: is over: a meeting in its first half is the next year's; one in December may be the year's).
_REVIEW_MONTHS = (1, 2, 3, 4, 5, 6)
# A report opening with its days: "Trong 2 ngày 28 và 29/5, Ban Chỉ huy ... tổ chức ...",
# "Trong 3 ngày, từ ngày 22 đến ngày 25/02, ...", "Trong thời gian 2 ngày, từ 19 đến 20/4, ...",
# also after an opening clause ("Với phương châm ..., trong 2 ngày 19 và 20/7/2023, ..."), but
# not one that points to another time ("Trước đó, trong 2 ngày 10 và 11/5, ...").
_DAYS_OPENING = regex.compile(
    r"(?:^|[.!?]\s*|\n|(?<!(?i:trước đó|sau đó|trước đây|năm trước|năm ngoái))\s*,\s*)"
    r"\s*trong\s+(?:thời gian\s+)?"
    r"(?:(?:0?\d|hai|ba|bốn|năm)(?:\s+ngày)?|các ngày|những ngày)\s*,?\s*"
    r"(?:từ\s+)?(?:ngày\s+)?$",
    regex.IGNORECASE,
)
# A deadline ("từ nay đến hết ngày 10/5", "trước ngày 30/6") is no reported meeting.
_DEADLINE = regex.compile(
    r"(?<!\p{L})(?:đến|tới|trước)\s+(?:hết\s+)?(?:ngày\s+)?$", regex.IGNORECASE
)
_SENTENCE_START = regex.compile(r"(?:^|[.!?]\s*|\n)\s*$")
# A day of the lunar calendar: "(nhằm ngày 17/11 năm Tân Mão)", "tức ngày 04/4",
# "15/4 Âm lịch", "01/05/Giáp Thìn". Its month and day are no Gregorian date, and the year of
# the passage is not its year: such a day is left out (rejected as "lunar_date").
_LUNAR_BEFORE = regex.compile(
    r"(?<!\p{L})(?:nhằm|tức(?: là)?)\s+(?:(?:ngày|mùng|mồng)\s+)?$", regex.I
)
_CAN_CHI = (
    r"(?:Giáp|Ất|Bính|Đinh|Mậu|Kỷ|Canh|Tân|Nhâm|Quý)\s+"
    r"(?:Tý|Sửu|Dần|Mão|Mẹo|Thìn|Tỵ|Tị|Ngọ|Mùi|Thân|Dậu|Tuất|Hợi)(?!\p{L})"
)
_LUNAR_AFTER = regex.compile(
    rf"\s*(?:\(\s*)?(?:(?i:âm lịch|al)(?!\p{{L}})|(?:(?i:năm)\s+|/\s*){_CAN_CHI})"
)
# A day the text says is still to come: "vào ngày 9/4 tới", "ngày 20/5 sắp tới", or a
# clause in the future before it: "Lễ hội sẽ diễn ra vào ngày 26/3", "dự kiến tổ chức ngày".
_UPCOMING = regex.compile(r"\s+(?:sắp tới|tới đây|tới)(?!\p{L})", regex.IGNORECASE)
_WILL_BEFORE = regex.compile(r"(?<!\p{L})(?:sẽ|dự kiến)(?!\p{L})[^.!?;\n]{0,80}$", regex.IGNORECASE)
# Editors' notes tell why the article is published, not what it reports.
_EDITORS_NOTE = regex.compile(r"(?i:lts|lời tòa soạn|lời giới thiệu)\s*[:-]")
#: How far after the article a date taken with the article's year may lie: a reported event
#: took place at most a week later; a deadline or plan may be months ahead, not most of a year
#: ("Trước đó, ngày 28/12" in an article of 8 January is last December).
_EVENT_LEEWAY_DAYS = 7
_OTHER_LEEWAY_DAYS = 270


@dataclass
class Parts:
    """The integers a date rule found; None for what the text does not say."""

    y: int | None = None
    m: int | None = None
    d: int | None = None
    h: int | None = None
    mi: int | None = None
    y2: int | None = None
    m2: int | None = None
    d2: int | None = None
    q: int | None = None
    half: int | None = None
    written_year: bool = False

    @property
    def is_range(self) -> bool:
        return self.d2 is not None or self.y2 is not None


def clock_hour(hour: int, half: str) -> int:
    """The hour on a 24-hour clock, given the half of the day written after the time
    ("PM", "CH" for chiều, "tối"; "AM", "SA" for sáng: "12:00 AM" is midnight), or the part
    of the day ("9 giờ tối", "1 giờ trưa", "10 giờ đêm"; "2 giờ đêm" is still 2).

    >>> clock_hour(5, "PM"), clock_hour(4, "CH"), clock_hour(12, "AM"), clock_hour(9, "")
    (17, 16, 0, 9)
    >>> clock_hour(9, "tối"), clock_hour(1, "trưa"), clock_hour(10, "đêm"), clock_hour(2, "đêm")
    (21, 13, 22, 2)
    """
    half = half.casefold()
    if half in ("pm", "ch", "chiều", "tối") and hour < 12:
        return hour + 12
    if (half == "đêm" and 6 <= hour < 12) or (half == "trưa" and hour < 5):
        return hour + 12
    if half in ("am", "sa") and hour == 12:
        return 0
    return hour


def parts_of(fields: dict[str, object]) -> Parts:
    """Integers from a rule's string fields ("05" -> 5, "III" -> 3, "đầu" -> 1)."""
    p = Parts()
    for name in ("y", "m", "d", "h", "mi", "y2", "m2", "d2"):
        value = fields.get(name)
        if value is not None:
            setattr(p, name, int(str(value)))
    if (q := fields.get("q")) is not None:
        p.q = _ROMAN_Q.get(str(q).upper()) or int(str(q))
    if (half := fields.get("half")) is not None:
        p.half = 1 if str(half).lower() == "đầu" else 2
    if p.h is not None and p.mi is None:
        p.mi = 0
    if p.h is not None:
        p.h = clock_hour(p.h, str(fields.get("pm") or ""))
    p.written_year = p.y is not None
    return p


def _day_ok(y: int | None, m: int | None, d: int | None) -> bool:
    if d is None:
        return True
    if m is None or not 1 <= m <= 12:
        return False
    return 1 <= d <= calendar.monthrange(y if y is not None else 2024, m)[1]


def valid(p: Parts) -> bool:
    """Every written part names a real calendar day; a range does not run backwards.

    >>> valid(parts_of({"d": "31", "m": "2", "y": "2023"})), valid(parts_of({"d": "29", "m": "2"}))
    (False, True)
    """
    if not (_day_ok(p.y, p.m, p.d) and _day_ok(p.y2, p.m2 or p.m, p.d2)):
        return False
    if p.y is not None and p.y2 is not None and p.y > p.y2:
        return False
    return not (p.d2 is not None and p.m2 is None and p.d is not None and p.d > p.d2)


def _iso(y: int | None, m: int, d: int) -> str:
    return f"{'XXXX' if y is None else f'{y:04d}'}-{m:02d}-{d:02d}"


def value_of(p: Parts) -> tuple[str, str]:
    """(value, grain) of resolved parts.

    >>> value_of(parts_of({"d": "6", "m": "12", "y": "2023", "h": "17", "mi": "28"}))
    ('2023-12-06T17:28', 'minute')
    >>> value_of(parts_of({"y": "2020", "y2": "2023"}))
    ('2020/2023', 'year')
    >>> value_of(parts_of({"m": "1", "y": "2016", "m2": "5", "y2": "2018"}))
    ('2016-01/2018-05', 'month')
    """
    year = "XXXX" if p.y is None else f"{p.y:04d}"
    if p.q is not None:
        return f"{year}-Q{p.q}", "quarter"
    if p.half is not None:
        return f"{year}-H{p.half}", "half"
    if p.d is None and p.m is None:
        return (f"{year}/{p.y2:04d}" if p.y2 is not None else year), "year"
    if p.d is None:
        if p.m2 is not None:  # "từ tháng 1/2016 đến tháng 5/2018"
            last = p.y2 if p.y2 is not None else p.y
            end = "XXXX" if last is None else f"{last:04d}"
            return f"{year}-{p.m:02d}/{end}-{p.m2:02d}", "month"
        return f"{year}-{p.m:02d}", "month"
    assert p.m is not None
    start = _iso(p.y, p.m, p.d)
    if p.d2 is not None:
        end_year = p.y2 if p.y2 is not None else p.y
        return f"{start}/{_iso(end_year, p.m2 or p.m, p.d2)}", "day"
    if p.h is not None:
        return f"{start}T{p.h:02d}:{p.mi or 0:02d}", "minute"
    return start, "day"


def _inside(span: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= span[0] and span[1] <= outer[1]


class Extents:
    """The document references' extents of a page, sorted once, so that each date asks in
    O(log n) whether a reference holds it (a page of thousands of references stays linear).

    >>> Extents([(0, 10), (20, 40)]).holds((22, 30)), Extents([(0, 10)]).holds((5, 12))
    (True, False)
    """

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts = sorted(spans)
        self.max_end: list[int] = []
        for _, end in self.starts:
            self.max_end.append(max(end, self.max_end[-1] if self.max_end else end))

    def holds(self, span: tuple[int, int]) -> bool:
        at = bisect.bisect_right(self.starts, (span[0], float("inf")))
        return at > 0 and self.max_end[at - 1] >= span[1]


def issued_spans(docs: list[Record], text: str) -> list[tuple[int, int]]:
    """Where the referenced documents are written, less the subjects they are about ("Chỉ
    thị số 29/CT-UBND ... về việc thực hiện nhiệm vụ năm 2019": the year is the subject's,
    not the date it was issued); a document cited inside another's subject keeps its own.

    >>> text = "Chỉ thị số 1/CT-UB ngày 5/1/2019 về việc thực hiện nhiệm vụ năm 2019."
    >>> doc = Record("document_ref", (11, 18), "", "r", {"subject": "thực hiện nhiệm vụ năm 2019"})
    >>> doc.extents = [(0, 69)]
    >>> issued_spans([doc], text)
    [(0, 41), (68, 69)]
    """
    spans = []
    for doc in docs:
        subject = str(doc.fields.get("subject") or "")
        for start, end in doc.extents:
            at = text.find(subject, start, end) if subject else -1
            if at < 0:
                spans.append((start, end))
            else:
                spans += [(start, at), (at + len(subject), end)]
    return spans


@lru_cache(maxsize=4)
def _line_starts(text: str) -> list[int]:
    """Where each line of `text` starts (paragraphs are lines), computed once per page."""
    return [0] + [m.end() for m in regex.finditer("\n", text)]


def role_of(rec: Record, ctx: Context, extents: Extents) -> str:
    """published (the page's date line), issued (part of a document reference, outside the
    subject it is about: `extents` holds where they are written), event (the
    reported meeting: a day part, or a sentence opening "Ngày 6/12, ..."), else other."""
    if ctx.date_line and rec.span[0] < ctx.date_line[1] and ctx.date_line[0] < rec.span[1]:
        return "published"
    if extents.holds(rec.span):
        return "issued"
    start, _ = _paragraph(ctx.text, rec.span[0])
    if _EDITORS_NOTE.match(ctx.text, start) or _history(rec, ctx):
        return "other"
    if rec.fields.get("part"):
        return "event"
    if _DEADLINE.search(ctx.text, max(start, rec.span[0] - 20), rec.span[0]):
        return "other"  # "từ nay đến hết ngày 10/5": a deadline, not the reported meeting
    wide = ctx.text[max(start, rec.span[0] - 240) : rec.span[0]]  # the clause before it
    before = wide[-40:]
    if (_subject_after_day(ctx.text, rec.span) or _THEN_COMMA.match(ctx.text, rec.span[1])) and (
        _OPENING.search(before)
        or (rec.fields.get("d") and (_LEAD_CLAUSE.search(wide) or _FROM_OPENING.search(before)))
    ):
        return "event"
    opens = (
        ctx.text[rec.span[0] : rec.span[0] + 6].casefold() == "trong "
    )  # span has "Trong 2 ngày"
    if _DAYS_OPENING.search(before) or (opens and _SENTENCE_START.search(before)):
        return "event"
    if rec.fields.get("d") and _JUST_PAST.match(ctx.text, rec.span[1]):
        return "event"
    # A period with what was done in it is the reported activity too ("Từ 14/6 đến 17/6, Trung
    # tâm y tế đã tổ chức 4 lớp"): the definitions' keys call it an event.
    if (
        rec.fields.get("d")
        and not _years_apart(rec)
        and (
            _EVENT_BEFORE.search(before)
            or _EVENT_AFTER.match(ctx.text, rec.span[1])
            or _TIME_LABEL.search(before)
            or _EVENT_THEN_DAY.search(wide)
            or (not rec.fields.get("d2") and _THEN_PLACE.match(ctx.text, rec.span[1]))
        )
    ):
        return "event"
    return "other"


def _subject_after_day(text: str, span: tuple[int, int]) -> bool:
    """A day written with "ngày" and its sentence's subject right after it, no comma between.

    >>> _subject_after_day("Ngày 23/10 Văn phòng Tỉnh ủy cho biết", (0, 10))
    True
    >>> _subject_after_day("Ngày 23/10 sẽ là ngày hội", (0, 10))
    False
    """
    return text[span[0] : span[0] + 5].casefold() == "ngày " and bool(
        _SUBJECT_NEXT.match(text, span[1])
    )


def _history(rec: Record, ctx: Context) -> bool:
    """A day two or more years before the article's own date ("Ngày 28.7.1929, tại ngôi nhà
    số 15 ..." in a report of 2019): the past the report recalls, not its meeting. (Not the
    latest year the text names: plans name years to come.)"""
    year = str(rec.fields.get("y") or "")
    return bool(ctx.published and year.isdigit() and int(ctx.published[:4]) - int(year) >= 2)


def _years_apart(rec: Record) -> bool:
    """A period over years ("28/7/1929 - 28/7/2019"): an anniversary's, not a meeting's days.

    >>> _years_apart(Record("date", (0, 1), "x", "r", {"y": "1929", "y2": "2019"}))
    True
    """
    y, y2 = rec.fields.get("y"), rec.fields.get("y2")
    return bool(y and y2 and str(y).isdigit() and str(y2).isdigit() and int(y2) - int(y) > 1)


def _paragraph(text: str, at: int) -> tuple[int, int]:
    r"""The span of the line (paragraph) holding offset `at`.

    >>> _paragraph("ab\ncd\nef", 4)
    (3, 5)
    """
    starts = _line_starts(text)
    i = bisect.bisect_right(starts, at) - 1
    end = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
    return starts[i], end


def _year_sources(
    resolved: list[tuple[Record, Parts]], text: str
) -> dict[int, list[tuple[int, int, bool]]]:
    """Per paragraph start: (offset, year, reviewed) of the explicit years that may date a
    partial date, neither a document's date, nor a period ("giai đoạn 2021 - 2030" dates no
    meeting), nor a target ("đến năm 2030, tầm nhìn đến năm 2045"); `reviewed`: the year a
    review looks back on ("tổng kết công tác năm 2022")."""
    sources: dict[int, list[tuple[int, int, bool]]] = {}
    for rec, p in resolved:
        if (
            p.written_year
            and p.y is not None
            and not p.is_range
            and rec.fields.get("role") != "issued"
            and not _TARGET.search(text, max(0, rec.span[0] - 12), rec.span[0])
        ):
            reviewed = bool(_REVIEWED.search(text, max(0, rec.span[0] - 120), rec.span[0]))
            source = (rec.span[0], p.y, reviewed)
            sources.setdefault(_paragraph(text, rec.span[0])[0], []).append(source)
    return {k: sorted(v) for k, v in sources.items()}


def _passage_year(
    rec: Record, p: Parts, sources: dict[int, list[tuple[int, int, bool]]], text: str
) -> int | None:
    """The explicit year nearest to `rec` in its paragraph; the next one for a date early in
    the year when that year is the one a review looks back on."""
    near = sources.get(_paragraph(text, rec.span[0])[0])
    if not near:
        return None
    at = bisect.bisect_left(near, (rec.span[0], 0, False))
    around = near[max(0, at - 1) : at + 1]
    _, year, reviewed = min(around, key=lambda s: abs(s[0] - rec.span[0]))
    return year + 1 if reviewed and p.m in _REVIEW_MONTHS else year


def _published_year(p: Parts, role: str, published: str | None) -> int | None:
    try:
        pub = date.fromisoformat(str(published)[:10])
    except ValueError:
        return None
    year = pub.year
    if p.m is not None and p.d is not None:
        leeway = _EVENT_LEEWAY_DAYS if role == "event" else _OTHER_LEEWAY_DAYS
        with_year = date(year, p.m, min(p.d, calendar.monthrange(year, p.m)[1]))
        if (with_year - pub).days > leeway:
            year -= 1
    return year


def _written_days(resolved: list[tuple[Record, Parts]]) -> dict[tuple[int, int], list[int]]:
    """(month, day) -> the years, in order, of each day the article writes in full,
    documents' dates aside: a later "ngày 01/7" is the "Sáng 01/7/2024" told before."""
    days: dict[tuple[int, int], list[int]] = {}
    for rec, p in resolved:
        issued = rec.fields.get("role") == "issued"
        if p.written_year and p.y and p.m and p.d and not p.is_range and not issued:
            days.setdefault((p.m, p.d), []).append(p.y)
    return days


def _resolve_year(
    rec: Record,
    p: Parts,
    ctx: Context,
    sources: dict[int, list[tuple[int, int, bool]]],
    days: dict[tuple[int, int], list[int]],
) -> bool:
    """Fill a missing year; True when it was inferred (not written)."""
    if p.y is not None:
        return False
    if p.y2 is not None:  # "từ 28/2 đến 3/3/2024": the start shares the end's year
        p.y = p.y2 if (p.m or 0, p.d or 0) <= (p.m2 or 0, p.d2 or 0) else p.y2 - 1
        return False
    role = str(rec.fields.get("role"))
    # the same day written in full elsewhere, within a year of the article's own date (not
    # the founding day an anniversary recalls: "Sáng 19/6, ... kỷ niệm ... (ngày 19/6/1990)")
    own = _published_year(p, role, ctx.published)  # None without a publication date
    years = [
        y
        for y in (days.get((p.m, p.d), []) if not p.is_range and p.m and p.d else [])
        if own is None or abs(y - own) <= 1
    ]
    if years:
        p.y = own if own in years else years[0]
    elif role == "event" and ctx.published:  # a meeting is reported days after it took place,
        # or announced before it ("vào ngày 9/4 tới": months ahead, as a plan's day may be)
        upcoming = _UPCOMING.match(ctx.text, rec.span[1]) or _WILL_BEFORE.search(
            ctx.text, max(0, rec.span[0] - 100), rec.span[0]
        )
        p.y = _published_year(p, "other" if upcoming else role, ctx.published)
    else:
        p.y = _passage_year(rec, p, sources, ctx.text) or own
    return True


def lunar(text: str, span: tuple[int, int], written_year: bool = False) -> bool:
    """Whether the date at `span` is a day of the lunar calendar (see _LUNAR_BEFORE). After
    "nhằm" a date with its year written is the solar day of a lunar one ("ngày 12 tháng
    giêng năm Đinh Dậu (nhằm ngày 08/02/2017)").

    >>> text = "Sáng 20/11/2022 (nhằm ngày 27/10 năm Nhâm Dần), chùa tổ chức lễ."
    >>> lunar(text, (27, 32)), lunar(text, (5, 15))
    (True, False)
    >>> lunar("Lễ hội ngày 15/4 Âm lịch hằng năm", (12, 16))
    True
    >>> lunar("ngày rằm tháng giêng (nhằm ngày 08/02/2017)", (32, 42), written_year=True)
    False
    """
    before = text[max(0, span[0] - 20) : span[0]]
    return bool(
        (not written_year and _LUNAR_BEFORE.search(before)) or _LUNAR_AFTER.match(text, span[1])
    )


def finish_dates(records: list[Record], ctx: Context) -> list[Record]:
    """Validate, give roles, resolve years, and link document references to their dates."""
    resolved: list[tuple[Record, Parts]] = []
    extents = Extents(issued_spans(ctx.records.get("document_ref", []), ctx.text))
    for rec in records:
        p = parts_of(rec.fields)
        if not valid(p):
            ctx.reject(rec.rule, rec.span, "invalid_date")
            continue
        if lunar(ctx.text, rec.span, p.y is not None):
            ctx.reject(rec.rule, rec.span, "lunar_date")
            continue
        rec.fields = {"role": role_of(rec, ctx, extents)}
        resolved.append((rec, p))
    sources = _year_sources(resolved, ctx.text)
    days = _written_days(resolved)
    for rec, p in list(resolved):
        ctx.timeout("dates")
        inferred = _resolve_year(rec, p, ctx, sources, days)
        if not valid(p):  # 29/2 in a year that has none
            ctx.reject(rec.rule, rec.span, "invalid_date")
            resolved.remove((rec, p))
            continue
        value, grain = value_of(p)
        rec.fields.update(value=value, grain=grain, year_inferred=inferred)
        if inferred and p.y is not None:
            rec.fields["also"] = [_without_year(value)]
    _meeting_day([rec for rec, _ in resolved])
    _link_documents(resolved, ctx)
    return [rec for rec, _ in resolved]


def _meeting_day(records: list[Record]) -> None:
    """A page dated the day its meeting took place names one date, the meeting's: the date
    line's record of that value takes the role `event` (the definitions give one role per
    distinct value, and their keys give this one the meeting's).

    >>> line = Record("date", (0, 9), "12/5/2024", "r", {"role": "published", "value": "2024-05"})
    >>> body = Record("date", (40, 49), "tháng 5", "r", {"role": "event", "value": "2024-05"})
    >>> _meeting_day([line, body]); line.fields["role"]
    'event'
    """
    met = {r.fields["value"] for r in records if r.fields["role"] == "event"}
    for rec in records:
        if rec.fields["role"] == "published" and rec.fields["value"] in met:
            rec.fields["role"] = "event"


def _without_year(value: str) -> str:
    """ "2023-12-06" -> "XXXX-12-06" (each end of a range)."""
    return "/".join("XXXX" + part[4:] for part in value.split("/"))


def _link_documents(resolved: list[tuple[Record, Parts]], ctx: Context) -> None:
    """A document's `issued` is the value of the day-grain date record in its context (its
    only writer: the attach rules reach over the date, they do not read it). A day
    written without its year ("Kế hoạch số 52/KH-UBND ngày 8/3") takes the year its date
    record was given, or the document's own year, read from its symbol ("25/2021/NĐ-CP")."""
    dated = [
        (rec.span, rec.fields["value"], p.written_year)
        for rec, p in resolved
        if rec.fields["role"] == "issued"
        and rec.fields["grain"] == "day"
        and not p.is_range
        and not rec.fields["value"].startswith("XXXX")
    ]
    starts = [span[0] for span, _, _ in dated]
    for doc in ctx.records.get("document_ref", []):
        for ext in doc.extents:  # the first date (in page order) inside an extent of the doc
            at = bisect.bisect_left(starts, ext[0])
            if at < len(dated) and _inside(dated[at][0], ext):
                _, value, written = dated[at]
                if not written and doc.fields.get("year"):
                    value = f"{doc.fields['year']}{value[4:]}"
                doc.fields["issued"] = value
                break
