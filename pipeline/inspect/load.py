"""Read the lines `extract` wrote: one JSONL file, a gzipped one, a folder of shards, or stdin.

Documents are read one at a time, so the viewers' memory does not grow with the batch. Lines
that are not a JSON object with an `id` (a run killed mid-write, a stray file), repeated ids
and files that break off (a truncated shard) are reported as problems and the rest is read,
so that one bad line does not hide a whole batch.
"""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.inspect.clean import MAYBE_SURROGATE, complete, no_surrogates

Problem = Callable[[str], None]
Documents = Generator[dict[str, Any], None, None]


class LoadError(Exception):
    """The output to inspect cannot be read at all (missing, empty folder)."""


@dataclass
class Batch:
    """The documents of one output, in output order, and the lines that could not be read."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def output_files(path: Path) -> list[Path]:
    """The files of an output: the file itself, or a folder's `.jsonl` / `.jsonl.gz` files."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.name.endswith((".jsonl", ".jsonl.gz")))
        if not files:
            raise LoadError(f"{path}: no .jsonl or .jsonl.gz files in this folder")
        return files
    if path.is_file():
        return [path]
    raise LoadError(f"{path}: no such file or folder")


def _lines(path: Path) -> Iterator[str]:
    """The file's lines, gunzipped when it is gzip (whatever its name), bad UTF-8 replaced."""
    with path.open("rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    with gzip.open(path, "rb") if gzipped else path.open("rb") as raw:
        for line in raw:
            yield line.decode("utf-8", "replace")


def _stdin_lines() -> Iterator[str]:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream without bytes under it (tests)
        yield from sys.stdin
        return
    for line in buffer:
        yield line.decode("utf-8", "replace")


def _parse(lines: Iterator[str], where: str, seen: set[str], problem: Problem) -> Iterator[dict]:
    """The documents of one file; bad lines and repeated ids go to `problem`."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        place = f"{where}:{number}"
        try:
            doc = json.loads(line)
            if MAYBE_SURROGATE.search(line):
                doc = no_surrogates(doc)
        except (ValueError, RecursionError):
            problem(f"{place}: not a JSON line (skipped)")
            continue
        if not isinstance(doc, dict) or "id" not in doc:
            problem(f"{place}: not an output line, no id (skipped)")
            continue
        doc_id = doc["id"]
        if not isinstance(doc_id, str) or not doc_id:
            doc_id = f"line {number} of {where}"
            problem(f"{place}: the id {json.dumps(doc['id'])[:40]} is not text: {doc_id!r} here")
        if doc_id in seen:
            problem(f"{place}: id {doc_id!r} again (skipped: its first line counts)")
            continue
        seen.add(doc_id)
        yield complete(doc, doc_id)


def _documents(files: list[Path] | None, problem: Problem) -> Documents:
    seen: set[str] = set()
    if files is None:
        yield from _parse(_stdin_lines(), "stdin", seen, problem)
    for file in files or []:
        try:
            yield from _parse(_lines(file), str(file), seen, problem)
        except (OSError, EOFError, zlib.error) as exc:  # unreadable, or a truncated gzip shard
            problem(f"{file}: {exc} (the rest of this file is skipped)")


def read_documents(path: str | Path, problem: Problem) -> Documents:
    """The documents of an output, one at a time (`close()` stops reading); `-` is stdin.

    Raises LoadError at once, not when iterated, when the output is missing or an empty folder.
    """
    files = None if str(path) == "-" else output_files(Path(path))
    return _documents(files, problem)


def load_batch(path: str | Path) -> Batch:
    """Every document of an output at once (for tests and small batches)."""
    batch = Batch()
    batch.documents = list(read_documents(path, batch.problems.append))
    return batch
