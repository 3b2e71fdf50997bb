"""Properties over generated malformed pages (hypothesis): whatever the bytes, a document comes
out whole, JSON-serializable, and every record's span points at its own text.

The same strategy drives the long fuzz run: `bench/fuzz.py` (see the README's "Bad input").
"""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.config import Settings
from pipeline.process import extract_one

FRAGMENTS = [
    "Ngày 3/4/2024, Tỉnh ủy ban hành Nghị quyết số 25-NQ/TW về công tác dân vận.",
    "Đồng chí Nguyễn Văn An - Bí thư Huyện ủy phát biểu.",
    "Hội nghị có 120 đại biểu tham dự; tặng Giấy khen cho 9 tập thể và 14 cá nhân.",
    "Quyết định 217, 218-QĐ/TW",
    "<p>",
    "</div>",
    "<script>alert(1)</script>",
    "<!-- x",
    "&ocirc;",
    "&#7883;",
    "&#xD800;",
    "&amp;amp;",
    "\u200b",
    "\u0301",
    "\ufeff",
    "\x00",
    "\r\n",
    "\n\n\n",
    "1/2/3/",
    "Sáng 24.11,",
    "(khóa XII)",
    "'\"<>",
]

pages = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), min_size=0, max_size=30
).map("".join)
raw_pages = st.one_of(
    pages,
    pages.map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.binary(max_size=400),
    pages.map(lambda s: s.encode("utf-16")),
    pages.map(lambda s: ("<html><body>" + s).encode("utf-8", "surrogatepass")),
)
FAST = Settings(max_seconds=20, rule_seconds=2)


def check_document(content: str | bytes, format: str | None = None) -> None:
    """What must hold for any input: the line serializes, spans are inside the text and
    non-empty, and each points at the record's own text."""
    doc = extract_one(content, format=format, settings=FAST)
    line = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    text = line["text"]
    for rec in line["records"]:
        start, end = rec["span"]
        assert 0 <= start < end <= len(text), rec
        assert text[start:end] == rec["text"], rec
    for err in line["errors"]:
        assert err["stage"] and err["message"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=raw_pages, format=st.sampled_from([None, "html", "text"]))
def test_any_input_gives_a_whole_document(content: str | bytes, format: str | None) -> None:
    check_document(content, format)


files = st.lists(
    st.tuples(
        st.sampled_from([".html", ".txt", ".html.gz", ".jsonl"]),
        raw_pages,
        st.lists(st.one_of(pages, st.just("{bad"), st.just("[]")), max_size=4),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(mix=files)
def test_count_in_equals_count_out_for_a_random_mix(
    tmp_path_factory: pytest.TempPathFactory, mix: list[tuple[str, str | bytes, list[str]]]
) -> None:
    folder = tmp_path_factory.mktemp("mix")
    expected = 0
    for i, (suffix, content, rows) in enumerate(mix):
        path = folder / f"{i:02d}{suffix}"
        if suffix == ".jsonl":
            lines = [r if r in ("{bad", "[]") else json.dumps({"text": r}) for r in rows]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            expected += len(lines)
            continue
        data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
        path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        expected += 1
    out = folder / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "-q", "--workers", "1"]) == 0
    ids = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(ids) == expected == len(set(ids))
