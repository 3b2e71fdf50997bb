"""Files written safely: never over an input, complete or not at all.

- `check_extract_paths` refuses, before anything is opened for writing, an `-o` or `--stats`
  path that is one of the inputs (or a page the walk of an input folder would read), or that
  exists and is not a regular file (a folder only as shard output);
- `write_atomically` and `replace_when_done` write to a temporary name in the same folder and
  move it into place only once it is complete, flushed and fsynced, so that a kill or a full
  disk leaves the old file or the new one, never a cut one under the final name.
"""

from __future__ import annotations

import gzip
import os
import stat
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: How much of an existing file is read to tell whether it is a vnextract output.
HEAD_BYTES = 64


class UnsafePath(Exception):
    """An output path that would destroy an input or cannot be written: exit 2, nothing
    written."""


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename itself is done
    finally:
        os.close(fd)


@contextmanager
def replace_when_done(target: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside `target` to write; moved over `target` when the block ends
    without an error (after an fsync), deleted when it raises."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def write_atomically(target: Path, text: str) -> None:
    """Write a small text file whole or not at all (UTF-8)."""
    with replace_when_done(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (links included); False if either is missing."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def looks_like_output(path: Path) -> bool:
    """An empty file, or one whose first line starts like a vnextract output line
    (`{"id":`), gzipped or not: what a run may overwrite inside an input folder."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
        if head.startswith(b"\x1f\x8b"):
            with gzip.open(path, "rb") as fz:
                head = fz.read(HEAD_BYTES)
    except (OSError, EOFError, zlib.error):
        return False
    return not head or head.startswith(b'{"id":')


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _refuse_input(
    target: Path, option: str, inputs: list[str], read_by_walk: Callable[[Path], bool]
) -> None:
    """UnsafePath when the existing file `target` is an input or a page an input folder's
    walk would read (the walk leaves this run's own output alone, but not a page)."""
    for item in inputs:
        if item == "-":
            continue
        given = Path(item)
        if same_file(target, given):
            raise UnsafePath(f"{option} {target}: is also an input; it would be destroyed")
        if given.is_dir() and _inside(target, given) and read_by_walk(target):
            raise UnsafePath(
                f"{option} {target}: is an input file inside the input folder {given};"
                " it would be destroyed (choose another output path)"
            )


def _check_file_target(
    target: Path, option: str, inputs: list[str], read_by_walk: Callable[[Path], bool]
) -> None:
    """A path to write a file at: absent, or a regular file that is no input."""
    if os.path.lexists(target) and not target.exists():
        raise UnsafePath(f"{option} {target}: is a broken symbolic link")
    if target.exists():
        if not _is_regular(target):
            raise UnsafePath(f"{option} {target}: exists and is not a regular file")
        _refuse_input(target, option, inputs, read_by_walk)
    parent = target.parent
    if not parent.is_dir():
        raise UnsafePath(f"{option} {target}: no such folder: {parent}")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".probe", dir=parent)
    except OSError as exc:
        raise UnsafePath(f"{option} {target}: cannot write in {parent}: {exc.strerror}") from exc
    os.close(fd)
    os.unlink(probe)


def _check_shard_folder(folder: Path, inputs: list[str]) -> None:
    """A folder for shards: absent or a folder, and no named input is one of its shards
    (a run without --resume deletes the old shards)."""
    if folder.exists() and not folder.is_dir():
        raise UnsafePath(f"-o {folder}/: exists and is not a folder")
    for item in inputs:
        given = Path(item)
        inside = item != "-" and given.is_file() and given.resolve().parent == folder.resolve()
        if inside and given.name.startswith("part-"):
            raise UnsafePath(f"-o {folder}/: the input {item} is one of its shards")


def is_shard_output(output: str) -> bool:
    """`-o` names a folder of shards: it ends in "/" or is an existing folder."""
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


def check_extract_paths(
    inputs: list[str], output: str | None, stats: str | None, suffixes: tuple[str, ...]
) -> None:
    """Refuse (UnsafePath) an `-o` or `--stats` path that would destroy an input or cannot
    be written; called before any input is read or any output opened."""

    def is_page(path: Path) -> bool:  # what the walk of a folder reads
        return path.name.lower().removesuffix(".gz").endswith(suffixes)

    def page_not_output(path: Path) -> bool:  # an output of an earlier run may be replaced
        return is_page(path) and not looks_like_output(path)

    writes_file = bool(output) and output != "-"
    if output and writes_file:
        if is_shard_output(output):
            _check_shard_folder(Path(output), inputs)
        else:
            _check_file_target(Path(output), "-o", inputs, page_not_output)
    if stats:
        target = Path(stats)
        if output and writes_file and target.resolve() == Path(output).resolve():
            raise UnsafePath(f"--stats {stats}: is also the output")
        _check_file_target(target, "--stats", inputs, is_page)


def earlier_output(output: str | None) -> str | None:
    """What an earlier run left at `-o` (None: nothing, or stdout), said for the message that
    asks for --resume or --overwrite before it is appended to or replaced.

    >>> earlier_output(None), earlier_output("no/such/file.jsonl")
    (None, None)
    """
    if not output or output == "-":
        return None
    path = Path(output)
    if path.is_dir():
        shards = [p for p in path.glob("part-*.jsonl.gz*") if p.is_file()]
        return f"{len(shards)} shard files" if shards else None
    if path.is_file() and path.stat().st_size > 0:
        return f"{path.stat().st_size:,} bytes of output"
    return None
