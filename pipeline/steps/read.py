"""Read: turn command-line inputs (files, folders, JSONL dumps, stdin) into Documents.

Every input document becomes exactly one Document, also when it cannot be read: then it carries
an error and empty text, so that the writer still emits its line. Bytes in any encoding a crawl
brings (steps/encoding.py) and text typed in legacy fonts (steps/repair.py) become Unicode
here, with a note in the document's `notes` that names the conversion (`errors` is kept for
what was lost or could not be done).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
import zlib
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import Settings
from pipeline.document import Document, DocumentTimeout
from pipeline.steps.encoding import binary_reason, codec_name, declared_charset, guess
from pipeline.steps.repair import convert_legacy, repair_text

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_SHOWN = {"cp1258": "windows-1258", "cp1252": "windows-1252", "viscii": "VISCII"}
_SHOWN.update(tcvn3="TCVN3", vni="VNI")
_HTML_HINTS = ("<html", "<!doctype", "<body", "<head", "<div", "<p>", "<p ", "<article", "<meta")


class InputError(Exception):
    """A usage problem with the inputs as given (missing path): the run stops before reading."""


def sniff_format(content: str) -> str:
    """Guess "html" or "text" from the first few kilobytes.

    >>> sniff_format("<!DOCTYPE html><html><body><p>Tin</p></body></html>")
    'html'
    >>> sniff_format("Lào Cai: tiếp tục đổi mới công tác dân vận")
    'text'
    """
    head = content[:4096].lstrip().lower()
    if head.startswith("<") and any(h in head for h in _HTML_HINTS):
        return "html"
    return "html" if sum(head.count(h) for h in _HTML_HINTS) >= 3 else "text"


def decode(data: bytes, declared: str | None = None, sniff: bool = True) -> tuple[str, str | None]:
    """Bytes to text: BOM, then UTF-8, then the declared charset or the most Vietnamese reading.

    `declared` is the HTTP charset; else (with `sniff`) the page's `<meta charset>`. Returns the
    text and a warning when the bytes were not clean UTF-8 or the declaration was wrong.

    >>> decode("Đảng".encode("utf-8"))
    ('Đảng', None)
    >>> decode("Đảng".encode("utf-16"))[0]
    'Đảng'
    >>> decode(b"<meta charset=windows-1252><p>C\\xf4ng t\\xe1c c\\xfba \\xd0a\\xd2ng")[1]
    'declared charset windows-1252 is wrong; decoded as windows-1258'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace"), None
    label = declared or (declared_charset(data) if sniff else None)
    name = codec_name(label)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_other(data, label, name)
    if name not in (None, "utf-8", "ascii") and not data.isascii():
        return text, f"declared charset {label} is wrong; decoded as UTF-8"
    return text, None


#: The one thing `decode` says that means bytes were lost; its other messages name a charset it
#: chose, a repair (a document's `notes`, not its `errors`).
LOST_BYTES = "invalid UTF-8 bytes replaced"


def note_decoding(doc: Document, message: str | None) -> None:
    """File what `decode` said: lost bytes as a read error, a charset choice as a read note."""
    if message:
        (doc.error if message == LOST_BYTES else doc.note)("read", message)


def _decode_other(data: bytes, label: str | None, name: str | None) -> tuple[str, str]:
    """Bytes that are not UTF-8: UTF-16 without its BOM, else the best candidate charset."""
    head = data[:400]
    if len(head) >= 8 and head.count(0) >= len(head) // 4:  # every other byte of Latin text
        codec = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        return data.decode(codec, "replace"), f"no byte order mark; decoded as {codec.upper()}"
    text, chosen = guess(data, name)
    if chosen in ("tcvn3", "vni"):  # a declared legacy font: convert whatever the gain
        text, _ = convert_legacy(text, hint=chosen.upper())
    shown = _SHOWN.get(chosen, chosen)
    if chosen == "utf-8":
        return text, LOST_BYTES
    if name and chosen == name:
        return text, f"not UTF-8; decoded as {shown} (declared)"
    if label:
        return text, f"declared charset {label} is wrong; decoded as {shown}"
    return text, f"not UTF-8 and no charset declared; decoded as {shown} (detected)"


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


def make_document(
    doc_id: str, source: dict[str, Any], content: str | bytes, settings: Settings
) -> Document:
    """A Document from one page's content: decodes bytes, settles its format and repairs the
    text (entities, mojibake, legacy fonts: steps/repair.py), each repair said in `notes`."""
    doc = Document(id=doc_id, source=dict(source))
    if len(content) > settings.max_bytes:
        doc.error("read", f"input is over the limit of {settings.max_bytes} bytes; not read")
        doc.source.setdefault("format", "text")
        return doc
    if isinstance(content, bytes):
        if why := binary_reason(content):
            doc.error("read", f"binary data, not a page ({why}); not read")
            doc.source.setdefault("format", "text")
            return doc
        content, warning = decode(content)
        note_decoding(doc, warning)
    if not content.strip():
        doc.error("read", "empty page: nothing to read")
    forced = settings.input_format if settings.input_format != "auto" else None
    doc.source["format"] = forced or doc.source.get("format") or sniff_format(content)
    content, notes = repair_text(content, doc.source["format"])
    for note in notes:
        doc.note("read", note)
    doc.raw = content
    return doc


def unreadable(doc_id: str, source: dict[str, Any], message: str) -> Document:
    """The line of an input that could not be read: no text, the reason as a read error."""
    doc = Document(id=doc_id, source={"format": "text", **source}, prepared=True)
    doc.error("read", message)
    return doc


def unprepared(doc_id: str, source: dict[str, Any], content: str | bytes) -> Document:
    """A Document whose content is decoded and repaired later, by `prepare`."""
    return Document(id=doc_id, source=dict(source), raw=content, prepared=False)


def prepare(doc: Document, settings: Settings) -> Document:
    """Step: decode and repair the content of an `unprepared` document (see make_document);
    what reading said stays in its errors and notes. The bytes as read are let go once decoded."""
    if doc.prepared:
        return doc
    raw, doc.raw = doc.raw, ""
    try:
        ready = make_document(doc.id, doc.source, raw, settings)
    except DocumentTimeout:
        raise
    except Exception as exc:  # noqa: BLE001 - a page must never stop the batch
        doc.prepared = True
        doc.source.setdefault("format", "text")
        doc.error("read", f"cannot read {doc.id}: {type(exc).__name__}: {exc}")
        return doc
    ready.errors[:0] = doc.errors
    ready.notes[:0] = doc.notes
    ready.counts.update(doc.counts)
    return ready


def read_page(path: Path, limit: int) -> tuple[bytes, str | None]:
    """A page file's bytes, gunzipped, at most `limit` + 1 of them (enough to tell it is over
    the limit): a huge page or a gzip bomb is never read whole. A cut gzip keeps what could be
    read, with a note; corrupt gzip data raises zlib.error."""
    with path.open("rb") as fh:
        if not path.name.lower().endswith(".gz"):
            return fh.read(limit + 1), None
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
            out += inflate.decompress(chunk, limit + 1 - len(out))
    if not inflate.eof and len(out) <= limit:
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


def looks_like_jsonl(data: bytes) -> bool:
    """Stdin or an unnamed input whose first line is a JSON object: a page dump."""
    first = data.lstrip()[:1_000_000].split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def over_limit(doc_id: str, source: dict[str, Any], settings: Settings) -> Document:
    """The line of a page over `--max-bytes`: an error, no text (what was read is not kept)."""
    message = f"input is over the limit of {settings.max_bytes} bytes; not read"
    return unreadable(doc_id, source, message)


def page_document(
    name: str, data: bytes, kind: str | None, note: str | None, settings: Settings
) -> Document:
    """The Document of one page read from a file or a stream, decoded later by `prepare`;
    a page over the limit gets its error here, so its bytes are not carried further."""
    source: dict[str, Any] = {"path": name}
    if kind:
        source["format"] = kind
    if len(data) > settings.max_bytes:
        return over_limit(name, source, settings)
    doc = unprepared(name, source, data)
    if note:
        doc.error("read", note)
    return doc


def _is_stream(path: Path) -> bool:
    """A FIFO or a device given by name: read as it comes, like stdin, never sought."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def input_documents(name: str, path: Path | None, settings: Settings) -> Iterator[Document]:
    """The Documents of one input found by `find_inputs`: a page, a dump's pages, or the
    error line of an input that cannot be read."""
    from pipeline.steps.dumps import jsonl_documents, stream_documents, warc_documents

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
    if kind is None and looks_like_jsonl(data):
        from pipeline.steps.dumps import jsonl_lines

        yield from jsonl_lines(name, iter(data.split(b"\n")), settings)
        return
    yield page_document(name, data, kind, note, settings)


def read_inputs(inputs: list[str], settings: Settings) -> Iterator[Document]:
    """Yield one Document per input document, in a stable order; each file once (what
    `find_inputs` skips, it lists with the reason)."""
    for name, path in discover(inputs, settings):
        yield from input_documents(name, path, settings)
