"""Benchmark: vnextract against trafilatura alone, one worker against two, memory over size.

    .venv/bin/python bench/run.py --rounds 3      # 2,000 pages: speed ratios, time per step
    .venv/bin/python bench/run.py --rss 1000 10000  # peak RSS of a one-worker run per size

The corpus is the HTML pages of fixtures/pages and ../shared/real-html, copied to the asked
number with varied ids (a comment with the copy number, a distinct file name). HTML only:
trafilatura is the floor for HTML; on already-scraped text it has nothing to do. Everything is
measured in one run on the same machine, so read the ratios, not the absolute numbers (the
machines are shared and noisy). Results are kept in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "fixtures" / "pages", ROOT.parent / "shared" / "real-html"]


def build_corpus(folder: Path, pages: int) -> list[Path]:
    """`pages` HTML files made from the sources, each with its own id."""
    originals = sorted(p for src in SOURCES if src.exists() for p in src.glob("*.html"))
    if not originals:
        raise SystemExit("no HTML sources found")
    texts = [p.read_text(encoding="utf-8") for p in originals]
    out = []
    for i in range(pages):
        path = folder / f"{i:06d}_{originals[i % len(originals)].name}"
        path.write_text(f"<!-- copy {i} -->\n" + texts[i % len(texts)], encoding="utf-8")
        out.append(path)
    return out


def time_trafilatura(files: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds for trafilatura.extract (defaults) over every file, read from disk
    each time."""
    import trafilatura

    started, cpu = time.perf_counter(), time.process_time()
    for path in files:
        trafilatura.extract(path.read_text(encoding="utf-8"))
    return time.perf_counter() - started, time.process_time() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_vnextract(folder: Path, workers: int, out: Path) -> tuple[float, float, dict]:
    """Wall and CPU seconds (all its processes) of `vnextract extract` on the folder, and its
    --stats."""
    stats = out.with_suffix(".stats.json")
    cmd = [sys.executable, "-m", "pipeline", "extract", str(folder), "-o", str(out), "-q"]
    cmd.append("--overwrite")  # each round replaces the last one's output
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([*cmd, "--workers", str(workers), "--stats", str(stats)], check=True, cwd=ROOT)
    wall = time.perf_counter() - started
    return wall, _children_cpu() - cpu, json.loads(stats.read_text(encoding="utf-8"))


def peak_rss_mb(folder: Path, out: Path) -> float:
    """Peak resident memory (MB) of a one-worker run, read from the child's rusage."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cmd = [sys.executable, "-m", "pipeline", "extract", str(folder), "-o", str(out), "-q"]
    cmd.append("--overwrite")  # each round replaces the last one's output
    subprocess.run([*cmd, "--workers", "1"], check=True, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after) / 1024


def speed(pages: int, rounds: int) -> None:
    """Each round times trafilatura, one worker and two workers back to back on the same pages;
    the ratios are per round (the machine is shared: a round's neighbours share its noise)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        files = build_corpus(folder, pages)
        print(f"{pages} HTML pages on {platform.machine()} with {os.cpu_count()} cores, "
              f"Python {platform.python_version()}")  # fmt: skip
        for i in range(1, rounds + 1):
            traf_s, traf_cpu = time_trafilatura(files)
            one_s, one_cpu, stats = time_vnextract(folder, 1, Path(tmp) / "one.jsonl")
            two_s, _, _ = time_vnextract(folder, 2, Path(tmp) / "two.jsonl")
            traf, one, two = pages / traf_s, pages / one_s, pages / two_s
            print(f"round {i}: trafilatura alone {traf:.1f} docs/s, vnextract 1 worker "
                  f"{one:.1f}, 2 workers {two:.1f}; 1 worker / trafilatura {one / traf:.2f}x "
                  f"(per CPU second {traf_cpu / one_cpu:.2f}x), "
                  f"2 workers / 1 worker {two / one:.2f}x")  # fmt: skip
    steps = {k: v for k, v in stats["seconds"].items() if k != "total"}
    total = sum(steps.values())
    print(
        "time per step (1 worker, last round): "
        + ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in steps.items())
    )


def rss(sizes: list[int]) -> None:
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "corpus"
            folder.mkdir()
            build_corpus(folder, size)
            # each size in a fresh child so that its peak is its own
            out = Path(tmp) / "o.jsonl"
            code = (
                f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
                "from bench.run import peak_rss_mb; "
                f"print(peak_rss_mb(Path({str(folder)!r}), Path({str(out)!r})))"
            )
            run = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            )
            mb = float(run.stdout)
            print(f"  {size:6d} pages: peak RSS {mb:.0f} MB (one worker)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1, help="repeat the three timings")
    parser.add_argument("--rss", type=int, nargs="*", help="page counts for the memory check")
    args = parser.parse_args()
    if args.rss:
        rss(args.rss)
    else:
        speed(args.pages, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
