"""Read page dumps: JSONL (one page per line, streamed: a dump of any size is never held
whole) and WARC files as crawlers write them (warcio; HTML `response` records only), and
streams (stdin, a FIFO): a dump streamed line by line, a page read up to the size limit.

A line or record that cannot be read still becomes a Document, with an error that says where
(`dump.jsonl line 7: invalid JSON line: ...`), so that every input document gets its line.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import IO, Any

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.steps.pages import (
    decode,
    looks_like_jsonl,
    make_document,
    note_decoding,
    page_document,
    unprepared,
    unreadable,
)


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def wide_codec(head: bytes) -> str | None:
    """The codec of a dump written in UTF-16 or UTF-32 (by its BOM, or a "{" beside a NUL),
    None for the byte encodings, whose lines can be split before they are decoded.

    >>> wide_codec('{"a": 1}'.encode("utf-16")), wide_codec(b'{"a": 1}')
    ('utf-16', None)
    """
    for bom, codec in _WIDE_BOMS:
        if head.startswith(bom):
            return codec
    return {b"{\x00": "utf-16-le", b"\x00{": "utf-16-be"}.get(head[:2])


class Utf8Lines:
    """A UTF-16/32 stream read back as UTF-8 bytes (`readline`, `read`), so that its lines
    are split after decoding: a "\\n" of UTF-16 is two bytes, one of them NUL."""

    def __init__(self, fh: IO[bytes], codec: str) -> None:
        self.text = io.TextIOWrapper(fh, encoding=codec, errors="replace", newline="\n")  # type: ignore[type-var]

    def readline(self, size: int = -1) -> bytes:
        return self.text.readline(size).encode("utf-8", "surrogatepass")

    def read(self, size: int = -1) -> bytes:
        return self.text.read(size).encode("utf-8", "surrogatepass")


def decoded_lines(fh: IO[bytes]) -> IO[bytes]:
    """`fh` itself, or, for a UTF-16/32 dump, the same stream as UTF-8 lines."""
    peek = getattr(fh, "peek", None)
    codec = wide_codec(peek(4)[:4]) if peek else None
    return Utf8Lines(fh, codec) if codec else fh  # type: ignore[return-value]


def jsonl_documents(name: str, path: Path, settings: Settings) -> Iterator[Document]:
    """The pages of a JSONL dump, line by line; a cut or corrupt file ends with an error line."""
    lineno = 0

    def numbered() -> Iterator[bytes | None]:
        nonlocal lineno
        with _open(path) as raw:
            fh = decoded_lines(raw)
            for lineno, line in enumerate(bounded_lines(fh, settings.max_bytes), start=1):  # noqa: B007
                yield line

    try:
        yield from jsonl_lines(name, numbered(), settings)
    except (OSError, EOFError, zlib.error) as exc:
        message = f"{name} line {lineno + 1}: cannot read on: {exc or 'truncated'}"
        yield unreadable(f"{name}:{lineno + 1}", {"file": name}, message)


def bounded_lines(fh: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """The lines of a dump, None for a line over `limit` bytes: its rest is skipped in bounded
    reads, so one huge line never sits in memory whole."""
    while line := fh.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _head_lines(fh: IO[bytes], limit: int) -> list[bytes]:
    """A stream's lines up to its first non-blank one, `limit` + 1 bytes at most in all."""
    lines: list[bytes] = []
    size = 0
    while size <= limit:
        line = fh.readline(limit + 1 - size)
        if not line:
            break
        lines.append(line)
        size += len(line)
        if line.strip():
            break
    return lines


def _drain(fh: IO[bytes]) -> None:
    """Read a stream to its end without keeping it, so that its writer is not cut off."""
    while fh.read(1 << 20):
        pass


def stream_documents(
    name: str, fh: IO[bytes], settings: Settings, kind: str | None, drain: bool
) -> Iterator[Document]:
    """The documents of a stream (stdin, a FIFO, a file whose name tells no format), read in
    bounded pieces: a JSONL dump (its first line a JSON object) line by line, else one page
    read up to `settings.max_bytes` (a longer one gets its over-the-limit line, the rest of
    the stream is read and dropped when `drain`, else left unread)."""
    limit = settings.max_bytes
    fh = decoded_lines(fh) if kind is None else fh
    head = _head_lines(fh, limit) if kind is None else []
    size = sum(map(len, head))
    if size <= limit and looks_like_jsonl(b"".join(head)):
        yield from jsonl_lines(name, chain(head, bounded_lines(fh, limit)), settings)
        return
    data = b"".join(head) + (fh.read(limit + 1 - size) if size <= limit else b"")
    del head
    if len(data) > limit and drain:
        _drain(fh)
    yield page_document(name, data, kind, None, settings)


def jsonl_lines(name: str, lines: Iterable[bytes | None], settings: Settings) -> Iterator[Document]:
    """One Document per non-blank line; only "\\n" ends a line (JSON strings may hold U+2028)."""
    for lineno, raw in enumerate(lines, start=1):
        if raw is None:
            message = f"{name} line {lineno}: over the limit of {settings.max_bytes} bytes"
            yield unreadable(f"{name}:{lineno}", {"file": name, "line": lineno}, message)
            continue
        text, warning = decode(raw, sniff=False)  # a dump's pages may declare any charset
        line = text.rstrip("\r\n")
        if not line.strip():
            continue
        source: dict[str, Any] = {"file": name, "line": lineno}
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("a line must hold a JSON object")
        except (ValueError, RecursionError) as exc:  # RecursionError: "[[[[..." nested too deep
            message = f"{name} line {lineno}: invalid JSON line: {exc}"
            yield unreadable(f"{name}:{lineno}", source, message)
            continue
        try:
            yield _jsonl_item(name, lineno, item, settings, warning)
        except Exception as exc:  # noqa: BLE001 - one line must never stop the dump
            message = f"{name} line {lineno}: {type(exc).__name__}: {exc}"
            yield unreadable(f"{name}:{lineno}", source, message)


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
    doc = unprepared(f"{name}:{lineno}", source, content)
    if not content:
        doc.error("read", f"{name} line {lineno}: no 'html' or 'text' string")
    note_decoding(doc, warning)
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


def _warc_page(
    doc_id: str, source: dict[str, Any], record: Any, ctype: str, settings: Settings
) -> Document:
    """One HTML response: its body read up to the size limit, decoded with the HTTP charset."""
    body = record.content_stream().read(settings.max_bytes + 1)
    if len(body) > settings.max_bytes:  # refused on its bytes, before any decoding
        return make_document(doc_id, source, body, settings)
    try:
        text, warning = decode(body, _charset(ctype))
        doc = make_document(doc_id, source, text, settings)
    except Exception as exc:  # noqa: BLE001 - one record must never end the file
        return unreadable(doc_id, source, f"cannot read {doc_id}: {type(exc).__name__}: {exc}")
    note_decoding(doc, warning)
    return doc


def warc_documents(name: str, path: Path, settings: Settings) -> Iterator[Document]:
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
                yield _warc_page(f"{name}#{rid}", source, record, ctype, settings)
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError, AttributeError) as exc:
        # warcio reports a cut or corrupt record in several ways, AttributeError among them
        message = f"{name}: invalid WARC data after {count} records: {exc}"
        yield unreadable(f"{name}#broken-after-{count}", {"file": name, "format": "html"}, message)
