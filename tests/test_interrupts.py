"""Ctrl-C and SIGTERM on a real run: no traceback, whole lines, the command that finishes the
run, exit 130 / 143; the resumed run then writes every document exactly once."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_safety_workers import RUN_CLI

ROOT = Path(__file__).resolve().parent.parent


def _lines(out: Path) -> list[dict]:
    if out.is_dir():
        texts = [gzip.decompress(p.read_bytes()).decode() for p in sorted(out.glob("*.gz"))]
    else:
        texts = [out.read_text(encoding="utf-8")]
    return [json.loads(line) for text in texts for line in text.splitlines()]


def _started(out: Path) -> bool:
    """The run has written at least one line (a finished shard, or a line of the file)."""
    if out.is_dir():
        return any(out.glob("part-*.jsonl.gz"))
    return out.exists() and out.stat().st_size > 0


@pytest.mark.parametrize(
    "signum, code, shards",
    [(signal.SIGINT, 130, False), (signal.SIGTERM, 143, False), (signal.SIGINT, 130, True)],
)
def test_an_interrupted_run_says_how_to_finish_and_loses_nothing(
    tmp_path: Path, signum: int, code: int, shards: bool
) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    for i in range(8):  # each page sleeps 1.5 s in its worker (the driver's SLOWOK marker)
        (pages / f"p{i}.txt").write_text(f"Ngày 6/12, Huyện ủy họp lần {i}. SLOWOK", "utf-8")
    out = tmp_path / "out"
    target = f"{out}/" if shards else str(out)
    args = ["extract", str(pages), "-o", target, "--workers", "1", "--shard-size", "1"]
    run = subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, *args], cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not _started(out) and time.monotonic() < deadline:
        time.sleep(0.05)
    run.send_signal(signum)
    err = run.communicate(timeout=30)[1]
    assert run.returncode == code, err
    assert "Traceback" not in err and f"interrupted by {signal.Signals(signum).name}" in err
    written = _lines(out)  # every line whole JSON
    assert 1 <= len(written) < 8, err
    assert f"after {len(written)} document" in err
    command = err.split("To finish, run:\n  vnextract ", 1)[1].strip()
    assert command.endswith("--resume")
    resumed = subprocess.run(
        [sys.executable, "-m", "pipeline", *command.split()], cwd=ROOT, capture_output=True
    )
    assert resumed.returncode == 0, resumed.stderr
    ids = [row["id"] for row in _lines(out)]
    assert sorted(ids) == sorted(str(p) for p in pages.iterdir())  # each once, none lost
    assert not os.path.exists(f"{out}/part-00008.jsonl.gz.tmp")
