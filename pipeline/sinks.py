"""Where output lines go: one file, a folder of gzipped shards, or standard output.

Each sink knows which documents it already holds, so that `--resume` skips them: a killed run
started again with the same arguments writes every document exactly once.
- a file is appended to; a last line cut off by the kill is removed first;
- shards are written as `part-NNNNN.jsonl.gz.tmp` and renamed when complete; a `.tmp` left by
  a kill is deleted and its documents are processed again.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import IO, Protocol


class Sink(Protocol):
    def done_ids(self) -> set[str]: ...

    def write(self, doc_id: str, line: str) -> None: ...

    def close(self) -> None: ...


def _ids(lines: list[str]) -> set[str]:
    out = set()
    for line in lines:
        try:
            out.add(str(json.loads(line)["id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def _shard_ids(path: Path) -> set[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return _ids(fh.read().splitlines())


class StreamSink:
    """Lines to standard output (no resume)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout

    def done_ids(self) -> set[str]:
        return set()

    def write(self, doc_id: str, line: str) -> None:
        self.stream.write(line + "\n")

    def close(self) -> None:
        self.stream.flush()


class FileSink:
    """One JSONL file; with `resume`, appended to after its last complete line."""

    def __init__(self, path: Path, resume: bool = False) -> None:
        self.path = path
        self._done: set[str] = set()
        if resume and path.exists():
            self._done = self._repair()
        self.out = open(path, "a" if resume else "w", encoding="utf-8")  # noqa: SIM115

    def _repair(self) -> set[str]:
        """Ids of the complete lines; a partial last line (killed mid-write) is cut off."""
        data = self.path.read_bytes()
        keep = data[: data.rfind(b"\n") + 1]
        if len(keep) != len(data):
            self.path.write_bytes(keep)
        return _ids(keep.decode("utf-8", errors="replace").splitlines())

    def done_ids(self) -> set[str]:
        return self._done

    def write(self, doc_id: str, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def close(self) -> None:
        self.out.close()


class ShardSink:
    """A folder of `part-NNNNN.jsonl.gz` files of `per_shard` documents each."""

    def __init__(self, folder: Path, per_shard: int = 1000, resume: bool = False) -> None:
        self.folder, self.per_shard = folder, per_shard
        folder.mkdir(parents=True, exist_ok=True)
        done = sorted(folder.glob("part-*.jsonl.gz"))
        for stale in folder.glob("part-*.jsonl.gz.tmp"):
            stale.unlink()
        if not resume:
            for old in done:
                old.unlink()
            done = []
        self._done = set().union(*(_shard_ids(p) for p in done))
        self.number = len(done)
        self.current: IO[str] | None = None
        self.count = 0

    def done_ids(self) -> set[str]:
        return self._done

    def _tmp(self) -> Path:
        return self.folder / f"part-{self.number:05d}.jsonl.gz.tmp"

    def write(self, doc_id: str, line: str) -> None:
        if self.current is None:
            self.current = gzip.open(self._tmp(), "wt", encoding="utf-8")  # noqa: SIM115 - open across writes
        self.current.write(line + "\n")
        self.count += 1
        if self.count >= self.per_shard:
            self._finish()

    def _finish(self) -> None:
        if self.current is None:
            return
        self.current.close()
        self._tmp().rename(self.folder / f"part-{self.number:05d}.jsonl.gz")
        self.current, self.count, self.number = None, 0, self.number + 1

    def close(self) -> None:
        self._finish()


def open_sink(output: str | None, resume: bool, per_shard: int = 1000) -> Sink:
    """A sink for `-o`: nothing is stdout, a folder (existing, or ending in "/") gets shards."""
    if not output or output == "-":
        return StreamSink()
    path = Path(output)
    if output.endswith(("/", "\\")) or path.is_dir():
        return ShardSink(path, per_shard, resume)
    return FileSink(path, resume)
