"""Issue 14, the input side: no page is skipped without a reason, an input given twice is read
once, stdin is read within --max-bytes, a large page's memory is let go, and the BeautifulSoup
fallback gives each text once.

Symlinks, FIFOs and folders are made in a temporary folder; stdin and memory are checked on a
real `python -m pipeline` process.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import MARGIN_MB, small_page_peak_mb
from clirun import errors as _errors
from clirun import lines as _lines
from clirun import notes as _notes
from clirun import run as _run
from clirun import symbols as _symbols

from pipeline.config import Settings
from pipeline.steps import read

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "Ngày 3/4/2024, Tỉnh ủy ban hành Nghị quyết số 25-NQ/TW về công tác dân vận."
HTML = (
    f"<html><head><title>Tin</title></head><body><article><p>{SENTENCE}</p></article></body></html>"
)

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def _skipped(*inputs: Path | str) -> dict[str, str]:
    """What finding the inputs skipped: {path: reason}."""
    found = read.find_inputs([str(p) for p in inputs], Settings())
    assert all(isinstance(s, read.Skipped) for s in found.skipped)
    return {s.path: s.reason for s in found.skipped}


def _page(path: Path, text: str = HTML) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- 11: symlinks, loops, FIFOs and folders named like pages -----------------------------------


def test_a_symlinked_folder_is_followed(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    _page(crawl / "a.html")
    _page(tmp_path / "elsewhere" / "b.html")
    (crawl / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    ids = [x["id"] for x in _run(tmp_path, crawl)]
    assert ids == [str(crawl / "a.html"), str(crawl / "linked" / "b.html")]


def test_symlink_loops_are_skipped_with_a_reason(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    _page(crawl / "sub" / "a.html")
    (crawl / "sub" / "up").symlink_to(crawl, target_is_directory=True)  # a folder in itself
    (crawl / "self.html").symlink_to(crawl / "self.html")  # a link to itself
    skipped = _skipped(crawl)
    assert "symlink loop" in skipped[str(crawl / "sub" / "up")]
    assert "symlink loop" in skipped[str(crawl / "self.html")]
    assert [x["id"] for x in _run(tmp_path, crawl)] == [str(crawl / "sub" / "a.html")]


@needs_fifo
def test_every_skipped_path_has_a_reason(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    _page(crawl / "a.html")
    _page(crawl / "x.html" / "inner.html")  # a folder named like a page: its pages are read
    (crawl / "gone.html").symlink_to(tmp_path / "nowhere.html")
    (crawl / "gone_folder").symlink_to(tmp_path / "nowhere", target_is_directory=True)
    os.mkfifo(crawl / "pipe.html")
    (crawl / "notes.css").write_text("p {}", encoding="utf-8")  # not a page: not reported
    skipped = _skipped(crawl)
    assert skipped == {
        str(crawl / "gone.html"): "dangling link",
        str(crawl / "gone_folder"): "dangling link",
        str(crawl / "pipe.html"): "not a regular file (FIFO)",
        str(crawl / "x.html"): "folder named like a page (the pages in it are read)",
    }
    ids = [x["id"] for x in _run(tmp_path, crawl)]  # ends: the FIFO is never opened
    assert ids == [str(crawl / "a.html"), str(crawl / "x.html" / "inner.html")]


def test_named_inputs_that_cannot_be_read_get_their_error_lines(tmp_path: Path) -> None:
    good = _page(tmp_path / "good.html")
    gone = tmp_path / "gone.html"
    gone.symlink_to(tmp_path / "nowhere.html")
    loop = tmp_path / "loop.html"
    loop.symlink_to(loop)
    lines = _run(tmp_path, gone, good, loop)
    assert [x["id"] for x in lines] == [str(gone), str(good), str(loop)]
    assert "dangling link" in _errors(lines[0]) and not lines[0]["text"]
    assert _symbols(lines[1]) == ["25-NQ/TW"]
    assert "symlink loop" in _errors(lines[2])


def _feed_fifo(path: Path, data: bytes, seconds: float = 60) -> threading.Thread:
    """Write `data` into the FIFO at `path` once a reader opens it (given up after `seconds`,
    so a reader that never comes fails the test instead of hanging it)."""

    def feed() -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as exc:
                if exc.errno != errno.ENXIO or time.monotonic() > deadline:
                    return
                time.sleep(0.05)
        os.set_blocking(fd, True)
        try:
            os.write(fd, data)
        except BrokenPipeError:
            pass
        finally:
            os.close(fd)

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    return thread


@needs_fifo
def test_a_fifo_given_by_name_is_read_as_a_stream(tmp_path: Path) -> None:
    page, dump = tmp_path / "pipe.html", tmp_path / "feed"
    os.mkfifo(page)
    os.mkfifo(dump)
    rows = [json.dumps({"url": f"https://a.vn/{i}", "text": SENTENCE}) for i in range(2)]
    feeders = [_feed_fifo(page, HTML.encode()), _feed_fifo(dump, "\n".join(rows).encode())]
    lines = _run(tmp_path, page, dump)
    for feeder in feeders:
        feeder.join(5)
    assert [x["id"] for x in lines] == [str(page), f"{dump}:1", f"{dump}:2"]
    assert all(_symbols(x) == ["25-NQ/TW"] for x in lines)


# --- 13: the same input twice -----------------------------------------------------------------


def test_the_same_input_given_twice_is_read_once(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    a, b = _page(crawl / "a.html"), _page(crawl / "b.txt", SENTENCE)
    (crawl / "also_a.html").symlink_to(a)
    lines = _run(tmp_path, a, crawl, f"{crawl}/./b.txt", a)
    assert [x["id"] for x in lines] == [str(a), str(b)]
    skipped = _skipped(a, crawl, f"{crawl}/./b.txt", a)
    assert skipped == {
        str(crawl / "also_a.html"): f"duplicate of {a}",
        str(a): f"duplicate of {a}",
        f"{crawl}/./b.txt": f"duplicate of {b}",
    }


def test_stdin_given_twice_is_read_once() -> None:
    assert _skipped("-", "-") == {"-": "duplicate of -"}
    assert [name for name, _ in read.find_inputs(["-", "-"], Settings()).found] == ["-"]


# --- 10 (part): stdin within --max-bytes, memory of a large page ------------------------------


def _peak_rss_mb_with_stdin(args: list[str], chunks: Iterator[bytes]) -> float:
    """Peak resident memory of one `vnextract` run fed `chunks` on stdin, measured by a fresh
    parent of its own."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run([sys.executable, '-m', 'pipeline', *sys.argv[1:]], check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    with subprocess.Popen(
        [sys.executable, "-c", probe, *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=False,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        for chunk in chunks:
            proc.stdin.write(chunk)
        proc.stdin.close()
        peak = int(proc.stdout.read().split()[-1]) / 1024
        assert proc.wait() == 0
    return peak


def test_a_page_file_over_the_limit_is_told_without_keeping_its_bytes(tmp_path: Path) -> None:
    """`read_page` answers None for a page over the limit, plain (by its size, unread) or
    gzipped (after limit + 1 bytes), and the bytes of a page within it."""
    plain, packed = tmp_path / "big.html", tmp_path / "big.html.gz"
    plain.write_bytes(b"x" * 1001)
    packed.write_bytes(gzip.compress(b"x" * 1001))
    assert read.read_page(plain, 1000) == (None, None)
    assert read.read_page(packed, 1000) == (None, None)
    assert read.read_page(plain, 1001) == (b"x" * 1001, None)
    assert read.read_page(packed, 1001) == (b"x" * 1001, None)


def test_a_page_on_stdin_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    args = ["extract", "-", "-o", str(out), "-q", "--workers", "1", "--max-bytes", "1000000"]
    chunks = (b"<p>" + b"x" * (1 << 20) + b"</p>" for _ in range(300))  # 300 MB
    peak = _peak_rss_mb_with_stdin(args, chunks)
    [line] = _lines(out)
    assert line["id"] == "-" and "over the limit of 1000000 bytes" in _errors(line)
    assert peak < small_page_peak_mb() + MARGIN_MB, f"peak RSS {peak:.0f} MB"


def test_a_dump_on_stdin_is_streamed_line_by_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    args = ["extract", "-", "-o", str(out), "-q", "--workers", "1", "--max-bytes", "2000000"]
    row = json.dumps({"text": SENTENCE}, ensure_ascii=False).encode()
    chunks = (row + b" " * (1 << 20) + b"\n" for _ in range(200))  # 200 lines of 1 MB
    peak = _peak_rss_mb_with_stdin(args, chunks)
    lines = _lines(out)
    assert [x["id"] for x in lines] == [f"-:{i}" for i in range(1, 201)]
    assert all(_symbols(x) == ["25-NQ/TW"] for x in lines)
    assert peak < small_page_peak_mb() + MARGIN_MB, f"peak RSS {peak:.0f} MB"


def test_a_page_lets_go_of_its_input_once_read(settings: Settings) -> None:
    """The bytes are freed once decoded, the page once cleaned, and nothing of a large page's
    text stays behind once its document is gone (trafilatura's caches kept copies)."""
    import gc
    import tracemalloc

    from pipeline.steps.clean import clean
    from pipeline.steps.pages import prepare, unprepared

    body = "".join(f"<p>{SENTENCE} Đoạn {i}.</p>" for i in range(20_000))
    raw = f"<html><body><article>{body}</article></body></html>".encode()
    clean(prepare(unprepared("warm.html", {}, HTML.encode()), settings), settings)
    tracemalloc.start()
    try:
        read = unprepared("big.html", {"path": "big.html"}, raw)
        doc = prepare(read, settings)
        assert not read.raw and isinstance(doc.raw, str)
        doc = clean(doc, settings)
        assert doc.raw == "" and "Đoạn 19999" in doc.text
        text_size = len(doc.text) * 2  # bytes: Vietnamese text takes two per character
        del doc, read
        gc.collect()
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept < text_size / 4, f"{kept:,} bytes kept after a page of {text_size:,}"


def _peak_rss_mb(args: list[str]) -> float:
    """Peak resident memory of one `vnextract` run (its largest process), by a fresh parent."""
    return _peak_rss_mb_with_stdin(args, iter(()))


def test_a_page_of_tiny_elements_is_read_within_bounds(tmp_path: Path) -> None:
    """5 MB of `<span>x</span>`: 357,000 elements that trafilatura copied three times (686 MB,
    and over a minute, abandoned) are read in one pass over the parsed page instead."""
    page = tmp_path / "dense.html"
    cells = b"<span>x</span>" * (5_000_000 // 14)
    page.write_bytes(f"<html><body><p>{SENTENCE}</p><p>".encode() + cells + b"</p></body></html>")
    out = tmp_path / "out.jsonl"
    started = time.monotonic()
    peak = _peak_rss_mb(["extract", str(page), "-o", str(out), "-q", "--workers", "1"])
    [line] = _lines(out)
    assert "main text read without trafilatura" in _notes(line) and not line["errors"]
    assert _symbols(line) == ["25-NQ/TW"] and line["text"].count(SENTENCE) == 1
    assert peak < small_page_peak_mb() + 150, f"peak RSS {peak:.0f} MB"  # the parsed page: ~316
    assert time.monotonic() - started < 40


# --- 12: the BeautifulSoup fallback -----------------------------------------------------------


def test_nested_blocks_give_each_text_once() -> None:
    from pipeline import extract

    nested = "<table><tr><td>" * 100 + f"<p>{SENTENCE}</p>" + "</td></tr></table>" * 100
    out = extract(f"<html><body>{nested}</body></html>", format="html")
    assert "BeautifulSoup" in _notes(out) and not out["errors"]  # the fallback: a note
    assert out["text"].count("25-NQ/TW") == 1
    assert len([r for r in out["records"] if r["type"] == "document_ref"]) == 1


def test_the_fallback_keeps_text_around_nested_blocks() -> None:
    from pipeline.steps.html import _soup_lines

    html = (
        "<html><body><table><tr><td>Trước bảng <table><tr><td>Trong <b>bảng</b></td>"
        "<td>Ô hai</td></tr></table> sau bảng</td></tr></table><p>Đoạn cuối</p></body></html>"
    )
    assert _soup_lines(html) == ["Trước bảng", "Trong bảng", "Ô hai", "sau bảng", "Đoạn cuối"]
