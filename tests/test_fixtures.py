"""End to end: the bundled fixture pages against their expected output, and the real pages in
../shared/real-html against their hand-checked metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import Score, score_document
from pipeline.process import make_steps, process
from pipeline.steps.read import read_inputs

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "fixtures" / "pages"
EXPECTED = ROOT / "fixtures" / "expected"
# A second set, written separately in the layouts of sixteen other kinds of sites (see its
# README): the generalization check for headers, bylines and furniture.
REAL = ROOT.parent / "shared" / "real-html"
# The record kinds the pipeline delivers so far; the fixtures' expected files hold all kinds.
CHECKED_KINDS = ("document_ref", "date", "participant_count", "award", "official")


@pytest.fixture(scope="module")
def outputs(settings) -> dict[str, dict]:
    steps = make_steps(settings)
    return {
        Path(d.id).stem: process(d, steps).to_dict() for d in read_inputs([str(PAGES)], settings)
    }


def _expected() -> list[Path]:
    return sorted(EXPECTED.glob("*.json"))


def test_there_are_enough_fixtures() -> None:
    formats = {p.suffix for p in PAGES.iterdir()}
    assert len(list(EXPECTED.glob("*.json"))) >= 8 and formats == {".html", ".txt"}


@pytest.mark.parametrize("path", _expected(), ids=lambda p: p.stem)
def test_fixture_page(path: Path, outputs: dict[str, dict]) -> None:
    gold = json.loads(path.read_text(encoding="utf-8"))
    out = outputs[gold["doc"]]
    result = Score()
    misses = score_document(gold, out, result, CHECKED_KINDS)
    assert not misses, misses
    assert out["meta"]["published"] == gold["meta"]["published"]  # exactly, seconds and zone too
    assert not out["errors"]


@pytest.mark.parametrize("path", _expected(), ids=lambda p: p.stem)
def test_record_spans_point_into_the_text(path: Path, outputs: dict[str, dict]) -> None:
    out = outputs[path.stem]
    assert out["records"]
    for rec in out["records"]:
        start, end = rec["span"]
        assert 0 <= start < end <= len(out["text"]) and out["text"][start:end] == rec["text"]
        for m_start, m_end in rec.get("mentions", []):
            assert 0 <= m_start < m_end <= len(out["text"])


@pytest.mark.parametrize("path", _expected(), ids=lambda p: p.stem)
def test_published_record_agrees_with_meta(path: Path, outputs: dict[str, dict]) -> None:
    out = outputs[path.stem]
    published = [r for r in out["records"] if r["type"] == "date" and r["role"] == "published"]
    meta = out["meta"]["published"]
    assert len(published) <= 1
    if published:
        value = published[0]["value"]
        assert meta is not None and meta[: len(value)] == value, (value, meta)


def _real_pages() -> list[str]:
    if not (REAL / "expected_meta.json").exists():
        return []
    return [
        k
        for k in json.loads((REAL / "expected_meta.json").read_text(encoding="utf-8"))
        if not k.startswith("_")
    ]


@pytest.mark.skipif(not REAL.exists(), reason="../shared/real-html is not beside this checkout")
@pytest.mark.parametrize("name", _real_pages())
def test_real_page_metadata(name: str, settings) -> None:
    want = json.loads((REAL / "expected_meta.json").read_text(encoding="utf-8"))[name]
    [doc] = list(read_inputs([str(REAL / f"{name}.html")], settings))
    meta = process(doc, make_steps(settings)).meta
    assert (meta.title, meta.published, meta.authors) == (
        want["title"],
        want["published"],
        want["authors"],
    )
    assert not doc.errors


@pytest.mark.parametrize("path", _expected(), ids=lambda p: p.stem)
def test_cleaned_text_is_already_in_normal_form(path: Path, outputs: dict[str, dict]) -> None:
    from pipeline.steps.normalize import normalize_text

    text = outputs[path.stem]["text"]
    assert normalize_text(text) == text  # so the normalize step may skip it
