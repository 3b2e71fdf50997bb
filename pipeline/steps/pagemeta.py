"""Page metadata read from the lines of a page: the headline, the date line and the bylines.

Pure functions over normalized lines; the lexicons (outlets, byline lead-ins, words that are not
names) come from `rules/page.yaml`. Publication dates are read only from a date line in the page
header (or a labelled one at the very end), never from a sentence of the body.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

import regex

from pipeline.names import person_case
from pipeline.ruleset.calendar import calendar_lexicon, calendar_pattern
from pipeline.ruleset.dates import clock_hour
from pipeline.ruleset.page import PageRules
from pipeline.steps.furniture import BULLETS, DATE_LABEL, ends_sentence, is_body_line, line_key

#: Months written as words on date lines ("12 Tháng Ba 2024", "Th3 12, 2024", "March 12,
#: 2024"): the calendar grammar's tables (rules/calendar.yaml).
MONTH_WORDS = {
    word: int(number)
    for table in ("month_names", "english_month_names")
    for word, number in calendar_lexicon(table).items()
}
#: The date of a date line: the calendar grammar's DATE_LINE, the one the date rules share.
_DATE = regex.compile(calendar_pattern("DATE_LINE"), regex.IGNORECASE)
#: The time of a date line: the calendar grammar's DATE_LINE_TIME (its hour and minutes are the
#: date rules' CLOCK).
_TIME = regex.compile(calendar_pattern("DATE_LINE_TIME"), regex.IGNORECASE)
# A view counter's label on a date line ("Lượt xem: 191", "Số lần đọc").
_COUNTER_LABEL = r"số lượt xem|số lần xem|số lần đọc|lượt xem|lượt đọc|lượt truy cập|views?"
# Words a date line may carry besides the date, time and byline.
#: A weekday as a date line writes it ("Thứ Sáu", "thứ 2", "Chủ nhật"), to be read ignoring case.
WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"
# ... or abbreviated: "CN" (Sunday), "T2"; never a writer's initials.
_WEEKDAY_WORD = rf"(?:{WEEKDAY}|cn|t[2-7])"
_WEEKDAY_PART = regex.compile(rf"\s*{_WEEKDAY_WORD}\s*", regex.IGNORECASE)  # a part of a date line
_NOISE = regex.compile(
    r"\(\s*(?:t/h|t\.h|th|tổng hợp)\s*\)"  # a byline's "compiled" mark: "Phương Anh (t/h)"
    rf"|\b{_WEEKDAY_WORD}\b"
    r"|\(?\s*gmt\s*[+-]\s*\d{1,2}(?::?\d{2})?\s*\)?"
    r"|(?<![\p{L}\d])\+\d{4}(?!\d)"  # a time zone's offset: "07:40:00 +0700"
    # (the labels the line filter knows, DATE_LABEL, and more a date line carries)
    rf"|(?<!\p{{L}})(?:{DATE_LABEL}|được đăng|gửi ngày|gửi lúc|{_COUNTER_LABEL}"
    r"|xuất bản|tin đăng|bài đăng|bài viết ngày"
    r"|thời gian đăng|thời gian|ngày|lúc|posted|submitted"
    r"|updated|published|date"
    r"|update|đăng|monday|tuesday|wednesday|thursday|friday|saturday|sunday|at"
    r"|^\s*(?-i:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?=,)|giờ(?=\s*:)"  # "Tue, 12 Mar 2024 07:40 +0700"
    r"|bình luận|chia sẻ|in bài|gửi email"
    r"|false|true|null|undefined|nan)\b\s*:?"  # a template's values left on the page
    r"|[|,.:;()\[\]/•·-]|\b\d+(?:\b|(?=\p{Lu}))",
    regex.IGNORECASE,
)
# Who posted the page, beside its date ("Đăng ngày: 12-03-2024 | Người đăng: Admin"): the
# label and its value are the portal's, not words that make the line something else.
_POSTER = regex.compile(
    r"\b(?:người đăng|người viết|đăng bởi|posted by|biên tập viên|biên tập|bởi|by)\s*:?\s*[^|]*"
    r"|\b(?:chuyên mục|danh mục|nguồn)\s*:\s*[^|]*",
    regex.IGNORECASE,
)
_POSTED_BY = regex.compile(r"\s*(?:đăng bởi|người đăng|posted by)\s*:", regex.IGNORECASE)
# The masthead's clock: "Hôm nay: Thứ Sáu, 19/04/2024" (not a headline "Hôm nay, khai mạc ...").
_TODAY = regex.compile(r"\s*(?:hôm nay|today)\s*(?::|,?\s*(?:thứ|chủ nhật|\d))", regex.IGNORECASE)


def _page_tool(line: str) -> bool:
    """Who posted the page or the masthead's clock: never its headline nor its date line.

    >>> _page_tool("Đăng bởi: Ban Biên tập"), _page_tool("Hôm nay, khai mạc hội thi")
    (True, False)
    """
    return bool(_POSTED_BY.match(line) or _TODAY.match(line))


_UPDATED = regex.compile(r"\b(?:cập nhật|updated|update)\b", regex.IGNORECASE)
_PUBLISH_LABEL = regex.compile(
    r"^\s*(?:được đăng|ngày đăng|đăng lúc|đăng ngày|ngày xuất bản|xuất bản|ngày|cập nhật)\b",
    regex.IGNORECASE,
)
# The source in brackets on its own line below a headline: "(laichau.gov.vn)"; a portal's
# name (narrower than _PORTAL, which also names papers: "Báo ..." may open a headline).
_SOURCE_ASIDE = regex.compile(r"\([^()\s]{2,40}\.[a-z]{2,3}\)", regex.IGNORECASE)
_PORTAL_NAME = regex.compile(r"\s*(?:cổng|trang) (?:thông tin|ttđt|tt)\b", regex.IGNORECASE)
_LIST_ITEM = regex.compile(rf"^\s*(?:[-+–]\s+|[{BULLETS}]\s*)\S")  # a dash or a bullet
_NAME_TOKEN = regex.compile(r"^\p{Lu}\p{Ll}*$")
#: Clause words (of `_CLAUSE_WORDS` below) that never stand inside a person's name, even
#: unaccented ("trong" may be "Trọng", "cho" a Korean surname, "và" joins two bylines).
_FUNCTION_WORDS = frozenset({"của", "các", "những", "với", "tại"})
_UPPER_NAME = regex.compile(r"^[\p{Lu}][\p{Lu}.]*$")
# "T.Hằng", "H.QUỲNH", "V.T. Nghĩa", "NG.NAM" (NG for Nguyễn, as the digraphs are written)
_DIGRAPHS = r"NG|TH|PH|TR|CH|KH|NH|GI"
_INITIAL_NAME = regex.compile(
    rf"^(?:(?:\p{{Lu}}|{_DIGRAPHS})\.\s?){{1,3}}\p{{Lu}}(?:\p{{Ll}}+|\p{{Lu}}+)$"
)
_VOWEL = regex.compile(r"[aeiouyAEIOUY][^.]*$")  # in the last syllable, decomposed (NFD)
_DIGRAPH_INITIAL = regex.compile(rf"^(?:{_DIGRAPHS})\.")
_LEAD_COLON = regex.compile(r"^\s*[:：]\s*")
_LEAD_OF = regex.compile(r"^\s+của\s+(?=\p{Lu})")
# The source after a name: "/baotuyenquang.com.vn", "/TTXVN".
_SOURCE_AFTER = regex.compile(r"\S\s?/\s?(?:(?:[\w-]+\.)+(?:vn|com|net|org)|\p{Lu}{3,})\s*$")
# (or after the abbreviation's full stop: "PV.Ánh Minh")
_CAPITAL_AFTER_SPACE = regex.compile(r"^(?:\s+|\.\s*)\p{Lu}")
_FIRST_CHAR = regex.compile(r"\p{L}|\d")
_DIGIT = regex.compile(r"\d")
# Words of a clause, never of an organisation's name.
_CLAUSE_WORDS = {"cho", "các", "những", "đã", "được", "tại", "của", "với", "là", "có", "trao",
                 "tặng", "đang", "sẽ", "này", "đó", "khi", "đến", "về", "nhằm", "để"}  # fmt: skip
_DATE_LINE_PARTS = regex.compile(r"\s*\|\s*|\s+[-–]\s+|\s*,\s*(?=\D*\d)")
# A view counter ending a date line's part: "Tác giả: Tiểu Điền Lượt xem: 191".
_COUNTER_END = regex.compile(
    rf"\s*(?<!\p{{L}})(?:{_COUNTER_LABEL})\s*:?\s*[\d.,]+\s*$", regex.IGNORECASE
)
_BARE_COUNT_END = regex.compile(r"\s+[\d.,]+\s*$")  # a view count with no label, last on a line
# Between names and credits; also a dash glued to a name: "Khánh My- Hội CTĐ".
# "&" joins two people ("Hà & Lan"), not the parts of an abbreviation ("VH-TT&TT").
# (and a dash glued to a unit's or post's code at the end: "KHẮC TRÍ -PNN", "Doãn Thị Ý-TPT")
_SEPARATORS = (
    r",|;|(?<!\p{Lu})&|&(?!\p{Lu})|\s[-–]\s|(?<=\p{Ll})[-–]\s|\svà\s"
    r"|(?:\s|(?<=\p{Ll})|(?<=\s\p{Lu}))[-–](?=\p{Lu}{2,6}\s*$)"
)
_NAME_SPLIT = regex.compile(rf"\s*(?:{_SEPARATORS})\s*")
# After a lead-in ("Tin bài: Mỹ Hồng -Thanh Thanh", "T/h: Trịnh Nga-Tô Hiệu") a dash glued to
# the next name splits too.
_NAME_SPLIT_LED = regex.compile(
    rf"\s*(?:{_SEPARATORS}|\s[-–](?=\p{{Lu}})|(?<=\p{{Ll}})[-–](?=\p{{Lu}}))\s*"
)
#: Titles written before a name, each followed by a comma, a dot or a blank, up to the name.
_BEFORE_NAME = r"^(?:(?:{})(?:\s*[,.]\s*|\s+))+(?=(?-i:\p{{Lu}}))"
# An academic degree before a name: "TS. LÊ VĂN AN", "ThS Mai Hoa" (taken off the name only; a
# teacher's or officer's honorific may open a caption instead).
_ACADEMIC_WORDS = r"(?:pgs|gs|ts|ths)\.?"
_ACADEMIC = regex.compile(_BEFORE_NAME.format(_ACADEMIC_WORDS), regex.IGNORECASE)
# A writer's calling, degree, rank or honour before the name: "Nhà báo, ThS. Chu Văn A",
# "Thiếu tá Hà Minh Đức", "NGƯT. Trần Văn Lợi", "BSCKII. Lê Thị Vân", "Cô Nguyễn Thị Hạnh".
_DEGREES = regex.compile(
    _BEFORE_NAME.format(
        rf"{_ACADEMIC_WORDS}|nhà báo|nhà thơ|nhà văn|nhạc sĩ|họa sĩ|nghệ sĩ|(?:bs|ls)\.?"
        r"|(?:đại|thượng|trung|thiếu)\s+(?:tướng|tá|úy)|(?:ngnd|ngưt|nsnd|nsưt|ttnd|ttưt)\.?"
        r"|(?:bs\.?\s*ck\s*(?:ii|i|1|2)|bsck(?:ii|i|1|2)|ncs|ks|ys|ds|cn)\.(?!\p{L})"
        r"|đại đức|thượng tọa|hòa thượng|ni sư|sư cô|linh mục|thầy|cô"
    ),
    regex.IGNORECASE,
)
# A unit credited by its abbreviation: "TTVH huyện", "PTP Tân Hồng"; "Đài TT-TH" is read by
# `not_names`.
_UNIT_CODE = regex.compile(r"^\p{Lu}{2,5}$")
#: The most words a unit credited after a signature's dash runs to ("Trung tâm Văn hóa, Thể
#: thao - Truyền thông huyện (2)"); a caption's clause runs longer.
_CREDIT_WORDS = 12
_UNIT_ABBREVIATION = regex.compile(r"^\p{Lu}{2,}(?:[-&/.]\p{Lu}+)*(?:\s+[\p{L}&]+){0,3}$")
# Running text: five lower-case words in a row ("... cho biết hội đã vận động ..."); a unit's
# name or an author's post has fewer ("Bí thư chi bộ thôn 3").
_RUNNING_TEXT = regex.compile(r"(?:(?<!\S)\p{Ll}+[,.]?(?:\s+|$)){5}")
_SAYS = regex.compile(
    r"\s(?:chia sẻ|cho biết|phát biểu|nói|khẳng định|nhấn mạnh|bày tỏ|kể)\s*[.!:]?\s*$"
)


@dataclass
class DateLine:
    """A parsed date line: the publication time (ISO 8601) and the words left over."""

    published: str
    rest: str
    updated: bool = False


@dataclass
class Header:
    """What the top and bottom of a page say about it, as indices into its lines."""

    title_index: int | None = None
    date_index: int | None = None
    byline_index: int | None = None
    #: Where the byline starts when it ends a line of text ("... nhiệm kỳ 2020 - 2025. (Hà
    #: Nguyên)"): the text before it stays.
    byline_at: int | None = None
    #: The last line when a body signs the text ("Trung tâm VHTT&TT huyện"): no author.
    credit_index: int | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)


_ANY_DAY_MONTH_YEAR = regex.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}")
# When the page was last updated, in brackets or after a dash after the date it was posted:
# "Đăng 21-04-2015 20:16 bởi Admin (cập nhật lúc 23-04-2015 21:41)", "Ngày đăng 20/08/2024
# 16:40 - Cập nhật lúc 08:00 21/08/2024". The posting date is the page's.
_UPDATE_ASIDE = regex.compile(
    r"\s*(?:\(\s*(?i:cập nhật|sửa)[^()\n]{0,40}\)|[-–|]\s*(?i:cập nhật|sửa)[^()\n]{0,40})\s*$"
)


# The lunar date beside the solar one: "17/02/2024 - 10:05 (Mùng 8 tháng Giêng năm Giáp Thìn)".
_EMPHASIS = regex.compile(r"^[_*]+|[_*]+$")
_LUNAR_ASIDE = regex.compile(
    r"\s*\((?=[^()\n]{0,60}?(?:âm lịch|mùng|mồng|tháng giêng|tháng chạp"
    r"|năm (?:giáp|ất|bính|đinh|mậu|kỷ|canh|tân|nhâm|quý)\s))[^()\n]{3,60}\)\s*",
    regex.IGNORECASE,
)


def parse_date_line(line: str) -> DateLine | None:
    """Read a date line ("Thứ Sáu, 15/09/2023 - 15:04"); None for anything longer or vaguer.

    >>> parse_date_line("Trọng Bảo - 17:28, 06/12/2023")
    DateLine(published='2023-12-06T17:28', rest='Trọng Bảo', updated=False)
    >>> parse_date_line("Lan Anh (t/h) 14:13 30/03/2023")
    DateLine(published='2023-03-30T14:13', rest='Lan Anh', updated=False)
    >>> parse_date_line("15:4, Thứ Sáu, 15-9-2023 387 0").published
    '2023-09-15T15:04'
    >>> parse_date_line("Cập nhật thứ hai, ngày 24/12/12 11:05 tối").published
    '2012-12-24T23:05'
    >>> parse_date_line("Thứ Ba, 27-02-2024 / 12:47:46 Sáng")
    DateLine(published='2024-02-27T12:47', rest='', updated=False)
    >>> parse_date_line("Đăng ngày: 12-03-2024 | Người đăng: Admin").published
    '2024-03-12'
    >>> parse_date_line("Thứ năm, 20 Tháng 2 2014 14:32").published
    '2014-02-20T14:32'
    >>> [parse_date_line(x).published for x in ("Thứ ba, 12 Tháng Ba 2024", "Th3 12, 2024")]
    ['2024-03-12', '2024-03-12']
    >>> parse_date_line("March 12, 2024 at 9:15 pm").published
    '2024-03-12T21:15'
    >>> parse_date_line("Ngày đăng 16/11/2023 | 12:00 AM").published
    '2023-11-16T00:00'
    >>> parse_date_line("Publish date: Friday. November 13th, 2015").rest
    ''
    >>> parse_date_line("Ngày 6/12/2023, Tỉnh ủy Lào Cai đã tổ chức hội nghị tổng kết") is None
    True
    >>> parse_date_line("(18/11/1930-18/11/2023).") is None
    True
    >>> parse_date_line("False 4549Ngày cập nhật 19/10/2018").rest
    ''
    >>> parse_date_line("[ Cập nhật vào ngày (05/09/2017) ] - [ Số lần xem: 147 ]").rest
    ''
    >>> parse_date_line("Gửi ngày 10/08/2017").rest
    ''
    >>> parse_date_line("bởi quản trị viên | Date: 24-12-2019").rest
    ''
    >>> parse_date_line("Đăng 12-03-2016 09:10 bởi Admin (cập nhật lúc 14-03-2016 10:00)")
    DateLine(published='2016-03-12T09:10', rest='', updated=False)
    >>> parse_date_line("Ngày đăng 20/08/2024 16:40 - Cập nhật lúc 08:00 21/08/2024").published
    '2024-08-20T16:40'
    >>> parse_date_line("09/03/2024 - 07:40 (Mồng 29 tháng Giêng năm Giáp Thìn)").published
    '2024-03-09T07:40'
    >>> parse_date_line("22 thg 5, 2024 14:05").published
    '2024-05-22T14:05'
    >>> parse_date_line("Đăng lúc 17g30 ngày 06/01/2017").published  # as the date rules read it
    '2017-01-06T17:30'
    >>> parse_date_line("Thu Hà (Cập nhật ngày 14-07-2020)")
    DateLine(published='2020-07-14', rest='Thu Hà', updated=True)
    """
    line = _EMPHASIS.sub("", line)  # a dump's markdown: "_Thursday, October 10, 2024_"
    aside = _UPDATE_ASIDE.search(line)
    if aside and _ANY_DAY_MONTH_YEAR.search(line[: aside.start()]):
        line = line[: aside.start()]
    aside = _LUNAR_ASIDE.search(line)  # the lunar date in brackets, wherever it stands
    if aside and _ANY_DAY_MONTH_YEAR.search(line[: aside.start()]):
        line = f"{line[: aside.start()]} {line[aside.end() :]}".strip()
    if len(line) > 140 or len(_ANY_DAY_MONTH_YEAR.findall(line)) > 1:
        return None  # (a range, "(18/11/1930-18/11/2023)", is no page's date)
    dates = list(_DATE.finditer(line))
    if len(dates) != 1:
        return None
    m = dates[0]
    day, month, year = _day_month_year(m)
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    without_date = line[: m.start()] + " " + line[m.end() :]
    value = when.isoformat()
    t = _TIME.search(without_date)
    if t is not None:
        hour, minute = clock_hour(int(t["h"]), t["ampm"] or ""), int(t["mi"] or 0)
        value += f"T{hour:02d}:{minute:02d}"
        without_date = without_date[: t.start()] + " " + without_date[t.end() :]
    rest = " ".join(_NOISE.sub(" ", _POSTER.sub(" ", without_date)).split())
    if len(rest.split()) > 6:
        return None
    return DateLine(value, rest, bool(_UPDATED.search(line)))


def _day_month_year(m: regex.Match[str]) -> tuple[int, int, int]:
    """The day, month and year a `_DATE` match names, whichever of its forms matched: the
    month in digits (m) or words (mw), the year in four digits (y) or two (yy, this century)."""
    words = m["mw"]
    if words is None:
        month = int(m["m"])
    else:
        month = int(words) if words.isdigit() else MONTH_WORDS[" ".join(words.casefold().split())]
    year = int(m["y"]) if m["y"] is not None else 2000 + int(m["yy"])
    return int(m["d"]), month, year


_SITE_SUFFIX = regex.compile(r"\s+[-|–—]\s+(?P<site>[^-|–—]{2,80})$")
#: The site's name before the headline, set off by "::" or "»": "Trang tin xã A :: Headline".
_SITE_PREFIX = regex.compile(r"^(?P<site>[^:»\n]{2,80}?)\s+(?:::|»)\s+(?=\S)")
_PORTAL = regex.compile(
    r"(?:cổng thông tin|trang thông tin|cổng ttđt|trang ttđt|trang tin|website|tạp chí"
    r"|báo(?!\s+cáo)|đài\s+(?:phát thanh|truyền hình|pt|tt)"
    r"|trường\s+(?:thpt|thcs|th|tiểu học|mầm non|mn|đại học|đh|cao đẳng|cđ)(?=\s+\p{Lu}))\b",
    regex.IGNORECASE,
)


#: Brackets left empty at a headline's end (a count or a place the site did not fill in).
_EMPTY_ASIDE = regex.compile(r"\s*[(\[]\s*[)\]]\s*$")


def without_site_name(title: str, rules: PageRules) -> str:
    """A headline line without the site's name after a dash or bar, as portals print it,
    without a bullet before it or empty brackets after it.

    >>> from pipeline.ruleset.page import PageRules
    >>> rules = PageRules((), (), (), (), frozenset(), (), {})
    >>> without_site_name("Huyện sơ kết công tác dân vận - Cổng thông tin điện tử huyện", rules)
    'Huyện sơ kết công tác dân vận'
    >>> without_site_name("Hội nghị Ban Chấp hành - nhiệm kỳ 2020 - 2025", rules)
    'Hội nghị Ban Chấp hành - nhiệm kỳ 2020 - 2025'
    >>> without_site_name("Sơ kết quý I - Báo cáo viên cấp tỉnh", rules)
    'Sơ kết quý I - Báo cáo viên cấp tỉnh'
    >>> without_site_name("» Khai giảng lớp bồi dưỡng", rules)  # and a list's bullet before it
    'Khai giảng lớp bồi dưỡng'
    >>> without_site_name("Khu công nghiệp đón 3 dự án mới | Ban Quản lý các KCN tỉnh", rules)
    'Khu công nghiệp đón 3 dự án mới'
    >>> without_site_name("Phổ biến pháp luật cho đồng bào ()", rules)  # an empty aside after it
    'Phổ biến pháp luật cho đồng bào'
    >>> without_site_name("Trang tin điện tử xã Phú An :: Xã tổ chức đối thoại với nông dân", rules)
    'Xã tổ chức đối thoại với nông dân'
    >>> without_site_name("Ngày hội đọc sách - Trường THCS Tân Lập", rules)  # a school's own site
    'Ngày hội đọc sách'
    """
    title = _without_section(_EMPTY_ASIDE.sub("", line_key(title) or title), rules)
    if (lead := _SITE_PREFIX.match(title)) and _PORTAL.match(lead["site"]):
        title = title[lead.end() :]  # "Trang thông tin điện tử xã A :: Headline"
    m = _SITE_SUFFIX.search(title)
    if m and (_PORTAL.match(m["site"]) or rules.outlet_named(m["site"])):
        return title[: m.start()].strip()
    if m and m.group(0).lstrip().startswith("|") and _BODY_START.match(m["site"]):
        return title[: m.start()].strip()  # a body's name after a bar: the site's
    return title


#: A body that runs a site, named after a bar at a headline's end: "... | Ban Quản lý các KCN".
_BODY_START = regex.compile(
    r"(?:Ban|Sở|Hội|Đoàn|UBND|Ủy ban|Trường|Bệnh viện|Trung tâm|Công an|Huyện ủy|Tỉnh ủy|Thành ủy"
    r"|Đảng bộ|Phòng|Chi cục|Cục|Viện|Tòa án|Công ty|Tổng công ty|Tập đoàn|Liên đoàn|Mặt trận"
    r"|Thành đoàn|Tỉnh đoàn|Huyện đoàn|Bộ|Văn phòng)(?!\p{L})"
)


def _without_section(title: str, rules: PageRules) -> str:
    """A headline without the section's name a crawler ran onto its start ("Quốc phòng - An
    ninh Phường X tổ chức ..."): only a name of two parts joined by a dash, which the page
    rules call a menu, before a capital and four words or more.

    >>> from pipeline.ruleset.page import LineRule
    >>> menu = LineRule("m", "line", "menu", regex.compile("văn hóa - xã hội", regex.I), (), ())
    >>> rules = PageRules((menu,), (), (), (), frozenset(), (), {})
    >>> _without_section("Văn hóa - Xã hội Huyện tổ chức liên hoan văn nghệ quần chúng", rules)
    'Huyện tổ chức liên hoan văn nghệ quần chúng'
    """
    words = title.split(" ")
    dash = next((i for i, w in enumerate(words[1:4], 1) if w in ("-", "–")), None)
    if dash is None:
        return title
    for end in range(dash + 2, min(dash + 5, len(words) - 4)):
        if words[end][:1].isupper() and rules.is_menu(" ".join(words[:end])):
            return " ".join(words[end:])
    return title


_TITLE_DATE = regex.compile(
    rf"\s*\(\s*(?:{DATE_LABEL}\s*:?\s*)?"
    r"(?P<date>\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2})?)\s*\)$"
)
# A date printed after the headline without brackets, unless a word of the title leads to it
# ("Kỷ niệm ngày 20/11/2023", "từ 15/3/2024 đến 20/3/2024", "1982 - 20/11/2023").
_TITLE_BARE_DATE = regex.compile(
    r"(?<=[^\s,])\s+(?<!(?i:ngày|mùng|từ|kể từ|đến|tới|và|vào|là|sáng|trưa|chiều|tối|đêm|hôm"
    r"|lúc|trước|sau|hết|đầu|cuối|hạn|[-–/])\s+)"
    r"(?P<date>\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)$"
)
# A weekday's date glued to the headline's last word ("... ca bệnhThứ Sáu, 12/07/2024 - 16:30").
_TITLE_GLUED_DATE = regex.compile(
    rf"(?<=[\p{{Ll}}\d])(?P<date>(?=[TC])(?i:{WEEKDAY}),?"
    r"\s+\d{1,2}/\d{1,2}/\d{4}(?:\s*[-–|,]?\s*\d{1,2}:\d{2})?)\s*$"
)
# A print button's label after the headline ("... In trang"; a bare "In" after capitals only:
# "Nhà máy In" is a printing house).
_PRINT_LABEL = regex.compile(r"(?<!\s)\s+(?:In trang|In bài(?: viết)?|(?<=\p{Lu}\s+)In)$")


def title_and_date(title: str) -> tuple[str, str | None]:
    """A headline without the date some portals print after it (in brackets or not) and that
    date, and without a print button's label; a headline a portal puts in square brackets
    loses them.

    >>> title_and_date("Huyện sơ kết công tác dân vận (12/03/2024)")
    ('Huyện sơ kết công tác dân vận', '2024-03-12')
    >>> title_and_date("Xã kết nạp 3 đảng viên (Cập nhật: 11/10/2024)")
    ('Xã kết nạp 3 đảng viên', '2024-10-11')
    >>> title_and_date("Xã Tân Lập khánh thành nhà đại đoàn kết 08/10/2021 In trang")
    ('Xã Tân Lập khánh thành nhà đại đoàn kết', '2021-10-08')
    >>> [title_and_date(t)[1] for t in ("Kỷ niệm ngày Nhà giáo Việt Nam ngày 20/11/2023",
    ...  "Hội nghị sẽ diễn ra vào 20/11/2023", "Kỷ niệm 60 năm thành lập Nhà máy In")]
    [None, None, None]
    >>> title_and_date("Tiêm vắc xin cho 400 người ở vùng có ca bệnhThứ Sáu, 12/07/2024 - 16:30")
    ('Tiêm vắc xin cho 400 người ở vùng có ca bệnh', '2024-07-12T16:30')
    >>> title_and_date("[SƠ KẾT CÔNG TÁC DÂN VẬN QUÝ I]")
    ('SƠ KẾT CÔNG TÁC DÂN VẬN QUÝ I', None)
    """
    if title.startswith("[") and title.endswith("]") and "[" not in title[1:-1]:
        title = title[1:-1].strip()
    title = _PRINT_LABEL.sub("", title)
    m = _TITLE_DATE.search(title) or _TITLE_GLUED_DATE.search(title)
    m = m or _TITLE_BARE_DATE.search(title)
    parsed = parse_date_line(m["date"]) if m else None
    if m is None or parsed is None:
        return title, None
    return title[: m.start()].strip(), parsed.published


@functools.lru_cache(maxsize=8)
def _longest_first(*lists: tuple[str, ...]) -> tuple[str, ...]:
    """Every lead-in of the lists once, the longest first (so that "tin và ảnh" is tried before
    "tin"): sorted once per rule set, not once per line.

    >>> _longest_first(("tin", "bài"), ("tin và ảnh",))
    ('tin và ảnh', 'bài', 'tin')
    """
    return tuple(sorted({lead for leads in lists for lead in leads}, key=lambda x: (-len(x), x)))


def _strip_lead_in(line: str, rules: PageRules) -> tuple[str, bool]:
    """The line without its lead-in ("Bài và ảnh: ", or an abbreviation in capitals and a
    space: "CTV Duy Hưng"), and whether there was one.

    >>> rules = PageRules((), (), (), ("ctv", "ghi chép"), frozenset(), (), {})
    >>> _strip_lead_in("CTV Duy Hưng", rules), _strip_lead_in("Ghi chép của Mai Lan", rules)
    (('Duy Hưng', True), ('Mai Lan', True))
    >>> rules = PageRules((), (), (), ("theo", "tin"), frozenset(), (), {}, (), (), ("theo",))
    >>> _strip_lead_in("Theo Mai Lan / TTXVN", rules), _strip_lead_in("Tin Nổi Bật/VTV", rules)
    (('Mai Lan / TTXVN', True), ('Tin Nổi Bật/VTV', False))
    >>> lead = ("tin và ảnh",)
    >>> rules = PageRules((), (), (), lead, frozenset(), (), {}, named_lead_ins=lead)
    >>> _strip_lead_in("Tin và ảnh Phạm Ngọc", rules), _strip_lead_in("Tin và ảnh Hội nghị", rules)
    (('Phạm Ngọc', True), ('Tin và ảnh Hội nghị', False))
    """
    low = line.casefold()
    for lead in _longest_first(rules.byline_lead_ins, rules.source_lead_ins, rules.named_lead_ins):
        if not low.startswith(lead):
            continue
        rest = line[len(lead) :]
        if _LEAD_COLON.match(rest):
            return _LEAD_COLON.sub("", rest), True
        if of := _LEAD_OF.match(rest):
            return rest[of.end() :], True  # "Ghi chép của LÒ THỊ HƯƠNG", "Bài và ảnh của ..."
        if lead.isascii() and line[: len(lead)].isupper() and _CAPITAL_AFTER_SPACE.match(rest):
            return rest.lstrip(" ."), True  # an abbreviation: "CTV", "PV" ("BÀI VIẾT VỀ ..."
            # in a headline in capitals is no lead-in)
        sourced = lead in rules.source_lead_ins and _SOURCE_AFTER.search(rest)
        if sourced and _CAPITAL_AFTER_SPACE.match(rest):
            return rest.lstrip(" ."), True  # a name and its source: "Theo Linh Chi/baoabc.vn"
        named = lead in rules.named_lead_ins and _CAPITAL_AFTER_SPACE.match(rest)
        if named and _is_name(rest.strip(" ."), rules, explicit=False):
            return rest.strip(" ."), True  # a name alone: "Tin và ảnh Phạm Ngọc"
    return line, False


def _is_name(name: str, rules: PageRules, explicit: bool) -> bool:
    tokens = name.split()
    if not 1 <= len(tokens) <= 5 or len(name) > 40 or rules.outlet_named(name):
        return False
    if any(t.casefold() in _FUNCTION_WORDS for t in tokens[1:]):
        return False  # a heading in capitals ("NHIỆM VỤ CỦA CHI HỘI"), no person
    if {tokens[0].casefold(), " ".join(tokens[:2]).casefold()} & rules.not_names:
        return False
    if _DIGRAPH_INITIAL.match(name) and not _VOWEL.search(unicodedata.normalize("NFD", name)):
        return False  # an abbreviation, not a digraph's initial and a syllable ("KH.ĐT")
    if len(tokens) == 1 or _INITIAL_NAME.match(name):
        return (
            explicit
            or bool(_UPPER_NAME.match(name) and 2 <= len(name) <= 4)
            or bool(_INITIAL_NAME.match(name))
        )
    if all(_UPPER_NAME.match(t) for t in tokens):
        return True
    return all(_NAME_TOKEN.match(t) for t in tokens)


def byline_names(line: str, rules: PageRules, signed: bool = False) -> list[str]:
    """The people a byline line names, person-cased; [] when it is not a byline.

    Lead-ins ("Bài và ảnh:") and credits ("(tổng hợp)", "/TTXVN") are removed first. A
    `signed` line (the last of a text) may give the author's position after the name. A
    sentence of running text is no byline ("Quý I/2024, toàn tỉnh thu ngân sách đạt 25%.").
    """
    if ends_sentence(line) and (is_body_line(line) and _RUNNING_TEXT.search(line)):
        return []
    # A signature gives the author's post, not what someone said: "..., Bí thư Đoàn xã chia
    # sẻ." ("Đỗ Thuần - Bí thư Chi bộ." is signed, full stop and all).
    signed = signed and not _SAYS.search(line)
    # "• HMT": the bullet goes first; "-S.Pa-": a signature between dashes
    text, explicit = _strip_lead_in(line_key(line).strip(" -–"), rules)
    text = _DEGREES.sub("", text) if explicit else text
    for trailer in rules.byline_trailers:
        text = trailer.sub("", text)
    parts = [n for n in (_NAME_SPLIT_LED if explicit else _NAME_SPLIT).split(text.strip()) if n]
    names: list[str] = []
    for i, part in enumerate(parts):
        if names and _UNIT_CODE.match(part) and any(" " in n for n in names):
            continue  # a unit's code after a full name ("Khắc Trí - PNN"), not initials
        if _is_name(part, rules, explicit):
            names.append(part)
        elif i and names and _is_credit(part, rules, signed, explicit):
            if _credit_runs_on(text, part):
                break  # the unit credited after a dash: the rest is its name's ("Trung tâm
                # Văn hóa, Thể thao - Truyền thông huyện")
        else:
            return []  # a part that is neither a name nor a credit after the names
    return [person_case(_ACADEMIC.sub("", n) or n) for n in names]  # ("TS. LÊ AN": Lê An)


def _credit_runs_on(text: str, part: str) -> bool:
    """The credited unit comes after a dash and runs, short, to the line's end: what follows
    it is its own name's, not more names.

    >>> _credit_runs_on("Trần Lan Anh - Phòng Pháp chế & Quản lý thông tin", "Phòng Pháp chế")
    True
    >>> _credit_runs_on("Nhiều Hội Thánh và các Thánh thất, Thánh tịnh đến dự.", "các Thánh thất")
    False
    """
    at = text.find(part)
    if at < 0 or not text[:at].rstrip().endswith(("-", "–")):
        return False
    return len(text[at:].split()) <= _CREDIT_WORDS


#: The label of a line that says where the text came from: "Nguồn tin:", "(Nguồn:", "Theo:".
_SOURCE_LABEL = regex.compile(r"^\(?\s*(?:nguồn(?:\s+tin)?|theo)\s*:\s*", regex.IGNORECASE)


def source_byline(line: str, rules: PageRules) -> list[str]:
    """The people a source line credits, when it names people rather than an outlet: small
    portals sign a report "Nguồn tin: <reporter> - <office>". An outlet or an office is no
    one ("Nguồn: Báo Tuyên Quang"), nor is an office's code ("Nguồn: DVP"), so the line
    gives no names.

    >>> no_names = PageRules((), (), (), (), frozenset({"báo"}), (), {})
    >>> source_byline("Nguồn tin: Sao Mai.", no_names)
    ['Sao Mai']
    >>> source_byline("Nguồn: Báo Tuyên Quang", no_names), source_byline("(Nguồn: DVP)", no_names)
    ([], [])
    >>> source_byline("Theo: Thu Hà", no_names), source_byline("Theo: Báo Tuyên Quang", no_names)
    (['Thu Hà'], [])
    >>> source_byline("Nguồn tin: Minh Toàn:", no_names)  # a stray colon after the name
    ['Minh Toàn']
    """
    m = _SOURCE_LABEL.match(line.strip())
    if m is None:
        return []
    names = byline_names(line.strip()[m.end() :].rstrip(" .):"), rules, signed=True)
    return [n for n in names if not _UNIT_CODE.match(n)]


def _is_credit(part: str, rules: PageRules, signed: bool = False, led: bool = False) -> bool:
    """A unit credited after the names ("Phòng VH-TT huyện", "Trung tâm TTVH"), in a
    signature the author's position ("Bí thư Chi bộ"), and after a label ("Tác giả: A, Hạt
    Kiểm lâm huyện B") a unit named in words some of which are lower case."""
    tokens = part.split()
    if signed and part.casefold().startswith(rules.signed_positions):
        return True
    if led and len(tokens) >= 3 and tokens[0][:1].isupper() and any(t.islower() for t in tokens):
        return True
    if (len(tokens) >= 2 or len(part) >= 5) and _UNIT_ABBREVIATION.match(part):
        return True
    return bool(tokens) and bool(
        {tokens[0].casefold(), " ".join(tokens[:2]).casefold()} & rules.not_names
    )


# A lead opens with its day and a comma or a place ("Sáng ngày 15/11/2023, Ủy ban ...",
# "Vào ngày 05/8/2024 tại Hội trường ..."); a headline does not.
_DATED_LEAD = regex.compile(
    r"(?:vào\s+)?(?:(?:sáng|chiều|tối|trưa|đêm)\s+)?(?:ngày\s+)?\d{1,2}"
    r"(?:[/.-]\d{1,2}(?:[/.-]\d{2,4})?|\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)\s*(?:,|\s+tại\s)",
    regex.IGNORECASE,
)


def _dated_lead(line: str) -> bool:
    """A paragraph that opens with its day, however it ends: no headline stands below it.

    >>> _dated_lead("Chiều ngày 13/12/2023, Đoàn phường tổ chức hội nghị tổng kết công tác năm")
    True
    >>> _dated_lead("Ngày 13/12: hội nghị tổng kết")
    False
    """
    return bool(_DATED_LEAD.match(line)) and len(line.split()) >= 12


def _title_like(line: str, rules: PageRules, dated: bool = False) -> bool:
    """A line that may be the headline; next to the date line (`dated`) one of up to 28 words
    may end with a full stop, as some sites print their headlines, and a long one with no full
    stop is no paragraph."""
    words = line.split()
    if _LIST_ITEM.match(line) or line.rstrip().endswith((":", ",")):
        return False  # a list ("Tham dự có:", "- BSCKII Trần Văn A - Giám đốc bệnh viện"), or
        # a speech's salutation ("Thưa toàn thể cử tri và Nhân dân trong tỉnh,")
    if _masthead(line) or _page_tool(line):
        return False
    prose = is_body_line(line) and not (dated and (len(words) <= 28 or not ends_sentence(line)))
    prose = prose and not line.isupper()  # a headline in capitals may end with a full stop
    if not 4 <= len(words) <= 45 or prose or rules.is_caption(line):
        return False
    if byline_names(line, rules):
        return False
    if _usable_date_line(line, rules) or _DATED_LEAD.match(line):
        return False
    first = _FIRST_CHAR.search(line)
    return bool(first) and (first.group(0).isupper() or first.group(0).isdigit())


def _starts_prose(lines: list[str], i: int, rules: PageRules) -> bool:
    """A paragraph of running text, or the first line of one cut by hard line breaks (the next
    line goes on in lower case): the header ends there. A long line with no sentence end right
    above a date line is a headline."""
    after = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
    if lines[i].isupper():
        return False  # a headline in capitals, full stop or not
    if is_body_line(lines[i]):
        if i == 0 and _headline_over_date(lines, rules):
            return False
        if _headline_under_date(lines, i, rules):
            return False
        return ends_sentence(lines[i]) or not _usable_date_line(after, rules)
    return len(lines[i].split()) >= 6 and after[:1].islower() and len(after.split()) >= 4


def _headline_under_date(lines: list[str], i: int, rules: PageRules) -> bool:
    """A long line (up to 45 words) that ends no sentence, right below the date line that
    opens the page and above a paragraph that opens with a capital: a headline, not the lead
    (below a date line under its headline, such a line is the sapo).

    >>> rules = PageRules((), (), (), (), frozenset(), (), {})
    >>> long = "Thành ủy: Sơ kết " + "a " * 30
    >>> _headline_under_date(["28/12/2022", long, "Ban ..."], 1, rules)
    True
    >>> _headline_under_date(["28/12/2022", long + ".", "Ban ..."], 1, rules)
    False
    >>> _headline_under_date(["Tiêu đề", "28/12/2022", long, "Ban ..."], 2, rules)
    False
    """
    after = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
    return (
        i == 1
        and len(lines[i].split()) <= 45
        and not ends_sentence(lines[i])
        and after[:1].isupper()
        and _usable_date_line(lines[i - 1], rules) is not None
    )


_INNER_SENTENCE_END = regex.compile(r"[.!?…]\s")


_PLACE_COLON = regex.compile(
    r"^(?!(?i:clip|video|ảnh|infographic|audio)\s*:)(?:\p{Lu}[\p{L}.]*\s?){1,4}:\s+\S"
)  # (not a media's label: "CLIP: ..." is the caption of a video)


def _headline_over_date(lines: list[str], rules: PageRules) -> bool:
    """The page's first line, one sentence with its full stop, right above a date line that
    says nothing else, or opened by a place and a colon: a headline as some sites print them
    ("Chi cục ... tại tỉnh Gia Lai.", "Nông Sơn: khen thưởng 04 tập thể ... năm 2023.")."""
    if len(lines) < 3 or not 4 <= len(lines[0].split()) <= 40:
        return False
    if _INNER_SENTENCE_END.search(lines[0].rstrip()) or not ends_sentence(lines[0]):
        return False
    if _PLACE_COLON.match(lines[0]):
        return True
    dl = _usable_date_line(lines[1], rules)
    return dl is not None and not dl.rest


def _long_title(line: str, rules: PageRules, dated: bool = False) -> bool:
    """A headline that is long (up to 60 words) but no sentence: no full stop at its end. Right
    above its date line (`dated`) it may read like a caption ("Ông A giữ chức Bí thư ..."); a
    byline there is no headline ("Tác giả: Phạm Ngọc Bích"), nor who posted the page ("Đăng
    bởi: ..."), nor the masthead's clock ("Hôm nay: ...")."""
    if _page_tool(line):
        return False
    words = line.split()
    caption = rules.is_caption(line) and not (dated and "ảnh" not in line.casefold())
    return (
        4 <= len(words) <= 60
        and not line.rstrip().endswith(".")
        and not caption
        and not _masthead(line)
        and not _byline_over_date(line, rules)
        and not _usable_date_line(line, rules)  # (a site header's "Thứ hai, 29/04/2024")
    )


def _repeated(first: str, second: str) -> bool:
    """The first line again as the second, a lead or a caption opening with it, or the second
    again as the first, cut there by a hard line break.

    >>> _repeated("Hội nghị tổng kết công tác năm 2024.", "Hội nghị tổng kết công tác năm 2024 tại")
    True
    >>> _repeated("Hội nghị tổng kết công tác năm", "Hội nghị tổng kết")
    False
    """
    if len(first) >= 20 and second.startswith(first.rstrip(".")):
        return True
    return len(second) >= 20 and first.startswith(second.rstrip())


def _repeated_over_label(lines: list[str], body: int) -> int | None:
    """A line above the first paragraph printed again two lines below, a short label between
    them (a section's name): the headline's index, or None.

    >>> head = "Bình Lục tuyên truyền pháp luật tại thị trấn"
    >>> _repeated_over_label(["Skip", head, "Tuyên truyền, Phổ biến", head, "Phòng ..."], 4)
    1
    >>> print(_repeated_over_label([head, "Phòng Tư pháp huyện vừa tổ chức hội nghị", head], 2))
    None
    """
    for i in range(min(body, len(lines) - 2, 4)):
        label = lines[i + 1]
        short = len(label.split()) <= 5 and not any(c.isdigit() for c in label)
        if short and _repeated(lines[i], lines[i + 2]):
            return i
    return None


def _byline_over_date(line: str, rules: PageRules) -> bool:
    """A byline where a headline might stand: led ("Tác giả: Phạm Ngọc Bích"), or names
    alone, no word in lower case ("Lê Minh - Thu Trang"; "THÔNG BÁO V/v tổ chức ..." is none)."""
    if not byline_names(line, rules):
        return False
    return _strip_lead_in(line, rules)[1] or not any(w[:1].islower() for w in line.split())


def _masthead(line: str) -> bool:
    """The portal's own name, never a headline: "Cổng thông tin điện tử huyện A".

    >>> _masthead("Cổng thông tin điện tử huyện Thuận Bình"), _masthead("Trang tin tổng hợp")
    (True, False)
    """
    return bool(_PORTAL_NAME.match(line)) and len(line.split()) <= 12


#: A line cut after a date's word, its number on the next line ("Sáng ngày 30 tháng 3 năm").
_DATE_WORD_END = regex.compile(r"(?<!\p{L})(?:ngày|tháng|năm)$", regex.IGNORECASE)


def _continues(lines: list[str], i: int, rules: PageRules) -> bool:
    """The line goes on with what the line before it left unfinished: a photo caption, or a
    sentence cut by a hard line break ("Sáng 9/1, tại hội trường UBND xã" + "Bưng Riềng, ...",
    "Sáng ngày 30 tháng 3 năm" + "2021, Hội ...")."""
    before = lines[i - 1].rstrip() if i else ""
    if not before or before.endswith((".", "!", "?", ":", "”", '"')):
        return False
    if _DATE_WORD_END.search(before) and lines[i][:1].isdigit():
        return True
    return rules.is_caption(before) or ("," in before and before[-1:].islower())


_REST_PARTS = regex.compile(r"\s*\|\s*")
#: The furniture a date line may hold besides its date: menus and section names, the tools.
_BESIDE_DATE = ("menu", "share")
_LABEL_DASH = regex.compile(r"\s+[-–]\s+")
#: A section's name marked off before the date it heads: "Tin hoạt động :: 16/04/2021".
_SECTION_MARK = regex.compile(r"^[^\d:]{2,40}\s::\s*(?=\d)")


def _usable_date_line(line: str, rules: PageRules) -> DateLine | None:
    """A date line whose leftover words are nothing, lower-case labels, or a byline.

    "Hội nghị ngày 6/12/2023" is a headline with a date in it, not a date line, and a short
    sentence opened by its date is the lead.
    """
    if _TODAY.match(line):
        return None  # the masthead's clock: "Hôm nay: Thứ Sáu, 19/04/2024"
    parsed = parse_date_line(line)
    if parsed is None or not parsed.rest:
        return parsed
    if ends_sentence(line) and _DATED_LEAD.match(line):
        return None  # a short lead: "Ngày 5 tháng 9 năm 2024, các trường khai giảng."
    if all(t[:1].islower() for t in parsed.rest.split()) or date_line_authors(line, rules, parsed):
        return parsed
    if all(rules.is_menu(p, _BESIDE_DATE) for p in _REST_PARTS.split(parsed.rest) if p.strip()):
        return parsed  # a section's name or the page's tools beside the date: "Chính trị
        # 13-05-2022", "09/12/2023 10:37:24 Xem cỡ chữ Google"
    if _SECTION_MARK.search(line) and len(parsed.rest.split()) <= 4:
        return parsed  # any section's name, marked as one: "Đoàn Đội :: 16/04/2021"
    if labelled_date(line, rules)[1]:
        return parsed  # a label set off by a bar or a dash: "12:08 28/04/2022 | Cafe ngày mới"
    return None


def labelled_date(line: str, rules: PageRules) -> tuple[str, str]:
    """(the date, the label) of a date line with a short label and no digit beside it: a
    section's or a widget's name after a bar, or after a dash when the date has its time or
    the label is a menu's ("Tin tức - 20/09/2008"; "Hội nghị tổng kết - 20/09/2008" may be a
    headline); else (line, ""). A weekday or a date's own label is no such name.

    >>> rules = PageRules((), (), (), (), frozenset(), (), {})
    >>> labelled_date("Thứ năm, 12:08 28/04/2022 | Cafe ngày mới", rules)
    ('Thứ năm, 12:08 28/04/2022', 'Cafe ngày mới')
    >>> [labelled_date(x, rules)[1] for x in ("Góc nhìn - 20/09/2008 10:15",
    ...  "Hội nghị tổng kết - 20/09/2008", "Thứ sáu - 20/09/2023 09:30",
    ...  "18/05/2022 - Đăng bởi admin")]
    ['Góc nhìn', '', '', 'Đăng bởi admin']
    """
    barred = _REST_PARTS.split(line.strip())
    parts = barred if len(barred) == 2 else _LABEL_DASH.split(line.strip())
    dated = [p for p in parts if _DIGIT.search(p)]
    label = [p for p in parts if not _DIGIT.search(p)]
    if len(parts) != 2 or len(dated) != 1 or not 0 < len(label[0].split()) <= 4:
        return line, ""
    poster = bool(_POSTER.fullmatch(label[0].strip()))  # who posted it: "Đăng bởi admin"
    if not poster and not _NOISE.sub(" ", _POSTER.sub(" ", label[0])).split():
        return line, ""  # a weekday or a date's label: the date's own ("Thứ sáu - 20/09/2023")
    alone = parse_date_line(dated[0])
    if alone is None or alone.rest:
        return line, ""
    timeless_dash = parts is not barred and "T" not in alone.published
    if timeless_dash and not (poster or rules.is_menu(label[0])):
        return line, ""  # (after a dash, a date without its time: a menu's name only)
    return dated[0], label[0]


def date_line_authors(line: str, rules: PageRules, parsed: DateLine | None = None) -> list[str]:
    """The byline of a date line: "Trọng Bảo - 17:28, 06/12/2023", "Tác giả: Hoa | 3/12/2023".

    >>> from pipeline.config import BUILTIN_RULES
    >>> from pipeline.ruleset.page import load_page_rules
    >>> rules = load_page_rules((BUILTIN_RULES,))
    >>> date_line_authors("Người đăng: Hà Vy | Ngày đăng: 27/03/2023", rules)
    ['Hà Vy']
    >>> date_line_authors("CN, 06/10/2024 | 07:45", rules)
    []

    Its parts are split at " | " and " - "; the first part without digits that names people;
    else the words typed right before the date ("Ngọc Minh 16/09/2023") or after it, last on
    the line ("16/05/2023 Tin tổng hợp Trương Quốc Thông 2177"). `parsed` is the
    line's DateLine when the caller has it. A section's name marked with "::" names no one.
    """
    if _SECTION_MARK.search(line):
        return []
    for part in _DATE_LINE_PARTS.split(line):
        part = _COUNTER_END.sub("", part)
        if _DIGIT.search(part) or _WEEKDAY_PART.fullmatch(part):
            continue
        if part and (names := byline_names(part, rules)):
            return names
    parsed = parsed or parse_date_line(line)
    if not parsed or not parsed.rest or _DIGIT.search(parsed.rest):
        return []
    # the words typed right before the date, or right after it at the line's end (a view
    # counter aside): "20:39 - 16/05/2023 Tin tổng hợp Trương Quốc Thông 2177"
    tail = _BARE_COUNT_END.sub("", _COUNTER_END.sub("", line))
    if line.startswith(parsed.rest) or tail.endswith(parsed.rest):
        return byline_names(parsed.rest, rules)
    return []


def _find_date_line(lines: list[str], body: int, rules: PageRules) -> tuple[int, DateLine] | None:
    """The page's date line among the lines up to just after the first paragraph.

    A date line well above the headline is a "today" widget of the masthead, not the article's
    date, and one just above it loses to one below it (the masthead's clock, then the
    article's own line); with no headline, a stale "today" over the article's own date line
    loses to it; an "updated" line counts only when there is no other.
    """
    found: list[tuple[int, DateLine]] = []
    for i in range(min(body + 3, len(lines))):
        parsed = _usable_date_line(lines[i], rules)
        if parsed:
            found.append((i, parsed))
    title = _pick_title(lines, None, body, rules)
    if title is not None:  # the headline's first copy, when the page prints it twice
        title = lines.index(lines[title])
    if title is not None:  # a line with a time of day a little above is the article's too
        # (two lines above when the line between reads as a headline too: a headline over a
        # longer subtitle, "22/11/2024" / "Ngày hội ... năm 2024" / "Ngày hội ... tại ...")
        reach = 2 if title >= 2 and _title_like(lines[title - 1], rules, dated=True) else 1
        found = [f for f in found if f[0] >= title - (3 if "T" in f[1].published else reach)]
        found = [f for f in found if not _stale_widget(lines, f, title)]
        # below the headline first, in page order; then above it, the nearest first (the
        # masthead's clock, then the article's own line: "Thứ năm, 29/01/2026 15:00" over
        # "Thứ ba, 12/08/2025 11:01" over the headline)
        found.sort(key=lambda f: (f[0] < title, -f[0] if f[0] < title else f[0]))
    elif pivots := [f for f in found[1:] if not f[1].updated]:  # no headline: the masthead's
        # stale "today" over the article's own line, and later than it
        line = pivots[-1]
        found = [
            f
            for f in found
            if not (f[1].published > line[1].published and _stale_widget(lines, f, line[0]))
        ]
    fresh = [f for f in found if not f[1].updated]
    return (fresh or found)[0] if found else None


_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# The end of a term dates nothing written: "nhiệm kỳ 2019 - 2024" is written in 2019.
_TERM_END = regex.compile(r"(?<=nhiệm kỳ\s+(?:19|20)\d{2})\s*[-–]\s*(?:19|20)\d{2}", regex.I)


def _stale_widget(lines: list[str], found: tuple[int, DateLine], title: int) -> bool:
    """A date with no time above the headline (or, with none, above the article's own date
    line: `title` is where the article starts), two years or more after every year the text
    names (up to that date, the end of a term aside): the masthead's "today" on a page
    crawled long after the article was written.

    >>> _stale_widget(["Thứ Bảy, 13/7/2024", "Tin A", "Năm 2019, tỉnh ..."],
    ...               (0, DateLine("2024-07-13", "", False)), 1)
    True
    """
    i, line = found
    if i >= title or "T" in line.published:
        return False
    year = int(line.published[:4])
    body = _TERM_END.sub("", " ".join(lines[title:]))  # the headline's years count too
    years = [int(y) for y in _YEAR.findall(body) if int(y) <= year]  # not targets ("đến 2030")
    return bool(years) and max(years) <= year - 2


def _pick_title(
    lines: list[str], date_index: int | None, body: int, rules: PageRules
) -> int | None:
    """The headline: next to the date line if there is one (just above it, else just below),
    else the last headline-like line before the first paragraph. An all-capitals line is
    taken only when no other fits: it is usually the masthead; of several, the longest (a
    masthead is a name, "TRƯỜNG THPT ...", shorter than a headline)."""
    near: list[int] = []
    if date_index is not None and date_index > body and byline_names(lines[date_index - 1], rules):
        date_index = None  # a byline and date line after the text: no headline's neighbours
    if date_index is not None:
        near = [i for i in range(date_index - 1, max(-1, date_index - 4), -1)]
        near += list(range(date_index + 1, min(body, date_index + 3)))
    if date_index is not None and (over := _over_author_and_post(lines, date_index, rules)):
        return over
    if date_index is not None and (under := _headline_below(lines, date_index, rules)):
        return under
    # (never below a lead that opens with its day: "Chiều ngày 13/12/2023, Đoàn phường ...")
    lead = next((i for i in range(min(body, len(lines))) if _dated_lead(lines[i])), body)
    before_body = list(range(min(body, len(lines), lead) - 1, -1, -1))
    above = date_index - 1 if date_index else -1
    # caption-like: only when no headline stands above it ("Tiêu đề" / "Đồng chí A phát biểu")
    # (a menu's short item there, "Hỏi đáp chính sách", is no headline)
    alone = (
        above < 1 or len(lines[above - 1].split()) < 6 or not _long_title(lines[above - 1], rules)
    )
    if (
        above >= 0
        and _long_title(lines[above], rules, alone)
        and (not lines[above].isupper() or _caps_headline(lines[above]))
    ):
        below = [i for i in near if i > above + 1 and not lines[i].isupper()]
        return _over_label(lines, [above, *below], date_index, rules)  # a long headline right
        # above its date line (not a banner, nor a section's label over a headline below)
    if len(lines) > 1 and _repeated(lines[0], lines[1]) and not _usable_date_line(lines[0], rules):
        return 0  # the headline, repeated below it (a header's date twice is none)
    over_label = _repeated_over_label(lines, body)
    if over_label is not None and not _usable_date_line(lines[over_label], rules):
        return over_label  # the headline, then a section's label and the headline again
    if date_index in (1, None) and _headline_over_date(lines, rules):
        return 0
    for candidates, dated in ((near, True), (before_body, False)):
        fitting = [
            i
            for i in candidates
            if _title_like(lines[i], rules, dated or _above_date_line(lines, i, rules))
            and not _continues(lines, i, rules)
        ]
        mixed = [i for i in fitting if not lines[i].isupper()]
        if mixed:
            return _over_label(lines, mixed, date_index, rules) if dated else mixed[0]
        if fitting:
            return max(fitting, key=lambda i: len(lines[i].split()))
    if (
        date_index != 0  # (the date line is no headline)
        and body == 1
        and lead != 0
        and 6 <= len(lines[0].split()) <= 45
        and (not lines[0].rstrip().endswith(".") or _sentence_headline(lines, rules))
    ):
        return 0  # the text's first line, right above its first paragraph, though it reads
        # like a caption ("Đồng chí Phó Chủ tịch UBND tỉnh ... kiểm tra ...")
    if body == 0 and _long_first_line(lines):
        return 0  # a headline long enough to read as a paragraph, but it ends no sentence
    if body == 0 and date_index is None and _sentence_headline(lines, rules):
        return 0
    return None


_REPORTING = regex.compile(r"(?<!\p{L})(?:vừa|đã|đang|sẽ)(?!\p{L})", regex.IGNORECASE)
# How a lead or a preamble opens, never a headline: "Theo kế hoạch, ...", "Căn cứ ...".
_LEAD_OPENING = regex.compile(
    r"^(?:\(|(?:theo|thực hiện|căn cứ|dịp này|nhân dịp|trong|tại|với|để|sau|từ|vừa qua|được"
    r"|hôm|qua|ngoài ra|cùng|nhằm)(?!\p{L}))",
    regex.IGNORECASE,
)


def _over_author_and_post(lines: list[str], date_index: int, rules: PageRules) -> int | None:
    """The headline above an author's name and post, right above the date line, as journals
    print a signed article ("Headline" / "ThS. NGUYỄN THỊ A" / "Phó Trưởng Ban ..." / date).

    >>> rules = PageRules((), (), (), (), frozenset(), (), {}, ("phó trưởng ban",))
    >>> lines = ["Đẩy mạnh công tác dân vận ở vùng cao", "TS. LÊ VĂN AN", "Phó Trưởng Ban Dân vận"]
    >>> _over_author_and_post(lines + ["12/08/2024"], 3, rules)
    0
    """
    if date_index < 3:
        return None
    post, name, head = lines[date_index - 1], lines[date_index - 2], date_index - 3
    if not post.strip().casefold().startswith(rules.signed_positions) or len(post.split()) > 16:
        return None
    if not byline_names(_DEGREES.sub("", name.strip()), rules):
        return None
    return head if _long_title(lines[head], rules) else None


def _headline_below(lines: list[str], date_index: int, rules: PageRules) -> int | None:
    """The line below the date line when it is the headline and what stands above is not: a
    byline right above the date line with a shorter line over it (a section: "Tin Đội - Thiếu
    nhi" / "Bài, ảnh: ..." / date / headline), or a short name (the site's) right above it.

    >>> rules = PageRules((), (), (), (), frozenset(), (), {})
    >>> lines = ["Hội Khuyến học huyện", "27/08/2024", "Trao 150 suất học bổng cho 150 em"]
    >>> _headline_below(lines, 1, rules)
    2
    """
    i = date_index + 1
    if i >= len(lines) or not _long_title(lines[i], rules) or _dated_lead(lines[i]):
        return None
    if (
        lines[i].isupper()
        or not _title_like(lines[i], rules, dated=True)
        or _reads_as_lead(lines[i])
    ):
        return None
    up = date_index - 1
    if up >= 0 and byline_names(lines[up], rules):
        up -= 1
    if up >= 0 and _caps_headline(lines[up]):
        return None  # a headline in capitals above
    words = len(lines[i].split())
    if up < 0 or (words >= 8 and words >= 1.5 * len(lines[up].split())):
        return i
    return None


_DAY_OPENING = regex.compile(r"^(?:sáng|chiều|tối|trưa|đêm|ngày|hôm)(?!\p{L})", regex.IGNORECASE)


def _caps_headline(line: str) -> bool:
    """A headline in capitals: long, not a site's name nor an anniversary's banner.

    >>> _caps_headline("HUYỆN TÂN LẠC TỔ CHỨC HỘI NGHỊ TỔNG KẾT CÔNG TÁC DÂN VẬN")
    True
    >>> _caps_headline("KỶ NIỆM 70 NĂM NGÀY GIẢI PHÓNG THỦ ĐÔ (10/10/1954 - 10/10/2024)")
    False
    """
    return (
        line.isupper()
        and len(line.split()) >= 8
        and not _masthead(line)
        and not _YEARS_ASIDE.search(line.rstrip())
    )


def _reads_as_lead(line: str) -> bool:
    """A line that opens or reports as a lead does: "Thực hiện Kế hoạch ...", "Sáng ngày 20
    tháng 11 ...", "Hội Nông dân huyện vừa tổ chức ..." (a paragraph cut before its full stop).

    >>> _reads_as_lead("Hội Nông dân huyện vừa tổ chức hội nghị tổng kết")
    True
    >>> _reads_as_lead("Trao 150 suất học bổng cho học sinh vượt khó")
    False
    """
    return bool(_LEAD_OPENING.match(line) or _DAY_OPENING.match(line) or _REPORTING.search(line))


def _sentence_headline(lines: list[str], rules: PageRules) -> bool:
    """The first line, one short sentence with its full stop (or an ellipsis) above a
    paragraph, and no date line: a headline as some portals print it, not a lead (a lead
    opens with its day, a preamble's "Thực hiện", "Căn cứ", or says what "vừa" or "đã"
    happened).

    >>> rules = PageRules((), (), (), (), frozenset(), (), {})
    >>> para = "Hội nghị đã đánh giá kết quả năm qua và đề ra nhiệm vụ cho năm tới, " * 2
    >>> _sentence_headline(["Hội đồng thi đua bình xét cuối năm học 2023-2024.", para], rules)
    True
    >>> _sentence_headline(["Huyện vừa tổ chức hội nghị tổng kết năm 2023.", para], rules)
    False
    >>> _sentence_headline(["Thực hiện kế hoạch của Huyện đoàn về công tác năm 2024.", para], rules)
    False
    """
    if len(lines) < 2 or not is_body_line(lines[1]) or _LIST_ITEM.match(lines[0]):
        return False
    first = lines[0].strip()
    longest = 40 if _dated_lead(lines[1]) else 25  # a lead below that opens with its day
    return (
        5 <= len(first.split()) <= longest
        and first.endswith((".", "…"))
        and not first.endswith("..")
        and not _LEAD_OPENING.match(first)
        and not _INNER_SENTENCE_END.search(first)
        and not _DATED_LEAD.match(first)
        and not _REPORTING.search(first)
        and not rules.is_caption(first)
    )


def _over_label(lines: list[str], near: list[int], date_index: int | None, rules: PageRules) -> int:
    """The first headline-like line next to the date line, unless it is a section's short label
    above the date line, a list ("LĐLĐ huyện, thị xã, thành phố"), and a long headline (not a
    lead that opens with its day) follows below it.

    >>> rules = PageRules((), (), (), (), frozenset(), (), {})
    >>> lines = ["LĐLĐ huyện, thị xã", "10/11/2022", "Huyện khai mạc giải bóng đá năm 2022"]
    >>> _over_label(lines, [0, 2], 1, rules)
    2
    """
    first = near[0]
    below = [i for i in near if date_index is not None and i > date_index]
    below = [i for i in below if not _DATED_LEAD.match(lines[i])]
    label = "," in lines[first] and len(lines[first].split()) <= 8  # "LĐLĐ huyện, thị xã"
    if date_index is not None and first < date_index and label:
        longer = [i for i in below if len(lines[i].split()) >= 2 * len(lines[first].split())]
        if longer and _long_title(lines[longer[0]], rules):
            return longer[0]
    return first


#: An anniversary's span in brackets at the end of a headline: "(1930 - 2025)", "(20/10/1930 -
#: 20/10/2025)".
_YEARS_ASIDE = regex.compile(r"\((?:\d{1,2}/\d{1,2}/)?\d{4}\s*-\s*(?:\d{1,2}/\d{1,2}/)?\d{4}\)$")


def _long_first_line(lines: list[str]) -> bool:
    """The first line is a long headline (up to 45 words, no sentence end, no comma, colon or
    closing aside at its end, as a caption has) above a paragraph that opens with a capital.

    >>> _long_first_line(["Sáng 21/12 Đảng ủy xã tổ chức học tập nghị quyết", "Hội nghị đã ..."])
    True
    >>> _long_first_line(["Xã có 17 thanh niên nhập ngũ (trong đó 15 tham gia ...)", "Ông A ..."])
    False
    >>> _long_first_line(["Tỉnh ký biên bản ghi nhớ với thành phố Kazanlak", "(laichau.gov.vn)"])
    True

    An anniversary's span in brackets may close it, as no caption's aside does:

    >>> _long_first_line(["Kỷ niệm 95 năm thành lập Hội (20/10/1930 - 20/10/2025)", "Sáng ..."])
    True
    >>> _long_first_line([])
    False
    """
    if not lines:
        return False
    first, after = lines[0].rstrip(), lines[1].lstrip() if len(lines) > 1 else ""
    aside = first.endswith(")") and not _YEARS_ASIDE.search(first)
    return (
        len(first.split()) <= 45
        and not ends_sentence(first)
        and not first.endswith((",", ";", ":", "-"))
        and not aside
        and (after[:1].isupper() or bool(_SOURCE_ASIDE.fullmatch(after)))
    )


def _above_date_line(lines: list[str], i: int, rules: PageRules) -> bool:
    """The next line is a date line: the line is read as a headline is, next to its date."""
    return i + 1 < len(lines) and _usable_date_line(lines[i + 1], rules) is not None


def _worded(lines: list[str], start: int) -> list[int]:
    """Indices of the lines from `start` on that hold letters (not dots or digits only)."""
    return [i for i in range(start, len(lines)) if any(c.isalpha() for c in lines[i])]


def _tail_byline(
    lines: list[str], start: int, rules: PageRules
) -> tuple[int, list[str], int | None] | None:
    """A byline among the last three lines with letters (lines of dots after it are skipped),
    else a labelled one a little higher (`_labelled_byline`): the line, its names and where in
    the line it starts when text comes before it."""
    worded = _worded(lines, start)
    for i in reversed(worded[-3:]):
        names = byline_names(lines[i], rules, signed=True)
        if names:
            return i, names, None
        at, names = bracketed_byline(lines[i], rules, last=i == worded[-1])
        if names:
            return i, names, at
        if is_body_line(lines[i]):
            return None
    return _labelled_byline(lines, worded, rules) or _byline_after_text(lines, worded, rules)


def _byline_after_text(
    lines: list[str], worded: list[int], rules: PageRules
) -> tuple[int, list[str], int | None] | None:
    """A name alone on the line right after the text's last paragraph, whatever a portal put
    below it (an app's banner, a player's notice, a list's heading): the writer's signature.

    >>> from pipeline.ruleset.page import load_page_rules
    >>> from pipeline.config import BUILTIN_RULES
    >>> rules = load_page_rules((BUILTIN_RULES,))
    >>> text = "Sáng 5/6, xã An Phú tổ chức lễ ra quân làm sạch bờ biển với nhiều đoàn viên."
    >>> lines = [text, "Quang Vinh", "Tải ứng dụng: App Store | Google Play"]
    >>> _byline_after_text(lines, [0, 1, 2], rules)
    (1, ['Quang Vinh'], None)
    """
    last = next((k for k in reversed(range(len(worded))) if is_body_line(lines[worded[k]])), None)
    if last is None or last + 1 >= len(worded):
        return None
    i = worded[last + 1]
    names = byline_names(lines[i], rules, signed=True)
    return (i, names, None) if names else None


#: How many of the last lines a labelled byline ("Tác giả: ...") may stand above: a portal's
#: footer of links ("Cục Kiểm lâm", "UBND tỉnh ...") often follows it.
_LABELLED_BYLINE_REACH = 12


def _labelled_byline(
    lines: list[str], worded: list[int], rules: PageRules
) -> tuple[int, list[str], int | None] | None:
    """A byline led by one of the page rules' lead-ins and its colon ("Tác giả: Mai Văn Ba,
    Hạt Kiểm lâm huyện") below the text's last paragraph, however many link lines follow it
    (`worded`: the indices of the lines with letters)."""
    for i in reversed(worded[-_LABELLED_BYLINE_REACH:]):
        if is_body_line(lines[i]):
            return None
        line = lines[i].strip()
        rest, led = _strip_lead_in(line, rules)
        if led and ":" in line[: len(line) - len(rest)] and (names := byline_names(line, rules)):
            return i, names, None
    return None


# A name in brackets alone on a line, or after the text's last sentence: "(Đàm Hiền)",
# "... nhiệm kỳ 2020 - 2025. (Hà Nguyên)" (not a place after a name: "Bùi Sỹ Căn (Hải Phòng)").
_BRACKETED_NAME = r"\(\s*([^()\d]{2,40}?)\s*\)\s*$"
_BRACKETED = regex.compile(r"(?:^\s*|(?<=[.!?…]\s*))" + _BRACKETED_NAME)
# On the text's very last line the sentence may end with no stop: "... khó khăn (Phi Hồng)".
_BRACKETED_LAST = regex.compile(r"(?:^\s*|(?<=[.!?…]\s*|(?<!\S)\p{Ll}+\s*))" + _BRACKETED_NAME)


def bracketed_byline(
    line: str, rules: PageRules, last: bool = False
) -> tuple[int | None, list[str]]:
    """Where a byline in brackets starts on the line (None: the whole line) and its names;
    on the text's `last` line, after a word in lower case too (not after a name: a place).

    >>> rules = PageRules((), (), (), (), frozenset(), (), {})
    >>> bracketed_byline("Hội nghị đã bế mạc. (Thu Hà)", rules)
    (20, ['Thu Hà'])
    >>> bracketed_byline("tác giả: Bùi Sỹ Căn (Hải Phòng)", rules)
    (None, [])
    >>> bracketed_byline("giúp đỡ người khó khăn (Thu Hà)", rules, last=True)
    (23, ['Thu Hà'])
    >>> bracketed_byline("của tác giả Trần Văn Hùng (Quảng Nam)", rules, last=True)  # a place
    (None, [])
    """
    m = (_BRACKETED_LAST if last else _BRACKETED).search(line)
    if m is None:
        return None, []
    return (m.start() if m.start() else None), byline_names(m.group(1), rules, signed=True)


def _tail_credit(lines: list[str], start: int, rules: PageRules) -> int | None:
    """The last line with letters when it is a body signing the text: short, no sentence,
    opened by one of `byline.signing_bodies` ("Đài Truyền thanh huyện", "Hội LHPN xã")."""
    worded = _worded(lines, start)
    if not worded:
        return None
    line = lines[worded[-1]].strip()
    low = line.removeprefix("(").removesuffix(")").strip().casefold()  # "(Đài TT huyện)"
    if len(line.split()) > 10 or ends_sentence(line):
        return None
    body = next((b for b in rules.signing_bodies if low == b or low.startswith(b + " ")), None)
    if body is None:
        return None
    named = not (set(low.split()) & _CLAUSE_WORDS)  # a name, not "Ban Tổ chức trao giải cho"
    return worded[-1] if named else None


def _date_line(lines: list[str], body: int, rules: PageRules) -> tuple[int, DateLine] | None:
    """The date line in the header (up to just after the first paragraph), else a labelled
    one ("Ngày đăng: ...") among the last lines; never a date inside a paragraph."""
    found = _find_date_line(lines, body, rules)
    if found is not None:
        return found
    for i in range(max(0, len(lines) - 4), len(lines)):
        parsed = _usable_date_line(lines[i], rules)
        if parsed and (
            _PUBLISH_LABEL.match(lines[i]) or date_line_authors(lines[i], rules, parsed)
        ):
            return i, parsed
    return None


def _top_byline(
    lines: list[str], start: int, stop: int, rules: PageRules
) -> tuple[int, list[str]] | None:
    """A line of names only between the title and the first paragraphs: "Bài và ảnh: Lê Hòa",
    "TRẦN LONG", "Hương Giang/VOV-Tây Bắc"."""
    for i in range(start, min(stop, len(lines))):
        if names := byline_names(lines[i], rules):
            return i, names
    return None


def read_header(lines: list[str], rules: PageRules) -> Header:
    """Find the title, the date line, the bylines and a body's credit among a page's lines."""
    body = next((i for i, line in enumerate(lines) if _starts_prose(lines, i, rules)), len(lines))
    header = _title_date_byline(lines, body, rules)
    if body < len(lines):
        credit = _tail_credit(lines, body + 1, rules)
        header.credit_index = credit if credit != header.byline_index else None
    return header


def _title_date_byline(lines: list[str], body: int, rules: PageRules) -> Header:
    header = Header()
    found = _date_line(lines, body, rules)
    if found:
        header.date_index, dl = found
        header.published = dl.published
        header.provenance["published"] = "date-line"
        if names := date_line_authors(lines[header.date_index], rules, dl):
            header.authors, header.byline_index = names, header.date_index
            header.provenance["authors"] = "date-line"
    header.title_index = _pick_title(lines, header.date_index, body, rules)
    if header.authors:
        return header
    start = (header.title_index or 0) + 1
    top = _top_byline(lines, start, body + 2, rules)
    dated, titled = header.date_index, header.title_index
    if not top and dated is not None and titled is not None and 0 < dated < titled:
        top = _top_byline(lines, dated - 1, dated, rules)  # over the date line, the headline under
    if top:
        header.byline_index, header.authors = top
        header.provenance["authors"] = "byline-top"
    elif tail := _tail_byline(lines, max(body, 1), rules):
        header.byline_index, header.authors, header.byline_at = tail
        header.provenance["authors"] = "byline-end"
    return header


def iso_datetime(value: str | None) -> str | None:
    """Normalize a machine-readable timestamp from a page to ISO 8601, keeping its precision.

    >>> iso_datetime("2026-03-07T08:01:00+07:00"), iso_datetime("2024-01-05")
    ('2026-03-07T08:01:00+07:00', '2024-01-05')
    >>> iso_datetime("2023-12-06T10:28:00Z")
    '2023-12-06T10:28:00+00:00'
    """
    if not value:
        return None
    value = value.strip()
    if regex.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        parsed = parse_date_line(value)
        return parsed.published if parsed else None
