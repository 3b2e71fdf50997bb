"""Read the lines `extract` wrote: one JSONL file, a gzipped one, a folder of shards, or stdin.

Lines that are not a JSON object with an `id` (a run killed mid-write, a stray file) are skipped
and reported, so that one bad line does not hide a whole batch.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class LoadError(Exception):
    """The output to inspect cannot be read at all (missing, empty folder, unreadable)."""


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
    with path.open("rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rt", encoding="utf-8", errors="replace") as text:
            yield from text
    except (OSError, EOFError) as exc:  # a truncated gzip shard
        raise LoadError(f"{path}: {exc}") from exc


def complete(doc: dict[str, Any]) -> dict[str, Any]:
    """The line with every key of the output format present, so viewers need no guards.

    >>> d = complete({"id": "a"})
    >>> d["meta"]["authors"], d["records"], d["text"]
    ([], [], '')
    """
    meta: dict[str, Any] = _of(doc.get("meta"), dict, {})
    out = dict(doc)
    out["id"] = str(doc.get("id"))
    out["source"] = _of(doc.get("source"), dict, {})
    out["meta"] = {
        "title": meta.get("title"),
        "published": meta.get("published"),
        "authors": [str(a) for a in meta.get("authors") or []],
        "site": meta.get("site"),
    }
    out["text"] = _of(doc.get("text"), str, "")
    for key in ("records", "errors", "dropped"):
        out[key] = [x for x in _of(doc.get(key), list, []) if isinstance(x, dict)]
    return out


def _of(value: Any, kind: type, default: Any) -> Any:
    """`value` when it is of `kind`, else `default` (a line from elsewhere may lack keys)."""
    return value if isinstance(value, kind) else default


def _parse(lines: Iterator[str], where: str, batch: Batch) -> None:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except ValueError:
            batch.problems.append(f"{where}:{number}: not a JSON line (skipped)")
            continue
        if not isinstance(doc, dict) or "id" not in doc:
            batch.problems.append(f"{where}:{number}: not an output line, no id (skipped)")
            continue
        batch.documents.append(complete(doc))


def load_batch(path: str | Path) -> Batch:
    """Every document of an output; `-` reads standard input."""
    batch = Batch()
    if str(path) == "-":
        _parse(iter(sys.stdin), "stdin", batch)
        return batch
    for file in output_files(Path(path)):
        try:
            _parse(_lines(file), str(file), batch)
        except OSError as exc:
            raise LoadError(f"{file}: {exc}") from exc
    return batch
