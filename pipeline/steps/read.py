"""Read: turn command-line inputs (files, folders, JSONL dumps, stdin) into Documents.

Every input document becomes exactly one Document, also when it cannot be read: then it carries
an error and empty text, so that the writer still emits its line. Bytes in any encoding a crawl
brings (steps/encoding.py) and text typed in legacy fonts (steps/repair.py) become Unicode
here, with a note in the document's `errors` that names the conversion.
"""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.steps.encoding import codec_name, declared_charset, guess
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
    if isinstance(content, bytes):
        if len(content) > settings.max_bytes:
            doc.error(
                "read", f"input is {len(content)} bytes, over the limit of {settings.max_bytes}"
            )
            doc.source.setdefault("format", "text")
            return doc
        content, warning = decode(content)
        if warning:
            doc.error("read", warning)
    forced = settings.input_format if settings.input_format != "auto" else None
    doc.source["format"] = forced or doc.source.get("format") or sniff_format(content)
    content, notes = repair_text(content, doc.source["format"])
    for note in notes:
        doc.error("read", note)
    doc.raw = content
    return doc


def _read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        return gzip.decompress(data)
    return data


def discover(inputs: list[str], settings: Settings) -> list[tuple[str, Path | None]]:
    """Expand the inputs to a sorted list of (name, path) pairs; "-" stands for stdin.

    Raises InputError for a path that does not exist, before anything is read.
    """
    found: list[tuple[str, Path | None]] = []
    for item in inputs:
        if item == "-":
            found.append(("-", None))
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.name.lower().removesuffix(".gz").endswith(settings.suffixes)
            )
            found.extend((str(p), p) for p in files)
        elif path.is_file():
            found.append((str(path), path))
        else:
            raise InputError(f"no such file or directory: {item}")
    return found


def _jsonl_documents(name: str, data: bytes, settings: Settings) -> Iterator[Document]:
    text, warning = decode(data, sniff=False)  # a dump's pages may declare any charset
    # Only "\n" ends a line: JSON strings may hold U+2028 and other characters splitlines() cuts at.
    for lineno, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        source: dict[str, Any] = {"file": name, "line": lineno}
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("a line must hold a JSON object")
        except ValueError as exc:
            doc = Document(id=f"{name}:{lineno}", source={**source, "format": "text"})
            doc.error("read", f"{name} line {lineno}: invalid JSON line: {exc}")
            yield doc
            continue
        yield _jsonl_item(name, lineno, item, settings, warning)


def _jsonl_item(
    name: str, lineno: int, item: dict[str, Any], settings: Settings, warning: str | None
) -> Document:
    source: dict[str, Any] = {"file": name, "line": lineno}
    if isinstance(item.get("url"), str):
        source["url"] = item["url"]
    if isinstance(item.get("html"), str):
        content, source["format"] = item["html"], "html"
    elif isinstance(item.get("text"), str):
        content, source["format"] = item["text"], "text"
    else:
        content, source["format"] = "", "text"
    extra = {k: v for k, v in item.items() if k not in ("url", "html", "text")}
    if extra:
        source["extra"] = extra
    doc = make_document(f"{name}:{lineno}", source, content, settings)
    if not content:
        doc.error("read", f"{name} line {lineno}: no 'html' or 'text' string")
    if warning:
        doc.error("read", warning)
    return doc


def _charset(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type.

    >>> _charset("text/html; charset=windows-1258")
    'windows-1258'
    """
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _warc_documents(name: str, path: Path, settings: Settings) -> Iterator[Document]:
    """HTML `response` records of a WARC file; a broken record ends the file with an error."""
    from warcio.archiveiterator import ArchiveIterator  # at the edge: only WARC input needs it
    from warcio.exceptions import ArchiveLoadFailed

    count = 0
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = record.http_headers.get_header("Content-Type") or ""
                if "html" not in ctype.lower():
                    continue
                count += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                rid = record.rec_headers.get_header("WARC-Record-ID") or f"record-{count}"
                source = {"file": name, "url": url, "warc_record_id": rid, "format": "html"}
                text, warning = decode(record.content_stream().read(), _charset(ctype))
                doc = make_document(f"{name}#{rid}", source, text, settings)
                if warning:
                    doc.error("read", warning)
                yield doc
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError, AttributeError) as exc:
        # warcio reports a cut or corrupt record in several ways, AttributeError among them
        doc = Document(id=f"{name}#broken-after-{count}", source={"file": name, "format": "html"})
        doc.error("read", f"{name}: invalid WARC data after {count} records: {exc}")
        yield doc


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
    for name, path in discover(inputs, settings):
        if path is not None and format_of(name) == "warc":
            yield from _warc_documents(name, path, settings)
            continue
        try:
            data = sys.stdin.buffer.read() if path is None else _read_bytes(path)
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            doc = Document(id=name, source={"path": name, "format": format_of(name) or "text"})
            doc.error("read", f"cannot read {name}: {exc}")
            yield doc
            continue
        kind = format_of(name) if path is not None else None
        if kind == "jsonl" or (kind is None and _looks_like_jsonl(data)):
            yield from _jsonl_documents(name, data, settings)
            continue
        source: dict[str, Any] = {"path": name}
        if kind:
            source["format"] = kind
        yield make_document(name, source, data, settings)
