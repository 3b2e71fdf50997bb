"""Nothing written is lost (issue 14, the output side): the writer never fails on a document,
an output never replaces an input, outputs are complete or absent under their final names, a
kill or a full disk is survived by `--resume`, and bad option values are refused up front.

Real `vnextract` processes are used where the defect needs them (kills, full disks); a tiny
tmpfs is mounted for the full-disk run when this machine allows it (root), and a fake writer
that raises ENOSPC covers the same case everywhere.
"""

from __future__ import annotations

import builtins
import errno
import gzip
import hashlib
import io
import json
import math
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline import sinks
from pipeline.cli import main
from pipeline.config import Settings
from pipeline.document import Document
from pipeline.sinks import GzipFileSink, OutputError, ShardSink
from pipeline.steps.write import to_json_line

ROOT = Path(__file__).resolve().parent.parent
VNEXTRACT = ROOT / ".venv" / "bin" / "vnextract"
SENTENCE = "Ngày 3/4/2024, Tỉnh ủy ban hành Nghị quyết số 25-NQ/TW về công tác dân vận."


def _command(*args: str) -> list[str]:
    if VNEXTRACT.exists():
        return [str(VNEXTRACT), *args]
    return [sys.executable, "-m", "pipeline", *args]


def _vnextract(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real command; its exit code, stdout and stderr."""
    return subprocess.run(_command(*args), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip


def _strict(line: str) -> dict[str, Any]:
    """A line parsed as strict JSON: NaN and Infinity are refused."""

    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(line, parse_constant=refuse)


def _rows(path: Path) -> list[dict[str, Any]]:
    """The lines of a .jsonl or .jsonl.gz output, strict UTF-8 and strict JSON."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return [_strict(line) for line in data.decode("utf-8").splitlines()]


def _shard_rows(folder: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for part in sorted(folder.glob("part-*.jsonl.gz")):
        rows += _rows(part)
    return rows


def _dump(path: Path, n: int, words: int = 0) -> list[str]:
    """A JSONL dump of `n` text pages (each with `words` random extra words); their ids."""
    rng = random.Random(n)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            extra = " ".join(f"{rng.getrandbits(40):x}" for _ in range(words))
            fh.write(json.dumps({"url": f"https://a.vn/{i}", "text": f"{SENTENCE} {i} {extra}"},
                                ensure_ascii=False) + "\n")  # fmt: skip
    return [f"{path}:{i}" for i in range(1, n + 1)]


# 1. The writer never fails on a document ------------------------------------------------


def test_a_lone_surrogate_or_nan_in_a_dump_is_an_error_entry_and_resume_gets_past(
    tmp_path: Path,
) -> None:
    dump, out = tmp_path / "d.jsonl", tmp_path / "o.jsonl"
    dump.write_text(
        '{"text":"a"}\n{"text":"\\ud83d"}\n{"text":"b","x":NaN,"y":[-Infinity]}\n{"text":"c"}\n',
        encoding="utf-8",
    )
    done = _vnextract("extract", str(dump), "-o", str(out), "-q", "--workers", "1")
    assert done.returncode == 0, done.stderr
    rows = _rows(out)  # every line strict JSON in strict UTF-8
    assert [r["id"] for r in rows] == [f"{dump}:{i}" for i in (1, 2, 3, 4)]
    assert rows[1]["text"] == "\ufffd" and rows[1]["errors"][-1]["stage"] == "write"
    assert "surrogate" in rows[1]["errors"][-1]["message"]
    assert rows[2]["source"]["extra"] == {"x": None, "y": [None]}
    assert "not a JSON number" in rows[2]["errors"][-1]["message"]
    # a kill cut the last line: --resume removes it and writes the rest once
    data = out.read_bytes()
    out.write_bytes(data[: data.rindex(b"\n", 0, len(data) - 1) + 20])
    done = _vnextract("extract", str(dump), "-o", str(out), "-q", "--resume", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in _rows(out)] == [f"{dump}:{i}" for i in (1, 2, 3, 4)]


def test_a_file_name_in_no_encoding_keeps_one_stable_id(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(SENTENCE, encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
        fh.write(SENTENCE.encode())
    out, stats = tmp_path / "o.jsonl", tmp_path / "stats.json"
    args = ["extract", str(folder), "-o", str(out), "-q", "--workers", "1"]
    assert _vnextract(*args).returncode == 0
    ids = sorted(r["id"] for r in _rows(out))
    assert ids == [f"{folder}/caf\\xe9.txt", f"{folder}/ok.txt"]
    done = _vnextract(*args, "--resume", "--stats", str(stats))
    assert done.returncode == 0, done.stderr
    assert json.loads(stats.read_text())["skipped_already_done"] == 2
    assert len(_rows(out)) == 2  # not written twice


def test_the_writer_never_raises() -> None:
    deep: list[Any] = []
    for _ in range(5000):
        deep = [deep]
    doc = Document(id="x", source={"extra": {"deep": deep, "s": {1}, "b": b"\xff", 7: math.inf}})
    row = _strict(to_json_line(doc))
    assert row["id"] == "x" and row["errors"][-1]["stage"] == "write"
    assert row["source"]["extra"]["s"] == "{1}" and row["source"]["extra"]["7"] is None


# 2. An input is never the output ---------------------------------------------------------


def test_an_output_that_is_an_input_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "dump.jsonl"
    _dump(dump, 3)
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    page = crawl / "page.html"
    page.write_text(f"<p>{SENTENCE}</p>", encoding="utf-8")
    (tmp_path / "link.jsonl").symlink_to(dump)
    before = {p: p.read_bytes() for p in (dump, page)}
    refused = [
        [str(dump), "-o", str(dump)],
        [str(dump), "-o", str(dump), "--resume"],
        [str(dump), "-o", str(tmp_path / "link.jsonl")],
        [str(crawl), "-o", str(page)],
        [str(page), "-o", str(page)],
        [str(dump), "-o", f"{dump}/"],  # a file is no folder for shards
    ]
    for args in refused:
        assert main(["extract", *args, "-q"]) == 2, args
        err = capsys.readouterr().err
        assert err.startswith(f"vnextract: -o {args[2].rstrip('/')}") and "Traceback" not in err
    assert {p: p.read_bytes() for p in before} == before


def test_an_output_that_is_no_regular_file_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text(SENTENCE, encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    done = _vnextract("extract", str(page), "-o", str(fifo), "-q", timeout=60)
    assert done.returncode == 2 and "not a regular file" in done.stderr
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    done = _vnextract("extract", str(page), "-o", str(tmp_path / "gone"), "-q", timeout=60)
    assert done.returncode == 2 and "broken symbolic link" in done.stderr


def test_an_earlier_output_inside_the_input_folder_is_still_replaced(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "page.txt").write_text(SENTENCE, encoding="utf-8")
    out = crawl / "out.jsonl"
    for _ in range(2):  # the second run replaces the first one's output, never reads it
        args = ["extract", str(crawl), "-o", str(out), "-q", "--workers", "1", "--overwrite"]
        assert main(args) == 0
        assert [Path(r["id"]).name for r in _rows(out)] == ["page.txt"]


def test_an_earlier_output_needs_resume_or_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second run into an output that holds documents neither replaces nor appends to it
    silently: exit 2 naming both options, the earlier output untouched."""
    page = tmp_path / "a.txt"
    page.write_text(SENTENCE, encoding="utf-8")
    for out in (tmp_path / "o.jsonl", tmp_path / "shards"):
        target = f"{out}/" if out.name == "shards" else str(out)
        args = ["extract", str(page), "-o", target, "-q", "--workers", "1"]
        assert main(args) == 0
        before = {p: p.read_bytes() for p in ([out] if out.is_file() else sorted(out.iterdir()))}
        capsys.readouterr()
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "already holds" in err and "--resume" in err and "--overwrite" in err, err
        assert {p: p.read_bytes() for p in before} == before and all(p.exists() for p in before)
        assert main([*args, "--resume", "--overwrite"]) == 2
        assert main([*args, "--overwrite"]) == 0
        assert main([*args, "--resume"]) == 0


def test_a_shard_given_as_input_is_not_deleted(tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    shards.mkdir()
    part = shards / "part-00000.jsonl.gz"
    part.write_bytes(gzip.compress(json.dumps({"text": SENTENCE}).encode() + b"\n"))
    assert main(["extract", str(part), "-o", f"{shards}/", "-q"]) == 2
    assert part.exists()


# 3. Shards: complete under their final names, or absent ----------------------------------


class FullDisk(io.FileIO):
    """A file on a disk with `room` bytes left: a write past it raises ENOSPC."""

    room = 512

    def write(self, data: Any) -> int:
        left = max(0, self.room - self.tell())
        if len(data) > left:
            super().write(bytes(data)[:left])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return super().write(data)


@pytest.fixture
def full_disk_for_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    """gzip's files named `*.tmp` (the unfinished shards) land on a full disk."""
    real_open = builtins.open

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith(".tmp") and "w" in mode:
            return io.BufferedWriter(FullDisk(file, "w"))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)


def test_a_full_disk_while_a_shard_is_finished_leaves_no_cut_shard(
    tmp_path: Path, full_disk_for_shards: None
) -> None:
    rng = random.Random(1)
    sink = ShardSink(tmp_path, per_shard=2)
    lines = [json.dumps({"id": str(i), "text": f"{rng.getrandbits(6000):x}"}) for i in (1, 2)]
    with pytest.raises(OSError) as failure:
        for i, line in enumerate(lines):
            sink.write(str(i), line)
    sink.close()  # as the runner does after a failure
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no part-00000.jsonl.gz, no .tmp
    assert isinstance(failure.value, OutputError) and "--resume" in str(failure.value)


def test_resume_redoes_a_cut_final_shard(tmp_path: Path) -> None:
    dump, shards = tmp_path / "d.jsonl", tmp_path / "shards"
    ids = _dump(dump, 7)
    args = ["extract", str(dump), "-o", f"{shards}/", "--shard-size", "2", "-q", "--workers", "1"]
    assert _vnextract(*args).returncode == 0
    cut = shards / "part-00001.jsonl.gz"
    cut.write_bytes(cut.read_bytes()[:30])
    (shards / "part-00002.jsonl.gz").write_bytes(b"not gzip at all")
    done = _vnextract(*args, "--resume")
    assert done.returncode == 0, done.stderr
    assert "part-00001.jsonl.gz: cut or corrupt shard" in done.stderr
    assert sorted(r["id"] for r in _shard_rows(shards)) == sorted(ids)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 192 KB tmpfs (root only; skipped where it cannot be mounted)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    try:
        tried = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(mount)],
                               capture_output=True, timeout=30)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("cannot mount a tmpfs here")
    if tried.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=30)


def test_a_full_disk_stops_the_run_and_resume_finishes_it(tmp_path: Path, tiny_disk: Path) -> None:
    dump = tmp_path / "d.jsonl"
    ids = _dump(dump, 60, words=1000)  # ~10 KB a line; gzip halves it at best
    runs = [[f"{tiny_disk}/shards/", "--shard-size", "10"], [str(tiny_disk / "out.jsonl")],
            [str(tiny_disk / "out.jsonl.gz")]]  # fmt: skip
    for target in runs:
        args = ["extract", str(dump), "-o", *target, "-q", "--workers", "1"]
        done = _vnextract(*args)
        assert done.returncode == 2 and "No space left on device" in done.stderr, done.stderr
        assert "--resume" in done.stderr and "Traceback" not in done.stderr
        if target[0].endswith("/"):  # every shard under its final name is whole
            assert len(_shard_rows(tiny_disk / "shards")) % 10 == 0
        subprocess.run(["mount", "-o", "remount,size=16m", str(tiny_disk)], check=True)
        done = _vnextract(*args, "--resume")
        assert done.returncode == 0, done.stderr
        if target[0].endswith("/"):
            rows = _shard_rows(tiny_disk / "shards")
        else:
            rows = _rows(Path(target[0]))
        assert sorted(r["id"] for r in rows) == sorted(ids)
        for old in tiny_disk.iterdir():
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        subprocess.run(["mount", "-o", "remount,size=192k", str(tiny_disk)], check=True)


# 4. --resume repairs in place, in bounded memory -----------------------------------------


def _big_output(path: Path, megabytes: int) -> tuple[int, int]:
    """An output of about `megabytes` MB of complete lines and a cut last line; the length of
    the complete part and its number of lines."""
    text = "x" * 3000
    lines = megabytes * 1_000_000 // 3050
    with path.open("w", encoding="utf-8") as fh:
        for i in range(lines):
            fh.write(json.dumps({"id": f"old:{i}", "text": text}) + "\n")
        complete = fh.tell()
        fh.write('{"id":"old:cut","te')
    return complete, lines


def test_a_kill_during_the_resume_repair_keeps_every_complete_line(tmp_path: Path) -> None:
    out, dump = tmp_path / "out.jsonl", tmp_path / "d.jsonl"
    complete, _ = _big_output(out, 40)
    with out.open("rb") as fh:
        digest = hashlib.sha256(fh.read(complete)).hexdigest()
    _dump(dump, 2)
    size = out.stat().st_size
    proc = subprocess.Popen(_command("extract", str(dump), "-o", str(out), "--resume", "-q"),
                            cwd=ROOT, stderr=subprocess.DEVNULL)  # fmt: skip
    seen = [size]
    deadline = time.monotonic() + 120
    while proc.poll() is None and seen[-1] == size and time.monotonic() < deadline:
        seen.append(out.stat().st_size)
    proc.send_signal(signal.SIGKILL)  # as soon as the repair touched the file
    proc.wait()
    assert min(seen) >= complete, "the output went through a shorter state"
    with out.open("rb") as fh:
        assert hashlib.sha256(fh.read(complete)).hexdigest() == digest


def test_the_resume_repair_reads_in_bounded_memory(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    complete, lines = _big_output(out, 60)
    probe = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from pipeline.sinks import FileSink\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "sink = FileSink(Path(sys.argv[1]), resume=True)\n"
        "sink.close()\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(after - before, len(sink.done_ids()))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(out)], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    grown_kb, ids = map(int, done.stdout.split())
    assert out.stat().st_size == complete and ids == lines
    assert grown_kb < 20_000, f"the repair grew by {grown_kb // 1000} MB on a 60 MB output"


# 5. export --sqlite never replaces what it must not ---------------------------------------


def _output(path: Path) -> None:
    lines = [to_json_line(Document(id=f"doc{i}", source={}, text=SENTENCE)) for i in range(3)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_export_refuses_its_input_and_files_that_are_not_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, notes = tmp_path / "out.jsonl", tmp_path / "notes.txt"
    _output(out)
    notes.write_text("my notes", encoding="utf-8")
    shards = tmp_path / "shards"
    shards.mkdir()
    shutil.copy(out, shards / "part-00000.jsonl")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    before = {p: p.read_bytes() for p in (out, notes, shards / "part-00000.jsonl")}
    for source, target in ((out, out), (out, notes), (shards, shards / "part-00000.jsonl"),
                           (out, fifo), (out, tmp_path)):  # fmt: skip
        assert main(["export", str(source), "--sqlite", str(target)]) == 2, target
        assert capsys.readouterr().err.startswith(f"vnextract: cannot write {target}: ")
    assert {p: p.read_bytes() for p in before} == before


def test_export_replaces_an_sqlite_file_only_when_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, db = tmp_path / "out.jsonl", tmp_path / "batch.db"
    _output(out)
    (tmp_path / "batch.db.tmp").write_text("someone's file", encoding="utf-8")
    assert main(["export", str(out), "--sqlite", str(db)]) == 0
    assert main(["export", str(out), "--sqlite", str(db)]) == 0  # an SQLite file is replaced
    old = db.read_bytes()

    def broken(*args: Any) -> Any:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("pipeline.inspect.export._insert", broken)
    assert main(["export", str(out), "--sqlite", str(db)]) == 2
    assert db.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch.db", "batch.db.tmp", "out.jsonl"]
    assert (tmp_path / "batch.db.tmp").read_text(encoding="utf-8") == "someone's file"
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (3,)


# 14. Options check themselves; -o x.jsonl.gz is gzip and resumes ---------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [("--max-seconds", "nan"), ("--max-seconds", "inf"), ("--max-seconds", "-1"),
     ("--max-bytes", "-5"), ("--max-bytes", "0"), ("--shard-size", "0"), ("--workers", "-2")],
)  # fmt: skip
def test_a_bad_option_value_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    page = tmp_path / "a.txt"
    page.write_text(SENTENCE, encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["extract", str(page), "-o", str(tmp_path / "o.jsonl"), option, value])
    assert stop.value.code == 2
    assert f"argument {option}: '{value}'" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_settings_check_themselves() -> None:
    for bad in ({"max_seconds": math.nan}, {"max_seconds": math.inf}, {"max_bytes": -5},
                {"workers": 0}, {"shard_size": 0}, {"rule_seconds": 0.0},
                {"input_format": "pdf"}, {"max_bytes": 2.5}, {"extraction": "fast"},
                {"engine": "Dask"}, {"input_format": "HTML"}):  # fmt: skip
        with pytest.raises(ValueError, match=next(iter(bad))):
            Settings(**bad)  # type: ignore[arg-type]
    assert Settings(max_seconds=0).max_seconds == 0  # 0: no limit


def test_cli_defaults_are_the_settings_defaults() -> None:
    """The options a user does not give leave every setting at its `Settings` default."""
    from pipeline.cli import _parser
    from pipeline.cli_args import settings_from_args

    args = _parser().parse_args(["extract", "page.html"])
    assert settings_from_args(args) == Settings()
    args = _parser().parse_args(["extract", "p", "--max-seconds", "5", "--workers", "3"])
    assert settings_from_args(args) == Settings(max_seconds=5, workers=3)


def test_dask_engine_without_dask_stops_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--engine dask` where dask is not installed: exit 2 with the install command, no
    traceback, nothing read or written."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name)
    )
    page, out = tmp_path / "a.txt", tmp_path / "o.jsonl"
    page.write_text(SENTENCE, encoding="utf-8")
    assert main(["extract", str(page), "-o", str(out), "--engine", "dask", "-q"]) == 2
    err = capsys.readouterr().err
    assert "needs distributed" in err and "pip install" in err and "Traceback" not in err
    assert not out.exists()


def test_a_bad_stats_path_stops_the_run_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page, out = tmp_path / "a.txt", tmp_path / "o.jsonl"
    page.write_text(SENTENCE, encoding="utf-8")
    for stats in (tmp_path / "no" / "s.json", tmp_path, page, out):
        args = ["extract", str(page), "-o", str(out), "-q", "--stats", str(stats)]
        assert main(args) == 2, stats
        assert capsys.readouterr().err.startswith(f"vnextract: --stats {stats}: ")
        assert not out.exists()
    assert page.read_text(encoding="utf-8") == SENTENCE


def test_a_gz_output_is_gzip_and_resumes_after_a_kill(tmp_path: Path) -> None:
    dump, out = tmp_path / "d.jsonl", tmp_path / "o.jsonl.gz"
    ids = _dump(dump, 450)
    args = ["extract", str(dump), "-o", str(out), "-q", "--workers", "1"]
    proc = subprocess.Popen(_command(*args), cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while proc.poll() is None and time.monotonic() < deadline:
        if out.exists() and out.stat().st_size > 1000:  # the first member is complete
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the first run should have been killed part-way"
    done = _vnextract(*args, "--resume")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    assert [r["id"] for r in _rows(out)] == ids


def test_gz_members_cut_by_a_kill_are_redone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sinks, "MEMBER_LINES", 2)
    out = tmp_path / "o.jsonl.gz"
    sink = GzipFileSink(out)
    for i in range(5):
        sink.write(str(i), json.dumps({"id": str(i)}))
    sink.close()
    out.write_bytes(out.read_bytes()[:-5])  # the last member (line 4) is cut
    messages: list[str] = []
    sink = GzipFileSink(out, resume=True, warn=messages.append)
    assert sink.done_ids() == {"0", "1", "2", "3"} and "unfinished gzip member" in messages[0]
    sink.write("4", json.dumps({"id": "4"}))
    sink.close()
    assert [r["id"] for r in _rows(out)] == ["0", "1", "2", "3", "4"]
