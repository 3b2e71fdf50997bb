"""`vnextract export --sqlite`: tables, indexes, full-text search, and the README's three
queries run on the fixtures and checked against the same answers computed from the JSONL."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.inspect.export import provinces
from pipeline.inspect.load import load_batch

ROOT = Path(__file__).resolve().parent.parent


def _export(source: Path, target: Path) -> sqlite3.Connection:
    assert main(["export", str(source), "--sqlite", str(target)]) == 0
    return sqlite3.connect(target)


def _has_fts5() -> bool:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    return True


def readme_queries() -> list[str]:
    """The ```sql blocks of the README's "Inspecting the output" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Inspecting the output", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_tables_indexes_and_full_text(tmp_path: Path, fixtures_jsonl: Path) -> None:
    db = _export(fixtures_jsonl, tmp_path / "batch.db")
    docs = load_batch(fixtures_jsonl).documents
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == len(docs)
    n_records = sum(len(d["records"]) for d in docs)
    assert db.execute("SELECT count(*) FROM records").fetchone()[0] == n_records
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"records_type", "records_rule", "records_symbol", "records_value"} <= indexes
    plan = " ".join(str(r) for r in db.execute("EXPLAIN QUERY PLAN SELECT * FROM records "
                                                 "WHERE symbol = '35-NQ/TW'"))  # fmt: skip
    assert "records_symbol" in plan
    # Each record comes back whole from its JSON column, in order, its span in the columns.
    first = docs[0]
    rows = db.execute(
        "SELECT record, span_start, span_end, text FROM records WHERE doc_id = ? ORDER BY seq",
        (first["id"],),
    ).fetchall()
    assert [json.loads(r[0]) for r in rows] == first["records"]
    assert all(first["text"][a:b] == t for _, a, b, t in rows)
    doc = db.execute("SELECT title, year, authors, n_records FROM documents WHERE id = ?",
                     (first["id"],)).fetchone()  # fmt: skip
    assert doc == (first["meta"]["title"], 2024, '["Trần Minh"]', len(first["records"]))
    assert db.execute("SELECT count(*) FROM provinces").fetchone()[0] == len(provinces())
    if not _has_fts5():
        pytest.skip("this SQLite has no FTS5: the doc_text table is left out")
    hits = db.execute("SELECT doc_id FROM doc_text WHERE doc_text MATCH '\"dân vận khéo\"'")
    expected = {d["id"] for d in docs if "dân vận khéo" in (d["meta"]["title"] + d["text"]).lower()}
    assert {r[0] for r in hits} == expected and expected


def test_readme_queries_on_the_fixtures(tmp_path: Path, fixtures_jsonl: Path) -> None:
    db = _export(fixtures_jsonl, tmp_path / "batch.db")
    docs = load_batch(fixtures_jsonl).documents
    cited, officials, awards = readme_queries()
    # 1. the most cited resolutions: pages citing, then mentions
    pages: dict[str, set[str]] = defaultdict(set)
    mentions: Counter[str] = Counter()
    for d in docs:
        for r in d["records"]:
            if r["type"] == "document_ref" and r.get("doc_type") == "Nghị quyết":
                key = r["symbol"] or f"{r['doc_type']} {r['number']}"
                pages[key].add(d["id"])
                mentions[key] += len(r.get("mentions") or [1])
    expected = sorted(((k, len(v), mentions[k]) for k, v in pages.items()),
                      key=lambda x: (-x[1], -x[2], x[0]))[:10]  # fmt: skip
    got = db.execute(cited).fetchall()
    assert got == expected and got[0][0] == "35-NQ/TW"
    # Known answers, counted by hand in the pages: html_01 names 35-NQ/TW in its headline, sapo
    # and three paragraphs (the tag box is dropped); text_01 names 25-NQ/TW in its title and
    # lines 14, 21 and 36; text_03 names 43-NQ/TW once.
    assert got == [("35-NQ/TW", 1, 5), ("25-NQ/TW", 1, 4), ("43-NQ/TW", 1, 1)]
    # 2. officials by province: named in their titles, else the page's title, else its site
    names = sorted(provinces(), key=len, reverse=True)

    def province(*texts: str | None) -> str | None:
        for text in texts:
            found = [p for p in names if text and p in text]
            if found:
                return found[0]
        return None

    by_province: Counter[str | None] = Counter(
        province(json.dumps(r["titles"], ensure_ascii=False), d["meta"]["title"], d["meta"]["site"])
        for d in docs
        for r in d["records"]
        if r["type"] == "official"
    )
    got_provinces = {row[0]: row[1] for row in db.execute(officials)}
    assert got_provinces == dict(by_province)
    assert got_provinces["Yên Bái"] and len([p for p in got_provinces if p]) >= 4
    # Known answer: Yên Bái's officials are html_01's three (expected/html_01: titles without a
    # province, the page's title "Tỉnh ủy Yên Bái ...").
    yen_bai = {row[0]: row[2] for row in db.execute(officials)}["Yên Bái"]
    assert sorted(yen_bai.split(", ")) == ["Hoàng Thị Kim Oanh", "Lục Văn Toàn", "Nông Đức Thịnh"]
    # 3. award totals per year: publication year, else the reported event's year
    per_year: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for d in docs:
        tallies = [r for r in d["records"] if r["type"] == "award"]
        events = [r["value"] for r in d["records"] if r["type"] == "date" and r["role"] == "event"]
        for r in tallies:
            ind, col = r.get("individuals") or 0, r.get("collectives") or 0
            row = per_year[int((d["meta"]["published"] or events[0])[:4])]
            row[0] += 1
            row[1] += col
            row[2] += ind
            row[3] += r["total"] if r.get("total") is not None else ind + col
    got_years = {y: list(rest) for y, *rest in db.execute(awards)}
    assert got_years == dict(per_year) and set(got_years) == {2023, 2024}
    # Known answers, from the tallies of fixtures/expected: 2023 is html_03 (6 + 11) and text_01
    # (18 + 25, and 12 together); 2024 is html_01, html_02, html_05, text_03, text_05 and
    # text_06 (no publication date: its event "Sáng 14/5/2024").
    assert got_years == {2023: [3, 24, 36, 72], 2024: [10, 88, 102, 225]}


def test_export_replaces_the_file_and_reads_shards(
    tmp_path: Path, hostile_jsonl: Path, real_jsonl: Path
) -> None:
    target = tmp_path / "batch.db"
    db = _export(hostile_jsonl, target)
    ids = [r[0] for r in db.execute("SELECT id FROM documents ORDER BY rowid")]
    assert ids[0] == "../../evil/<script>window.__pwned=1</script>.html" and len(ids) == 3
    db.close()
    db = _export(real_jsonl, target)  # a folder of gzipped shards, over the old file
    real = load_batch(real_jsonl).documents
    titles = {r[0] for r in db.execute("SELECT title FROM documents")}
    assert titles == {d["meta"]["title"] for d in real}
    n_records = db.execute("SELECT count(*) FROM records").fetchone()[0]
    assert n_records == sum(len(d["records"]) for d in real)
    assert not list(tmp_path.glob("*.tmp"))


def test_export_of_a_missing_output(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["export", str(tmp_path / "nope.jsonl"), "--sqlite", str(tmp_path / "b.db")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert not (tmp_path / "b.db").exists()


def test_export_to_an_unwritable_place(
    tmp_path: Path, capsys: pytest.CaptureFixture, hostile_jsonl: Path
) -> None:
    for target in (tmp_path / "no" / "such" / "folder" / "b.db", tmp_path):
        assert main(["export", str(hostile_jsonl), "--sqlite", str(target)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"vnextract: cannot write {target}: ") and "Traceback" not in err
    assert not list(tmp_path.rglob("*.tmp")) and not (tmp_path / "no").exists()
    assert not tmp_path.with_name(tmp_path.name + ".tmp").exists()
