"""Lines from elsewhere through `show`, `report` and `export`: fields of the wrong type, lone
surrogates, ids that are not text or come twice, a truncated shard. No traceback, exit 0."""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.inspect.load import load_batch

TEXT = "Sáng 4/3, ông An dự họp."
BAD_DOCS: list[dict] = [
    {"id": 42, "source": {"url": 5, "path": ["p"], "format": None},
     "meta": {"title": 5, "published": 20240304, "site": ["a"], "authors": "Trần Minh"},
     "text": TEXT,
     "records": [
         {"type": 1, "rule": None, "text": ["x"], "span": [True, 3]},
         {"type": "date", "rule": "d", "text": "Sáng 4/3", "span": [0, 99],
          "mentions": [[0, 8], "x"]},
         {"type": "official", "rule": "o", "text": "ông An", "span": [10, 16],
          "count": 2**70, "value": {"a": 1}, "titles": [None, 3], "mentions": [[10.5, 16]]},
         {"type": "date", "rule": "d", "text": "4/3", "span": [5.0, 8]},
         "not a record",
     ],
     "errors": [{"stage": 3, "message": None}, "x"], "dropped": "x"},
    {"id": None, "meta": "x", "text": 5, "records": {"a": 1}, "errors": None},
    {"id": "dup", "meta": {"title": "first", "published": "²⁰²⁴-03-04"}, "text": TEXT},
    {"id": "dup", "meta": {"title": "second"}, "text": TEXT},
    {"id": "", "meta": {"published": ["2024"], "authors": [1, None, {"a": 2}]}},
    {"id": ["x"], "text": TEXT, "records": [{"type": "date", "span": [0, 8], "rule": "d",
                                             "text": "Sáng 4/3", "individuals": -(2**64)}]},
]  # fmt: skip
#: A lone high surrogate, written as JSON writes it (valid JSON, but not valid UTF-8 text).
SURROGATE_LINE = (
    '{"id": "s\\ud83d", "meta": {"title": "T\\udc00", "authors": ["\\ud83d"]}, '
    '"text": "a\\ud83db c", "records": [{"type": "date", "span": [0, 3], "text": "a\\ud83db", '
    '"rule": "\\udfff"}], "dropped": [{"reason": "menu", "text": "\\ud800"}]}\n'
)
DISTINCT = 6  # the lines above but the repeated id


@pytest.fixture()
def bad_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps(d, ensure_ascii=False) + "\n" for d in BAD_DOCS]
    path.write_text("".join(lines) + SURROGATE_LINE, encoding="utf-8")
    return path


def test_every_command_reads_bad_lines(
    capsys: pytest.CaptureFixture, tmp_path: Path, bad_jsonl: Path
) -> None:
    for args in ([], ["--summary"], ["--doc", "1"], ["--doc", "s\ufffd"], ["--type", "date"]):
        assert main(["show", str(bad_jsonl), *args]) == 0, args  # an exception would propagate
        assert capsys.readouterr().out
    assert main(["report", str(bad_jsonl), "-o", str(tmp_path / "report")]) == 0
    report_err = capsys.readouterr().err
    assert main(["export", str(bad_jsonl), "--sqlite", str(tmp_path / "b.db")]) == 0
    export_err = capsys.readouterr().err
    for err in (report_err, export_err):
        assert f"bad.jsonl:1: the id 42 is not text: 'line 1 of {bad_jsonl}' here" in err
        assert "bad.jsonl:2: the id null is not text" in err
        assert "bad.jsonl:4: id 'dup' again (skipped: its first line counts)" in err
    # The same documents in both: the first line of a repeated id, placeholders for bad ids.
    assert re.search(rf"\b{DISTINCT} documents -> ", report_err)
    assert re.search(rf"\b{DISTINCT} documents, 6 records -> ", export_err)
    assert len(list((tmp_path / "report").glob("doc-*.html"))) == DISTINCT
    db = sqlite3.connect(tmp_path / "b.db")
    assert db.execute("SELECT title FROM documents WHERE id = 'dup'").fetchone() == ("first",)
    # Integers past 64 bits go in as text (an INTEGER column makes them REAL), exact in `record`.
    row = db.execute("SELECT count, value, titles, record FROM records WHERE doc_id = ? AND "
                     "seq = 3", (f"line 1 of {bad_jsonl}",)).fetchone()  # fmt: skip
    assert row[:3] == (float(2**70), '{"a": 1}', "[null, 3]")
    assert json.loads(row[3])["count"] == 2**70
    row = db.execute("SELECT individuals, record FROM records WHERE doc_id = ?",
                     (f"line 6 of {bad_jsonl}",)).fetchone()  # fmt: skip
    assert row[0] == float(-(2**64)) and json.loads(row[1])["individuals"] == -(2**64)
    assert db.execute("SELECT title, text FROM documents WHERE id = 's\ufffd'").fetchone() == (
        "T\ufffd",
        "a\ufffdb c",
    )


def test_bad_fields_are_normalized_and_noted(bad_jsonl: Path) -> None:
    batch = load_batch(bad_jsonl)
    first, null_id, dup, empty_id, list_id, surrogates = batch.documents
    assert [d["id"] for d in (first, null_id, empty_id, list_id)] == [
        f"line {n} of {bad_jsonl}" for n in (1, 2, 5, 6)
    ]
    assert first["meta"] == {"title": "5", "published": "20240304", "authors": [],
                             "site": '["a"]'}  # fmt: skip
    assert first["source"] == {"url": "5", "path": '["p"]', "format": None}
    bad_type, too_long, bad_mentions, float_span = first["records"]
    assert (bad_type["type"], bad_type["rule"], bad_type["text"]) == ("1", "", '["x"]')
    assert bad_type["span"] is None and "span [true, 3] is not" in bad_type["problem"]
    assert too_long["span"] is None and "mentions" not in too_long
    assert "span [0, 99]" in too_long["problem"] and "mentions" in too_long["problem"]
    assert bad_mentions["span"] == [10, 16] and "mentions" not in bad_mentions
    assert float_span["span"] is None
    assert first["errors"] == [{"stage": "3", "message": None}] and first["dropped"] == []
    assert (null_id["meta"]["title"], null_id["text"], null_id["records"]) == (None, "", [])
    assert empty_id["meta"]["published"] == '["2024"]'
    assert empty_id["meta"]["authors"] == ["1", '{"a": 2}']
    assert "problem" not in list_id["records"][0]
    assert surrogates["id"] == "s\ufffd" and surrogates["text"] == "a\ufffdb c"
    assert surrogates["records"][0]["rule"] == "\ufffd"
    assert surrogates["dropped"] == [{"reason": "menu", "text": "\ufffd"}]
    assert dup["meta"]["title"] == "first" and len(batch.problems) == 5


def test_a_truncated_shard_loses_only_its_end(
    capsys: pytest.CaptureFixture, tmp_path: Path, hostile_docs: list[dict]
) -> None:
    shards = tmp_path / "out"
    shards.mkdir()
    many = [{"id": f"doc-{i}", "text": f"Trang {i}: " + "văn bản " * (i % 50)} for i in range(3000)]
    whole = gzip.compress("".join(json.dumps(d) + "\n" for d in many).encode())
    (shards / "part-00000.jsonl.gz").write_bytes(gzip.compress(_lines(hostile_docs[:2])))
    (shards / "part-00001.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (shards / "part-00002.jsonl.gz").write_bytes(gzip.compress(_lines(hostile_docs[2:])))
    batch = load_batch(shards)
    ids = [d["id"] for d in batch.documents]
    kept = [i for i in ids if i.startswith("doc-")]
    assert ids[:2] == [d["id"] for d in hostile_docs[:2]] and ids[-1] == hostile_docs[2]["id"]
    assert 0 < len(kept) < len(many) and kept == [f"doc-{i}" for i in range(len(kept))]
    assert len(batch.problems) == 1 and "part-00001.jsonl.gz: " in batch.problems[0]
    assert "the rest of this file is skipped" in batch.problems[0]
    for command in (["show", "--summary"], ["report", "-o", str(tmp_path / "r")],
                    ["export", "--sqlite", str(tmp_path / "b.db")]):  # fmt: skip
        assert main([command[0], str(shards), *command[1:]]) == 0
        assert "part-00001.jsonl.gz" in capsys.readouterr().err


def _lines(docs: list[dict]) -> bytes:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode()
