"""The corpus view: the README's three questions on the fixtures, each answer checked against
the JSONL output counted in Python; the corpus tables on the real pages of ../shared."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def readme_queries() -> list[str]:
    """The ```sql blocks of the README's "Across pages" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Across pages", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def _documents(jsonl: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, fixtures_jsonl: Path) -> sqlite3.Connection:
    target = tmp_path_factory.mktemp("corpus") / "corpus.db"
    assert main(["corpus", str(fixtures_jsonl), "-o", str(target)]) == 0
    db = sqlite3.connect(target)
    db.row_factory = sqlite3.Row
    return db


def test_three_readme_questions() -> None:
    """The README asks three questions (the tests below run each and check its answers)."""
    assert len(readme_queries()) == 3


def test_most_cited_documents(corpus_db: sqlite3.Connection, fixtures_jsonl: Path) -> None:
    """Pages per key as the output says, and the registry's facts for a registry document."""
    pages: dict[str, set[str]] = defaultdict(set)
    for doc in _documents(fixtures_jsonl):
        for rec in doc["records"]:
            if rec["type"] in ("document_ref", "document_name") and rec.get("key"):
                pages[rec["key"]].add(doc["id"])
    rows = corpus_db.execute(readme_queries()[0]).fetchall()
    expected = sorted(pages, key=lambda k: (-len(pages[k]), k))[:10]
    assert [r["key"] for r in rows] == expected
    assert all(r["pages"] == len(pages[r["key"]]) for r in rows)
    [dan_van] = corpus_db.execute(
        "SELECT * FROM cited_documents WHERE key = 'NQ/TW/25/2013'"
    ).fetchall()  # cited as "Nghị quyết số 25-NQ/TW ... (khóa XI)": the registry's 2013 one
    assert dan_van["issued"] == "2013-06-03" and "dân vận" in dan_van["subject"]


def test_people_and_their_posts(corpus_db: sqlite3.Connection, fixtures_jsonl: Path) -> None:
    """Each row is a title a person was seen with, on as many pages as the output says."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for doc in _documents(fixtures_jsonl):
        for rec in doc["records"]:
            if rec["type"] == "official":
                for position in rec["positions"]:
                    seen[(rec["person"], position["as_written"])].add(doc["id"])
    rows = corpus_db.execute(readme_queries()[1]).fetchall()
    assert len(rows) == min(20, len(seen))
    for r in rows:
        assert r["pages"] == len(seen[(r["person"], r["title"])])
    levels = {r["level"] for r in corpus_db.execute("SELECT level FROM person_titles")}
    assert {"province", "district", "commune"} <= levels


def test_award_tallies_by_site_and_year(
    corpus_db: sqlite3.Connection, fixtures_jsonl: Path
) -> None:
    sums: Counter[tuple[Any, Any, str]] = Counter()
    for doc in _documents(fixtures_jsonl):
        published = doc["meta"]["published"] or ""
        year = int(published[:4]) if published[:4].isdigit() else None
        for rec in doc["records"]:
            if rec["type"] == "award":
                for field in ("collectives", "individuals"):
                    sums[(doc["meta"]["site"], year, field)] += rec.get(field) or 0
                sums[(doc["meta"]["site"], year, "tallies")] += 1
    rows = corpus_db.execute(readme_queries()[2]).fetchall()
    assert rows and sum(r["tallies"] for r in rows) == sum(
        n for k, n in sums.items() if k[2] == "tallies"
    )
    for r in rows:
        assert (r["collectives"] or 0) == sums[(r["site"], r["year"], "collectives")]
        assert (r["individuals"] or 0) == sums[(r["site"], r["year"], "individuals")]


def test_corpus_tables_on_the_real_pages(tmp_path: Path) -> None:
    """The corpus view of ../shared/real-dev/html: every table built, keys for cited documents."""
    html = SHARED / "real-dev" / "html"
    if not html.exists():
        pytest.skip("../shared/real-dev is not beside this checkout")
    out, db_path = tmp_path / "real.jsonl", tmp_path / "real.db"
    assert main(["extract", str(html), "-o", str(out), "-q", "--workers", "1"]) == 0
    assert main(["corpus", str(out), "-o", str(db_path)]) == 0
    db = sqlite3.connect(db_path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"citations", "cited_documents", "people", "person_titles", "award_tallies",
            "participant_counts"} <= tables  # fmt: skip
    pages = len(list(html.glob("*.html")))  # the 17 national news pages of ../shared
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == pages
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] > 0
