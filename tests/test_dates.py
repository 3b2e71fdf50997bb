"""Date resolution (table-driven, publication dates pinned) and properties of numeric dates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ruleset.context import Context
from pipeline.ruleset.engine import run
from pipeline.steps.normalize import normalize_text
from pipeline.steps.pagemeta import parse_date_line

CASES = json.loads(
    (Path(__file__).parent / "cases" / "date_resolution.json").read_text(encoding="utf-8")
)


def _dates(ruleset, text: str, published: str | None = None) -> list[tuple[str, str]]:
    text = normalize_text(text)
    records = run(ruleset, text, context=Context(published=published))
    return [(r.fields["value"], r.fields["role"]) for r in records if r.type == "date"]


@pytest.mark.parametrize(("text", "published", "expected"), CASES["cases"])
def test_resolution(ruleset, text: str, published: str | None, expected: list[list[str]]) -> None:
    assert _dates(ruleset, text, published) == [tuple(e) for e in expected]


def test_inferred_year_is_flagged_with_the_unknown_form(ruleset) -> None:
    [rec] = [
        r
        for r in run(ruleset, "Sáng 24.11, hội nghị.", context=Context(published="2023-12-06"))
        if r.type == "date"
    ]
    assert rec.fields["year_inferred"] is True and rec.fields["also"] == ["XXXX-11-24"]


def test_documents_take_their_issued_date_from_the_date_records(ruleset) -> None:
    text = "Thực hiện Kết luận số 114-KL/TW ngày 14/7/2021 của Ban Bí thư."
    records = run(ruleset, text)
    [doc] = [r for r in records if r.type == "document_ref"]
    [day] = [r for r in records if r.type == "date"]
    assert (
        doc.fields["issued"] == day.fields["value"] == "2021-07-14"
        and day.fields["role"] == "issued"
    )


#: Days as writers type them: the date rules, a reference's `issued` and the page's date line
#: read each with the one calendar grammar (rules/calendar.yaml), so they agree on all of them.
WRITTEN_DAYS = {
    "16/6/2022": "2022-06-16",
    "16/6-2022": "2022-06-16",
    "18/02.2019": "2019-02-18",
    "27 /3/2024": "2024-03-27",
    "16- 10-1968": "1968-10-16",
}


@pytest.mark.parametrize(("written", "value"), WRITTEN_DAYS.items())
@pytest.mark.parametrize("words", [False, True])
def test_the_readers_of_a_day_agree(ruleset, written: str, value: str, words: bool) -> None:
    if words:  # "ngày 16 Tháng 6 Năm 2022", its words capitalised as a date line prints them
        d, m, y = (int(n) for n in regex.findall(r"\d+", written))
        written = f"{d} Tháng {m} Năm {y}"
    records = run(ruleset, f"Thực hiện Nghị quyết số 21-NQ/TW ngày {written} của Tỉnh ủy.")
    [doc] = [r.fields["issued"] for r in records if r.type == "document_ref"]
    [day] = [r.fields["value"] for r in records if r.type == "date"]
    line = parse_date_line(f"Cập nhật ngày {written}")
    assert (doc, day, line and line.published) == (value, value, value)


FORMATS = [
    "{d}/{m}/{y}",
    "{d}-{m}-{y}",
    "{d}.{m}.{y}",
    "{d:02d}/{m:02d}/{y}",
    "ngày {d} tháng {m} năm {y}",
]


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    fmt=st.sampled_from(FORMATS),
)
def test_any_valid_date_in_any_numeric_format(ruleset, day: date, fmt: str) -> None:
    text = (
        "Hội nghị được tổ chức vào "
        + fmt.format(d=day.day, m=day.month, y=day.year)
        + " tại hội trường."
    )
    # "Hội nghị được tổ chức vào <date>" is when the reported meeting took place: an event
    # (../shared/gold/README.md, dates: role).
    assert _dates(ruleset, text) == [(day.isoformat(), "event")]


@settings(max_examples=200, deadline=None)
@given(
    d=st.integers(1, 40),
    m=st.integers(1, 14),
    y=st.integers(1990, 2030),
    fmt=st.sampled_from(FORMATS[:4]),
)
def test_impossible_dates_are_not_dates(ruleset, d: int, m: int, y: int, fmt: str) -> None:
    try:
        date(y, m, d)
    except ValueError:
        text = "vào ngày " + fmt.format(d=d, m=m, y=y) + " tới"
        assert _dates(ruleset, text) == []


@pytest.mark.parametrize("text", ["ngày 31/2/2023", "ngày 32/1", "ngày 30/2", "Sáng 31.4"])
def test_impossible_written_dates(ruleset, text: str) -> None:
    assert _dates(ruleset, text) == []


def test_the_calendar_grammar_may_write_a_definition_in_parts(tmp_path: Path) -> None:
    """A definition written as a list of parts reads as the parts joined, for the date line
    too (ruleset/calendar.py), as it does for the rule packs."""
    from pipeline.ruleset.calendar import calendar_pattern

    pack = tmp_path / "calendar.yaml"
    pack.write_text(
        "define:\n  DM:\n    - '(?P<d>\\d{1,2})'  # the day\n    - '/(?P<m>\\d{1,2})'\n",
        encoding="utf-8",
    )
    assert regex.fullmatch(calendar_pattern("DM", pack), "16/6")["m"] == "6"
