"""Batch runs: workers, resume after kills, shards, stats, limits, WARC, and the Dask engine."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import Settings
from pipeline.process import make_steps, process
from pipeline.steps.pages import make_document

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "fixtures" / "pages"


def _corpus(folder: Path, copies: int) -> int:
    """Copies of the fixture pages under distinct names; returns how many files."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for i in range(copies):
        for page in sorted(PAGES.iterdir()):
            shutil.copy(page, folder / f"{i:03d}_{page.name}")
            n += 1
    return n


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_two_workers_write_what_one_writes(tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["extract", str(PAGES), "-o", str(one), "-q", "--workers", "1"]) == 0
    assert main(["extract", str(PAGES), "-o", str(two), "-q", "--workers", "2"]) == 0
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")


def _run_until(args: list[str], out_lines, at_least: int) -> None:
    """Start a real run and SIGKILL it once `out_lines()` reaches `at_least`."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", *args], cwd=ROOT, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while proc.poll() is None and out_lines() < at_least and time.monotonic() < deadline:
        time.sleep(0.05)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()


def _workers_of(out: Path) -> list[str]:
    """Processes still running with `out` on their command line."""
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if str(out) in line and "pipeline" in line]


def _count_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_resume_after_kills_loses_nothing_and_repeats_nothing(tmp_path: Path) -> None:
    total = _corpus(tmp_path / "in", 6)
    out = tmp_path / "out.jsonl"
    args = ["extract", str(tmp_path / "in"), "-o", str(out), "--workers", "2", "-q"]
    _run_until(args, lambda: _count_lines(out), 8)
    first = _count_lines(out)
    assert 0 < first < total, "the first run should have been killed part-way"
    _run_until([*args, "--resume"], lambda: _count_lines(out), first + 12)
    assert _count_lines(out) < total, "the second run should have been killed part-way too"
    assert main([*args, "--resume"]) == 0
    deadline = time.monotonic() + 10
    while _workers_of(out) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _workers_of(out), "workers of a killed run must not outlive it"
    rows = _rows(out)
    ids = [r["id"] for r in rows]
    assert len(ids) == total == len(set(ids))
    clean = tmp_path / "clean.jsonl"
    assert main(["extract", str(tmp_path / "in"), "-o", str(clean), "-q", "--workers", "1"]) == 0
    assert {r["id"]: r for r in rows} == {r["id"]: r for r in _rows(clean)}


def test_sharded_output_resumes_too(tmp_path: Path) -> None:
    total = _corpus(tmp_path / "in", 3)
    shards = tmp_path / "shards"
    args = [
        "extract",
        str(tmp_path / "in"),
        "-o",
        f"{shards}/",
        "--shard-size",
        "5",
        "--workers",
        "1",
        "-q",
    ]
    _run_until(args, lambda: len(list(shards.glob("part-*.jsonl.gz"))), 2)
    assert main([*args, "--resume"]) == 0
    ids = []
    for part in sorted(shards.glob("part-*.jsonl.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as fh:
            ids += [json.loads(x)["id"] for x in fh]
    assert len(ids) == total == len(set(ids))
    assert not list(shards.glob("*.tmp"))


def test_stats_file_and_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "in" / "big.txt"
    big.parent.mkdir()
    big.write_text("Ngày 6/12, hội nghị. " * 2000, encoding="utf-8")
    (tmp_path / "in" / "small.txt").write_text("Ngày 6/12, hội nghị tổng kết.", encoding="utf-8")
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    args = [
        "extract",
        str(tmp_path / "in"),
        "-o",
        str(out),
        "--stats",
        str(stats),
        "--max-bytes",
        "1000",
        "-q",
    ]
    assert main(args) == 0
    rows = {Path(r["id"]).name: r for r in _rows(out)}
    assert (
        "over the limit" in rows["big.txt"]["errors"][0]["message"]
        and not rows["small.txt"]["errors"]
    )
    summary = json.loads(stats.read_text(encoding="utf-8"))
    assert (
        summary["documents"] == 2 and summary["with_errors"] == 1 and "clean" in summary["seconds"]
    )


def test_a_document_over_its_time_limit_gets_an_error_line() -> None:
    def slow(doc):
        time.sleep(5)
        return doc

    doc = make_document("slow", {"format": "text"}, "Trang chậm.", Settings())
    started = time.monotonic()
    doc = process(doc, [("clean", slow), *make_steps(Settings())[1:]], max_seconds=0.3)
    assert time.monotonic() - started < 2
    assert doc.errors and "over the limit of 0.3 s" in doc.errors[0]["message"]


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = [
        (
            "text/html; charset=utf-8",
            (
                "<html><body><h1>Tin dân vận</h1>"
                "<p>Ngày 6/12, Huyện ủy sơ kết Chỉ thị số 05-CT/TU.</p></body></html>"
            ).encode(),
        ),
        ("image/png", b"\x89PNG"),
        (
            "text/html; charset=windows-1258",
            "<html><body><p>công tác</p></body></html>".encode("cp1258"),
        ),
    ]
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, (ctype, body) in enumerate(pages):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
            record = writer.create_warc_record(
                f"https://baodantoc.vn/{i}",
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
            )
            writer.write_record(record)


def test_warc_input_reads_html_responses_only(tmp_path: Path) -> None:
    warc, out = tmp_path / "crawl.warc.gz", tmp_path / "out.jsonl"
    _warc(warc)
    assert main(["extract", str(warc), "-o", str(out), "-q"]) == 0
    rows = _rows(out)
    assert [r["source"]["url"] for r in rows] == [
        "https://baodantoc.vn/0",
        "https://baodantoc.vn/2",
    ]
    assert all("<urn:uuid:" in r["id"] for r in rows)
    assert rows[1]["text"] == "công tác" and rows[0]["meta"]["site"] == "Dân tộc và Phát triển"
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(warc.read_bytes()[: len(warc.read_bytes()) // 2])
    assert main(["extract", str(cut), "-o", str(out), "-q", "--overwrite"]) == 0
    assert any("invalid WARC" in e["message"] for r in _rows(out) for e in r["errors"])


@pytest.mark.skipif(os.environ.get("VNEXTRACT_SKIP_DASK") == "1", reason="VNEXTRACT_SKIP_DASK=1")
def test_dask_local_cluster_writes_what_the_local_engine_writes(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    _corpus(tmp_path / "in", 2)
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert main(["extract", str(tmp_path / "in"), "-o", str(local), "-q", "--workers", "1"]) == 0
    args = [
        "extract",
        str(tmp_path / "in"),
        "-o",
        str(dask),
        "-q",
        "--engine",
        "dask",
        "--workers",
        "2",
    ]
    assert main(args) == 0
    assert local.read_text(encoding="utf-8") == dask.read_text(encoding="utf-8")
