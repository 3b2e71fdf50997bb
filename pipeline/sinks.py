"""Where output lines go: one file (plain or gzipped), a folder of gzipped shards, or stdout.

Each sink knows which documents it already holds, so that `--resume` skips them: a killed run
started again with the same arguments writes every document exactly once.
- a `.jsonl` file is appended to in place (its lines can be watched and read while it grows);
  a last line cut off by a kill or a full disk is removed first, by truncating the file at its
  last newline, and the done ids are read line by line (memory does not grow with the file);
- a `.jsonl.gz` file is a series of gzip members of `MEMBER_LINES` lines each, every one
  complete before the next begins; `--resume` truncates an unfinished last member (its
  documents are done again) and appends new members;
- shards are written as `part-NNNNN.jsonl.gz.tmp` and renamed when complete, flushed and
  fsynced; a `.tmp` left by a kill is deleted and its documents are processed again, and so
  is a final-named shard that is cut or corrupt (with a message).
A write that fails (a full disk) stops the run with an OutputError; what was written before
stays readable and `--resume` goes on from there.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol

from pipeline.safety import fsync_folder, is_shard_output
from pipeline.steps.write import output_id

#: Bytes read at a time when looking for the last newline or gzip member end.
BLOCK = 1 << 16
#: Lines per gzip member of a `.jsonl.gz` file: what a kill may cost a resumed run.
MEMBER_LINES = 200
_SHARD = re.compile(r"part-(\d+)\.jsonl\.gz")

Warn = Callable[[str], None]


def _stderr(message: str) -> None:
    print(f"vnextract: {message}", file=sys.stderr)


class Sink(Protocol):
    def done_ids(self) -> Ids: ...

    def write(self, doc_id: str, line: str) -> None: ...

    def close(self) -> None: ...


class OutputError(OSError):
    """Writing the output failed (a full disk, an I/O error): the run stops, what was written
    before is kept, and `--resume` continues from it."""


def _failed(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(
        f"cannot write {path}: {reason}; what was written before is kept:"
        " run again with --resume once the problem is solved"
    )


class _Failing(Protocol):
    path: Path
    failed: bool


@contextmanager
def _reported(sink: _Failing) -> Iterator[None]:
    """An OSError inside marks the sink failed and is raised again as an OutputError naming
    its path."""
    try:
        yield
    except OSError as exc:
        sink.failed = True
        raise _failed(sink.path, exc) from exc


def _close(sink: _Failing, handle: IO[bytes] | IO[str], finish: Callable[[], None]) -> None:
    """`finish` (flush and fsync) unless a write failed, then close `handle` whatever happens:
    after a failure the cut end stays for `--resume` to remove, and nothing more is raised."""
    try:
        with _reported(sink):
            if not sink.failed:
                finish()
    finally:
        with suppress(OSError):  # a failure is already reported
            handle.close()


class Ids(set[str]):
    """Ids read from output lines, with what the lines held: how many had errors, and their
    records by kind (the totals of the whole output after --resume)."""

    def __init__(self, ids: Iterable[str] = ()) -> None:  # (pickle passes the ids)
        super().__init__(ids)
        self.with_errors = 0
        self.records: Counter[str] = Counter()

    def add_line(self, doc: dict[str, Any]) -> None:
        self.add(str(doc["id"]))
        self.with_errors += bool(doc.get("errors"))
        records = doc.get("records")
        for rec in records if isinstance(records, list) else []:
            if isinstance(rec, dict):
                self.records[str(rec.get("type"))] += 1

    def merge(self, other: Ids) -> None:
        self.update(other)
        self.with_errors += other.with_errors
        self.records.update(other.records)


class DoneIds(Ids):
    """The ids already in an output. `in` also finds an id that was written with its lone
    surrogates spelled out (steps/write.py: output_id), so such a document is not redone."""

    def __contains__(self, doc_id: object) -> bool:
        if isinstance(doc_id, str) and not doc_id.isascii():
            doc_id = output_id(doc_id)
        return super().__contains__(doc_id)


def output_line(line: bytes) -> dict[str, Any] | None:
    """A complete output line as data, None when the line is not one.

    >>> output_line(b'{"id":"a.html","text":""}\\n')["id"], output_line(b'{"id":"a.ht')
    ('a.html', None)
    """
    try:
        doc = json.loads(line)
        return doc if isinstance(doc, dict) and "id" in doc else None
    except (ValueError, RecursionError):
        return None


def _ids_of(lines: Iterable[bytes], into: Ids) -> None:
    for line in lines:
        if (doc := output_line(line)) is not None:
            into.add_line(doc)


def last_newline_end(fh: BinaryIO, size: int) -> int:
    """The offset just after the file's last b"\\n" (0 if none), read backwards in blocks."""
    end = size
    while end > 0:
        start = max(0, end - BLOCK)
        fh.seek(start)
        block = fh.read(end - start)
        found = block.rfind(b"\n")
        if found >= 0:
            return start + found + 1
        end = start
    return 0


def _fsync(fh: IO[bytes] | IO[str]) -> None:
    fh.flush()
    os.fsync(fh.fileno())


class StreamSink:
    """Lines to standard output (no resume)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout

    def done_ids(self) -> Ids:
        return Ids()

    def write(self, doc_id: str, line: str) -> None:
        self.stream.write(line + "\n")

    def close(self) -> None:
        self.stream.flush()


class _ResumableFile:
    """What the single-file sinks share: the ids already written, read by `_repair` (which
    also cuts what a kill left unfinished) when resuming, and whether a write failed."""

    def __init__(self, path: Path, resume: bool, warn: Warn) -> None:
        self.path = path
        self._done = DoneIds()
        self.failed = False
        if resume and path.exists():
            self._repair(warn)

    def _repair(self, warn: Warn) -> None:
        raise NotImplementedError

    def done_ids(self) -> Ids:
        return self._done


class FileSink(_ResumableFile):
    """One JSONL file; with `resume`, appended to after its last complete line."""

    def __init__(self, path: Path, resume: bool = False, warn: Warn = _stderr) -> None:
        super().__init__(path, resume, warn)
        self.out = open(path, "a" if resume else "w", encoding="utf-8")  # noqa: SIM115

    def _repair(self, warn: Warn) -> None:
        """Cut a partial last line (a kill or a full disk mid-write) by truncating in place,
        then read the ids of the complete lines, one line at a time."""
        with self.path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            keep = last_newline_end(fh, size)
        if keep < size:
            os.truncate(self.path, keep)
            warn(f"{self.path}: removed a cut last line ({size - keep} bytes); it is done again")
        with self.path.open("rb") as fh:
            _ids_of(fh, self._done)

    def write(self, doc_id: str, line: str) -> None:
        with _reported(self):
            self.out.write(line + "\n")
            self.out.flush()

    def close(self) -> None:
        """Flush and fsync; after a failed write only close."""
        _close(self, self.out, lambda: _fsync(self.out))


def gzip_members(fh: BinaryIO) -> Iterator[tuple[int, Ids]]:
    """(end offset, ids of its lines) of each complete gzip member of a file, in order; stops
    quietly at the end, at a cut member or at corrupt data (the caller compares the last
    offset with the file's size). One member's ids are held at a time."""
    start = 0
    while True:
        fh.seek(start)
        inflate = zlib.decompressobj(wbits=31)
        fed, pending = 0, bytearray()
        ids = Ids()
        while not inflate.eof:
            chunk = fh.read(BLOCK)
            if not chunk:
                return
            fed += len(chunk)
            try:
                pending += inflate.decompress(chunk)
            except zlib.error:
                return
            if (cut := pending.rfind(b"\n")) >= 0:
                _ids_of(bytes(pending[:cut]).split(b"\n"), ids)
                del pending[: cut + 1]
        _ids_of([bytes(pending)], ids)
        start += fed - len(inflate.unused_data)
        yield start, ids


def complete_members(fh: BinaryIO, into: Ids) -> int:
    """Add the ids of the complete gzip members to `into`; the offset where they end."""
    end = 0
    for member_end, ids in gzip_members(fh):
        into.merge(ids)
        end = member_end
    return end


class GzipFileSink(_ResumableFile):
    """One `.jsonl.gz` file, written as gzip members of MEMBER_LINES lines; with `resume`,
    an unfinished last member is truncated and new members are appended."""

    def __init__(self, path: Path, resume: bool = False, warn: Warn = _stderr) -> None:
        super().__init__(path, resume, warn)
        self.raw: BinaryIO = open(path, "ab" if resume else "wb")  # noqa: SIM115
        self.member: gzip.GzipFile | None = None
        self.lines = 0

    def _repair(self, warn: Warn) -> None:
        with self.path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            keep = complete_members(fh, self._done)
        if keep < size:
            os.truncate(self.path, keep)
            warn(
                f"{self.path}: removed an unfinished gzip member ({size - keep} bytes);"
                " its documents are done again"
            )

    def write(self, doc_id: str, line: str) -> None:
        with _reported(self):
            if self.member is None:
                self.member = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, mtime=0)
            self.member.write((line + "\n").encode("utf-8"))
            self.lines += 1
            if self.lines >= MEMBER_LINES:
                self._end_member()

    def _end_member(self) -> None:
        """Write the member's trailer and flush: the lines so far are complete on disk."""
        if self.member is not None:
            self.member.close()
            self.raw.flush()
        self.member, self.lines = None, 0

    def close(self) -> None:
        """Finish the last member and fsync; after a failed write only close."""

        def finish() -> None:
            self._end_member()
            _fsync(self.raw)

        _close(self, self.raw, finish)


def _shard_number(path: Path) -> int:
    match = _SHARD.fullmatch(path.name)
    return int(match.group(1)) if match else -1


class ShardSink:
    """A folder of `part-NNNNN.jsonl.gz` files of `per_shard` documents each."""

    def __init__(
        self, folder: Path, per_shard: int = 1000, resume: bool = False, warn: Warn = _stderr
    ) -> None:
        self.folder, self.per_shard = folder, per_shard
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("part-*.jsonl.gz.tmp"):
            stale.unlink()
        shards = [p for p in sorted(folder.glob("part-*.jsonl.gz")) if _shard_number(p) >= 0]
        if not resume:
            for old in shards:
                old.unlink()
            shards = []
        self._done = DoneIds()
        kept = [p for p in shards if self._read_shard(p, warn)]
        self.number = max(map(_shard_number, kept), default=-1) + 1
        self.current: IO[str] | None = None
        self.count = 0
        self.failed = False

    def _read_shard(self, path: Path, warn: Warn) -> bool:
        """Add a finished shard's ids; a cut or corrupt one is deleted (False): its
        documents are done again."""
        ids = Ids()
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            whole = complete_members(fh, ids) == size and size > 0
        if not whole:
            warn(f"{path}: cut or corrupt shard deleted; its documents are done again")
            path.unlink()
            return False
        self._done.merge(ids)
        return True

    def done_ids(self) -> Ids:
        return self._done

    def _tmp(self) -> Path:
        return self.folder / f"part-{self.number:05d}.jsonl.gz.tmp"

    def write(self, doc_id: str, line: str) -> None:
        try:
            if self.current is None:
                self.current = gzip.open(self._tmp(), "wt", encoding="utf-8")  # noqa: SIM115
            self.current.write(line + "\n")
        except OSError as exc:
            self._abandon()
            raise _failed(self._tmp(), exc) from exc
        self.count += 1
        if self.count >= self.per_shard:
            self._finish()

    def _abandon(self) -> None:
        """After a failed write: drop the unfinished shard; nothing more is written."""
        self.failed = True
        if self.current is not None:
            with suppress(OSError):
                self.current.close()
        self.current = None
        self._tmp().unlink(missing_ok=True)

    def _finish(self) -> None:
        """Complete the current shard: close, fsync, then rename it to its final name."""
        if self.current is None or self.failed:
            return
        final = self.folder / f"part-{self.number:05d}.jsonl.gz"
        try:
            self.current.close()
            with self._tmp().open("rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(self._tmp(), final)
        except OSError as exc:
            self._abandon()
            raise _failed(final, exc) from exc
        fsync_folder(self.folder)
        self.current, self.count, self.number = None, 0, self.number + 1

    def close(self) -> None:
        self._finish()


def open_sink(
    output: str | None, resume: bool, per_shard: int = 1000, warn: Warn = _stderr
) -> Sink:
    """A sink for `-o`: nothing is stdout, a folder (existing, or ending in "/") gets shards,
    a name ending in `.gz` a gzipped file."""
    if not output or output == "-":
        return StreamSink()
    path = Path(output)
    if is_shard_output(output):
        return ShardSink(path, per_shard, resume, warn)
    if path.name.lower().endswith(".gz"):
        return GzipFileSink(path, resume, warn)
    return FileSink(path, resume, warn)
