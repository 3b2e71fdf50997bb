"""Reading outputs (file, gzip, shards, stdin) and `vnextract show` in a pipe and a terminal."""

from __future__ import annotations

import gzip
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console

from pipeline.cli import main
from pipeline.inspect.load import LoadError, load_batch
from pipeline.inspect.show import render_document

ANSI = re.compile(r"\x1b\[")


@pytest.fixture(autouse=True)
def _no_forced_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def _lines(docs: list[dict]) -> str:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)


def test_file_gzip_and_shard_folder_load_alike(tmp_path: Path, hostile_docs: list[dict]) -> None:
    plain = tmp_path / "out.jsonl"
    plain.write_text(_lines(hostile_docs) + "{cut off by a kill\n", encoding="utf-8")
    zipped = tmp_path / "out.jsonl.gz"
    zipped.write_bytes(gzip.compress(_lines(hostile_docs).encode()))
    shards = tmp_path / "shards"
    shards.mkdir()
    (shards / "part-00000.jsonl.gz").write_bytes(gzip.compress(_lines(hostile_docs[:2]).encode()))
    (shards / "part-00001.jsonl.gz").write_bytes(gzip.compress(_lines(hostile_docs[2:]).encode()))
    (shards / "part-00002.jsonl.gz.tmp").write_bytes(b"unfinished")  # ignored
    ids = [d["id"] for d in hostile_docs]
    for source in (plain, zipped, shards):
        batch = load_batch(source)
        assert [d["id"] for d in batch.documents] == ids, source
    assert load_batch(plain).problems == [f"{plain}:4: not a JSON line (skipped)"]
    with pytest.raises(LoadError):
        load_batch(tmp_path / "missing.jsonl")
    (tmp_path / "empty").mkdir()
    with pytest.raises(LoadError):
        load_batch(tmp_path / "empty")


def test_show_one_document_in_a_pipe(capsys: pytest.CaptureFixture, fixtures_jsonl: Path) -> None:
    assert main(["show", str(fixtures_jsonl), "--doc", "html_01_tinhuy_nghiquyet.html"]) == 0
    out = capsys.readouterr().out
    assert not ANSI.search(out)  # no colour in a pipe
    assert "Tỉnh ủy Yên Bái sơ kết 5 năm thực hiện Nghị quyết số 35-NQ/TW" in out
    assert "⟦Nghị quyết số 35-NQ/TW⟧{document_ref}" in out  # the span, marked with its kind
    assert "⟦Sáng 4/3⟧{date}" in out
    for cell in (
        "official_honorific_titles",
        "Hoàng Thị Kim Oanh",
        "symbol: 35-NQ/TW",
        "Trần Minh",
    ):
        assert cell in out
    assert out.count("────") >= 1 and "html_02" not in out  # one document only


def test_show_by_number_and_kind(capsys: pytest.CaptureFixture, fixtures_jsonl: Path) -> None:
    assert main(["show", str(fixtures_jsonl), "--doc", "9", "--type", "official"]) == 0
    out = capsys.readouterr().out
    assert "Chủ tịch UBND xã Lũng Cao đối thoại" in out
    assert "⟦ông Hà Văn Khánh, Bí thư Đảng ủy xã⟧{official}" in out
    assert "{date}" not in out and "date_full" not in out


def test_show_every_document_with_a_kind(
    capsys: pytest.CaptureFixture, fixtures_jsonl: Path
) -> None:
    docs = load_batch(fixtures_jsonl).documents
    with_awards = [d for d in docs if any(r["type"] == "award" for r in d["records"])]
    assert main(["show", str(fixtures_jsonl), "--type", "award"]) == 0
    out = capsys.readouterr().out
    assert out.count("{award}") == sum(r["type"] == "award" for d in docs for r in d["records"])
    for doc in docs:
        assert (doc["id"] in out) == (doc in with_awards)


def test_summary_counts(capsys: pytest.CaptureFixture, hostile_jsonl: Path) -> None:
    assert main(["show", str(hostile_jsonl), "--summary"]) == 0
    out = capsys.readouterr().out
    assert not ANSI.search(out)
    assert "3 documents, 4 records, 1 with errors, 1 with no records" in out
    rows = {tuple(c.strip() for c in line.split("│")[1:-1]) for line in out.splitlines()}
    for kind in ("date", "official", "document_ref", "award"):
        assert (kind, "1") in rows
    assert ("award", "award_tally", "1") in rows
    assert ("Báo Sơn La", "1") in rows and ("(no site)", "1") in rows
    assert ("clean", "1") in rows and ("menu", "1") in rows
    assert ("pages/gia-vang.txt", "Giá vàng hôm nay") in rows  # the document with no records


def test_page_text_is_not_rich_markup(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    doc = {"id": "m", "meta": {"title": "[bold red]x[/] :smile:"}, "text": "a [link=http://e]b[/]"}
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "[bold red]x[/] :smile:" in out and "a [link=http://e]b[/]" in out


def test_colour_on_a_terminal(fixtures_jsonl: Path) -> None:
    doc = load_batch(fixtures_jsonl).documents[0]
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=120)
    render_document(console, doc)
    out = buffer.getvalue()
    assert ANSI.search(out) and "⟦" not in out and "Nghị quyết số 35-NQ/TW" in out


def test_stdin_and_errors(
    capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, hostile_docs: list[dict]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(_lines(hostile_docs)))
    assert main(["show", "-", "--doc", "gia-vang.txt"]) == 0
    assert "Giá vàng hôm nay giảm nhẹ." in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(_lines(hostile_docs)))
    assert main(["show", "-", "--doc", "nothing-like-it"]) == 2
    assert "no document 'nothing-like-it'" in capsys.readouterr().err
    assert main(["show", "no/such/output.jsonl"]) == 2


def test_summary_of_the_real_pages(capsys: pytest.CaptureFixture, real_jsonl: Path) -> None:
    docs = load_batch(real_jsonl).documents
    assert len(docs) == 4
    assert main(["show", str(real_jsonl), "--summary"]) == 0
    out = capsys.readouterr().out
    kinds = Counter(r["type"] for d in docs for r in d["records"])
    assert f"4 documents, {sum(kinds.values())} records" in out
    assert "Dân Trí" in out and "VnExpress" in out
