"""From what was read to a Document: decoding bytes, sniffing the format, repairing the text.

Below both readers (read.py: files, folders and streams; dumps.py: JSONL and WARC), so that
neither imports the other for it. Bytes in any encoding a crawl brings (steps/encoding.py) and
text typed in legacy fonts (steps/repair.py) become Unicode here; each conversion is said in
the document's `notes`, and only what was lost goes to its `errors`.
"""

from __future__ import annotations

import json
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
    name: str, data: bytes | None, kind: str | None, note: str | None, settings: Settings
) -> Document:
    """The Document of one page read from a file or a stream, decoded later by `prepare`;
    a page over the limit (or told to be, `data` None) gets its error here, so its bytes are
    not carried further."""
    source: dict[str, Any] = {"path": name}
    if kind:
        source["format"] = kind
    if data is None or len(data) > settings.max_bytes:
        return over_limit(name, source, settings)
    doc = unprepared(name, source, data)
    if note:
        doc.error("read", note)
    return doc
