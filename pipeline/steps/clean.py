"""Clean: from a raw page to its main text and metadata (title, published, authors, site).

HTML goes through trafilatura (see steps/html.py); plain text, already scraped, goes straight to
the furniture filter. Both then pass the same line filter and header reading, so a byline or a
menu line is treated alike whatever the input format. Lines before the headline of a text page
are its masthead and menus: they are dropped as "header".
"""

from __future__ import annotations

import contextlib

import regex

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.ruleset.page import PageRules, load_page_rules
from pipeline.steps.furniture import (
    BULLETS,
    date_line_label,
    filter_lines,
    is_body_line,
    is_spaced_menu,
    join_hard_breaks,
    rejoin_word_lines,
    spaced_date_items,
    split_glued_head,
)
from pipeline.steps.html import LARGE_PAGE, read_html
from pipeline.steps.markdown import read_markdown
from pipeline.steps.normalize import normalize_meta, normalize_text
from pipeline.steps.pagemeta import (
    Header,
    byline_names,
    labelled_date,
    parse_date_line,
    read_header,
    source_byline,
    title_and_date,
    without_site_name,
)
from pipeline.steps.sitename import host_of, site_from_header


def clean_lines(doc: Document, lines: list[str], rules: PageRules) -> list[str]:
    """Apply the furniture filter to normalized lines; record every dropped line on `doc`;
    join the kept lines a crawler broke inside a sentence (counted as "joined.hard_break")."""
    kept: list[str] = []
    for line, reason in filter_lines(lines, rules):
        if reason:
            doc.drop(line, reason)
        else:
            kept.append(line)
    kept, joined = join_hard_breaks(kept)
    if joined:
        doc.counts["joined.hard_break"] += joined
    return kept


def _line_spans(lines: list[str], marks: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Character spans, in the joined text, of the lines at the marked indices."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return {k: (starts[i], starts[i] + len(lines[i])) for k, i in marks.items()}


# (a list's bullet may stand before it: "• 644")
_COUNT_ALONE = regex.compile(rf"(?:[{BULLETS}]\s*)?(?:\d{{1,3}}(?:[.,]\d{{3}})*|\d{{1,7}})")


def _counters_under_title(lines: list[str], *heads: int | None) -> set[int]:
    """A number alone on a line just under the headline or the date line (a view counter,
    "781"), up to the first line with words: never part of the article.

    >>> sorted(_counters_under_title(["Tổng kết năm học", "781", "Sáng 5/6, ..."], 0))
    [1]
    >>> sorted(_counters_under_title(["Hội nghị", "Thứ hai - 02/10/2023 07:45", "1530"], 0, 1))
    [2]
    """
    found = set()
    for head in (h for h in heads if h is not None):
        for i in range(head + 1, min(head + 4, len(lines))):
            if not _COUNT_ALONE.fullmatch(lines[i].strip()):
                break
            found.add(i)
    return found


def _apply_header(
    doc: Document, kept: list[str], rules: PageRules, drop_masthead: bool
) -> list[str]:
    header = read_header(kept, rules)
    meta = doc.meta
    if header.title_index is not None and not meta.title:
        title, dated = title_and_date(without_site_name(kept[header.title_index], rules))
        meta.title = title
        meta.provenance["title"] = "title-line"
        if dated and not header.published:
            header.published, header.provenance["published"] = dated, "title-line"
    if header.published and not meta.published:
        meta.published = header.published
        meta.provenance["published"] = header.provenance["published"]
    if header.authors and not meta.authors:
        meta.authors = header.authors
        meta.provenance["authors"] = header.provenance["authors"]
    if not meta.authors and (names := _source_authors(doc, rules)):
        meta.authors, meta.provenance["authors"] = names, "source-line"
    marks = {
        "title": header.title_index,
        "date_line": header.date_index,
        "byline": header.byline_index,
    }
    keep = set(range(len(kept)))
    if drop_masthead and header.title_index:  # the masthead goes; the article's date line stays
        keep -= set(range(header.title_index)) - {header.date_index}
    byline = header.byline_index
    if byline is not None and header.byline_at is not None:
        doc.drop(kept[byline][header.byline_at :].strip(), "byline")  # the text before it stays
        kept[byline] = kept[byline][: header.byline_at].rstrip()
    elif byline is not None and (
        byline > (header.title_index or 0) + 3
        or byline == len(kept) - 1
        or not any(c.isdigit() for c in kept[byline])
    ):
        keep.discard(byline)  # a byline (names only, or at the end) is the page's, not the text's
    if header.credit_index is not None:
        keep.discard(header.credit_index)  # a body signing the text, as a byline would
    if header.date_index is not None and header.byline_index != header.date_index:
        kept[header.date_index] = _unlabelled(doc, kept[header.date_index], rules)
    counters = _counters_under_title(kept, header.title_index, header.date_index)
    labels = _section_labels(kept, header, rules)
    keep -= counters | labels
    for i in sorted(set(range(len(kept))) - keep):
        dropped_as = "byline" if i in (header.byline_index, header.credit_index) else "header"
        dropped_as = "counter" if i in counters else dropped_as
        dropped_as = "section" if i in labels else dropped_as
        doc.drop(kept[i], dropped_as)
    new_index = {old: new for new, old in enumerate(sorted(keep))}
    kept = [kept[i] for i in sorted(keep)]
    marked = {k: new_index[i] for k, i in marks.items() if i in new_index}
    doc.spans = _line_spans(kept, marked)
    return kept


def _label(line: str, rules: PageRules) -> bool:
    """A section's label: four words at most, no digit, colon, bracket or quote, no sentence,
    no name.

    >>> from pipeline.config import BUILTIN_RULES
    >>> from pipeline.ruleset.page import load_page_rules
    >>> rules = load_page_rules((BUILTIN_RULES,))
    >>> [_label(x, rules) for x in ("Điểm báo", "Sự kiện", "Minh Hà", "Năm 2024", "Bởi: An")]
    [True, True, False, False, False]
    """
    words = line.split()
    return (
        0 < len(words) <= 4
        and not any(c.isdigit() or c in ':()[]*"“”' for c in line)
        and not line.rstrip().endswith((".", "!", "?"))
        and not byline_names(line, rules, signed=True)
    )


def _section_labels(kept: list[str], header: Header, rules: PageRules) -> set[int]:
    """The section's label between the headline (or its date line) and the first paragraph
    ("Điểm báo", "Sự kiện"): never the article's words. (A short last line is not read so: a
    stored excerpt often ends mid-paragraph, "Cũng tại hội".)"""
    marked = {header.title_index, header.date_index, header.byline_index, header.credit_index}
    found: set[int] = set()
    if header.title_index is not None:
        for i in range(header.title_index + 1, min(header.title_index + 4, len(kept))):
            if is_body_line(kept[i]):
                break
            if i not in marked and _label(kept[i], rules) and _before_body(kept, i):
                found.add(i)
    return found


def _before_body(kept: list[str], i: int) -> bool:
    """The next line is a paragraph of the text, its own sentence (not "Ngày" + "01/3/2025,
    Chi hội ...": a sentence a crawler broke)."""
    return i + 1 < len(kept) and is_body_line(kept[i + 1]) and kept[i + 1][:1].isupper()


def _source_authors(doc: Document, rules: PageRules) -> list[str]:
    """The reporter named on a source line the line filter dropped ("Nguồn tin: <name> -
    <office>"), the last such line first: a page with no other byline is signed there."""
    for item in reversed(doc.dropped):
        if item["reason"] == "source" and (names := source_byline(item["text"], rules)):
            return names
    return []


def _unlabelled(doc: Document, line: str, rules: PageRules) -> str:
    """The date line without its label: the label is dropped (and said), the date stays; a
    section's or a widget's name set off by a bar or a dash ("... 28/04/2022 | Góc nhìn") is
    dropped too."""
    cut = date_line_label(line)
    if cut:
        doc.drop(line[:cut].strip(), "header")
        line = line[cut:]
    dated, label = labelled_date(line, rules)
    if label:
        doc.drop(label, "header")
        return dated
    return line


def clean_html(doc: Document, rules: PageRules, full: bool = False) -> Document:
    """HTML page: trafilatura text and page metadata, then the shared line filter (`full`:
    trafilatura's full comparison on every page, see html.main_text)."""
    page = read_html(str(doc.raw), doc.source.get("url"), rules, full)
    for problem in page.errors:
        doc.error("clean", problem)
    for note in page.notes:
        doc.note("clean", note)
    meta = doc.meta
    meta.title = normalize_meta(page.title)
    meta.published = page.published
    meta.authors = list(page.authors)
    meta.site = page.site
    if page.own_url and not doc.source.get("url"):  # a file read from disk: the page's own
        doc.source["url"], doc.source["url_from"] = page.own_url
    meta.provenance.update({k: v for k, v in page.provenance.items() if v})
    lines = normalize_text("\n".join(page.lines)).split("\n")
    kept = _apply_header(doc, clean_lines(doc, lines, rules), rules, drop_masthead=False)
    doc.text, doc.normalized = "\n".join(kept), True
    return doc


def clean_text(doc: Document, rules: PageRules) -> Document:
    """Plain scraped text: drop furniture and masthead, read title, date line and byline."""
    lines: list[str] = []
    for raw in rejoin_word_lines(_unmarked(doc, str(doc.raw).split("\n"), rules)):
        line = normalize_text(raw)
        if line and (items := spaced_date_items(raw)):
            lines.extend(normalize_text(item) for item in items)
        elif line and is_spaced_menu(raw):
            doc.drop(line, "menu")
        elif line:
            lines.extend(split_glued_head(line, len(lines) < 3) if len(lines) < 8 else [line])
    kept = _apply_header(doc, clean_lines(doc, lines, rules), rules, drop_masthead=True)
    if doc.source.get("url"):
        outlet = rules.outlet_for_host(host_of(str(doc.source["url"])))
        doc.meta.site = outlet.name if outlet else None
    if not doc.meta.site:
        header = [d["text"] for d in doc.dropped if d["reason"] == "header"]
        doc.meta.site = site_from_header(header, lambda s: _outlet_name(rules, s))
    doc.text, doc.normalized = "\n".join(kept), True
    return doc


def _unmarked(doc: Document, raw: list[str], rules: PageRules) -> list[str]:
    """A Markdown page's plain lines (steps/markdown.py), its header read into `doc.meta` and
    the lines of links, images and markup dropped with their reason; other pages as they are."""
    page = read_markdown(raw)
    if page is None:
        return raw
    for line, why in page.dropped:
        doc.drop(normalize_text(line), why)
    meta = doc.meta
    if page.title:
        meta.title = title_and_date(without_site_name(normalize_text(page.title), rules))[0]
        meta.provenance["title"] = "markdown-header"
    if page.published and (dated := parse_date_line(page.published)):
        meta.published, meta.provenance["published"] = dated.published, "markdown-header"
    if page.author and (names := byline_names(normalize_text(page.author), rules, signed=True)):
        meta.authors, meta.provenance["authors"] = names, "markdown-header"
    if page.url and not doc.source.get("url"):
        doc.source["url"], doc.source["url_from"] = page.url, "markdown-header"
    return page.lines


def _outlet_name(rules: PageRules, text: str) -> str | None:
    outlet = rules.outlet_named(text)
    return outlet.name if outlet else None


def clean(doc: Document, settings: Settings) -> Document:
    """Step: fill `doc.text` and `doc.meta` from `doc.raw`, then let the page go (`doc.raw`
    emptied: the later steps read `doc.text`), so a large page is not held to the end."""
    if not doc.raw:
        return doc
    rules = load_page_rules(settings.rule_dirs, settings.program_cache)
    if doc.format == "html":
        doc = clean_html(doc, rules, settings.extraction == "full")
    else:
        doc = clean_text(doc, rules)
    large, doc.raw = len(doc.raw) >= LARGE_PAGE, ""
    if large:
        give_memory_back()
    return doc


def give_memory_back() -> None:
    """Return the memory freed by a large page to the system (glibc's `malloc_trim`; nothing
    elsewhere), so that a worker does not stay at its peak for the pages after it."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # AttributeError: not glibc
        ctypes.CDLL(None).malloc_trim(0)
