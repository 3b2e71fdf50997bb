"""Repair decoded text: legacy Vietnamese font encodings, mojibake, entity-encoded bodies.

Pure functions for steps/pages.py. Each repair runs only when a cheap test finds its tell-tale
characters, and is kept only where it makes the text read as more Vietnamese (syllables.py), so
that good Unicode, English or French text is left alone.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable

from pipeline.steps import legacy_tables as tables
from pipeline.steps.syllables import COMMON, evidence, is_syllable


def _cp1252(byte: int) -> str:
    return bytes([byte]).decode("cp1252", "ignore")


def _tcvn3_maps() -> tuple[dict[int, str], dict[int, str]]:
    """TCVN3 letters by the character their byte reads as: safe ones, and those that windows-1252
    also uses for punctuation (“ ” – …), converted only inside a word that becomes a syllable."""
    safe = {byte: letter for byte, letter in tables.TCVN3_C0.items()}
    context: dict[int, str] = {}
    for byte, letter in enumerate(tables.TCVN3_HIGH, start=0x80):
        if letter != "\0":
            safe[byte] = letter  # the latin-1 reading; a C1 control for 0x80-0x9F
            if byte < 0xA0 and _cp1252(byte):
                context[ord(_cp1252(byte))] = letter
    return safe, context


_TCVN3_SAFE, _TCVN3_CONTEXT = _tcvn3_maps()
_CONTEXT_CLASS = re.escape("".join(map(chr, _TCVN3_CONTEXT)))
_TCVN3_CONTEXT_CHAR = re.compile(f"[{_CONTEXT_CLASS}]")
# Words (from their first character: linear time on long runs) holding such a character.
_TCVN3_CONTEXT_WORD = re.compile(
    f"(?<![\\w{_CONTEXT_CLASS}])[\\w{_CONTEXT_CLASS}]*?[{_CONTEXT_CLASS}][\\w{_CONTEXT_CLASS}]*"
)
# A word with two ASCII capitals and no ASCII lower case: its converted letters become capitals.
_CAPITALS_WORD = re.compile(r"\b(?=[^\Wa-z]*[A-Z][^\Wa-z]*[A-Z])[^\Wa-z]+\b")
# Longest sequence first; an upper-case base letter with a lower-case mark is read as upper case.
_VNI_MAP = {**{k[0] + k[1:].lower(): v for k, v in tables.VNI.items() if k.isupper()}, **tables.VNI}
_VNI_RE = re.compile("|".join(map(re.escape, sorted(_VNI_MAP, key=len, reverse=True))))
_TELLS = re.compile("[" + re.escape(tables.TCVN3_TELLS + tables.VNI_TELLS) + "]")
# One quick pass finds the pages that may need a repair at all (mojibake has Ã, Ä or Æ).
_SUSPECT = re.compile("[" + re.escape(tables.TCVN3_TELLS + tables.VNI_TELLS) + "ÃÄÅÆ]")
_PART_END = re.compile(r"(?<=[\n>])")  # lines and HTML elements: decided one by one
_CHOOSE_ON = 100_000  # characters on which the legacy encoding is chosen
_MOJIBAKE = re.compile(tables.MOJIBAKE_TELLS)
# A UTF-8 continuation byte lost in decoding (0x81, 0x8D, 0x8F, 0x90, 0x9D are not windows-1252).
_C1_READ = "\\x80-\\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_LOST_BYTE = re.compile(f"(?:Ä|á»)(?![{_C1_READ}\ufffd])")
_LOST_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]*?\ufffd[^\W\d_]*")
_LOST_LETTERS = "ềờọỏỐĐÁÍÝ"  # the Vietnamese letters whose UTF-8 holds one of those bytes
_ENTITY = r"(?:[a-zA-Z]{2,8}\d{0,2}|#\d{2,7}|#[xX][0-9a-fA-F]{2,6});"
_TEXT_ENTITY = re.compile("&" + _ENTITY)
_DOUBLE_ENTITY = re.compile("&amp;(?=" + _ENTITY + ")")
_SCRIPT_TAG = re.compile(r"<(/?)(?:script|style)\b", re.I)


def from_tcvn3(text: str) -> str:
    """Every TCVN3 (ABC, ".VnTime") character of `text` to its letter: the whole table.

    >>> from_tcvn3("§¶ng bé tØnh, ng\\u00adêi d©n, ViÖt Nam")
    'Đảng bộ tỉnh, người dân, Việt Nam'
    """
    return text.translate(_TCVN3_SAFE).translate(_TCVN3_CONTEXT)


def from_vni(text: str) -> str:
    """VNI-Windows sequences (as read in windows-1252) to letters, longest sequence first.

    >>> from_vni("Ñaûng boä tænh, ngöôøi daân, Vieät Nam")
    'Đảng bộ tỉnh, người dân, Việt Nam'
    """
    return _VNI_RE.sub(lambda m: _VNI_MAP[m.group()], text)


def _context_word(match: re.Match[str]) -> str:
    """A word holding punctuation that TCVN3 also uses for capitals: converted if a syllable."""
    word = match.group()
    candidate = word.translate(_TCVN3_CONTEXT)
    letters = any(c.isalpha() for c in word if ord(c) not in _TCVN3_CONTEXT)
    return candidate if letters and is_syllable(candidate) else word


def _tcvn3_text(text: str) -> str:
    """TCVN3 in running text: punctuation look-alikes stay, capitals stay capitals (the .VnTimeH
    capitals share the lower-case codes: "VIÖT" is "VIỆT").

    >>> _tcvn3_text("“§¶NG Bé” – žy ban")
    '“ĐẢNG Bộ” – Ủy ban'
    >>> _tcvn3_text("§¶NG Bé X· TæNG KÕT")
    'ĐẢNG BỘ XÃ TỔNG KẾT'
    """
    out = text.translate(_TCVN3_SAFE)
    if _TCVN3_CONTEXT_CHAR.search(out):
        out = _TCVN3_CONTEXT_WORD.sub(_context_word, out)
    ascii_letters = [c for c in text if c.isascii() and c.isalpha()]
    if len(ascii_letters) >= 4 and all(c.isupper() for c in ascii_letters):
        return out.upper()  # a headline typed in capitals
    return _CAPITALS_WORD.sub(lambda m: m.group().upper(), out) if out != text else out


_CONVERTERS = {"TCVN3": _tcvn3_text, "VNI": from_vni}


def _converted(parts: list[str], convert: Callable[[str], str]) -> tuple[str, int]:
    """The parts (lines, HTML elements) converted where that helps, and the total gain.

    A part is converted when that makes it read as more Vietnamese; when it changes nothing
    measurable, only if no other part got worse (a page all in the legacy font, not one mixing
    it with Unicode). One-letter words do not count: a lone "·" or "©" would read as "ã" or "â".
    """
    done, deltas = [], []
    for part in parts:
        new = part if part.isascii() else convert(part)
        done.append(new)
        deltas.append(0 if new == part else evidence(new, 2) - evidence(part, 2))
    mixed = min(deltas, default=0) <= -2
    keep = [
        new if d > 0 or (d == 0 and not mixed) else old
        for old, new, d in zip(parts, done, deltas, strict=True)
    ]
    return "".join(keep), sum(d for d in deltas if d > 0)


def _best_conversion(text: str) -> tuple[str | None, str, int]:
    """The legacy encoding whose conversion gains the most, the converted text and the gain.

    The encoding is chosen on the first 100,000 characters, then only it converts the rest.
    """
    parts = _PART_END.split(text)
    head, size = [], 0
    for part in parts:
        if size > _CHOOSE_ON:
            break
        head.append(part)
        size += len(part)
    tried = {name: _converted(head, convert) for name, convert in _CONVERTERS.items()}
    name = max(tried, key=lambda n: tried[n][1])
    if tried[name][1] <= 0:
        return None, text, 0
    if len(head) < len(parts):
        return name, *_converted(parts, _CONVERTERS[name])
    return name, *tried[name]


def legacy_gain(text: str) -> int:
    """How much more Vietnamese `text` reads once its legacy font encoding is converted.

    >>> legacy_gain("Ban Th\\u00adêng vô TØnh ñy ®· tæ chøc héi nghÞ"), legacy_gain("Đảng bộ")
    (19, 0)
    """
    if not _SUSPECT.search(text) or len(_TELLS.findall(text)) < 3:
        return 0
    return _best_conversion(text)[2]


def convert_legacy(text: str, hint: str | None = None) -> tuple[str, str | None]:
    """Text typed in a legacy font (TCVN3/ABC or VNI) to Unicode, with the encoding's name.

    `hint` ("TCVN3", "VNI") is a charset the page declared; a font named in the page (".VnTime",
    "VNI-Times") counts as one too, and then one improved word is enough.

    >>> convert_legacy("C¸n bé, ®¶ng viªn thùc hiÖn NghÞ quyÕt")
    ('Cán bộ, đảng viên thực hiện Nghị quyết', 'TCVN3')
    >>> convert_legacy("Ñoàng chí Bí thö Tænh uûy")
    ('Đồng chí Bí thư Tỉnh ủy', 'VNI')
    >>> convert_legacy("Le café où Müller a dîné")
    ('Le café où Müller a dîné', None)
    """
    if hint is None and len(_TELLS.findall(text)) < 3:
        return text, None
    name, converted, gain = _best_conversion(text)
    low = text.lower()
    hinted = hint or next(
        (n for n, fonts in tables.FONTS.items() if any(f in low for f in fonts)), None
    )
    if name is None or gain < (1 if hinted == name else 3):
        return text, None
    return converted, name


def _fill_lost(match: re.Match[str]) -> str:
    """A word with a lost letter (U+FFFD): the letter making a frequent, else a valid, syllable."""
    word = match.group()
    options = [word.replace("\ufffd", c, 1) for c in _LOST_LETTERS]
    frequent = [w for w in options if w.lower() in COMMON and "\ufffd" not in w]
    valid = [w for w in options if "\ufffd" not in w and is_syllable(w)]
    return (frequent or valid or [word])[0]


def fix_mojibake(text: str) -> tuple[str, bool]:
    """UTF-8 that was read as windows-1252 ("CÃ´ng tÃ¡c", "Äáº£ng"), line by line, with ftfy.

    A line is changed only when the fix reads as more Vietnamese; bytes that the wrong decoding
    lost are guessed from the syllable they complete.

    >>> fix_mojibake("CÃ´ng tÃ¡c dÃ¢n váº­n cá»§a Äáº£ng\\nĐảng bộ")
    ('Công tác dân vận của Đảng\\nĐảng bộ', True)
    """
    if not _MOJIBAKE.search(text):
        return text, False
    import ftfy  # at the edge: only pages with mojibake need it

    lines = text.split("\n")
    changed = False
    for i, line in enumerate(lines):
        if not _MOJIBAKE.search(line):
            continue
        fixed = ftfy.fix_encoding(_LOST_BYTE.sub(lambda m: m.group() + "\ufffd", line))
        fixed = _LOST_WORD.sub(_fill_lost, fixed)
        if evidence(fixed) > evidence(line):
            lines[i], changed = fixed, True
    return "\n".join(lines) if changed else text, changed


def _visible_doubles(page: str) -> int:
    """Double-encoded entities outside <script> and <style> (JSON-LD is escaped its own way).

    >>> _visible_doubles("<p>&amp;ocirc;</p><script>&amp;ocirc;</script><style>&amp;x;")
    1
    """
    blocks: list[tuple[int, int]] = []
    start = None
    for tag in _SCRIPT_TAG.finditer(page):
        if not tag.group(1) and start is None:
            start = tag.start()
        elif tag.group(1) and start is not None:
            blocks.append((start, tag.end()))
            start = None
    if start is not None:
        blocks.append((start, len(page)))
    starts = [a for a, _ in blocks]
    count = 0
    for entity in _DOUBLE_ENTITY.finditer(page):
        i = bisect.bisect_right(starts, entity.start()) - 1
        count += i < 0 or entity.start() >= blocks[i][1]
    return count


def decode_entities(text: str, fmt: str) -> tuple[str, str | None]:
    """Entities where none should be: in plain text, or double-encoded in HTML (`&amp;ocirc;`).

    >>> decode_entities("c&ocirc;ng t&aacute;c", "text")
    ('công tác', 'HTML entities in text decoded')
    >>> decode_entities("<p>c&amp;ocirc;ng t&amp;aacute;c</p>", "html")
    ('<p>c&ocirc;ng t&aacute;c</p>', 'double-encoded HTML entities decoded')
    """
    if "&" not in text:
        return text, None
    if fmt == "html":
        if not _DOUBLE_ENTITY.search(text) or _visible_doubles(text) < 2:
            return text, None
        return _DOUBLE_ENTITY.sub("&", text), "double-encoded HTML entities decoded"
    if not _TEXT_ENTITY.search(text):
        return text, None
    for _ in range(2):  # twice for "&amp;ocirc;"
        text = html.unescape(text)
    return text, "HTML entities in text decoded"


_ESCAPE = r"(?:\\r\\n|\\n|\\r(?!\\n))"
_ESCAPED_BREAK = re.compile(_ESCAPE)
_ESCAPED_PARAGRAPH = re.compile(rf"{_ESCAPE}(?:[ \t]*{_ESCAPE})+")


def restore_breaks(text: str, fmt: str) -> tuple[str, str | None]:
    r"""Line breaks a scraper kept as escapes from the page's source, in plain text only: once
    as "\r\n", or twice as "\n" (news text never spells them out). Inside a paragraph of
    the source they were blanks ("thị xã Mường\r\nLay"); two in a row end a paragraph.

    >>> restore_breaks("thị xã Mường\\r\\nLay tổ chức.\\r\\n\\r\\nĐoàn", "text")
    ('thị xã Mường Lay tổ chức.\nĐoàn', 'escaped line breaks restored')
    >>> restore_breaks("thư mục C:\\new", "text")[1] is None
    True
    """
    if fmt != "text" or "\\" not in text:
        return text, None
    if "\\r\\n" not in text and text.count("\\n") < 2:
        return text, None
    text = _ESCAPED_BREAK.sub(" ", _ESCAPED_PARAGRAPH.sub("\n", text))
    return text, "escaped line breaks restored"


def repair_text(text: str, fmt: str) -> tuple[str, list[str]]:
    """Entities, mojibake and legacy fonts repaired; one note per repair made.

    Cheap on clean text: ASCII, or Unicode without tell-tale characters, returns at once.

    >>> repair_text("Đảng bộ tỉnh", "text")
    ('Đảng bộ tỉnh', [])
    >>> repair_text("§¶ng bé tØnh L¹ng S¬n", "text")
    ('Đảng bộ tỉnh Lạng Sơn', ['legacy TCVN3 font encoding converted to Unicode'])
    """
    notes: list[str] = []
    for repair in (decode_entities, restore_breaks):
        text, note = repair(text, fmt)
        if note:
            notes.append(note)
    if text.isascii() or not _SUSPECT.search(text):
        return text, notes
    text, fixed = fix_mojibake(text)
    if fixed:
        notes.append("mojibake (UTF-8 read as windows-1252) repaired")
    text, legacy = convert_legacy(text)
    if legacy:
        notes.append(f"legacy {legacy} font encoding converted to Unicode")
    return text, notes
