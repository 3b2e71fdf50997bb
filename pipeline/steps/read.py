"""Read: turn command-line inputs (files, folders, JSONL dumps, stdin) into Documents.

Every input document becomes exactly one Document, also when it cannot be read: then it carries
an error and empty text, so that the writer still emits its line. Bytes in any encoding a crawl
brings (steps/encoding.py) and text typed in legacy fonts (steps/repair.py) become Unicode
here, with a note in the document's `errors` that names the conversion.
"""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Iterator
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
        return text, "invalid UTF-8 bytes replaced"
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
    text (entities, mojibake, legacy fonts: steps/repair.py), each repair noted in `errors`."""
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
        if warning:
            doc.error("read", warning)
    if not content.strip():
        doc.error("read", "empty page: nothing to read")
    forced = settings.input_format if settings.input_format != "auto" else None
    doc.source["format"] = forced or doc.source.get("format") or sniff_format(content)
    content, notes = repair_text(content, doc.source["format"])
    for note in notes:
        doc.error("read", note)
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
    what reading noted stays in its errors."""
    if doc.prepared:
        return doc
    try:
        ready = make_document(doc.id, doc.source, doc.raw, settings)
    except DocumentTimeout:
        raise
    except Exception as exc:  # noqa: BLE001 - a page must never stop the batch
        doc.raw, doc.prepared = "", True
        doc.source.setdefault("format", "text")
        doc.error("read", f"cannot read {doc.id}: {type(exc).__name__}: {exc}")
        return doc
    ready.errors[:0] = doc.errors
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


def discover(inputs: list[str], settings: Settings) -> list[tuple[str, Path | None]]:
    """Expand the inputs to a sorted list of (name, path) pairs; "-" stands for stdin.

    Raises InputError for a path that does not exist, before anything is read.
    """
    found: list[tuple[str, Path | None]] = []
    output = Path(settings.output).resolve() if settings.output else None

    def is_input(p: Path) -> bool:  # not this run's output file, nor a shard of its folder
        here = p.resolve()
        return here != output and not (here.parent == output and here.name.startswith("part-"))

    for item in inputs:
        if item == "-":
            found.append(("-", None))
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.name.lower().removesuffix(".gz").endswith(settings.suffixes)
                and is_input(p)
            )
            found.extend((str(p), p) for p in files)
        elif path.is_file():
            found.append((str(path), path))
        else:
            raise InputError(f"no such file or directory: {item}")
    return found


def _looks_like_jsonl(data: bytes) -> bool:
    """Stdin or an unnamed input whose first line is a JSON object: a page dump."""
    first = data.lstrip()[:1_000_000].split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def read_inputs(inputs: list[str], settings: Settings) -> Iterator[Document]:
    """Yield one Document per input document, in a stable order."""
    from pipeline.steps.dumps import jsonl_documents, jsonl_lines, warc_documents  # uses decode

    for name, path in discover(inputs, settings):
        kind = format_of(name) if path is not None else None
        if path is not None and kind in ("warc", "jsonl"):
            read_dump = warc_documents if kind == "warc" else jsonl_documents
            yield from read_dump(name, path, settings)
            continue
        note = None
        try:
            if path is None:
                data = sys.stdin.buffer.read()
            else:
                data, note = read_page(path, settings.max_bytes)
        except (OSError, zlib.error) as exc:
            where = {"path": name, "format": format_of(name) or "text"}
            yield unreadable(name, where, f"cannot read {name}: {exc}")
            continue
        if kind is None and _looks_like_jsonl(data):
            yield from jsonl_lines(name, iter(data.split(b"\n")), settings)
            continue
        source: dict[str, Any] = {"path": name}
        if kind:
            source["format"] = kind
        doc = unprepared(name, source, data)
        if note:
            doc.error("read", note)
        yield doc
