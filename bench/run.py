"""Benchmark: vnextract against trafilatura alone, one worker against two, memory over size.

    .venv/bin/python bench/run.py --rounds 3      # both page sets: speed ratios, time per step
    .venv/bin/python bench/run.py --sets mixed --pages 2000   # the set of earlier rounds
    .venv/bin/python bench/run.py --rss 1000 10000  # peak RSS of a one-worker run per size

Page sets (each copied to --pages pages with varied ids: a comment with the copy number, a
distinct file name): `real-html`, the four pages of ../shared/real-html (3-37 KB of text);
`real-dev`, the 17 national news pages of ../shared/real-dev/html; `mixed`, the five HTML
fixtures with real-html (the set of the rounds before the thirty-seventh). HTML only:
trafilatura is the floor for HTML; on already-scraped text it has nothing to do. Each round
times, per set, trafilatura alone, one worker and two workers back to back; then the
text-kept check (bench/text_kept.py) runs once. Read the ratios, each measured within one
round, not the absolute numbers (the machines are shared and noisy). Results are kept in
bench/RESULTS.md.
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
SHARED = ROOT.parent / "shared"
SETS = {
    "real-html": [SHARED / "real-html"],
    "real-dev": [SHARED / "real-dev" / "html"],
    "mixed": [ROOT / "fixtures" / "pages", SHARED / "real-html"],
}
SOURCES = SETS["mixed"]


def build_corpus(folder: Path, pages: int, sources: list[Path] = SOURCES) -> list[Path]:
    """`pages` HTML files made from the sources, each with its own id."""
    originals = sorted(p for src in sources if src.exists() for p in src.glob("*.html"))
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


def speed(pages: int, rounds: int, sets: list[str]) -> None:
    """Each round times, per page set, trafilatura, one worker and two workers back to back on
    the same pages; the ratios are per round (the machine is shared: a round's neighbours
    share its noise). Then the text-kept check, once."""
    print(f"{pages} HTML pages a set on {platform.machine()} with {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folders = {}
        for name in sets:
            folders[name] = Path(tmp) / name
            folders[name].mkdir()
            build_corpus(folders[name], pages, SETS[name])
        for i in range(1, rounds + 1):
            for name, folder in folders.items():
                stats = _round(i, name, folder, pages, Path(tmp))
                print("  time per step (1 worker): " + _shares(stats["seconds"]))
    kept = subprocess.run([sys.executable, str(ROOT / "bench" / "text_kept.py")], cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip
    lines = kept.stdout.strip().splitlines()
    print("text kept: " + "; ".join(lines[-2:]) if lines else f"text kept: failed {kept.stderr}")


def _shares(seconds: dict[str, float]) -> str:
    """Each step's share of a run's time.

    >>> _shares({"clean": 3.0, "extract": 1.0, "total": 4.0})
    'clean 75%, extract 25%'
    """
    steps = {k: v for k, v in seconds.items() if k != "total"}
    total = sum(steps.values()) or 1.0
    return ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in steps.items())


def _round(i: int, name: str, folder: Path, pages: int, tmp: Path) -> dict:
    """One round on one page set: the three timings and their ratios, printed."""
    files = sorted(folder.glob("*.html"))
    traf_s, traf_cpu = time_trafilatura(files)
    one_s, one_cpu, stats = time_vnextract(folder, 1, tmp / f"{name}-one.jsonl")
    two_s, _, _ = time_vnextract(folder, 2, tmp / f"{name}-two.jsonl")
    traf, one, two = pages / traf_s, pages / one_s, pages / two_s
    print(f"round {i}, {name}: trafilatura alone {traf:.1f} docs/s, vnextract 1 worker "
          f"{one:.1f}, 2 workers {two:.1f}; 1 worker / trafilatura {one / traf:.2f}x "
          f"(per CPU second {traf_cpu / one_cpu:.2f}x), 2 workers / trafilatura "
          f"{two / traf:.2f}x, 2 workers / 1 worker {two / one:.2f}x")  # fmt: skip
    return stats


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
    parser.add_argument("--pages", type=int, default=400, help="pages a set (copies)")
    parser.add_argument(
        "--sets", nargs="+", choices=sorted(SETS), default=["real-html", "real-dev"]
    )
    parser.add_argument("--rounds", type=int, default=1, help="repeat the three timings")
    parser.add_argument("--rss", type=int, nargs="*", help="page counts for the memory check")
    args = parser.parse_args()
    if args.rss:
        rss(args.rss)
    else:
        speed(args.pages, args.rounds, args.sets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
