"""Drop page furniture (menus, share buttons, counters, related news, footers) line by line.

The patterns are data (`rules/page.yaml`); this module only applies them. Nothing is dropped
without a reason: the caller gets every dropped line with the id of what dropped it.
"""

from __future__ import annotations

import regex

from pipeline.ruleset.page import SUFFIX_CHARS, LineRule, PageRules

#: Characters that mark a list's items (besides a dash or a plus).
BULLETS = "•·▪►▸»›*●◦■✓✔"
_BULLET = regex.compile(rf"^[\s{BULLETS}+\-–—]+")
_SENTENCE_END = regex.compile(r"[.!?…:;][\"')\]]*$")


def line_key(line: str) -> str:
    """The form of a line the patterns see: bullets and outer blanks removed.

    >>> line_key("  • Hôm nay: 1 ")
    'Hôm nay: 1'
    """
    return _BULLET.sub("", line).strip()


def matching_rule(line: str, rules: PageRules, before_body: bool = False) -> LineRule | None:
    """The first furniture rule matching the whole line, if any (`before_body`: the line is
    above the first paragraph, where rules marked `after_body` do not apply)."""
    key = line_key(line) or line.strip()  # a line of bullets only is seen as it is
    if not key:
        return None
    for rule in rules.line_rules:  # markers first (see ruleset/page.py)
        if before_body and rule.after_body:
            continue
        if rule.kind not in ("prefix", "suffix") and rule.pattern.fullmatch(key):
            return rule
    return None


def cut_prefix(line: str, rules: PageRules) -> tuple[str, LineRule] | None:
    """The furniture a line starts with ("date 2019-07 " of a stored page) and its rule.

    >>> from pipeline.ruleset.page import LineRule
    >>> rule = LineRule("p", "prefix", "store", regex.compile(r"date \\d{4}\\s+"), (), ())
    >>> cut_prefix("date 2019 Tin", PageRules((rule,), (), (), (), frozenset(), (), {}))[0]
    'date 2019 '
    """
    for rule in rules.line_rules:
        if rule.kind == "prefix" and (m := rule.pattern.match(line)) and m.end() < len(line):
            return m.group(), rule
    return None


def cut_suffix(line: str, rules: PageRules) -> tuple[str, LineRule] | None:
    """The furniture a line ends with (a photo credit after its caption) and its rule."""
    tail = max(0, len(line) - SUFFIX_CHARS)
    for rule in rules.line_rules:
        if rule.kind == "suffix" and (m := rule.pattern.search(line, tail)) and m.start() > 0:
            return m.group(), rule
    return None


def _cut_ends(line: str, rules: PageRules) -> tuple[str, list[tuple[str, str | None]]]:
    """The line without the furniture at its ends, and what was cut, with its reason."""
    cuts: list[tuple[str, str | None]] = []
    if cut := cut_prefix(line, rules):
        cuts.append((cut[0].strip(), cut[1].reason))
        line = line[len(cut[0]) :]
    if cut := cut_suffix(line, rules):
        cuts.append((cut[0].strip(), cut[1].reason))
        line = line[: len(line) - len(cut[0])]
    return line, cuts


_GAP = regex.compile(r"\s{2,}|\t")
_DATE_ITEM = regex.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}(?!\d)")


def is_spaced_menu(raw_line: str) -> bool:
    """A raw (not yet normalized) line of four or more short items separated by runs of blanks,
    as menus come out of a page dump. Normalization collapses the blanks, so ask first.

    >>> is_spaced_menu("Chính trị  Xã luận  Kinh tế  Văn hóa  Xã hội")
    True
    >>> is_spaced_menu("Sau 5  năm, toàn huyện  đã có 120 mô hình  dân vận khéo được công nhận")
    False

    A line that holds the page's date is its date line, not a menu (see spaced_date_items).

    >>> is_spaced_menu("22/01/2018    Lượt xem: 116    In bài viết   Độ tương phản")
    False
    """
    items = [x for x in _GAP.split(raw_line.strip()) if x]
    if any(_DATE_ITEM.search(x) for x in items):
        return False
    return len(items) >= 4 and all(_words(x) <= 4 and not ends_sentence(x) for x in items)


def spaced_date_items(raw_line: str) -> list[str]:
    """The items of a raw line of short items separated by runs of blanks, one of them a date:
    a date line with its counter and toolbar, each read as a line of its own (so that the
    furniture goes and the date stays). Empty for any other line.

    >>> spaced_date_items("22/01/2018    Lượt xem: 116    In bài viết   Độ tương phản")
    ['22/01/2018', 'Lượt xem: 116', 'In bài viết', 'Độ tương phản']
    >>> spaced_date_items("Ngày 22/01/2018  huyện tổ chức hội nghị")
    []
    """
    items = [x for x in _GAP.split(raw_line.strip()) if any(c.isalnum() for c in x)]
    if len(items) < 3 or not any(_DATE_ITEM.search(x) for x in items):
        return []
    return items if all(_words(x) <= 6 and not ends_sentence(x) for x in items) else []


def ends_sentence(text: str) -> bool:
    """The text ends as a sentence or clause does (closing quotes and brackets aside).

    >>> ends_sentence('Hội nghị đã thông qua nghị quyết."'), ends_sentence("Đài TT-TH huyện")
    (True, False)
    """
    return bool(_SENTENCE_END.search(text.rstrip()))


def _words(text: str) -> int:
    """Words with letters in them ("-" and "|" do not count)."""
    return sum(1 for w in text.split() if any(c.isalpha() for c in w))


def is_body_line(line: str) -> bool:
    """A paragraph of running text, as opposed to a headline, label or caption.

    >>> is_body_line("Chiều 30/6, Ban Dân vận Tỉnh ủy tổ chức hội nghị sơ kết công tác dân vận.")
    True
    >>> is_body_line("Sơ kết công tác dân vận 6 tháng đầu năm 2022")
    False
    """
    words = _words(line)
    return words >= 30 or (words >= 8 and ends_sentence(line))


def filter_lines(lines: list[str], rules: PageRules) -> list[tuple[str, str | None]]:
    """Pair each non-blank line with the reason it is dropped, or None when it is kept.

    An end marker drops itself and everything after it; a block marker drops itself and the
    short headline lines after it, up to the next paragraph of running text. An end marker
    before the first paragraph (in the page's menus, where "Tin mới" is a link) drops only
    itself: the article after it is kept.
    """
    out: list[tuple[str, str | None]] = []
    ended: str | None = None
    in_block: str | None = None
    body_seen = False
    # the page's first kept line read as a paragraph, if short, may be a headline ending in a
    # full stop: the line right after it (its date, "(11/12/2020 15:33)") is still above the body
    under_first = False
    for line in lines:
        if not line.strip():
            continue
        if not ended:
            line, cuts = _cut_ends(line, rules)
            out.extend(cuts)
        if ended:
            out.append((line, ended))
            continue
        before, under_first = not body_seen or under_first, False  # (one line only)
        rule = matching_rule(line, rules, before_body=before)
        if rule is not None and rule.kind == "end" and not body_seen:
            out.append((line, rule.reason))
            continue
        if rule is not None and rule.kind == "end":
            ended = f"{rule.reason}"
            out.append((line, ended))
            continue
        if rule is not None and rule.kind == "block":
            in_block = rule.reason
            out.append((line, in_block))
            continue
        first = not body_seen and not any(reason is None for _, reason in out)  # (runs only
        # above the first paragraph, and stops at the first kept line)
        body_seen = body_seen or (rule is None and is_body_line(line))
        under_first = first and body_seen and _words(line) < 25  # (a headline's length)
        if in_block and rule is None and not is_body_line(line):
            out.append((line, in_block))
            continue
        in_block = None
        if rule is None and "|" in line:
            out.extend(split_furniture(line, rules))
        else:
            out.append((line, rule.reason if rule else None))
    return _top_menu(out)


def _menu_item(line: str) -> bool:
    return len(line.split()) <= 4 and not regex.search(r"[\d.!?:,;]", line)


def _top_menu(out: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """The page's first lines, when they are short items and two or more are menu words
    ("TRANG CHỦ", "TIN TỨC"), are its menu: the site's own sections among them go too
    ("CÔNG TÁC HỘI", "THƯ VIỆN").

    >>> head = [("TRANG CHỦ", "menu"), ("TIN TỨC", "menu"), ("THƯ VIỆN", None)]
    >>> _top_menu(head + [("Sáng 5/6, Hội tổ chức hội nghị.", None)])[2]
    ('THƯ VIỆN', 'menu')
    """
    end = 0
    while end < len(out) and _menu_item(out[end][0]):
        end += 1
    if end < 3 or sum(reason == "menu" for _, reason in out[:end]) < 2:
        return out
    return [(line, reason or "menu") for line, reason in out[:end]] + out[end:]


_EMPTY_CELLS = frozenset({"-", "–", "—"})


def split_furniture(line: str, rules: PageRules) -> list[tuple[str, str | None]]:
    """Drop the furniture parts of a "|"-separated line, keep the rest as one line.

    "Đăng ngày 2/1/2024 10:12 | Lượt xem: 356" keeps the date and drops the counter; a dash
    alone is a table's empty cell ("Giấy khen | - | 14"), no ruler.
    """
    parts = [p.strip() for p in line.split("|")]
    verdicts = [
        (p, r.reason if (r := matching_rule(p, rules)) and r.kind == "line" else None)
        if p not in _EMPTY_CELLS
        else (p, None)
        for p in parts
        if p
    ]
    kept = " | ".join(p for p, reason in verdicts if reason is None)
    out: list[tuple[str, str | None]] = [(kept, None)] if kept else []
    return out + [(p, reason) for p, reason in verdicts if reason is not None]


_OPEN_END = regex.compile(r"[\p{L}\d,]$")
_GOES_ON = regex.compile(r"^\p{Ll}(?!\))")
# A line that ends on a word no sentence ends with ("cho", "của", "hơn"): what follows goes
# on with it, a number or a name too ("... Lễ kết nạp Đội viên cho" + "324 học sinh khối 3").
_OPEN_WORD = regex.compile(r"(?<!\S)(?:cho|và|với|của|gồm|khoảng|các|những|cùng)$")
_GOES_ON_ANY = regex.compile(r"^[\p{L}\d]")
# A line that ends on a post right after a name's dash or comma ("Nguyễn Văn A - Chủ tịch" +
# "HĐQT Công ty ..."), the next line opening with the post's body (a capitals' abbreviation or
# a body's head): they are one line. ("Ban Bí thư" ends a line well, and a list of officials,
# one a line, or numbered, stays a list.)
_OPEN_POST = regex.compile(
    r"[-–,]\s*(?:[Pp]hó\s+)?(?:[Cc]hủ tịch|[Bb]í thư|[Gg]iám đốc|Tổng [Gg]iám đốc)$"
)
_BODY_START = regex.compile(
    r"^(?:\p{Lu}{2,}(?!\p{Ll})|(?:Công ty|Tập đoàn|Tổng công ty|Thường trực|Ủy ban|Hội đồng)"
    r"(?!\p{L}))"
)
# A date line alone, in lower case ("ngày 20/08/2019", "bởi quản trị viên | Date: 24-12-2019"):
# the page's date, not the headline's end.
_DATE_ALONE = regex.compile(
    r"^(?:(?:ngày|cập nhật|đăng)(?:\s+(?:ngày|lúc))?"
    r"|(?:đăng\s+)?bởi\s+[^|\n]{1,30}?\s*\|\s*(?:(?i:date)|ngày(?:\s+đăng)?)?)"
    rf"\s*:?\s*{_DATE_ITEM.pattern}"
    r"(?:[\s,|-]+\d{1,2}:\d{2}(?::\d{2})?)?\s*$"
)


# A page a crawler cut at a fixed width (a portal's text kept as its editor's lines of about
# 80 characters): a line of that width that ends on a comma goes on in the next, whatever its
# case ("... đồng chí Nguyễn Thị Hồng Cẩm," + "Bí thư Đảng ủy, ..."); lower case goes on
# anywhere (join_hard_breaks), and a line of that width ending on a word may be a headline.
_WRAP_WIDTH = (70, 90)
# What starts a line of its own even after a comma: a date or a time, a list item ("1. ...",
# "a) ..."), who posted the page ("Đăng bởi Admin | 12/03/2023").
_STARTS_OWN = regex.compile(
    rf"^\s*(?:\(?\s*(?:{_DATE_ITEM.pattern}|\d{{1,2}}:\d{{2}})|[\d\p{{L}}]{{1,3}}[.)]\s"
    r"|(?i:đăng bởi|bởi|người đăng)(?!\p{L}))"
)


def _wrapped(lines: list[str]) -> bool:
    """Most long lines of the page are cut at one width (70 to 90 characters, ending no
    sentence), four or more.

    >>> _wrapped(["x" * 78 + " a"] * 4 + ["Tin liên quan"])
    True
    >>> _wrapped(["x" * 78 + " a", "y" * 300, "z" * 250])
    False
    """
    long = [x.rstrip() for x in lines if len(x.rstrip()) >= 60]
    cut = [x for x in long if _WRAP_WIDTH[0] <= len(x) <= _WRAP_WIDTH[1] and x[-1] not in ".!?"]
    return len(cut) >= 4 and 2 * len(cut) > len(long)


def _cut_at_width(before: str, line: str) -> bool:
    """`before` is a line of the page's width that ends on a comma, and `line` goes on with
    a word or a number (not a date line, a list item or who posted the page)."""
    width = len(before.rstrip())
    return (
        _WRAP_WIDTH[0] <= width <= _WRAP_WIDTH[1]
        and before.rstrip().endswith(",")
        and bool(_GOES_ON_ANY.match(line))
        and not _STARTS_OWN.match(line)
    )


_WORD_PAGE_MIN = 40  # lines: a page shorter than this is never read as one word a line
# Abbreviations a full stop ends that end no sentence ("TP. Hồ Chí Minh", "ThS. Lê An").
_NOT_AN_END = frozenset({"tp.", "tx.", "tt.", "q.", "p.", "ts.", "ths.", "pgs.", "gs.", "bs."})


def rejoin_word_lines(lines: list[str]) -> list[str]:
    """A page a crawler kept one word a line (nine lines in ten or more hold one word, most of
    them with letters, forty lines or more): its words joined again, a line ending after a
    sentence's last word and after a headline in capitals; a line of several words stays a line
    of its own. Any other page as it is (a word alone there is a menu's item, a label or a
    table's cell).

    >>> words = "TRƯỜNG SỐ 1 KHAI GIẢNG Sáng nay, TP. Huế khai giảng. Có 441 em dự.".split()
    >>> page = rejoin_word_lines(["Tin tổng hợp Phan Mai", *(words * 4)])
    >>> page[:2]
    ['Tin tổng hợp Phan Mai', 'TRƯỜNG SỐ 1 KHAI GIẢNG']
    >>> page[2:4]
    ['Sáng nay, TP. Huế khai giảng.', 'Có 441 em dự.']
    >>> rejoin_word_lines(["Trang chủ", "Tin tức"] * 30)[:2], len(rejoin_word_lines(["12"] * 50))
    (['Trang chủ', 'Tin tức'], 50)
    """
    kept = [x.strip() for x in lines if x.strip()]
    single = [x for x in kept if len(x.split()) == 1]
    words = sum(1 for x in single if any(c.isalpha() for c in x))
    if len(kept) < _WORD_PAGE_MIN or 10 * len(single) < 9 * len(kept) or 2 * words < len(single):
        return lines
    out: list[str] = []
    run: list[str] = []
    capitals, lower = 0, False  # in the run so far: words in capitals, any in lower case

    def flush() -> None:
        nonlocal run, capitals, lower
        if run:
            out.append(" ".join(run))
        run, capitals, lower = [], 0, False

    for word in kept:
        if len(word.split()) > 1:  # a line of its own: a byline, a date line, a caption
            flush()
            out.append(word)
            continue
        if run and capitals >= 3 and not lower and _lower(word):
            flush()  # the headline in capitals ends here
        run.append(word)
        capitals, lower = capitals + word.isupper(), lower or _lower(word)
        if ends_sentence(word) and word.casefold() not in _NOT_AN_END:
            flush()
    flush()
    return out


def _lower(word: str) -> bool:
    return any(c.islower() for c in word)


def join_hard_breaks(lines: list[str]) -> tuple[list[str], int]:
    """Lines a crawler cut inside a sentence, joined again: a line that ends with a letter,
    digit or comma and a next one that goes on in lower case ("... trên 100 đại" + "biểu tham
    dự"), or in any case after a word no sentence ends with. A list item ("a) ...") and a
    date line stay lines. Returns the lines and how many were joined.

    >>> join_hard_breaks(["Hội nghị có trên 100 đại", "biểu tham dự.", "Tin liên quan"])
    (['Hội nghị có trên 100 đại biểu tham dự.', 'Tin liên quan'], 1)
    >>> join_hard_breaks(["Các nội dung:", "a) tuyên truyền", "b) vận động"])[1]
    0
    >>> join_hard_breaks(["Hội diễn nghệ thuật quần chúng ở Nghi Xuân", "ngày 20/08/2019"])[1]
    0
    >>> join_hard_breaks(["Sinh viên tham gia khóa học", "bởi quản trị viên | Date: 24-12-2019"])[1]
    0

    After a word that ends no sentence, a number or a capital goes on too:

    >>> join_hard_breaks(["Liên đội tổ chức Lễ kết nạp Đội viên cho", "324 học sinh khối 3."])[1]
    1

    So does a post's body after the post ("ông Lê Văn A - Chủ tịch" + "HĐQT Công ty B"):

    >>> join_hard_breaks(["Dự có ông Lê Văn A - Chủ tịch", "HĐQT Công ty B."])[1]
    1
    >>> join_hard_breaks(["Dự có ông Lê Văn A – Phó chủ tịch", "HĐND xã; ông Lê Văn B."])[1]
    1
    >>> join_hard_breaks(["Thực hiện Chỉ thị 40 của Ban Bí thư", "Hưởng ứng cuộc thi"])[1]
    0
    >>> join_hard_breaks(["Ông Nguyễn Văn An - Chủ tịch", "Ông Lê Văn Bình - Phó Chủ tịch"])[1]
    0
    >>> join_hard_breaks(["Huyện Tân Phú có tân Phó Chủ tịch", "Chiều 5/6, HĐND huyện họp."])[1]
    0

    On a page cut at one width, a line of that width ending on a comma goes on, a capital too:

    >>> cut = "Buổi lễ có các đồng chí trong Ban Thường vụ Đảng ủy và đồng chí Lê Văn An,"
    >>> body = ["Tin tức", cut, "Bí thư Đảng ủy xã.", *["x" * 76 + " a b"] * 4]
    >>> join_hard_breaks(body)[0][1]
    'Buổi lễ có các đồng chí trong Ban Thường vụ Đảng ủy và đồng chí Lê Văn An, Bí thư Đảng ủy xã.'
    """
    out: list[str] = []
    joined = 0
    wrapped = _wrapped(lines)
    for i, line in enumerate(lines):
        if (
            out
            and _OPEN_END.search(out[-1])
            and (
                _GOES_ON.match(line)
                or _goes_on_after(out[-1], line)
                or (wrapped and _cut_at_width(lines[i - 1], line))  # (the line as cut)
            )
            and not _DATE_ALONE.match(line)
        ):
            out[-1] = f"{out[-1]} {line}"
            joined += 1
        else:
            out.append(line)
    return out, joined


def _goes_on_after(before: str, line: str) -> bool:
    """`line` goes on with the line `before` that ends on a word no sentence ends with, or on
    a post whose body `line` opens with."""
    if _OPEN_WORD.search(before):
        return bool(_GOES_ON_ANY.match(line))
    return bool(_OPEN_POST.search(before) and _BODY_START.match(line))


# A lead opening with its day, its outlet's code before it maybe: "ĐNO - Tối 16/8, ...",
# "PV Ngày 31 tháng 12 năm 2015, ...", "Sáng 7/10, ...".
_GLUED_LEAD = regex.compile(
    r"(?<=\s)(?:\p{Lu}{2,8}(?:\s*[-–]\s*|\s+))?(?:(?:Sáng|Chiều|Tối|Trưa|Đêm|Vào)\s+(?:ngày\s+)?"
    r"|Ngày\s+)\d{1,2}(?:\s*[/.-]\s*\d{1,2}|\s+tháng\s+\d{1,2})"
)


# A date line with its view counter, glued to the headline: "24/10/2024 | lượt xem: 11 ".
# (Days and times read with the date item above: one grammar for the day in this module.)
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
# Morning or afternoon after a time ("4:11:00 CH", "8:20 SA"): the time's, not a lead's capital.
_AM_PM = r"(?>(?:\s*(?i:sa|ch|am|pm)(?!\p{L}))?)"  # atomic: never given back
_GLUED_DATE_LINE = regex.compile(
    rf"{_DATE_ITEM.pattern}(?:\s*[-–,]?\s*{_TIME})?\s*\|?\s*"
    r"(?i:(?:số\s+)?lượt\s+(?:xem|đọc))\s*:?\s*\d+(?=\s+\p{Lu})"
)

#: The label a date line opens with ("Ngày đăng:", "Đã đăng vào", "Cập nhật lúc", "Post date"),
#: also read by pagemeta.parse_date_line as words a date line may carry.
DATE_LABEL = (
    r"(?i:ngày cập nhật|đã đăng vào|đăng vào|đăng lúc|đăng ngày|ngày đăng(?: bài| tin)?"
    r"|cập nhật vào ngày|cập nhật lúc|cập nhật|ngày viết|ngày xuất bản|post(?:ed)? date|posted on"
    r"|publish(?:ed)? date)"
)
# That label before the date line's date, with who posted the page before it, no date before
# it (the line's first date is the one read): "Người đăng: Admin Ngày đăng: 8:31 | 19/11/2025".
# A label ending in "ngày" without a colon keeps it ("Đăng ngày 28 - 08 - 2015"): the date
# rules read the day by it; not before a date in brackets ("Cập nhật vào ngày (05/09/2017)").
_DATE_LINE_LABEL = regex.compile(
    rf"^[^\d\n]{{0,80}}?(?<!\p{{L}})(?:{DATE_LABEL}\s*:\s*|{DATE_LABEL}(?<!ngày)\s+)(?=\d)"
    rf"|^[^\d\n]{{0,80}}?(?<!\p{{L}}){DATE_LABEL}\s*:?\s*(?=\(\d)"
    r"|^[^\d\n]{0,80}?(?<!\p{L})đăng\s+(?=ngày\s+\d)"
    r"|^(?:submitted|posted)\s+by\s+[^\d\n]{1,60}?\s+on\s+(?:\p{L}+,?\s+)?(?=\d)",  # in English
    regex.IGNORECASE,
)


def date_line_label(line: str) -> int:
    """Where a date line's date starts when a label (and a poster) comes before it, else 0.

    >>> line = "Người đăng: Admin Ngày đăng: 8:31 | 19/11/2025"
    >>> line[date_line_label(line):]
    '8:31 | 19/11/2025'
    >>> line = "Đăng ngày 28 - 08 - 2015"
    >>> line[date_line_label(line):]
    'ngày 28 - 08 - 2015'
    >>> line = "Đăng ngày: 31/05/2018"
    >>> line[date_line_label(line):]
    '31/05/2018'
    >>> date_line_label("Thứ hai, 12/05/2023 09:30")
    0
    >>> line = "[ Cập nhật vào ngày (05/06/2018) ]"
    >>> line[date_line_label(line):]
    '(05/06/2018) ]'
    >>> [x[date_line_label(x) :] for x in ("Submitted by Ban biên tập on 6 August 2021",
    ...  "Submitted by admin on Fri, 08/06/2021 - 10:30")]
    ['6 August 2021', '08/06/2021 - 10:30']
    """
    found = _DATE_LINE_LABEL.match(line)
    return found.end() if found else 0


# A date line's label, day and time with the lead run onto it: "Đã đăng vào 13/08/2020 lúc
# 8:39Sáng 12/8, ...".
_LEADING_DATE_LINE = regex.compile(
    rf"{DATE_LABEL}\s*:?\s*{_DATE_ITEM.pattern}(?:\s*(?i:lúc|-|,)?\s*{_TIME}{_AM_PM})?"
    r"(?=\s*\p{Lu})"
)

# The time and day in brackets after a headline: "(17:24 18/09/2024)", "(18/09/2024 17:24)".
_STAMP = rf"\((?:{_TIME}\s+{_DATE_ITEM.pattern}|{_DATE_ITEM.pattern}\s+{_TIME})\)"
_BRACKETED_STAMP = regex.compile(rf"{_STAMP}\s*$")
# The same stamp opening the lead it was printed over: "(00:28:00 20/06/2016) Sáng ngày ...".
_LEADING_STAMP = regex.compile(rf"^{_STAMP}(?=\s*\p{{Lu}})")

# A date line's label and day run onto the end of the headline: "... Ngày cập nhật 06/05/2024".
_TRAILING_DATE_LINE = regex.compile(
    rf"\s{DATE_LABEL}\s*:?\s*{_DATE_ITEM.pattern}"
    rf"(?:\s+{_TIME})?[\s|]*$"  # (a template's bars after it: "... 14/11/2022 | |")
)


def split_glued_head(line: str, lead: bool = True) -> list[str]:
    """A headline and the lead a crawler kept on one line, split where the lead opens with
    its day; a line that is a paragraph already (a sentence end before it) stays whole. A
    date line with its view counter before the headline goes on a line of its own.

    >>> lead = "PV Ngày 31 tháng 12 năm 2015, tỉnh X đã tổ chức Đại hội. " + "Đại biểu dự. " * 20
    >>> split_glued_head("Thành lập Hội hỗ trợ gia đình liệt sĩ tỉnh X " + lead)[0]
    'Thành lập Hội hỗ trợ gia đình liệt sĩ tỉnh X'
    >>> split_glued_head("02/3/2024 | Lượt xem: 57 Hội thi cắm hoa của phụ nữ xã")
    ['02/3/2024 | Lượt xem: 57', 'Hội thi cắm hoa của phụ nữ xã']
    >>> split_glued_head("Đã đăng vào 13/08/2020 lúc 8:39Sáng 12/8, Hội khai mạc đại hội.")
    ['Đã đăng vào 13/08/2020 lúc 8:39', 'Sáng 12/8, Hội khai mạc đại hội.']

    So does the time and day in brackets some portals print after the headline:

    >>> split_glued_head("Phường tuyên dương người tốt việc tốt (09:15 05/10/2024)")
    ['Phường tuyên dương người tốt việc tốt', '(09:15 05/10/2024)']
    >>> split_glued_head("(07:30:00 12/03/2019) Sáng 12/3, xã tổ chức hội nghị.")
    ['(07:30:00 12/03/2019)', 'Sáng 12/3, xã tổ chức hội nghị.']
    >>> split_glued_head("THĂM ĐỒNG RUỘNG VỤ ĐÔNG XUÂN NĂM NAY Ngày cập nhật 06/05/2024")
    ['THĂM ĐỒNG RUỘNG VỤ ĐÔNG XUÂN NĂM NAY', 'Ngày cập nhật 06/05/2024']
    >>> split_glued_head("Tổ dân phố tổ chức ngày hội Ngày cập nhật 14/11/2022 | |")
    ['Tổ dân phố tổ chức ngày hội', 'Ngày cập nhật 14/11/2022 | |']
    """
    if dated := (
        _GLUED_DATE_LINE.match(line) or _LEADING_DATE_LINE.match(line) or _LEADING_STAMP.match(line)
    ):
        return [dated.group(), *split_glued_head(line[dated.end() :].lstrip(), lead)]
    stamp = _BRACKETED_STAMP.search(line) or _TRAILING_DATE_LINE.search(line)
    if stamp and len(line[: stamp.start()].split()) >= 4:
        return [line[: stamp.start()].rstrip(), stamp.group().strip()]
    if not lead or len(line) < 200:
        return [line]
    m = _GLUED_LEAD.search(line, 20, 300)
    if m is None:
        return [line]
    head = line[: m.start()].rstrip()
    if len(head.split()) < 4 or head.endswith((",", ";", ":")) or ends_sentence(head):
        return [line]
    if regex.search(r"[.!?]\s", head):
        return [line]
    return [head, line[m.start() :]]
