"""Normalize Vietnamese text once, early: every span in a record is an offset into this text.

What changes: HTML entities, Unicode NFC, one tone-mark convention (old style: "hòa", "thủy"),
the look-alike "Ð" (U+00D0) and "ð" to "Đ"/"đ", typographic quotes and dashes to ASCII,
non-breaking and zero-width spaces, runs of blanks; lines are trimmed and blank runs collapse.
"""

from __future__ import annotations

import html
import unicodedata

import regex

from pipeline.document import Document

# New-style tone placement ("hoà", "thuỷ") to the old style ("hòa", "thủy") used by most
# Party and government sites, only where the pair ends a syllable ("hoàng" stays as it is).
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_TONE_PAIRS.update({k.upper(): v.upper() for k, v in list(_TONE_PAIRS.items())})
_TONE_PAIRS.update({k[0].upper() + k[1]: v[0].upper() + v[1] for k, v in list(_TONE_PAIRS.items())})
# "qu" + "ý" is one syllable "quý" whose tone sits on "y" in both conventions: leave it alone.
_TONE_RE = regex.compile(r"(?<![qQ])(" + "|".join(_TONE_PAIRS) + r")(?!\p{L})")

_CHAR_MAP = str.maketrans(
    {
        "\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
        "\u2009": " ", "\u200a": " ", "\u3000": " ", "\t": " ", "\u000b": " ", "\f": " ",
        "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
        "\u00ad": None, "\r": None,
    }
)  # fmt: skip
_BLANKS = regex.compile(r" {2,}")
_BLANK_LINES = regex.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Return the canonical form of `text` that all spans refer to.

    >>> normalize_text("Thị uỷ  Sa\\u00a0Pa: \\u201cDân vận khéo\\u201d \\u2013 &amp; \\u00d0ảng")
    'Thị ủy Sa Pa: "Dân vận khéo" - & Đảng'
    >>> normalize_text("ho\\u0300a")  # decomposed tone mark composes
    'hòa'
    """
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text).translate(_CHAR_MAP)
    text = _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(1)], text)
    text = "\n".join(_BLANKS.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def normalize_meta(value: str | None) -> str | None:
    """Normalize a metadata string to one line; `None` and blanks give `None`.

    >>> normalize_meta("  Lào Cai:\\n tiếp tục  ")
    'Lào Cai: tiếp tục'
    """
    if value is None:
        return None
    value = " ".join(normalize_text(value).split())
    return value or None


def normalize(doc: Document) -> Document:
    """Step: normalize the cleaned text (unless clean already did) and the metadata strings."""
    if not doc.normalized:
        doc.text, doc.spans, doc.normalized = normalize_text(doc.text), {}, True
    doc.meta.title = normalize_meta(doc.meta.title)
    doc.meta.site = normalize_meta(doc.meta.site)
    doc.meta.authors = [a for a in (normalize_meta(x) for x in doc.meta.authors) if a]
    return doc
