"""Markdown a crawler wrote: its header read into metadata, its markup turned into plain lines.

Crawlers that keep pages as Markdown put the page's title, time and author in a header
(Jina Reader: "Title:", "URL Source:", "Published Time:", "Markdown Content:"; trafilatura with
metadata: a YAML block between "---" lines) and mark headings, links, images and emphasis
inline. Read once here, before the line filter, so that the rest of cleaning sees the plain
lines it sees on any scraped text: a line made only of links (a menu, a related list, "Xem
thêm: [...]") or of images goes, with its reason; a link in a sentence keeps its words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

_YAML_KEY = regex.compile(r"^\s*(?P<key>[A-Za-z_][\w ]{0,30}?)\s*:\s*(?P<value>.*?)\s*$")
_READER_KEY = regex.compile(
    r"^(?P<key>Title|URL Source|Published Time|Author|Description|Markdown Content)\s*:\s*"
    r"(?P<value>.*?)\s*$"
)
_KEYS = {
    "title": "title",
    "author": "author",
    "authors": "author",
    "date": "published",
    "published time": "published",
    "url": "url",
    "url source": "url",
    "source": "url",
}
_LINK = regex.compile(r"(?<!!)\[(?P<text>[^\[\]\n]*)\]\((?P<url>[^()\s]*(?:\s+\"[^\"\n]*\")?)\)")
_IMAGE = regex.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")
_HEADING = regex.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_RULE_LINE = regex.compile(r"^\s*(?:=+|-+|(?:\*\s*){3,}|(?:_\s*){3,})\s*$")
_TABLE_RULE = regex.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_LINK_LABEL = regex.compile(r"^[^\s:]+(?:\s+[^\s:]+){0,3}\s*:$")  # "Xem thêm:", "Tags:"
_RESIDUE = regex.compile(r"[\s*_|·•>»/,;.\-–+\d]+")
_BULLET = regex.compile(r"^\s*[*+]\s+(?=\S)")
_QUOTE = regex.compile(r"^\s*>\s?")
_EMPHASIS = (
    regex.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    regex.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    regex.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"),
    regex.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"),
)
_ESCAPE = regex.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


@dataclass
class Markdown:
    """A Markdown page read: its plain lines, the lines dropped (with why), its header (as
    written: the time is read by the date-line grammar, pagemeta.parse_date_line)."""

    lines: list[str]
    dropped: list[tuple[str, str]] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    author: str | None = None
    url: str | None = None


def _yaml_header(lines: list[str]) -> tuple[dict[str, str], int] | None:
    """The `key: value` block between a first "---" line and the next, and where it ends."""
    if not lines or lines[0].strip() != "---":
        return None
    found: dict[str, str] = {}
    for i, line in enumerate(lines[1:40], 1):
        if line.strip() == "---":
            return (found, i + 1) if "title" in found or "published" in found else None
        m = _YAML_KEY.match(line)
        if m is None:
            return None
        key = _KEYS.get(m["key"].strip().lower())
        if key and m["value"] not in ("", "None", "null"):
            found[key] = m["value"].strip("'\"")
    return None


def _reader_header(lines: list[str]) -> tuple[dict[str, str], int] | None:
    """Jina Reader's "Title: / URL Source: / Markdown Content:" lines, and where they end."""
    found: dict[str, str] = {}
    end = 0
    for i, line in enumerate(lines[:12]):
        m = _READER_KEY.match(line)
        if m is None:
            if line.strip():
                break
            continue
        end = i + 1
        if m["key"] == "Markdown Content":
            break
        if (key := _KEYS.get(m["key"].lower())) and m["value"]:
            found[key] = m["value"]
    return (found, end) if "title" in found and end > 1 else None


def _links_only(line: str) -> bool:
    """A line of links (or images) and nothing else but bullets, separators and a short label.

    >>> _links_only("*   [Thời sự](/thoi-su) · [Xã hội](/xa-hoi)")
    True
    >>> _links_only("**Xem thêm:** [Hòa Nguyên biểu dương](/bieu-duong)")
    True
    >>> _links_only("Theo [Báo Nhân Dân](https://nhandan.vn), hội nghị đã kết thúc.")
    False
    """
    if not (_LINK.search(line) or _IMAGE.search(line)):
        return False
    rest = _RESIDUE.sub(" ", _LINK.sub(" ", _IMAGE.sub(" ", line))).strip()
    return not rest or bool(_LINK_LABEL.match(rest))


def plain_line(line: str) -> tuple[str, str | None]:
    """The line without its Markdown markup, or ("", why) when nothing of it is text.

    >>> plain_line("## Tỉnh ủy sơ kết 5 năm")
    ('Tỉnh ủy sơ kết 5 năm', None)
    >>> plain_line("**(HN) - Chiều 7/11, [Ban Dân vận](/bdv) họp.**")
    ('(HN) - Chiều 7/11, Ban Dân vận họp.', None)
    >>> plain_line("![Ảnh hội nghị](/a.jpg)"), plain_line("===============")
    (('', 'image'), ('', 'markup'))
    """
    if _RULE_LINE.match(line) or _TABLE_RULE.match(line):
        return "", "markup"
    if _links_only(line):
        return "", "image" if not _LINK.search(_IMAGE.sub("", line)) else "links"
    text = _IMAGE.sub("", line)
    text = _LINK.sub(lambda m: m["text"], text)
    if m := _HEADING.match(text):
        text = m["text"]
    text = _BULLET.sub("- ", _QUOTE.sub("", text))
    for emphasis in _EMPHASIS:
        text = emphasis.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text).strip(), None


def _marked(lines: list[str]) -> bool:
    """Markdown by its marks: two lines with links or images, or a heading and one such line."""
    linked = sum(1 for line in lines if _LINK.search(line) or _IMAGE.search(line))
    headings = sum(1 for line in lines if _HEADING.match(line))
    return linked >= 2 or (linked >= 1 and headings >= 1)


def read_markdown(lines: list[str]) -> Markdown | None:
    """The page read as Markdown, or None when it is not (no header and too few marks)."""
    header = _yaml_header(lines) or _reader_header(lines)
    if header is None and not (any("](" in line for line in lines) and _marked(lines)):
        return None  # (a link's "](" first: most pages have none, and skip the patterns)
    fields, start = header or ({}, 0)
    page = Markdown([], [(line, "header") for line in lines[:start] if line.strip()])
    page.title = plain_line(fields["title"])[0] if fields.get("title") else None
    page.published = fields.get("published")
    page.author, page.url = fields.get("author"), fields.get("url")
    for line in lines[start:]:
        text, why = plain_line(line)
        if why:
            page.dropped.append((line.strip(), why))
        else:
            page.lines.append(text)
    return page
