"""Bytes to Vietnamese text: BOMs, declared charsets, and a guess when neither is right.

Pure functions for steps/pages.py. A page that is not UTF-8 is decoded with each candidate
(windows-1258, VISCII, windows-1252, the declared charset) and the one giving the most
well-formed Vietnamese syllables wins; text repairs (legacy fonts, mojibake) are in repair.py.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from pipeline.steps import legacy_tables as tables
from pipeline.steps.repair import legacy_gain
from pipeline.steps.syllables import evidence

_SAMPLE = 100_000  # bytes scored per candidate: enough to tell, cheap on a 20 MB page

VISCII_TABLE = "".join(tables.VISCII_C0.get(b, chr(b)) for b in range(128)) + tables.VISCII_HIGH
# windows-1252 as browsers read it: its five undefined bytes stay C1 controls, nothing fails.
_CP1252_C1 = {b: bytes([b]).decode("cp1252", "replace") for b in range(0x80, 0xA0)}
_CP1252 = {b: c for b, c in _CP1252_C1.items() if c != "\ufffd"}
_ALIASES = {
    "viscii": "viscii", "csviscii": "viscii", "viscii1.1-1": "viscii", "x-viet-viscii": "viscii",
    "tcvn": "tcvn3", "tcvn3": "tcvn3", "tcvn-5712": "tcvn3", "tcvn5712-1": "tcvn3",
    "x-viet-tcvn5712": "tcvn3", "vni": "vni", "x-viet-vni": "vni",
}  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)


def decode_viscii(data: bytes) -> str:
    """VISCII 1.1 (RFC 1456) bytes to text; every byte is defined.

    >>> decode_viscii(b"\\xd0\\xe4ng v\\xe0 ng\\xdf\\xb6i d\\xe2n")
    'Đảng và người dân'
    """
    return codecs.charmap_decode(data, "strict", VISCII_TABLE)[0]


def decode_cp1258(data: bytes) -> str:
    """windows-1258 bytes to composed text (it writes most tones as combining marks).

    >>> decode_cp1258(b"Vi\\xea\\xf2t Nam")  # ê + combining dot below
    'Việt Nam'
    """
    return unicodedata.normalize("NFC", data.decode("cp1258", "replace"))


def decode_cp1252(data: bytes) -> str:
    """windows-1252 as browsers read it: never fails; undefined bytes become C1 controls.

    >>> decode_cp1252(b"\\x93c\\xb8n b\\xe9\\x94 \\x90")
    '“c¸n bé” \\x90'
    """
    return data.decode("latin-1").translate(_CP1252)


def codec_name(label: str | None) -> str | None:
    """A charset label's canonical name ("viscii", "tcvn3", "vni" or a Python codec), or None.

    >>> codec_name("Windows-1258"), codec_name("VISCII"), codec_name("latin1"), codec_name("x")
    ('cp1258', 'viscii', 'iso8859-1', None)
    """
    if not label:
        return None
    label = label.strip().lower()
    if label in _ALIASES:
        return _ALIASES[label]
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # only text encodings: "hex", "base64", "zlib" or "idna" in a header are no charset
    text_codec = getattr(info, "_is_text_encoding", True) and info.name not in ("idna", "punycode")
    return info.name if text_codec else None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first kilobytes (`<meta charset>` or http-equiv).

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=VISCII">')
    'VISCII'
    """
    found = _META_CHARSET.search(data[:8192])
    return found.group(1).decode("ascii", "replace") if found else None


def decode_as(data: bytes, name: str) -> str:
    """Decode with a canonical name from `codec_name`; legacy font names read as windows-1252."""
    if name == "viscii":
        return decode_viscii(data)
    if name == "cp1258":
        return decode_cp1258(data)
    if name in ("cp1252", "tcvn3", "vni"):
        return decode_cp1252(data)
    try:
        return data.decode(name, "replace")
    except (LookupError, UnicodeError):
        return data.decode("utf-8", "replace")


def _score(text: str, name: str) -> int:
    """A candidate decoding's score: Vietnamese evidence, minus undecodable bytes; for
    windows-1252, what converting a legacy font encoding would gain."""
    legacy = legacy_gain(text) if name in ("cp1252", "tcvn3", "vni") else 0
    return evidence(text) + legacy - 2 * text.count("\ufffd")


def guess(data: bytes, declared: str | None) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: the candidate reading as the most Vietnamese wins.

    A declared charset (a name from `codec_name`) is overruled only by clearly better Vietnamese.
    Returns the text and the chosen name; without Vietnamese or a declaration, bs4 guesses.

    >>> guess("Đồng chí Bí thư Tỉnh ủy".encode("cp1258", "replace"), None)[1]
    'cp1258'
    >>> guess(b"Ng\\xdf\\xb6i d\\xe2n \\xd0\\xe4ng vi\\xean", "cp1252")[1]
    'viscii'
    """
    names = list(dict.fromkeys(n for n in (declared, "utf-8", "cp1258", "viscii", "cp1252") if n))
    sample = data[:_SAMPLE]
    scores = {n: _score(decode_as(sample, n), n) for n in names}
    best = max(names, key=scores.__getitem__)
    if declared and scores[best] < scores[declared] + 3:
        best = declared
    if scores[best] > 0 or best == declared:
        return decode_as(data, best), best
    from bs4 import UnicodeDammit  # at the edge: neither Vietnamese nor declared

    dammit = UnicodeDammit(data, is_html=True)
    if dammit.unicode_markup is not None:
        return dammit.unicode_markup, str(dammit.original_encoding)
    return data.decode("utf-8", "replace"), "utf-8"


#: File signatures of formats that are never pages.
_MAGIC = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "gzip data",
}
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
#: Control bytes that text may hold: tab, newlines, form feed, escape, and the six C0 codes
#: VISCII uses for capital letters.
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1b\x02\x05\x06\x14\x19\x1e")


def _wide_text(head: bytes, zeros: int) -> bool:
    """UTF-16 or UTF-32 text without a BOM: its zeros fall in the same place of each unit."""
    utf16 = max(head[0::2].count(0), head[1::2].count(0)) >= 0.9 * zeros
    utf32 = head[3::4].count(0) == len(head[3::4]) or head[0::4].count(0) == len(head[0::4])
    return utf16 or utf32


def binary_reason(data: bytes) -> str | None:
    """Why `data` is binary rather than a page in some text encoding, else None.

    >>> binary_reason(bytes(range(256)))
    'NUL bytes'
    >>> binary_reason("Tỉnh ủy".encode("utf-16-le")), binary_reason(b"%PDF-1.7 ...")
    (None, 'a PDF file')
    """
    head = data[:4096]
    if head.startswith(_TEXT_BOMS):
        return None
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return what
    zeros = head.count(0)
    if zeros >= len(head) / 8 and _wide_text(head, zeros):
        return None
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    if controls > len(head) // 50:  # a stray NUL or two in a page is no reason to drop it
        return "NUL bytes" if zeros else "control bytes"
    return None
