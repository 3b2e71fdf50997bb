"""Read: turn command-line inputs (files, folders, JSONL dumps, stdin) into Documents.

Every input document becomes exactly one Document, also when it cannot be read: then it carries
an error and empty text, so that the writer still emits its line. Finding the inputs is here;
dumps (JSONL, WARC) are split into pages in dumps.py, and bytes become a Document in pages.py,
below both.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import zlib
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.steps.dumps import jsonl_documents, jsonl_lines, stream_documents, warc_documents
from pipeline.steps.pages import looks_like_jsonl, page_document, unreadable


class InputError(Exception):
    """A usage problem with the inputs as given (missing path): the run stops before reading."""


def format_of(name: str) -> str | None:
    """The format an input's file name implies, `None` when it says nothing.

    >>> format_of("a/b/trang.HTM.gz"), format_of("x.txt"), format_of("dump.jsonl")
    ('html', 'text', 'jsonl')
    """
    lower = name.lower().removesuffix(".gz")
    if lower.endswith((".html", ".htm")):
        return "html"
    if lower.endswith(".txt"):
        return "text"
    if lower.endswith(".jsonl"):
        return "jsonl"
    if lower.endswith((".warc", ".arc")):
        return "warc"
    return None


def read_page(path: Path, limit: int) -> tuple[bytes | None, str | None]:
    """A page file's bytes, gunzipped; None for a page over `limit` bytes, told by its size or
    by reading `limit` + 1 of them: a huge page or a gzip bomb is never read whole, nor copied.
    A cut gzip keeps what could be read, with a note; corrupt gzip data raises zlib.error."""
    with path.open("rb") as fh:
        if not path.name.lower().endswith(".gz"):
            if os.fstat(fh.fileno()).st_size > limit:
                return None, None
            data = fh.read(limit + 1)
            return (data if len(data) <= limit else None), None
        out = bytearray()
        inflate = zlib.decompressobj(wbits=31)
        while len(out) <= limit:
            chunk = inflate.unconsumed_tail or inflate.unused_data or fh.read(1 << 16)
            if not chunk:
                break
            if inflate.eof:
                if not chunk.startswith(b"\x1f\x8b"):  # padding or garbage, not a member
                    return bytes(out), "data after the gzip stream ignored"
                inflate = zlib.decompressobj(wbits=31)  # a second gzip member follows
            # in pieces: one piece as large as the limit would be a second copy of the page
            out += inflate.decompress(chunk, min(1 << 18, limit + 1 - len(out)))
    if len(out) > limit:
        return None, None
    if not inflate.eof:
        return bytes(out), f"truncated gzip: kept the {len(out)} bytes that could be read"
    return bytes(out), None


@dataclass(frozen=True)
class Skipped:
    """A path the run does not read, and why ("dangling link", "symlink loop", "duplicate of
    a.html", ...): listed by `find_inputs` so that the run can say what it left out."""

    path: str
    reason: str


@dataclass
class FoundInputs:
    """What the command-line inputs expand to: the (name, path) pairs to read in order (path
    None for stdin), and the paths left out, each with its reason."""

    found: list[tuple[str, Path | None]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # What is listed already, with the name first given: files by (device, inode), stdin as
    # "-", a link that leads nowhere by its absolute path.
    seen: dict[Hashable, str] = field(default_factory=dict)

    def add(self, name: str, path: Path | None, identity: Hashable) -> None:
        """List an input to read, unless the same file (or stdin) is listed already."""
        if identity in self.seen:
            self.skip(name, f"duplicate of {self.seen[identity]}")
            return
        self.seen[identity] = name
        self.found.append((name, path))

    def skip(self, name: str, reason: str) -> None:
        """Leave `name` out, with its reason."""
        self.skipped.append(Skipped(name, reason))


_KINDS = {
    stat.S_IFIFO: "FIFO",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
}
FileId = tuple[int, int]


def _kind_of(mode: int) -> str:
    """What a file that is neither a folder nor a regular file is ("FIFO", "socket" ...)."""
    return _KINDS.get(stat.S_IFMT(mode), "special file")


_MISSING = "no such file or directory"


def _stat(path: str) -> os.stat_result | str:
    """The status of `path`, its link followed; else why it cannot be had ("dangling link",
    "symlink loop", or the system's message)."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        if exc.errno == errno.ENOENT:
            return "dangling link" if os.path.islink(path) else _MISSING
        return f"cannot read: {exc.strerror or exc}"


def unreadable_reason(path: Path) -> str | None:
    """Why an input given by name cannot be read ("dangling link", "symlink loop", "not a
    regular file (socket)"), None when it can: a regular file, a FIFO or a device (read as a
    stream)."""
    status = _stat(str(path))
    if isinstance(status, str):
        return status
    if stat.S_ISSOCK(status.st_mode):
        return f"not a regular file ({_kind_of(status.st_mode)})"
    return None


def _identity(status: os.stat_result) -> FileId:
    return status.st_dev, status.st_ino


@dataclass
class _Folder:
    """A folder to walk: its path, its identity and those of the folders above it."""

    path: Path
    identity: FileId
    parents: frozenset[FileId]


class _Walk:
    """The page files under folders, symlinked folders followed (after the real ones, so that
    a file keeps its real path when it has both); what it leaves out goes to the `skipped` of
    `found`: dangling links, symlink loops (a link to a folder that holds it), special files
    named like pages (a FIFO would block the run), folders named like pages (the pages in them
    are read), folders reached again through a link, this run's output."""

    def __init__(self, settings: Settings, found: FoundInputs) -> None:
        self.suffixes = settings.suffixes
        self.output = Path(settings.output).resolve() if settings.output else None
        self.found = found
        self.folders: dict[FileId, str] = {}

    def is_page(self, name: str) -> bool:
        """Whether a file name has a page ending (each also gzipped)."""
        return name.lower().removesuffix(".gz").endswith(self.suffixes)

    def is_output(self, path: Path) -> bool:
        """This run's output file, or a shard in its output folder: never read as an input."""
        if self.output is None:
            return False
        here = path.resolve()
        return here == self.output or (here.parent == self.output and here.name.startswith("part-"))

    def files(self, top: Path, status: os.stat_result) -> list[tuple[Path, FileId]]:
        """The page files under the folder `top`, sorted by path, with their identities."""
        pages: list[tuple[Path, FileId]] = []
        real = [_Folder(top, _identity(status), frozenset())]
        linked: list[_Folder] = []
        while real or linked:
            folder = real.pop() if real else linked.pop(0)
            for entry in self._entries(folder) if self._enter(folder) else []:
                if sub := self._visit(entry, folder, pages):
                    (linked if entry.is_symlink() else real).append(sub)
        return sorted(pages)

    def _enter(self, folder: _Folder) -> bool:
        """Whether to walk `folder`: not when it was walked before (reached again through a
        link); a sub-folder named like a page is reported, and walked."""
        if first := self.folders.get(folder.identity):
            self.found.skip(str(folder.path), f"duplicate of {first}")
            return False
        self.folders[folder.identity] = str(folder.path)
        if folder.parents and self.is_page(folder.path.name):
            reason = "folder named like a page (the pages in it are read)"
            self.found.skip(str(folder.path), reason)
        return True

    def _entries(self, folder: _Folder) -> list[os.DirEntry[str]]:
        """A folder's entries by name; none, with a reason, when it cannot be listed."""
        try:
            with os.scandir(folder.path) as it:
                return sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.found.skip(str(folder.path), f"cannot read folder: {exc.strerror or exc}")
            return []

    def _visit(
        self, entry: os.DirEntry[str], folder: _Folder, pages: list[tuple[Path, FileId]]
    ) -> _Folder | None:
        """Sort one folder entry: a page to read (added to `pages`), a folder to walk
        (returned), or a path to report; a file that is not a page is passed over."""
        status = _stat(entry.path)
        if isinstance(status, str):
            self.found.skip(entry.path, status)
        elif stat.S_ISDIR(status.st_mode):
            parents = folder.parents | {folder.identity}
            if _identity(status) not in parents:
                return _Folder(Path(entry.path), _identity(status), parents)
            self.found.skip(entry.path, "symlink loop (a link to a folder that holds it)")
        elif not self.is_page(entry.name):
            pass
        elif not stat.S_ISREG(status.st_mode):
            self.found.skip(entry.path, f"not a regular file ({_kind_of(status.st_mode)})")
        elif self.is_output(Path(entry.path)):
            self.found.skip(entry.path, "this run's output")
        else:
            pages.append((Path(entry.path), _identity(status)))
        return None


def find_inputs(inputs: list[str], settings: Settings) -> FoundInputs:
    """Expand the inputs to (name, path) pairs, each folder's files sorted ("-" is stdin),
    and the paths left out with their reasons (`FoundInputs.skipped`): a file given twice,
    or through a link, is read once.

    An input given by name is always listed, so that it gets its line: one that cannot be
    read (a dangling link, a symlink loop) gets it with an error. Raises InputError for a path
    that does not exist at all, before anything is read.
    """
    found = FoundInputs()
    walk = _Walk(settings, found)
    for item in inputs:
        if item == "-":
            found.add("-", None, "-")
            continue
        path = Path(item)
        status = _stat(item)
        if isinstance(status, os.stat_result) and stat.S_ISDIR(status.st_mode):
            for page, identity in walk.files(path, status):
                found.add(str(page), page, identity)
        elif isinstance(status, os.stat_result):
            found.add(item, path, _identity(status))
        elif status != _MISSING:  # a dangling link, a loop: its line says why
            found.add(item, path, os.path.abspath(item))
        else:
            raise InputError(f"{_MISSING}: {item}")
    return found


def discover(inputs: list[str], settings: Settings) -> list[tuple[str, Path | None]]:
    """The (name, path) pairs of `find_inputs`, without what it skipped."""
    return find_inputs(inputs, settings).found


def _is_stream(path: Path) -> bool:
    """A FIFO or a device given by name: read as it comes, like stdin, never sought."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def input_documents(name: str, path: Path | None, settings: Settings) -> Iterator[Document]:
    """The Documents of one input found by `find_inputs`: a page, a dump's pages, or the
    error line of an input that cannot be read."""

    kind = format_of(name) if path is not None else None
    where = {"path": name, "format": kind if kind in ("html", "text") else "text"}
    if path is None:
        yield from stream_documents(name, sys.stdin.buffer, settings, kind=None, drain=True)
        return
    if why := unreadable_reason(path):
        yield unreadable(name, where, f"cannot read {name}: {why}")
        return
    if kind in ("warc", "jsonl"):
        yield from (warc_documents if kind == "warc" else jsonl_documents)(name, path, settings)
        return
    streamed = _is_stream(path)
    try:
        if streamed or (kind is None and not name.lower().endswith(".gz")):
            with path.open("rb") as fh:
                yield from stream_documents(name, fh, settings, kind=kind, drain=streamed)
            return
        data, note = read_page(path, settings.max_bytes)
    except (OSError, zlib.error) as exc:
        yield unreadable(name, where, f"cannot read {name}: {exc}")
        return
    if data is not None and kind is None and looks_like_jsonl(data):
        yield from jsonl_lines(name, iter(data.split(b"\n")), settings)
        return
    yield page_document(name, data, kind, note, settings)


def read_inputs(inputs: list[str], settings: Settings) -> Iterator[Document]:
    """Yield one Document per input document, in a stable order; each file once (what
    `find_inputs` skips, it lists with the reason)."""
    for name, path in discover(inputs, settings):
        yield from input_documents(name, path, settings)
