"""Peak memory of one worker for one large page: what a worker may use at `--max-bytes`.

    .venv/bin/python bench/memory.py                      # a page just under --max-bytes (20 MB)
    .venv/bin/python bench/memory.py --size 15            # a 15 MB page
    .venv/bin/python bench/memory.py --max-bytes 5000000  # the limit, and so the page, smaller
    .venv/bin/python bench/memory.py --shape dense        # the worst shape: tiny elements only

`--shape article` (the default) is a fixture's article (fixtures/pages/html_01_tinhuy_nghiquyet
.html) with its body paragraphs repeated until the asked size, so every step (trafilatura, the
line filter, normalization, segmentation, the rules) sees a long page of real sentences.
`--shape dense` is one sentence and then `<span>x</span>` up to the size: the most elements per
byte, so the largest parsed trees (trafilatura copies the tree several times); such a page
usually runs over `--max-seconds` and is abandoned, at its peak by then. The page is extracted
by `vnextract extract page.html -o out.jsonl --workers 1 --max-seconds N` in a fresh process,
and the peak resident memory of its largest process (the worker) is printed, with the peak of
the same run on the fixture page alone for comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "pages" / "html_01_tinhuy_nghiquyet.html"
MB = 1_000_000


def make_page(path: Path, size: int, shape: str = "article") -> int:
    """Write a page of `shape` (see the module's doc) of about `size` bytes; return its size in
    bytes (at most `size`, at least the fixture's)."""
    if shape == "dense":
        sentence = "Tỉnh ủy ban hành Nghị quyết số 25-NQ/TW về công tác dân vận."
        head = f"<html><body><article><p>{sentence}</p><p>".encode()
        tail, cell = b"</p></article></body></html>", b"<span>x</span>"
        cells = max(0, size - len(head) - len(tail)) // len(cell)
        path.write_bytes(head + cell * cells + tail)
        return path.stat().st_size
    page = SOURCE.read_text(encoding="utf-8")
    paragraphs = "\n".join(re.findall(r"<p>.*?</p>", page, flags=re.S)).encode()
    head, tail = page.encode().split(b"</article>", 1)
    room = max(0, size - len(head) - len(tail) - len(b"</article>"))
    with path.open("wb") as fh:
        fh.write(head)
        for _ in range(room // (len(paragraphs) + 1)):
            fh.write(paragraphs + b"\n")
        fh.write(b"</article>" + tail)
    return path.stat().st_size


def peak_rss_mb(page: Path, out: Path, max_bytes: int, max_seconds: float) -> float:
    """Peak resident memory, in MB, of a fresh one-worker `vnextract extract` of `page`."""
    args = ["extract", str(page), "-o", str(out), "-q", "--workers", "1", "--overwrite"]
    args += ["--max-bytes", str(max_bytes), "--max-seconds", str(max_seconds)]
    return run_peak_mb(args)


def run_peak_mb(args: list[str]) -> float:
    """Peak resident memory, in MB, of one `vnextract ARGS` run (tests/test_hostile.py uses it).

    A probe process runs it as its only child and reports its children's peak, so earlier
    runs in this process do not count."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run([sys.executable, '-m', 'pipeline', *sys.argv[1:]], check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return int(run.stdout.split()[-1]) / 1024


def describe(out: Path) -> str:
    """Text length, records and errors of the one document written to `out`."""
    line = json.loads(out.read_text(encoding="utf-8"))
    errors = "; ".join(e["message"] for e in line["errors"]) or "none"
    return f"text {len(line['text']):,} chars, {len(line['records'])} records, errors: {errors}"


def main() -> int:
    """Measure and print the peak RSS for a page of the asked size and for the small page."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--max-bytes", type=int, default=20 * MB, help="the run's --max-bytes")
    parser.add_argument("--size", type=float, help="page size in MB (default: just under it)")
    parser.add_argument("--max-seconds", type=float, default=60, help="the run's --max-seconds")
    parser.add_argument("--shape", choices=("article", "dense"), default="article")
    args = parser.parse_args()
    size = int(args.size * MB) if args.size else args.max_bytes - 1000
    if resource.getrusage(resource.RUSAGE_SELF).ru_maxrss <= 0:
        raise SystemExit("this system does not report peak memory (ru_maxrss)")
    with tempfile.TemporaryDirectory(prefix="vnextract-memory-") as tmp:
        page, out = Path(tmp) / "page.html", Path(tmp) / "out.jsonl"
        small = peak_rss_mb(SOURCE, out, args.max_bytes, args.max_seconds)
        written = make_page(page, size, args.shape)
        started = time.perf_counter()
        peak = peak_rss_mb(page, out, args.max_bytes, args.max_seconds)
        seconds = time.perf_counter() - started
        print(f"page: {written / MB:.1f} MB of HTML ({args.shape}), --max-bytes {args.max_bytes:,}")
        print(f"peak RSS of the worker: {peak:.0f} MB in {seconds:.0f} s")
        print(f"  the fixture page alone: {small:.0f} MB; the page adds {peak - small:.0f} MB")
        print(f"output: {describe(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
