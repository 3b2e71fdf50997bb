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


@pytest.mark.parametrize("case", _cases("headers.json"), ids=lambda c: c["title"][:40])
def test_header(case: dict, page_rules) -> None:
    lines = case["lines"]
    header = read_header(lines, page_rules)
    assert header.title_index is not None and lines[header.title_index] == case["title"]
    assert header.published == case["published"]
    assert header.authors == case["authors"]
