"""`vnextract report`: the static HTML report, its escaping (no markup from a page survives as
markup), its file names, its data block, and the highlighting of nested spans."""

from __future__ import annotations

import json
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.inspect.htmlkit import FILTER_JS
from pipeline.inspect.load import load_batch
from pipeline.inspect.report import facets
from pipeline.inspect.report_doc import highlighted_html

PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
HOSTILE_PAGE = f"""<!DOCTYPE html><html><head>
<title>{escape(PAYLOAD, quote=False)}</title>
<meta property="og:site_name" content='"&gt;&lt;svg onload="window.__pwned=1"&gt;'>
<script>window.__pwned=1</script></head><body>
<h1>{escape(PAYLOAD)}</h1>
<div class="content">
<p>Sáng 4/3, Tỉnh ủy tổ chức hội nghị &lt;script&gt;window.__pwned=1&lt;/script&gt; sơ kết
5 năm thực hiện Nghị quyết số 35-NQ/TW của Bộ Chính trị, với hơn 200 đại biểu tham dự.</p>
<p>Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy, phát biểu "&gt;&lt;svg onload="window.__pwned=1"&gt;
tại hội nghị sơ kết thực hiện Nghị quyết của Bộ Chính trị trong toàn tỉnh.</p>
<p>Dịp này, Tỉnh ủy tặng Bằng khen cho 9 tập thể và 14 cá nhân có thành tích xuất sắc.
<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script></p>
</div></body></html>
"""


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _parse(path: Path) -> _Tags:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


CHART_TAGS = {"svg", "g", "rect", "text", "title", "line"}
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "main", "nav", "h1",
             "h2", "div", "p", "a", "span", "b", "table", "thead", "tbody", "tr", "th", "td",
             "ul", "li", "mark", "details", "summary", "label", "select", "option", "input",
             "script"}  # fmt: skip


#: The attributes each tag may carry (besides class and id); anything else came from the data.
ATTRIBUTES = {
    "a": {"href", "rel"}, "html": {"lang"}, "input": {"placeholder", "size", "type"},
    "label": {"for"}, "line": {"stroke", "x1", "x2", "y1", "y2"}, "mark": {"title"},
    "meta": {"charset", "content", "http-equiv", "name"}, "option": {"value"},
    "rect": {"fill", "height", "width", "x", "y"}, "script": {"type"},
    "svg": {"aria-label", "height", "role", "viewbox", "width", "xmlns"},
    "text": {"fill", "font-size", "font-weight", "text-anchor", "transform", "x", "y"},
    "tr": {"data-i"},
}  # fmt: skip
BAD_URL = re.compile(r"\s*(javascript|vbscript|data):", re.I)


def _assert_attrs_inert(where: str, tag: str, attrs: dict[str, str | None]) -> None:
    assert set(attrs) <= ATTRIBUTES.get(tag, set()) | {"class", "id"}, (where, tag, attrs)
    assert not any(name.startswith("on") for name in attrs), (where, tag, attrs)
    assert "url(" not in (attrs.get("style") or "").lower(), (where, tag, attrs)
    for name in ("href", "src"):
        assert not BAD_URL.match(attrs.get(name) or ""), (where, tag, attrs)


def assert_inert(folder: Path) -> None:
    """No page of the report carries markup from the data: only our own tags and attributes,
    no event handler, no script but the index's filter and its JSON data, no javascript: or
    data: URL, no style fetching a url()."""
    for page in sorted(folder.glob("*.html")):
        parsed = _parse(page)
        for tag, attrs in parsed.tags:
            assert tag in PAGE_TAGS | (CHART_TAGS if page.name == "index.html" else set()), (
                page.name,
                tag,
            )
            _assert_attrs_inert(page.name, tag, attrs)
        scripts = [a for t, a in parsed.tags if t == "script"]
        if page.name == "index.html":
            assert scripts == [{"type": "application/json", "id": "facets"}, {}]
            assert parsed.scripts[1] == FILTER_JS
        else:
            assert scripts == [], page.name
        head = page.read_text(encoding="utf-8")[:1000]
        assert 'http-equiv="Content-Security-Policy"' in head and "default-src 'none'" in head


def test_assert_inert_catches_attributes() -> None:
    for tag, attrs in [("a", {"href": " JavaScript:x()"}), ("a", {"href": "DATA:text/html,x"}),
                       ("span", {"style": "background:URL(http://e/x)"}), ("td", {"title": "x"}),
                       ("div", {"onclick": "x()"}), ("mark", {"src": "x"})]:  # fmt: skip
        with pytest.raises(AssertionError):
            _assert_attrs_inert("test", tag, attrs)
    _assert_attrs_inert("test", "a", {"href": "https://e/x", "rel": "noreferrer noopener"})


def test_report_of_the_fixtures(tmp_path: Path, fixtures_jsonl: Path) -> None:
    out = tmp_path / "report"
    assert main(["report", str(fixtures_jsonl), "-o", str(out)]) == 0
    docs = load_batch(fixtures_jsonl).documents
    pages = sorted(p.name for p in out.iterdir())
    assert pages == ["corpus.html"] + [f"doc-{i:05d}.html" for i in range(1, len(docs) + 1)] + [
        "index.html"
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<svg") == 3
    for title in ("Records per kind", "Documents per month", "Most cited documents"):
        assert title in index
    assert "35-NQ/TW" in index and "2024-03" in index  # a cited reference, a month
    assert not re.search(r"\b(src|srcset)=|<link|@import|url\(", index)  # nothing fetched
    first = (out / "doc-00001.html").read_text(encoding="utf-8")
    assert 'id="at-39"' in first and "Nghị quyết số 35-NQ/TW" in first
    assert 'class="k-document_ref"' in first and "docref_party_symbol" in first
    assert_inert(out)


def test_hostile_batch_shows_payloads_as_text(tmp_path: Path, hostile_jsonl: Path) -> None:
    out = tmp_path / "report"
    assert main(["report", str(hostile_jsonl), "-o", str(out)]) == 0
    assert_inert(out)
    # Page files are numbered: the id's "../" wrote nothing outside the folder.
    assert not list(tmp_path.rglob("*evil*"))
    payload = PAYLOAD
    doc = _parse(out / "doc-00001.html")
    text = "".join(doc.text)
    assert payload in text and '"><svg onload="window.__pwned=1">' in text
    assert '<a href="javascript:window.__pwned=1">Trang chủ</a>' in text  # dropped line
    index = _parse(out / "index.html")
    assert payload in "".join(index.text)
    data = json.loads(index.scripts[0])
    assert data == [facets(d) for d in load_batch(hostile_jsonl).documents]
    raw = (out / "index.html").read_text(encoding="utf-8")
    assert raw.count("</script>") == 2  # the data block and the filter script, nothing else


def test_a_hostile_page_through_the_pipeline(tmp_path: Path) -> None:
    page = tmp_path / "evil.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    output = tmp_path / "out.jsonl"
    assert main(["extract", str(page), "-o", str(output), "-q", "--workers", "1"]) == 0
    line = load_batch(output).documents[0]
    assert "<script>" in line["meta"]["title"] and "<script>" in line["text"]  # a real test
    out = tmp_path / "report"
    assert main(["report", str(output), "-o", str(out)]) == 0
    assert_inert(out)
    assert line["meta"]["title"] in "".join(_parse(out / "doc-00001.html").text)


def test_nested_spans_are_cut_into_segments() -> None:
    text = "Đồng chí An, Bí thư, ngày 4/3 dự"
    records = [
        {"type": "official", "rule": "o", "span": [0, 29], "mentions": [[0, 29]]},
        {"type": "date", "rule": "d", "span": [21, 29]},
        {"type": "official", "rule": "o", "span": [9, 11], "mentions": [[9, 11], [30, 32]]},
    ]
    html = highlighted_html(text, records)
    assert html.count("<mark") == 5
    assert html.startswith('<mark class="k-official" id="at-0" title="#1 official (o)">Đồng chí')
    assert '<mark class="k-official outer o-official" id="at-9"' in html  # #3 inside #1
    assert '<mark class="k-date outer o-official" id="at-21"' in html  # #2 inside #1
    assert 'title="#1 official (o); #2 date (d)">ngày 4/3</mark>' in html
    assert '<mark class="k-official mention" title="#3 official (o), mention">dự</mark>' in html
    assert html.endswith("dự</mark>") and highlighted_html(text, []) == text


def test_corpus_page_of_the_fixtures(tmp_path: Path, fixtures_jsonl: Path) -> None:
    """The corpus page: documents by key, month by month, and the people most named."""
    out = tmp_path / "report"
    assert main(["report", str(fixtures_jsonl), "-o", str(out)]) == 0
    corpus = (out / "corpus.html").read_text(encoding="utf-8")
    assert "Most cited documents, month by month" in corpus and "People most named" in corpus
    assert re.search(r"<td>35-NQ/TW</td><td>NQ/TW/35</td><td>2024-03</td>", corpus)
    assert 'href="corpus.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_stale_pages_are_removed_and_other_files_kept(tmp_path: Path, hostile_jsonl: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "doc-00009.html").write_text("old", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["report", str(hostile_jsonl), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "corpus.html", "doc-00001.html", "doc-00002.html", "doc-00003.html", "index.html",
        "notes.txt",
    ]  # fmt: skip


def test_report_of_the_real_pages(tmp_path: Path, real_jsonl: Path) -> None:
    out = tmp_path / "report"
    assert main(["report", str(real_jsonl), "-o", str(out)]) == 0
    docs = load_batch(real_jsonl).documents
    assert len(list(out.glob("doc-*.html"))) == len(docs) == 4
    index = "".join(_parse(out / "index.html").text)
    for doc in docs:
        assert doc["meta"]["title"] in index
    assert_inert(out)


def test_crossing_spans_are_not_outer() -> None:
    text = "Ông An, Bí thư ngày 4/3 họp."
    records = [
        {"type": "official", "rule": "o", "span": [0, 19]},
        {"type": "date", "rule": "d", "span": [15, 23]},
        {"type": "date", "rule": "d", "span": [20, 23]},
    ]
    html = highlighted_html(text, records)
    # "ngày" is in both crossing spans: the shorter one colours it, neither is "outer".
    assert (
        '<mark class="k-date" id="at-15" title="#1 official (o); #2 date (d)">ngày</mark>' in html
    )
    assert '<mark class="k-date outer o-date" id="at-20"' in html  # #3 inside #2 only
    assert html.count("outer") == 1


def test_index_search_data_stays_small(tmp_path: Path) -> None:
    tail = "đuôi-không-tìm-được"
    record = {"type": "date", "span": [0, 6], "text": "Mở đầu", "rule": "r"}
    doc = {"id": "long", "meta": {"title": "Dài", "authors": ["Tác Giả"], "site": "Báo X"},
           "text": "Mở đầu trang. " + "chữ " * 50_000 + tail, "records": [record]}  # fmt: skip
    source = tmp_path / "long.jsonl"
    source.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["report", str(source), "-o", str(tmp_path / "r")]) == 0
    index = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert len(index) < 30_000 and tail not in index
    q = facets(load_batch(source).documents[0])["q"]
    for word in ("dài", "tác giả", "báo x", "mở đầu trang"):
        assert word in q
    assert tail not in (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert tail in (tmp_path / "r" / "doc-00001.html").read_text(encoding="utf-8")


def test_report_to_an_unwritable_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture, hostile_jsonl: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main(["report", str(hostile_jsonl), "-o", str(blocker / "report")]) == 2
    assert capsys.readouterr().err.startswith("vnextract: cannot write the report: ")
