"""Hostile and broken input: every input document gets its line, with an error when needed;
nothing crashes the batch, hangs, expands entities or writes outside the output folder.

Each case writes its input into a temporary folder (the large ones are generated, not kept in
fixtures/), runs `vnextract extract` on it, and checks the lines that come out.
"""

from __future__ import annotations

import gzip
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from clirun import MARGIN_MB, run_peak_mb, small_page_peak_mb
from clirun import errors as _errors
from clirun import lines as _lines
from clirun import run as _run
from clirun import symbols as _symbols

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "Ngày 3/4/2024, Tỉnh ủy ban hành Nghị quyết số 25-NQ/TW về công tác dân vận."
HTML = (
    f"<html><head><title>Tin</title></head><body><article><p>{SENTENCE}</p></article></body></html>"
)


# Each case: file name, content maker, expected error substring (None: no error needed), and
# whether the sentence's document reference must still be found.
Case = tuple[str, Callable[[], bytes], str | None, bool]
CASES: list[Case] = [
    (
        "nested.html",
        lambda: (
            "<html><body>" + "<div>" * 10_000 + f"<p>{SENTENCE}</p>" + "</div>" * 10_000
        ).encode(),
        None,
        True,
    ),
    ("empty.html", lambda: b"", "empty", False),
    (
        "scripts.html",
        lambda: b"<html><head><script>var a = 1;</script></head><body><script>x()</script></body>",
        "no main text",
        False,
    ),
    ("binary.html", lambda: bytes(range(256)) * 200, "binary", False),
    (
        "entities.txt",
        lambda: (
            "Ngày 3/4/2024, Tỉnh ủy ban hành Ngh&#7883; quy&#7871;t s&ocirc; 25-NQ/TW.".encode()
        ),
        None,
        True,
    ),
    (
        "double_entities.html",
        lambda: HTML.replace("ố", "&amp;ocirc;").replace("ố", "&ocirc;").encode(),
        None,
        True,
    ),
    ("long_line.txt", lambda: ("a" * 1_000_000 + " " + SENTENCE).encode(), None, True),
    ("digits.txt", lambda: ("1/2/3-4/" * 131_072 + "\n" + SENTENCE).encode(), None, False),
    (
        "zero_width.txt",
        lambda: SENTENCE.replace("25-NQ/TW", "25\u200b-NQ/\u200bTW").encode(),
        None,
        True,
    ),
]


@pytest.mark.parametrize(("name", "make", "error", "finds"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_input_gets_its_line(
    tmp_path: Path, name: str, make: Callable[[], bytes], error: str | None, finds: bool
) -> None:
    page = tmp_path / name
    page.write_bytes(make())
    [line] = _run(tmp_path, page, extra=("--max-seconds", "20"))
    assert line["id"] == str(page)
    if error:
        assert error in _errors(line)
    if finds:
        assert "25-NQ/TW" in _symbols(line), _errors(line)
    for rec in line["records"]:
        start, end = rec["span"]
        assert line["text"][start:end] == rec["text"]


def test_truncated_gzip_keeps_what_could_be_read(tmp_path: Path) -> None:
    filler = " ".join(f"Thôn {i} có {i * 37 % 1000} hộ dân." for i in range(3000))
    data = gzip.compress((SENTENCE + "\n" + filler).encode())
    page = tmp_path / "cut.txt.gz"
    page.write_bytes(data[: len(data) // 2])
    [line] = _run(tmp_path, page)
    assert "truncated" in _errors(line)
    assert "25-NQ/TW" in _symbols(line)


def test_invalid_jsonl_lines_are_reported_with_their_numbers(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    rows = [
        json.dumps({"url": "https://a.vn/1", "text": SENTENCE}, ensure_ascii=False),
        "{not json",
        "",
        json.dumps({"url": "https://a.vn/3", "html": HTML}, ensure_ascii=False),
        "[1, 2]",
        json.dumps({"url": 5, "html": ["not", "a", "page"]}),
        "[" * 100_000,
    ]
    dump.write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = _run(tmp_path, dump)
    by_line = {int(x["id"].rsplit(":", 1)[1]): x for x in lines}
    assert sorted(by_line) == [1, 2, 4, 5, 6, 7]  # the blank line is no document
    assert _symbols(by_line[1]) == ["25-NQ/TW"] and _symbols(by_line[4]) == ["25-NQ/TW"]
    assert "line 2" in _errors(by_line[2]) and "invalid JSON" in _errors(by_line[2])
    assert "line 5" in _errors(by_line[5])
    assert by_line[6]["errors"] and "line 7: invalid JSON" in _errors(by_line[7])


def _warc_record(body: bytes, target: str, param: str = "charset=utf-8") -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; {param}\r\n\r\n".encode() + body
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{target[-4:]}>\r\n"
        f"WARC-Target-URI: {target}\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


def test_invalid_warc_records_get_error_lines(tmp_path: Path) -> None:
    good = _warc_record(HTML.encode(), "https://a.vn/ok-1")
    broken = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ngarbage"
    warc = tmp_path / "crawl.warc"
    warc.write_bytes(good + broken)
    lines = _run(tmp_path, warc)
    assert len(lines) == 2
    assert _symbols(lines[0]) == ["25-NQ/TW"] and not lines[0]["errors"]
    assert "invalid WARC" in _errors(lines[1])


def test_json_ld_nested_too_deep_is_skipped(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    script = '<script type="application/ld+json">' + "[" * 100_000 + "</script>"
    page.write_text(HTML.replace("</head>", script + "</head>"), encoding="utf-8")
    [line] = _run(tmp_path, page)
    assert "invalid JSON-LD" in _errors(line) and _symbols(line) == ["25-NQ/TW"]


def test_entities_are_never_expanded(tmp_path: Path) -> None:
    """A billion-laughs document: the entity definitions are not XML the parsers act on."""
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    page = tmp_path / "bomb.html"
    page.write_text(
        f'<?xml version="1.0"?><!DOCTYPE lolz [{lol}]><html><body><p>&lol9; {SENTENCE}</p>'
        "</body></html>",
        encoding="utf-8",
    )
    [line] = _run(tmp_path, page)
    assert "lollol" not in line["text"] and len(line["text"]) < 10_000
    assert "25-NQ/TW" in _symbols(line)


def test_fields_of_a_dump_never_choose_output_paths(tmp_path: Path) -> None:
    dump = tmp_path / "in" / "dump.jsonl"
    dump.parent.mkdir()
    rows = [
        {"url": "../../../evil.jsonl", "id": "../../evil", "path": "/tmp/evil", "text": SENTENCE},
        {"url": "file:///etc/passwd", "html": HTML, "name": "../../x.html"},
    ]
    dump.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    before = set(tmp_path.rglob("*"))
    assert main(["extract", str(dump), "-o", f"{out}/", "-q", "--workers", "1"]) == 0
    written = set(tmp_path.rglob("*")) - before
    assert written and all(p == out or p.parent == out for p in written)
    assert all(p == out or p.name.startswith("part-") for p in written)
    assert not (tmp_path / "evil.jsonl").exists() and not (tmp_path.parent / "evil").exists()


def test_time_limit_holds_on_regex_worst_cases(tmp_path: Path) -> None:
    """Pages made to make patterns backtrack or run long: with a one-second limit each gets its
    line, cut short with an error naming the limit when it needed longer, and the run ends."""
    worst = {
        "slashes.txt": "1/" * 300_000,
        "dashes.txt": ("12-3/" * 100_000) + "NQ",
        "names.txt": ("Đồng chí " + "Nguyễn " * 40 + ", ") * 2_000,
        "counts.txt": ("1.000 người " * 50_000),
        "digits.txt": "1/2/3-4/" * 131_072,
    }
    for name, text in worst.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    started = time.monotonic()
    lines = _run(tmp_path, *sorted(tmp_path.glob("*.txt")), extra=("--max-seconds", "1"))
    elapsed = time.monotonic() - started
    assert len(lines) == len(worst)
    for line in lines:
        assert all("limit" in e["message"] for e in line["errors"]), _errors(line)
    assert any("over the limit of 1 s" in _errors(line) for line in lines)
    assert elapsed < 2 * len(worst) + 20  # limits held: no page ran on


def test_huge_page_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    """A 50 MB page over the size limit gets its error line; memory stays far below its size
    (the file is read up to the limit only, gzip included)."""
    big = tmp_path / "big.html.gz"
    with gzip.open(big, "wb", compresslevel=1) as fh:
        for _ in range(50):
            fh.write(b"<p>" + b"x" * (1 << 20) + b"</p>")
    out = tmp_path / "out.jsonl"
    peak = run_peak_mb(["extract", str(big), "-o", str(out), "-q", "--max-bytes", "5000000"])
    [line] = _lines(out)
    assert "over the limit" in _errors(line)
    assert peak < small_page_peak_mb() + MARGIN_MB, f"peak RSS {peak:.0f} MB"


def test_a_mix_of_everything_gives_one_line_per_document(tmp_path: Path) -> None:
    folder = tmp_path / "mix"
    folder.mkdir()
    for name, make, _, _ in CASES:
        (folder / name).write_bytes(make())
    (folder / "good.html").write_text(HTML, encoding="utf-8")
    (folder / "dump.jsonl").write_text('{"text": "a"}\n{bad\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "-q", "--workers", "2"]) == 0
    ids = [x["id"] for x in _lines(out)]
    assert len(ids) == len(CASES) + 1 + 2 and len(set(ids)) == len(ids)
    assert os.path.getsize(out) > 0


def test_a_cut_jsonl_dump_keeps_its_whole_lines(tmp_path: Path) -> None:
    rows = [json.dumps({"url": f"https://a.vn/{i}", "text": f"{SENTENCE} {i}"}) for i in range(400)]
    data = gzip.compress(("\n".join(rows) + "\n").encode())
    dump = tmp_path / "dump.jsonl.gz"
    dump.write_bytes(data[: len(data) * 3 // 4])
    lines = _run(tmp_path, dump)
    whole, last = lines[:-1], lines[-1]
    assert len(whole) > 100 and all(_symbols(x) == ["25-NQ/TW"] for x in whole[:-1])
    assert "cannot read on" in _errors(last) and last["id"].endswith(f":{len(whole) + 1}")


def test_output_inside_the_input_folder_is_not_read(tmp_path: Path) -> None:
    for folder, target in (("file", "out.jsonl"), ("shards", "out/")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.html").write_text(HTML, encoding="utf-8")
        out = f"{tmp_path / folder}/{target}"
        assert main(["extract", str(tmp_path / folder), "-o", out, "-q", "--workers", "1"]) == 0
    assert len(_lines(tmp_path / "file" / "out.jsonl")) == 1  # not read back as an input
    with gzip.open(tmp_path / "shards/out/part-00000.jsonl.gz", "rt", encoding="utf-8") as fh:
        assert [json.loads(x)["id"] for x in fh] == [str(tmp_path / "shards/page.html")]


def test_odd_warc_charsets_and_oversized_records_keep_every_record(tmp_path: Path) -> None:
    warc = tmp_path / "odd.warc"
    big = HTML.encode() + b"<p>" + b"x" * 5000 + b"</p>"
    warc.write_bytes(
        _warc_record(HTML.encode(), "https://a.vn/hex-1", "charset=hex")
        + _warc_record(HTML.encode(), "https://a.vn/idna-2", "charset=idna")
        + _warc_record(big, "https://a.vn/big-3")
        + _warc_record(HTML.encode(), "https://a.vn/ok-4")
    )
    lines = _run(tmp_path, warc, extra=("--max-bytes", "3000"))
    assert len(lines) == 4
    assert _symbols(lines[0]) == _symbols(lines[1]) == _symbols(lines[3]) == ["25-NQ/TW"]
    assert "over the limit" in _errors(lines[2]) and not lines[2]["text"]


def test_output_folder_that_is_the_input_folder(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(SENTENCE.encode()) + b"\0" * 64)
    for _ in range(2):  # the second run must not read the first run's shards
        args = ["extract", str(tmp_path), "-o", f"{tmp_path}/", "-q", "--workers", "1"]
        assert main([*args, "--overwrite"]) == 0
    with gzip.open(tmp_path / "part-00000.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = [json.loads(x) for x in fh]
    assert [Path(x["id"]).name for x in lines] == ["page.html", "page.txt.gz"]
    assert _symbols(lines[1]) == ["25-NQ/TW"] and "after the gzip stream" in _errors(lines[1])


def test_a_huge_jsonl_line_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl.gz"
    with gzip.open(dump, "wb", compresslevel=1) as fh:
        fh.write(b'{"text": "' + b"x" * 30_000_000 + b'"}\n')
        fh.write(json.dumps({"text": SENTENCE}, ensure_ascii=False).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    peak = run_peak_mb(["extract", str(dump), "-o", str(out), "-q", "--max-bytes", "100000"])
    first, second = _lines(out)
    assert "line 1: over the limit" in _errors(first) and _symbols(second) == ["25-NQ/TW"]
    assert peak < small_page_peak_mb() + MARGIN_MB, f"peak RSS {peak:.0f} MB"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-32"])
def test_a_utf16_or_utf32_dump_is_decoded_before_it_is_split(
    tmp_path: Path, codec: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A "\\n" of UTF-16 is two bytes, one of them NUL: splitting the bytes first cut every
    line in two. Each line is one page, read whole: from a file, gzipped, and on stdin."""
    import io

    rows = [{"url": f"https://a.vn/{i}", "text": f"Tin {i}. {SENTENCE}"} for i in range(3)]
    data = ("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n").encode(codec)
    (tmp_path / "dump.jsonl").write_bytes(data)
    (tmp_path / "dump2.jsonl.gz").write_bytes(gzip.compress(data))
    stdin = io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)))  # type: ignore[arg-type]
    monkeypatch.setattr("sys.stdin", stdin)
    for name in ("dump.jsonl", "dump2.jsonl.gz", "-"):
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}.jsonl"
        source = name if name == "-" else str(tmp_path / name)
        assert main(["extract", source, "-o", str(out), "-q", "--workers", "1"]) == 0
        lines = _lines(out)
        assert [x["source"].get("url") for x in lines] == [r["url"] for r in rows], name
        assert all(_symbols(x) == ["25-NQ/TW"] and not x["errors"] for x in lines), name
