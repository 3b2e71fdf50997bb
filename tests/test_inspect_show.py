"""Reading outputs (file, gzip, shards, stdin) and `vnextract show` in a pipe and a terminal."""

from __future__ import annotations

import gzip
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from rich.style import Style

from pipeline.cli import main
from pipeline.inspect.load import LoadError, load_batch
from pipeline.inspect.show import STYLES, highlighted, render_document, visible

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


def _write(path: Path, docs: list[dict]) -> Path:
    path.write_text(_lines(docs), encoding="utf-8")
    return path


def test_control_characters_never_reach_the_terminal(
    capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    text = "Sáng 4/3\r họp\x1b[2J kín\b, ngày 5/3\x07 xong.\x9b1m\x0c"
    record = "họp\x1b[2J kín\b, ngày 5/3"
    start = text.index(record)
    doc = {
        "id": "ctl\x1b]0;owned\x07", "meta": {"title": "Tiêu đề\x1b[2J\r", "site": "S\x1b[2J"},
        "text": text,
        "records": [{"type": "date", "span": [start, start + len(record)], "text": record,
                     "rule": "r\x1b[2J", "value": "2024-03-05\x1b[2J"}],
        "errors": [{"stage": "clean", "message": "\x1b[2J\r"}],
    }  # fmt: skip
    path = _write(tmp_path / "ctl.jsonl", [doc])
    for args in ([], ["--summary"]):
        assert main(["show", str(path), *args]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\r" not in out and "\x9b" not in out and "\x07" not in out
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Tiêu đề␛[2J␍" in out and "⟦họp␛[2J kín␈, ngày 5/3⟧{date}" in out
    # In colour, only colour codes are written, and the coloured characters are the record's.
    loaded = load_batch(path).documents[0]
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=100)
    render_document(console, loaded)
    raw = buffer.getvalue()
    assert ANSI.search(raw) and "\x1b[2J" not in raw and "\r" not in raw
    assert "\x1b" not in re.sub(r"\x1b\[[0-9;]*m", "", raw)
    green = Style.parse(STYLES["date"]).bgcolor
    segments = console.render(highlighted(loaded, loaded["records"], plain=False))
    marked = "".join(s.text for s in segments if s.style and s.style.bgcolor == green)
    assert marked == visible(record) == "họp␛[2J kín␈, ngày 5/3"


def test_crossing_spans_pair_their_brackets(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    text = "Ông An, Bí thư ngày 4/3 họp."
    doc = {"id": "x", "text": text, "records": [
        {"type": "official", "span": [0, 19], "text": text[0:19], "rule": "o"},
        {"type": "date", "span": [15, 23], "text": text[15:23], "rule": "d"},
    ]}  # fmt: skip
    assert main(["show", str(_write(tmp_path / "x.jsonl", [doc]))]) == 0
    out = capsys.readouterr().out
    assert "⟦Ông An, Bí thư ⟦ngày⟧{date}⟧{official}⟦ 4/3⟧{date} họp." in out


def test_doc_lookup_edge_cases(
    capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, hostile_jsonl: Path
) -> None:
    assert main(["show", str(hostile_jsonl), "--doc", "²"]) == 2  # a digit, but no number
    assert "no document '²'" in capsys.readouterr().err
    assert main(["show", str(hostile_jsonl), "--doc", "#2"]) == 0
    assert "Sơn La sơ kết Nghị quyết 35" in capsys.readouterr().out

    class Stdin:
        """Two documents, then a line that must not be read."""

        def __iter__(self) -> Iterator[str]:
            yield from _lines(hostile_docs_of(hostile_jsonl)[:2]).splitlines(keepends=True)
            raise AssertionError("read past the document asked for")

    monkeypatch.setattr("sys.stdin", Stdin())
    assert main(["show", "-", "--doc", "pages/son-la.html"]) == 0
    assert "Sơn La sơ kết Nghị quyết 35" in capsys.readouterr().out


def hostile_docs_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_empty_batch_and_summary_of_one_kind(
    capsys: pytest.CaptureFixture, tmp_path: Path, hostile_jsonl: Path
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert main(["show", str(empty)]) == 0
    err = capsys.readouterr().err
    assert "no documents" in err and "None" not in err
    assert main(["show", str(hostile_jsonl), "--type", "nothing_like_it"]) == 0
    assert "no documents with nothing_like_it records" in capsys.readouterr().err
    assert main(["show", str(hostile_jsonl), "--summary", "--type", "official"]) == 0
    out = capsys.readouterr().out
    assert "3 documents, 1 official records, 1 with errors, 2 with no official records" in out
    rows = {tuple(c.strip() for c in line.split("│")[1:-1]) for line in out.splitlines()}
    assert ("official", "1") in rows and ("date", "1") not in rows
    assert ("pages/son-la.html", "Sơn La sơ kết Nghị quyết 35") in rows


#: A made-up output line: a reference mentioned twice, an official, and a user kind.
POLISH_DOC = {
    "id": "a.txt",
    "source": {"format": "text"},
    "meta": {"title": None, "published": None, "authors": [], "site": None},
    "text": "Nghị quyết 35-NQ/TW được quán triệt. Ông Lê Văn An nói Nghị quyết 35 rất rõ.",
    "records": [
        {"type": "document_ref", "span": [0, 19], "text": "Nghị quyết 35-NQ/TW",
         "rule": "r1", "mentions": [[0, 19], [55, 68]]},
        {"type": "official", "span": [37, 50], "text": "Ông Lê Văn An", "rule": "r2"},
        {"type": "money_raised", "span": [72, 76], "text": "rất", "rule": "r3"},
    ],
    "errors": [],
    "dropped": [],
}  # fmt: skip


def test_show_marks_later_mentions_and_counts_the_chosen_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(_lines([POLISH_DOC]), encoding="utf-8")
    assert main(["show", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "⟦Nghị quyết 35⟧{document_ref mention}" in shown  # as the report underlines it
    assert main(["show", str(out), "--type", "official"]) == 0
    shown = capsys.readouterr().out
    assert re.search(r"records\s+1 official \(of 3\)", shown), shown
    assert main(["show", str(out), "--type", "offical"]) == 0
    err = capsys.readouterr().err
    assert "no documents with offical records; the kinds in this output: " in err
    assert "document_ref, official, money_raised" in err


def test_user_kinds_get_colours_of_their_own() -> None:
    from pipeline.inspect.htmlkit import kind_class
    from pipeline.inspect.show import style_of

    users = ["money_raised", "admissions", "trees_planted", "loans"]
    assert len({kind_class(k) for k in users}) > 1  # not one grey for all
    assert all(kind_class(k).startswith("k-u") for k in users)
    assert style_of("money_raised") not in STYLES.values()
    assert style_of("money_raised") == style_of("money_raised")  # stable


def test_report_snippets_end_at_words_with_an_ellipsis() -> None:
    from pipeline.inspect.report_doc import records_html

    words = " ".join(f"từ{i}" for i in range(400))  # one sentence longer than the reach
    text = words + " Nghị quyết 35-NQ/TW " + words
    start = text.index("Nghị")
    rec = {"type": "document_ref", "span": [start, start + 19], "rule": "r"}
    cell = records_html(text, [rec]).split('<td class="sentence">')[1].split("</td>")[0]
    assert cell.startswith("… từ") and cell.endswith(" …"), cell[:40] + cell[-40:]
    inner = cell.removeprefix("… ").removesuffix(" …")
    assert inner.split()[0].startswith("từ") and inner.split()[-1].startswith("từ")
    assert all(w in text.split() for w in re.sub(r"<[^>]+>", " ", inner).split())
