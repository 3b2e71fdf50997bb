"""Dead and hung workers, and time limits the parent enforces (issue 14, defects 6 and 7).

Each run is a real `vnextract extract` in a child process whose workers meet real signals: a
driver script replaces the normalize step by one that, on a marker in the page, kills its own
worker (SIGKILL, SIGTERM, `os._exit`), stops it (SIGSTOP), sleeps with SIGALRM blocked (as an
lxml call inside trafilatura does), or writes its pid and waits to be killed from outside.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.engines.pool import GRACE

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "fixtures" / "pages"

#: The normalize step, with markers. Killing and stopping happen only in a worker process
#: (never in the driver itself); the sleeps happen anywhere.
DRIVER = """
import os, signal, sys, threading, time
from pathlib import Path
import pipeline.process as process

DRIVER_PID = os.getpid()
normalize = process.normalize

def marked(doc):
    text, in_worker = doc.text, os.getpid() != DRIVER_PID
    if in_worker and "KILLME" in text:
        os.kill(os.getpid(), signal.SIGKILL)
    if in_worker and "TERMME" in text:
        os.kill(os.getpid(), signal.SIGTERM)
    if in_worker and "EXITME" in text:
        os._exit(3)
    if in_worker and "STOPME" in text:
        os.kill(os.getpid(), signal.SIGSTOP)
    if "SLEEPME" in text:  # the alarm cannot interrupt this, as with lxml
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(20)
    if "WAITME" in text:
        Path(os.environ["PID_FILE"]).write_text(str(os.getpid()))
        time.sleep(20)
    if "SLOWOK" in text:
        time.sleep(1.5)
    return normalize(doc)

process.normalize = marked
"""

RUN_CLI = DRIVER + "from pipeline.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def _corpus(folder: Path, marked: dict[str, str], pages: int = 5) -> list[str]:
    """Fixture pages plus one text page per marker (named `NN_<marker>.txt` so that the
    order is known); returns the ids in input order."""
    folder.mkdir()
    for page in sorted(PAGES.iterdir())[:pages]:
        shutil.copy(page, folder / f"10_{page.name}")
    for name, marker in marked.items():
        (folder / name).write_text(f"Ngày 6/12, Huyện ủy họp. {marker}\n", encoding="utf-8")
    return sorted(str(p) for p in folder.iterdir())


def _extract(args: list[str], timeout: float = 60, **env: str) -> tuple[int, float]:
    """Run the CLI through the driver; (exit code, seconds)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "extract", *args, "-q"],
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    assert not done.stderr.strip() or done.returncode == 0, done.stderr[-2000:]
    return done.returncode, time.monotonic() - started


@functools.cache
def _clean_seconds(workers: str) -> float:
    """Seconds of a run of the same driver on a corpus with no marker: the process start, the
    rule packs compiled once in the parent, the pages (measured once a session). A run that
    abandons a document pays this, the limit and its grace, and a forked replacement's
    warm-up (half a second); a run that waits for a stopped worker hangs until the test's
    timeout."""
    with tempfile.TemporaryDirectory() as tmp:
        _corpus(Path(tmp) / "in", {"20_plain.txt": "sau đó"})
        out = Path(tmp) / "out.jsonl"
        args = [str(Path(tmp) / "in"), "-o", str(out), "--workers", workers, "--max-seconds", "1"]
        code, seconds = _extract(args)
        assert code == 0
        return seconds


def _abandoned_in_time(seconds: float, workers: str) -> bool:
    """Abandoned at the limit (1 s here) and the pool's grace, and 3 s for a replacement and
    the noise of two process starts (a clean run takes 8-11 s on a shared machine; an
    abandoning one about 2 s more): far below the 20 s a sleeping worker would hold."""
    return seconds < _clean_seconds(workers) + 1 + GRACE + 3


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _worker_errors(row: dict) -> list[str]:
    return [e["message"] for e in row["errors"] if e["stage"] == "worker"]


@pytest.mark.parametrize("marker, died", [("KILLME", "signal 9"), ("TERMME", "signal 15")])
def test_a_page_that_kills_its_worker_gets_an_error_line_and_the_batch_goes_on(
    tmp_path: Path, marker: str, died: str
) -> None:
    # the slow first page holds the output back while the window of read-ahead fills
    marked = {"00_slow.txt": "SLOWOK", "20_slow.txt": "SLOWOK", "21_kill.txt": marker}
    marked["22_exit.txt"] = "EXITME"
    ids = _corpus(tmp_path / "in", marked, pages=11)
    out = tmp_path / "out.jsonl"
    args = [str(tmp_path / "in"), "-o", str(out), "--workers", "2"]
    assert _extract(args)[0] == 0
    rows = _rows(out)
    assert [r["id"] for r in rows] == ids, "one line per input document, in input order"
    by_name = {Path(r["id"]).name: r for r in rows}
    assert _worker_errors(by_name["21_kill.txt"]) == [
        f"worker died ({died}) while processing this document"
    ]
    assert _worker_errors(by_name["22_exit.txt"]) == [
        "worker exited with code 3 while processing this document"
    ]
    others = [r for r in rows if "kill" not in r["id"] and "exit" not in r["id"]]
    assert not any(_worker_errors(r) for r in others), "a worker's death touches no other page"
    assert by_name["20_slow.txt"]["records"], "in flight beside the culprits: still complete"
    # --resume skips them all: the culprit's line is written, so it does not kill the rerun
    before = out.read_text(encoding="utf-8")
    assert _extract([*args, "--resume"])[0] == 0
    assert out.read_text(encoding="utf-8") == before


def test_a_worker_killed_from_outside_is_replaced(tmp_path: Path) -> None:
    ids = _corpus(tmp_path / "in", {"20_wait.txt": "WAITME", "21_after.txt": "sau đó"})
    out, pid_file = tmp_path / "out.jsonl", tmp_path / "pid"
    cmd = [sys.executable, "-c", RUN_CLI, "extract", str(tmp_path / "in"), "-o", str(out), "-q"]
    env = {**os.environ, "PID_FILE": str(pid_file)}
    proc = subprocess.Popen([*cmd, "--workers", "1"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    os.kill(int(pid_file.read_text()), signal.SIGKILL)  # as the OOM killer would
    assert proc.wait(timeout=30) == 0
    rows = _rows(out)
    assert [r["id"] for r in rows] == ids
    assert _worker_errors(rows[-2]) == ["worker died (signal 9) while processing this document"]
    assert rows[-1]["text"] and not rows[-1]["errors"], "the replacement worker goes on"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_max_seconds_holds_when_the_alarm_is_blocked(tmp_path: Path, workers: str) -> None:
    ids = _corpus(tmp_path / "in", {"20_sleep.txt": "SLEEPME"})
    out = tmp_path / "out.jsonl"
    args = [str(tmp_path / "in"), "-o", str(out), "--workers", workers, "--max-seconds", "1"]
    code, seconds = _extract(args)
    assert code == 0 and _abandoned_in_time(seconds, workers), seconds
    rows = _rows(out)
    assert [r["id"] for r in rows] == ids
    assert _worker_errors(rows[-1]) == ["document took over the limit of 1 s; abandoned"]
    assert not any(r["errors"] for r in rows[:-1] if "over the limit" in json.dumps(r["errors"]))


def test_a_stopped_worker_is_abandoned_at_the_limit(tmp_path: Path) -> None:
    ids = _corpus(tmp_path / "in", {"20_stop.txt": "STOPME", "21_after.txt": "sau đó"})
    out = tmp_path / "out.jsonl"
    args = [str(tmp_path / "in"), "-o", str(out), "--workers", "2", "--max-seconds", "1"]
    code, seconds = _extract(args, timeout=40)
    assert code == 0 and _abandoned_in_time(seconds, "2"), seconds
    rows = _rows(out)
    assert [r["id"] for r in rows] == ids
    assert _worker_errors(rows[-2]) == ["document took over the limit of 1 s; abandoned"]
    assert not rows[-1]["errors"]


RUN_API = (
    DRIVER
    + """
import json
from pipeline import extract

page = "Ngày 6/12, Huyện ủy sơ kết Chỉ thị số 05-CT/TU. SLEEPME"
out = {}

def call(where):
    if where == "thread":  # start the helper from this thread, untimed: a first start is noisy
        extract(page.replace("SLEEPME", ""), format="text", max_seconds=1)
    started = time.monotonic()
    line = extract(page, format="text", max_seconds=1)
    out[where] = [time.monotonic() - started, line["errors"]]

thread = threading.Thread(target=call, args=("thread",))
thread.start()
thread.join()
call("main")
good = extract(page.replace("SLEEPME", ""), format="text")
plain = extract(page.replace("SLEEPME", ""), format="text", max_seconds=0)
out["same"] = good == plain and bool(good["records"])
print(json.dumps(out))
"""
)


def test_the_python_api_limit_holds_from_any_thread() -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN_API], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    for where in ("thread", "main"):
        seconds, errors = out[where]
        # the 1 s limit, the grace, and up to 3 s for a replacement helper (forked from the
        # caller, which compiled the packs: half a second when idle) against a 20 s sleep;
        # was a fixed 12 s for a first start as well, which a slow machine overran
        assert seconds < 1 + GRACE + 3, (where, seconds)
        assert errors == [
            {"stage": "worker", "message": "document took over the limit of 1 s; abandoned"}
        ]
    assert out["same"], "in a helper process or not, the same line"


def test_a_job_sent_to_a_stopped_idle_worker_is_retried_once() -> None:
    from pipeline.engines.pool import Job, Pool, document_of

    pool = Pool(Settings(max_seconds=5), 1, document_of)
    pool.ack_seconds = 1.0
    try:
        while not pool.workers[0].ready:
            pool.step(deque())
        os.kill(pool.workers[0].process.pid, signal.SIGSTOP)  # idle: between two pages
        todo = deque([Job(0, Document("p", {"format": "text"}, raw="Ngày 6/12, họp."))])
        started, finished = time.monotonic(), []
        while not finished and time.monotonic() - started < 20:
            finished = pool.step(todo)
        [(job, reply)] = finished
        assert job.tries == 1 and isinstance(reply, Document)
        assert reply.text and not reply.errors, "retried on the new worker, not blamed"
    finally:
        pool.close()
