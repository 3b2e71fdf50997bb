"""Date lines, bylines and page headers of scraped text, table-driven from tests/cases/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.steps.pagemeta import byline_names, parse_date_line, read_header

CASES = Path(__file__).parent / "cases"


def _cases(name: str) -> list:
    return json.loads((CASES / name).read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize(("line", "published", "rest"), _cases("date_lines.json"))
def test_date_line(line: str, published: str | None, rest: str | None) -> None:
    parsed = parse_date_line(line)
    if published is None:
        assert parsed is None
    else:
        assert parsed is not None and (parsed.published, parsed.rest) == (published, rest)


@pytest.mark.parametrize(("line", "names"), _cases("bylines.json"))
def test_byline(line: str, names: list[str], page_rules) -> None:
    assert byline_names(line, page_rules) == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Đỗ Văn Thuần - Bí thư Chi bộ.", ["Đỗ Văn Thuần"]),
        ("Lê Văn Hòa, Chủ tịch Hội Nông dân xã.", ["Lê Văn Hòa"]),
        ("Nguyễn Văn An, Bí thư Đoàn xã chia sẻ.", []),
    ],
)
def test_signed_last_line(line: str, names: list[str], page_rules) -> None:
    """The last line of a text may sign it with the author's post, full stop or not; what
    someone said is no signature."""
    assert byline_names(line, page_rules, signed=True) == names


@pytest.mark.parametrize(
    "case", _cases("headers.json"), ids=lambda c: (c["title"] or c["lines"][0])[:40]
)
def test_header(case: dict, page_rules) -> None:
    lines = case["lines"]
    header = read_header(lines, page_rules)
    if case["title"] is None:  # no line of the page is its headline
        assert header.title_index is None, lines[header.title_index]
    else:
        assert header.title_index is not None and lines[header.title_index] == case["title"]
    assert header.published == case["published"]
    assert header.authors == case["authors"]
    if "credit" in case:  # a body signing the text on its last line
        credit = lines[header.credit_index] if header.credit_index is not None else None
        assert credit == case["credit"]


def test_full_trafilatura_comparison_only_when_the_fast_text_looks_short(monkeypatch) -> None:
    import lxml.html
    import trafilatura

    from pipeline.steps.html import main_text

    calls: list[bool] = []
    real = trafilatura.bare_extraction

    def counting(tree, **options):  # type: ignore[no-untyped-def]
        calls.append(options["fast"])
        return real(tree, **options)

    monkeypatch.setattr(trafilatura, "bare_extraction", counting)
    para = "Tỉnh ủy tổ chức hội nghị sơ kết công tác dân vận năm 2024 với nhiều kết quả. "
    cap = "Đồng chí Bí thư trao bằng khen cho các tập thể có thành tích xuất sắc trong năm qua."
    prose = "".join(f"<p>Đoạn {i}: {para * 2}</p>" for i in range(6))
    captioned = "".join(
        f"<p>Đoạn {i}: {para * 2}</p><div><figure><figcaption>Ảnh {i}: {cap}</figcaption>"
        "</figure></div>"
        for i in range(6)
    )
    # a body of paragraphs: the fast text alone; one whose captions the fast text leaves out
    # (a third of the main block): the full comparison after it; full=True: it at once
    for body, full, expected in (
        (prose, False, [True]),
        (captioned, False, [True, False]),
        (prose, True, [False]),
    ):
        tree = lxml.html.fromstring(f"<html><body><div>{body}</div></body></html>")
        calls.clear()
        assert para.strip() in (main_text(tree, None, full) or "")
        assert calls == expected


@pytest.mark.parametrize(
    "line, kept",
    [
        ("Post date: 20/05/2024", "20/05/2024"),
        ("Người đăng: Quản trị viên Ngày đăng: 7:05 | 02/03/2022", "7:05 | 02/03/2022"),
        ("Thứ hai, 12/05/2023 09:30", "Thứ hai, 12/05/2023 09:30"),  # no label: as it is
    ],
)
def test_date_line_loses_its_label(line: str, kept: str, settings, tmp_path: Path) -> None:
    """The date line stays in the text (the published date is read there) without the
    portal's label and poster, which are dropped with a reason."""
    from pipeline.process import make_steps, process
    from pipeline.steps.read import read_inputs

    page = tmp_path / "page.txt"
    lead = "Sáng 11/5, Huyện ủy tổ chức hội nghị tổng kết công tác dân vận với 120 đại biểu."
    page.write_text(f"Huyện tổng kết công tác dân vận năm 2023\n\n{line}\n\n{lead}\n", "utf-8")
    [doc] = list(read_inputs([str(page)], settings))
    doc = process(doc, make_steps(settings))
    assert doc.text.split("\n")[1] == kept
    assert doc.meta.published is not None
    labels = [d["text"] for d in doc.to_dict()["dropped"] if d["reason"] == "header"]
    assert labels == ([line[: -len(kept)].strip()] if kept != line else [])
