"""Normalize Vietnamese text once, early: every span in a record is an offset into this text.

What changes: HTML entities, Unicode NFC (decomposed input, and tone marks typed before the
circumflex, breve or horn), one tone-mark convention (old style: "hòa", "thủy"; "qúy" -> "quý"),
the look-alike "Ð" (U+00D0) and "ð" to "Đ"/"đ", typographic double quotes and dashes to ASCII
(not the curly apostrophe, which names keep as written: "H’Xuân", "K’Tốp"),
non-breaking spaces, zero-width and direction marks (also inside a symbol: "25-\u200bNQ/TW"),
HTML tags a scraper left in its text ("<p align=\"justify\">"), runs of blanks; lines are
trimmed and blank runs collapse.
"""

from __future__ import annotations

import html
import itertools
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
# The tone on the "u" of "qu" belongs to the next vowel: "qúy" -> "quý", "qủa" -> "quả".
_QU_TONE_RE = regex.compile(r"(?<=[qQ])([úùủũụÚÙỦŨỤ])([aăâeêioôơyAĂÂEÊIOÔƠY])")
_MARKS_RE = regex.compile(r"[\u0300-\u036f]{2,}")
_SHAPE_MARKS = "\u0302\u0306\u031b"  # circumflex, breve, horn: composed before the tone

_CHAR_MAP = str.maketrans(
    {
        "\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
        "\u2009": " ", "\u200a": " ", "\u3000": " ", "\t": " ", "\u000b": " ", "\f": " ",
        "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
        "\u00ad": None, "\r": None, "\u200e": None, "\u200f": None, "\u180e": None,
        "\u034f": None, "\u2061": None, "\u2062": None, "\u2063": None, "\u2064": None,
        "\u202a": None, "\u202b": None, "\u202c": None, "\u202d": None, "\u202e": None,
        "\u2066": None, "\u2067": None, "\u2068": None, "\u2069": None,
    }
)  # fmt: skip
# Finds a character of the map: str.translate looks every character up, so it runs only on
# text that holds one (most lines hold none).
_MAPPED = regex.compile("[" + "".join(regex.escape(chr(c)) for c in _CHAR_MAP) + "]")
# Tags of text markup left in scraped text; a "<" in running text ("< 5%") is not one.
_TAG = regex.compile(
    r"</?(?:p|div|span|br|hr|strong|em|b|i|u|a|img|h[1-6]|li|ul|ol|table|tbody|thead|tr|td|th"
    r"|font|section|article|figure|figcaption|blockquote|center|small|sup|sub)(?:\s[^<>\n]{0,300})?/?>",
    regex.IGNORECASE,
)
_BLANKS = regex.compile(r" {2,}")
_BLANK_LINES = regex.compile(r"\n{3,}")


# A number typed against a Vietnamese word, either side ("của914vận động viên", "có
# 1đảng viên"), split by a space; "20h30", "5ha", "H5N1" and symbols stay as written (the
# word must hold a letter outside ASCII, within its first or last four letters).
# Read at the ends of each run of digits (a scan for the places themselves tries every
# character of the page).
_DIGITS = regex.compile(r"\d+")
_WORD_BEFORE = regex.compile(r"(?<=[^\x00-\x7f\d\W]\p{Ll}{0,3})(?<=\p{Ll})")
_WORD_AFTER = regex.compile(r"(?=\p{Ll}{0,3}[^\x00-\x7f\d\W])")


def normalize_text(text: str) -> str:
    """Return the canonical form of `text` that all spans refer to.

    >>> normalize_text("Thị uỷ  Sa\\u00a0Pa: \\u201cDân vận khéo\\u201d \\u2013 &amp; \\u00d0ảng")
    'Thị ủy Sa Pa: "Dân vận khéo" - & Đảng'
    >>> normalize_text('<p align="justify">Tỷ lệ < 5%</p>')
    'Tỷ lệ < 5%'
    >>> normalize_text("ho\\u0300a")  # decomposed tone mark composes
    'hòa'
    >>> normalize_text("Vie\\u0323\\u0302t qu\\u200by\\u0301 qúy")  # tone typed first; zero width
    'Việt quý quý'
    >>> normalize_text("của914vận động viên, 1đảng viên, 20h30, 5ha, H5N1, năm2023")
    'của 914 vận động viên, 1 đảng viên, 20h30, 5ha, H5N1, năm 2023'
    """
    while "&" in text and (unescaped := html.unescape(text)) != text:  # also "&amp;ocirc;"
        text = unescaped
    if _MAPPED.search(text):  # first: a zero-width mark must not keep marks apart
        text = text.translate(_CHAR_MAP)
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = unicodedata.normalize("NFC", _compose_order(text))
    text = _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(1)], text)
    text = _QU_TONE_RE.sub(_qu_tone, text)
    text = _unglue(text)
    text = "\n".join(_BLANKS.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _unglue(text: str) -> str:
    """A space between a number and a Vietnamese word typed against it.

    >>> _unglue("của914vận, 20h30, H5N1, 1đảng")
    'của 914 vận, 20h30, H5N1, 1 đảng'
    """
    cuts = []
    for m in _DIGITS.finditer(text):
        start, end = m.span()
        if start and text[start - 1].isalpha() and _WORD_BEFORE.match(text, start):
            cuts.append(start)
        if end < len(text) and text[end].isalpha() and _WORD_AFTER.match(text, end):
            cuts.append(end)
    if not cuts:
        return text
    bounds = [0, *cuts, len(text)]
    return " ".join(text[a:b] for a, b in itertools.pairwise(bounds))


def _compose_order(text: str) -> str:
    """Put circumflex, breve and horn before the tone mark so that NFC composes both.

    >>> _compose_order("a\\u0301\\u0302") == "a\\u0302\\u0301"
    True
    """
    if not _MARKS_RE.search(text):
        return text
    return _MARKS_RE.sub(
        lambda m: "".join(sorted(m.group(), key=lambda c: c not in _SHAPE_MARKS)), text
    )


def _qu_tone(match: regex.Match[str]) -> str:
    """Move the tone from the "u" of "qu" to the vowel after it."""
    u_and_tone = unicodedata.normalize("NFD", match.group(1))
    return u_and_tone[0] + unicodedata.normalize("NFC", match.group(2) + u_and_tone[1])


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
