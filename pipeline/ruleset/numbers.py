"""Vietnamese numbers as written in news: "84.404", "1,2 triệu", "05", "bốn trăm", "hàng trăm".

One parser for every rule (the `vnint` converter). Thousands are grouped with "." and decimals
written with ","; spelled numbers go from "một" to "chín trăm chín mươi chín" with their
multipliers, "rưỡi" a half of the word before it ("ba trăm rưỡi" 350, "4 ngàn rưỡi" 4,500);
"hàng trăm", "hàng nghìn" are no number at all (None), which callers may flag.
"""

from __future__ import annotations

import regex

_DIGITS = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "nhăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
}  # fmt: skip
_MULTIPLIERS = {
    "nghìn": 1_000,
    "ngàn": 1_000,
    "vạn": 10_000,
    "triệu": 1_000_000,
    "tỷ": 1_000_000_000,
}
_VAGUE = regex.compile(r"^(?:hàng|hằng|vài|mấy|nhiều)\b", regex.IGNORECASE)
_NUMERAL = regex.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?:\s+(\S+)(\s+rưỡi)?)?$")
#: "1 triệu 550 ngàn": millions and thousands written apart.
_MILLIONS_THOUSANDS = regex.compile(r"^(\d{1,3})\s+triệu\s+(\d{1,3})\s+(?:nghìn|ngàn)$")


def _small(words: list[str]) -> int | None:
    """Spelled 0..999: "chín trăm linh năm", "hai mươi mốt", "mười lăm"."""
    total, current = 0, 0
    for prev, word in zip(["", *words], words, strict=False):
        if word in _DIGITS:
            current = (
                current * 10 + _DIGITS[word]
                if current and current < 10
                else current + _DIGITS[word]
            )
        elif word == "mười":
            current += 10
        elif word in ("mươi", "chục"):
            current = (current or 1) * 10
        elif word == "trăm":
            total += (current if current or prev == "không" else 1) * 100
            current = 0
        elif word == "rưỡi" and total and not current:
            current = 50
        elif word in ("linh", "lẻ"):
            continue
        else:
            return None
    return total + current


def _spelled(words: list[str]) -> int | None:
    total, chunk, scale = 0, list[str](), 0
    for word in words:
        if word in _MULTIPLIERS:
            value = _small(chunk) if chunk else 1
            if value is None:
                return None
            scale = _MULTIPLIERS[word]
            total += value * scale
            chunk = []
        elif word == "rưỡi" and scale and not chunk:
            total += scale // 2
        else:
            chunk.append(word)
    rest = _small(chunk) if chunk else 0
    return None if rest is None else total + rest


#: "2 tỷ 500 triệu", "1 triệu 550 ngàn": amounts written in parts, largest scale first.
_PART = regex.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s+(tỷ|triệu|nghìn|ngàn|vạn)")
_PARTS = regex.compile(rf"^(?:{_PART.pattern}\s*)+(?:(\d{{1,3}}))?$")


def parse_parts(text: str) -> int | float | None:
    """An amount written in parts, each scale smaller than the one before ("2 tỷ 500 triệu"),
    maybe ending in a bare number ("3 triệu 200"); None otherwise.

    >>> parse_parts("2 tỷ 500 triệu"), parse_parts("1 triệu 550 ngàn"), parse_parts("5 triệu")
    (2500000000, 1550000, None)
    """
    text = " ".join(text.casefold().split())
    if not _PARTS.match(text) or len(parts := _PART.findall(text)) < 2:
        return None
    scales = [_MULTIPLIERS[unit] for *_, unit in parts]
    if any(a <= b for a, b in zip(scales, scales[1:], strict=False)):
        return None
    total = sum(
        float(whole.replace(".", "") + ("." + dec if dec else "")) * _MULTIPLIERS[unit]
        for whole, dec, unit in parts
    )
    if tail := regex.search(r"(?<=\p{L}\s)\d{1,3}$", text):
        total += int(tail.group()) * scales[-1] // 1000
    return round(total) if total == round(total) else total


def parse_decimal(text: str) -> int | float | None:
    """A number that may have decimals ("102,5", "1.200,75", "12,5 tỷ", "2 tỷ 500 triệu"):
    an int when whole, else a float; None when it is no number (the `vndecimal` converter).

    >>> [parse_decimal(x) for x in ("102,5", "1.200,75", "12,5 tỷ", "2 tỷ 500 triệu", "40")]
    [102.5, 1200.75, 12500000000, 2500000000, 40]
    >>> parse_decimal("hàng trăm") is None
    True
    """
    text = " ".join(text.casefold().split())
    if (parts := parse_parts(text)) is not None:
        return parts
    numeral = _NUMERAL.match(text)
    if numeral and numeral.group(2) and not numeral.group(3):
        return float(numeral.group(1).replace(".", "") + "." + numeral.group(2))
    return parse_number(text)


def parse_percent(text: str) -> int | float | None:
    """A percentage as a number: "12,5%", "12,5 %", "15 phần trăm" (the `percent` converter).

    >>> parse_percent("12,5%"), parse_percent("15 phần trăm"), parse_percent("nhiều %")
    (12.5, 15, None)
    """
    core = regex.sub(r"\s*(?:%|phần\s+trăm)\s*$", "", text.strip(), flags=regex.IGNORECASE)
    return parse_decimal(core) if core != text.strip() else None


def parse_number(text: str) -> int | None:
    """The integer a written number means; None when it is vague or not a number.

    >>> [parse_number(x) for x in ("84.404", "05", "1,2 triệu", "12 nghìn")]
    [84404, 5, 1200000, 12000]
    >>> [parse_number(x) for x in ("bốn trăm", "hai mươi lăm", "mười", "Bốn")]
    [400, 25, 10, 4]
    >>> parse_number("hàng trăm") is None, parse_number("một số") is None
    (True, True)
    >>> parse_number("1 triệu 550 ngàn")
    1550000
    >>> [parse_number(x) for x in ("ba trăm rưỡi", "hai nghìn năm trăm", "4 ngàn rưỡi", "1 vạn")]
    [350, 2500, 4500, 10000]
    >>> parse_number("bốn chục"), parse_number("vài chục")
    (40, None)
    """
    text = " ".join(text.casefold().split())
    if not text or _VAGUE.match(text):
        return None
    if parts := _MILLIONS_THOUSANDS.match(text):
        return int(parts[1]) * 1_000_000 + int(parts[2]) * 1_000
    if isinstance(whole := parse_parts(text), int):  # "2 tỷ 500 triệu"
        return whole
    numeral = _NUMERAL.match(text)
    if numeral:
        whole, decimals, unit, half = numeral.groups()
        value = float(whole.replace(".", "") + ("." + decimals if decimals else ""))
        if unit is not None:
            if unit not in _MULTIPLIERS:
                return None
            value = (value + (0.5 if half else 0)) * _MULTIPLIERS[unit]
        return round(value) if unit or not decimals else None
    return _spelled(text.split())
