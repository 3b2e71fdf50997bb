"""HTML pages: main text with trafilatura (BeautifulSoup when it finds nothing), and metadata.

Metadata order, most trusted first, and why:
- title: the article's <h1> (what the reader sees), then og:title, JSON-LD headline,
  trafilatura's title finder, and last the <title> without its " - Site" suffix;
- published: JSON-LD `datePublished` (carries the time and zone), `article:published_time`
  and other publication <meta>, then a visible date element near the top; never the body, and
  never trafilatura's date (it has no time and may come from the text or the URL);
- authors (`page_metadata`): JSON-LD `author` (a Person or a plain name), then the page's
  author elements (class "author", "byline", "tac-gia" ...), then its short right-aligned
  paragraphs (the last first: where many sites sign), then author <meta> that name people;
  outlets such as "TUOI TRE ONLINE" are refused with the outlet lexicon. When none names a
  person, clean.py reads the byline in the text (on the date line, a byline under the headline
  such as "Bài và ảnh: ...", else one at the end), then a dropped source line ("Nguồn tin: ...").
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

from pipeline.ruleset.page import PageRules
from pipeline.steps.pagemeta import byline_names, iso_datetime, parse_date_line
from pipeline.steps.sitename import host_of, own_url

_ARTICLE_TYPES = (
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
)
_PUBLISHED_META = (
    "article:published_time", "datePublished", "pubdate", "publishdate", "publish-date",
    "dc.date.issued", "dcterms.created", "og:published_time", "date",
)  # fmt: skip
_AUTHOR_META = ("author", "dable:author", "dc.creator", "article:author", "byl")
_DATE_CLASS = regex.compile(r"date|time|publish|ngay|post-?info", regex.IGNORECASE)
_SAPO_CLASS = regex.compile(
    r"(?:^|[-_ ])(?:sapo|chapeau|lead|excerpt|summary|tomtat|tom-tat)(?:[-_ ]|$)", regex.I
)
_AUTHOR_CLASS = regex.compile(r"author|byline|tac-?gia|writer|nguoi-?viet", regex.I)
#: A quick test (the standard engine, on the case-folded marks) that lets most elements go
#: before the patterns above are tried: every match of theirs holds one of these words.
_MAYBE_MARKED = re.compile(
    "sapo|chapeau|lead|excerpt|summary|tomtat|tom-tat|author|byline|tac|writer|nguoi"
)
_MAYBE_DATED = re.compile("date|time|publish|ngay|post")
_NOT_ARTICLE = regex.compile(r"relat|sidebar|story|item|list|box-news|footer|menu|nav", regex.I)
# Elements with a class (or a date mark), found by XPath in C rather than a Python walk.
_CLASSED = (
    "//*[self::p or self::div or self::span or self::h2 or self::strong or self::em"
    " or self::address or self::a][@class]"
)
_DATED = (
    "//*[self::span or self::div or self::p or self::time or self::li][@class or @id or @itemprop]"
)
_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote", "td", "figcaption", "pre")


@dataclass
class HtmlPage:
    """What an HTML page gives: main-text lines and metadata with where each value came from."""

    lines: list[str]
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    site: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    #: The address the page gives as its own, and where (canonical link, og:url).
    own_url: tuple[str, str] | None = None
    #: What could not be read (unparsable HTML, an invalid JSON-LD block) ...
    errors: list[str] = field(default_factory=list)
    #: ... and what was read another way, nothing lost (BeautifulSoup instead of trafilatura).
    notes: list[str] = field(default_factory=list)


def _meta_values(tree: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        value = el.get("content")
        if key and value and value.strip():
            out.setdefault(key.strip().lower(), []).append(value.strip())
    return out


def _json_ld_items(tree: Any, errors: list[str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):  # RecursionError: arrays nested too deep
            errors.append("invalid JSON-LD block skipped")
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                items.append(item)
                graph = item.get("@graph")
                stack.extend(graph if isinstance(graph, list) else [])
    return items


def _types(item: dict[str, Any]) -> list[str]:
    kind = item.get("@type")
    return [str(k) for k in kind] if isinstance(kind, list) else [str(kind)]


def _jsonld_article(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    for item in items:
        if any(t in _ARTICLE_TYPES for t in _types(item)):
            return item
    return None


def _jsonld_authors(article: dict[str, Any], rules: PageRules) -> list[str]:
    raw = article.get("author")
    people = raw if isinstance(raw, list) else [raw]
    names: list[str] = []
    for person in people:
        if isinstance(person, dict) and "Person" in _types(person):
            names.extend(byline_names(_unescape(str(person.get("name") or "")), rules))
        elif isinstance(person, str):
            names.extend(byline_names(_unescape(person), rules))
    return names


def _unescape(value: str) -> str:
    import html

    return html.unescape(value).strip()


def _first_h1(tree: Any, rules: PageRules) -> str | None:
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        if len(text.split()) >= 3 and not rules.outlet_named(text):
            return text
    return None


def _strip_site_suffix(title: str) -> str:
    return regex.sub(r"\s+[-|–—]\s+[^-|–—]{2,60}$", "", title).strip()


def _title(
    tree: Any, meta: dict[str, list[str]], article: dict[str, Any] | None, rules: PageRules
) -> tuple[str | None, str]:
    if h1 := _first_h1(tree, rules):
        return h1, "h1"
    if meta.get("og:title"):
        return _unescape(meta["og:title"][0]), "og:title"
    if article and isinstance(article.get("headline"), str):
        return _unescape(article["headline"]), "json-ld"
    from trafilatura.metadata import extract_title  # at the edge: heavy import

    if found := extract_title(tree):
        return found, "trafilatura"
    title_el = tree.find(".//title")
    text = title_el.text_content().strip() if title_el is not None else ""
    if text and not text.lower().endswith((".html", ".htm")):
        return _strip_site_suffix(text), "title"
    return None, ""


def _date_marked(el: Any) -> bool:
    marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
    return bool(_MAYBE_DATED.search(marks.casefold()) and _DATE_CLASS.search(marks))


def visible_date(tree: Any) -> tuple[str, str] | None:
    """The page's visible date line (an element marked date/time, the innermost one), as
    (ISO time, the text shown); None when there is none."""
    for el in tree.xpath(_DATED):
        if not _date_marked(el) or _outside_article(el):
            continue
        for inner in [*(d for d in el.iterdescendants() if _date_marked(d)), el]:
            shown = " ".join(inner.text_content().split())
            if parsed := parse_date_line(shown):
                return parsed.published, shown
            if inner.tag == "time" and (dt := iso_datetime(inner.get("datetime"))):
                return dt, shown
    return None


_LEAD_MARK = regex.compile(r"^\([^()]{2,30}\)\s*[-–—]")


def near_title(tree: Any) -> Marked:
    """The date line and the lead among the elements just after the headline, for pages that
    mark neither by class: a short element that reads as a date line (before the body's first
    paragraph), and a paragraph opened by the outlet's mark ("(Dân trí) - ...") or a heading
    of 15 words or more."""
    found = Marked()
    h1 = next(tree.iter("h1"), None)
    body_seen = False
    for el in h1.xpath("following::*[position() <= 60]") if h1 is not None else ():
        if any(a.tag in ("li", "nav", "footer", "aside") for a in el.iterancestors()):
            continue  # related lists and menus (a class such as "sidebar" may be the article)
        text = " ".join(el.text_content().split())
        body_seen = body_seen or (el.tag == "p" and len(text.split()) >= 30)
        if not (found.date or body_seen):
            found.date = _date_line_of(text)
        lead_like = _LEAD_MARK.match(text) or el.tag in ("h2", "h3")
        if found.lead is None and lead_like and len(text.split()) >= 15 and len(text) <= 1500:
            found.lead = text
    # Many pages show the date line just above the headline: the nearest element first.
    for el in h1.xpath("preceding::*[position() <= 15]")[::-1] if h1 is not None else ():
        found.date = found.date or _date_line_of(" ".join(el.text_content().split()))
    return found


def _date_line_of(text: str) -> tuple[str, str] | None:
    """(ISO time, text) when a short text is a date line."""
    parsed = parse_date_line(text) if 6 <= len(text) <= 80 else None
    return (parsed.published, text) if parsed else None


def _published(
    meta: dict[str, list[str]], article: dict[str, Any] | None, shown: tuple[str, str] | None
) -> tuple[str | None, str]:
    value, where = None, ""
    if article and (value := iso_datetime(str(article.get("datePublished") or ""))):
        where = "json-ld"
    for key in _PUBLISHED_META if not value else ():
        for raw in meta.get(key.lower(), []):
            if not value and (value := iso_datetime(raw)):
                where = f"meta:{key}"
    if shown and (not value or (len(value) == 10 and shown[0].startswith(value))):
        return shown[0], "date-element"  # the page shows the time its metadata leaves out
    return value, where


def _site(meta: dict[str, list[str]], url: str | None, rules: PageRules) -> str | None:
    for name in meta.get("og:site_name", []) + meta.get("application-name", []):
        if outlet := rules.outlet_named(name):
            return outlet.name
    for link in filter(None, [url, *meta.get("og:url", [])]):
        if outlet := rules.outlet_for_host(host_of(link)):
            return outlet.name
    names = meta.get("og:site_name")
    return names[0] if names else None


def page_metadata(tree: Any, url: str | None, rules: PageRules, page: HtmlPage) -> Marked:
    """Fill title, published, authors and site of `page` from the parsed HTML `tree`; return
    the page's marked elements (lead, bylines, date line), read in one pass."""
    meta = _meta_values(tree)
    article = _jsonld_article(_json_ld_items(tree, page.errors))
    marked = marked_elements(tree)
    if marked.date is None or marked.lead is None:
        near = near_title(tree)
        marked.date, marked.lead = marked.date or near.date, marked.lead or near.lead
    page.title, page.provenance["title"] = _title(tree, meta, article, rules)
    page.published, page.provenance["published"] = _published(meta, article, marked.date)
    if article and (names := _jsonld_authors(article, rules)):
        page.authors, page.provenance["authors"] = names, "json-ld"
    elif names := _visible_authors(marked.bylines, rules):
        page.authors, page.provenance["authors"] = names, "author-element"
    elif names := _visible_authors(right_aligned(tree), rules):
        page.authors, page.provenance["authors"] = names, "right-aligned"
    else:
        for key in _AUTHOR_META:
            for raw in meta.get(key, []):
                parts = [p for p in regex.split(r"\s*[;|]\s*", _unescape(raw)) if p]
                names = [n for p in parts for n in byline_names(p, rules)]
                if names and not page.authors:
                    page.authors, page.provenance["authors"] = names, f"meta:{key}"
    page.site = _site(meta, url, rules)
    page.own_url = own_url(tree, meta.get("og:url", []))
    return marked


def _outside_article(el: Any) -> bool:
    """Inside a list item, a link, or a related-news, sidebar, menu or footer container."""
    for anc in el.iterancestors():
        if anc.tag in ("li", "a", "aside", "footer", "nav", "header"):
            return True
        if _NOT_ARTICLE.search(anc.get("class") or ""):
            return True
    return False


@dataclass
class Marked:
    """What the page marks by class outside related boxes and menus: its lead paragraph
    ("sapo", which many sites keep outside the body trafilatura reads), the texts of its
    author elements, and its visible date line (ISO time, the text shown)."""

    lead: str | None = None
    bylines: list[str] = field(default_factory=list)
    date: tuple[str, str] | None = None


def marked_elements(tree: Any) -> Marked:
    """One XPath pass (in C: only elements with a class) for the lead and the bylines."""
    found = Marked(date=visible_date(tree))
    for el in tree.xpath(_CLASSED):
        marks = el.get("class") or ""
        if not _MAYBE_MARKED.search(marks.casefold()):
            continue
        is_lead = found.lead is None and _SAPO_CLASS.search(marks)
        is_byline = _AUTHOR_CLASS.search(marks)
        if not (is_lead or is_byline) or _outside_article(el):
            continue
        text = " ".join(el.text_content().split())
        if is_lead and len(text.split()) >= 10:
            found.lead = text
        if is_byline and text:
            found.bylines.append(text)
    return found


_RIGHT = (
    "//*[self::p or self::div][@align='right' or @align='RIGHT' or contains(@style, 'right')"
    " or contains(@style, 'RIGHT')]"
)
_RIGHT_STYLE = regex.compile(r"text-align\s*:\s*right", regex.IGNORECASE)
_SOURCE_LEAD = regex.compile(r"^\s*theo\s+", regex.IGNORECASE)


def right_aligned(tree: Any) -> list[str]:
    """Short right-aligned paragraphs, last first: where many sites sign an article ("<p
    align=right><strong>Nguyễn Đình Quân</strong></p>", "Theo Minh Nguyễn/Vcamp.vn"); a
    leading "Theo" goes (a name after it is the author; a paper's name is no person's)."""
    texts = [
        " ".join(el.text_content().split())
        for el in tree.xpath(_RIGHT)
        if (el.get("align") or "").lower() == "right" or _RIGHT_STYLE.search(el.get("style"))
    ]
    return [_SOURCE_LEAD.sub("", t) for t in reversed(texts) if t and len(t) <= 80]


def _visible_authors(bylines: list[str], rules: PageRules) -> list[str]:
    for text in bylines:
        if names := byline_names(text, rules):
            return names
    return []


_SKIPPED_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form")


def _soup_lines(html: str) -> list[str]:
    """The page's text by BeautifulSoup (for pages trafilatura finds nothing in, or lxml
    cannot parse): see `_lines_of`."""
    from bs4 import BeautifulSoup  # at the edge: only pages trafilatura finds nothing in

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(list(_SKIPPED_TAGS)):
        tag.decompose()
    return _lines_of(_soup_texts(soup.body or soup))


def _tree_lines(tree: Any) -> list[str]:
    """The text of a parsed page (`_lines_of`), read in one pass over the lxml tree: for pages
    too large for trafilatura (see MAX_ELEMENTS)."""
    return _lines_of(_tree_texts(next(tree.iter("body"), tree)))


def _lines_of(texts: Iterable[tuple[str, Any]]) -> list[str]:
    """Lines from a page's (text, nearest block element) pairs in page order: a line per run of
    text in one block, so each text comes once (a block inside another is its own line, not
    repeated in the outer one); only when no text is in a block, every text line."""
    runs: list[list[str]] = []
    loose: list[str] = []
    last: Any = None
    for text, block in texts:
        if block is None:
            loose.append(text)
        elif block is last:
            runs[-1].append(text)
        else:
            runs.append([text])
            last = block
    lines = [" ".join(" ".join(run).split()) for run in runs]
    return [b for b in lines if b] or [
        ln.strip() for s in loose for ln in s.split("\n") if ln.strip()
    ]


def _soup_texts(root: Any) -> Iterator[tuple[str, Any]]:
    """The strings under a BeautifulSoup `root`, each with its nearest block element (None
    outside any); an explicit stack, so that deeply nested markup needs no recursion."""
    from bs4 import CData, NavigableString, Tag

    stack: list[tuple[Any, Any]] = [(root, None)]
    while stack:
        node, block = stack.pop()
        if isinstance(node, Tag):
            inner = node if node.name in _BLOCKS else block
            stack.extend((child, inner) for child in reversed(node.contents))
        elif type(node) in (NavigableString, CData):  # not comments, doctype, templates
            yield str(node), block


def _tree_texts(tree: Any) -> Iterator[tuple[str, Any]]:
    """The texts of an lxml tree (element texts and tails), each with its nearest block
    element (None outside any); scripts, menus and the like left out, comments too."""
    from lxml import etree

    blocks: list[Any] = [None]
    walk = etree.iterwalk(tree, events=("start", "end", "comment", "pi"))
    for event, el in walk:
        if event == "start":
            skipped = el.tag in _SKIPPED_TAGS
            blocks.append(el if el.tag in _BLOCKS else blocks[-1])
            if skipped:
                walk.skip_subtree()
            elif el.text:
                yield el.text, blocks[-1]
            continue
        if event == "end":
            blocks.pop()
        if el.tail:
            yield el.tail, blocks[-1]


#: The fast extraction is kept when it holds at least this share of the text of the page's
#: main block (`main_block_chars`); below it, trafilatura's full comparison runs. Measured on
#: the 36 HTML pages of fixtures/ and ../shared: the one page whose fast text misses article
#: text (photo captions, each in its own block) keeps 0.41; four more fall under 0.8 (0.43,
#: 0.41, 0.75, no text); the other 31 keep 0.88 or more (bench/RESULTS.md).
FAST_SHARE = 0.8
#: Characters of an element's own text from which it counts as a paragraph of prose.
PROSE_CHARS = 60


def main_block_chars(tree: Any) -> int:
    """Characters of text (blanks collapsed, scripts and styles left out) in the page's main
    block: the element whose children hold the most paragraphs of prose. A cheap estimate of
    the article's length, to tell a fast extraction that lost part of it.

    >>> import lxml.html
    >>> side = "<aside><p>" + "x" * 70 + "</p></aside>"
    >>> prose = "<p>" + "Một câu dài của bài báo. " * 4 + "</p>"
    >>> tree = lxml.html.fromstring(
    ...     f"<html><body><div>{prose}{prose}<figcaption>Ảnh: hội nghị</figcaption></div>"
    ...     f"{side}</body></html>")
    >>> main_block_chars(tree)
    213
    """
    score: dict[Any, int] = {}
    for el in tree.iter("p", "div", "td", "li", "figcaption"):
        if el.text and len(el.text) >= PROSE_CHARS and (parent := el.getparent()) is not None:
            score[parent] = score.get(parent, 0) + len(el.text)
    if not score:
        return 0
    top = max(score, key=score.__getitem__)
    skipped = sum(_chars(el) for el in top.iter(*_SKIPPED_TAGS) if el is not top)
    return max(0, _chars(top) - skipped)


def _chars(el: Any) -> int:
    """Characters of an element's text, blanks collapsed (the XPath engine does the work)."""
    return int(el.xpath("string-length(normalize-space(.))"))


def main_text(tree: Any, url: str | None, full: bool = False) -> str | None:
    """trafilatura's main text. By default its fast extraction, and its full comparison with
    readability and jusText (which rescues text kept outside paragraphs, but costs as much
    again and more) only when the fast text is empty or holds less than FAST_SHARE of the
    page's main block; `full`: the full comparison on every page."""
    import trafilatura  # at the edge: heavy import, only HTML needs it

    cache_short_texts_only()
    for fast in (False,) if full else (True, False):
        result = trafilatura.bare_extraction(
            tree, url=url, fast=fast, include_comments=False, with_metadata=False
        )
        text = getattr(result, "text", None) if result is not None else None
        if fast and (not text or len(text) < FAST_SHARE * main_block_chars(tree)):
            continue
        return text
    return None


#: Elements from which a page is read without trafilatura, which copies the parsed page three
#: times (2.3 GB for 20 MB of `<span>x</span>`) and runs for minutes on it. News pages have a
#: few thousand (1,757 at most among the real pages of ../shared); 100,000 leaves room for
#: huge comment threads and tables.
MAX_ELEMENTS = 100_000
#: Characters from which a page is large: once read, trafilatura's caches are emptied.
LARGE_PAGE = 1_000_000
#: The longest string trafilatura's `trim` keeps in its cache (see cache_short_texts_only).
SHORT_TEXT = 10_000


@functools.cache
def cache_short_texts_only() -> None:
    """Give trafilatura's modules a `trim` that caches short strings only. Its own keeps its
    last 1,024 arguments and results, whole page texts among them: 100 MB of a worker's peak on
    a 15 MB page, and as much kept after it. Done once; a trafilatura whose `trim` is not an
    `lru_cache` is left as it is."""
    import trafilatura.utils

    cached = getattr(trafilatura.utils, "trim", None)
    plain = getattr(cached, "__wrapped__", None)
    if cached is None or plain is None:
        return

    def trim(string: str) -> str:
        """trafilatura's `trim`, cached only for strings shorter than SHORT_TEXT."""
        if isinstance(string, str) and len(string) >= SHORT_TEXT:
            return str(plain(string))
        return str(cached(string))

    trim.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] == "trafilatura" and getattr(module, "trim", None) is cached:
            module.trim = trim  # type: ignore[attr-defined]


def forget_cached_texts() -> None:
    """Empty trafilatura's caches of strings (`trim`, `line_processing`: 1,024 entries each,
    both argument and result kept): after a large page they may hold copies of its text."""
    from trafilatura import utils

    for name in ("trim", "line_processing"):
        clear = getattr(getattr(utils, name, None), "cache_clear", None)
        if callable(clear):
            clear()


def read_html(html: str, url: str | None, rules: PageRules, full: bool = False) -> HtmlPage:
    """Main text and metadata of an HTML page (`full`: see `main_text`)."""
    import lxml.html

    page = HtmlPage(lines=[])
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        page.errors.append(f"unparsable HTML: {exc}")
        page.lines = _soup_lines(html)
        return page
    marked = page_metadata(tree, url, rules, page)
    elements = int(tree.xpath("count(//*)"))
    if elements > MAX_ELEMENTS:
        page.notes.append(
            f"page of {elements} elements (over {MAX_ELEMENTS}): main text read without trafilatura"
        )
        page.lines = _tree_lines(tree)
        return _headed(page, marked)
    text = main_text(tree, url, full)
    del tree  # the parsed page: the fallback below parses the HTML again
    if len(html) >= LARGE_PAGE:
        forget_cached_texts()
    if text and text.strip():
        page.lines = text.split("\n")
    else:
        page.lines = _soup_lines(html)
        if any(line.strip() for line in page.lines):
            page.notes.append("trafilatura found no main text; used BeautifulSoup")
        else:
            page.errors.append("no main text: trafilatura and BeautifulSoup found none")
    return _headed(page, marked)


def _headed(page: HtmlPage, marked: Marked) -> HtmlPage:
    """`page` with its main text starting with the headline, the date line and the lead."""
    dated = marked.date[1] if marked.date else None
    page.lines = _with_head(page.lines, [page.title, dated, marked.lead])
    return page


def _with_head(lines: list[str], head: list[str | None]) -> list[str]:
    """Main text starting with the headline, the date line and the lead, each once."""

    def key(s: str) -> str:
        return " ".join(s.split())[:60].casefold()

    present = {key(line) for line in lines[:5]}
    return [x for x in head if x and key(x) not in present] + lines
