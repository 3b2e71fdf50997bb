"""Is this Vietnamese? Syllable well-formedness, used to choose between candidate decodings.

A wrong decoding of Vietnamese leaves words no syllable can be ("ViÖt", "cuÒa", "Vieät"); the
right one gives well-formed syllables, many of them frequent ones ("của", "người", "được").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.steps import legacy_tables as tables

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_STOP_TONES = "\u0301\u0323"  # a syllable ending in c, ch, p, t takes sắc or nặng only
_SYLLABLE = re.compile(
    "(?:" + "|".join(sorted(tables.ONSETS.split(), key=len, reverse=True)) + ")?"
    "(?:" + "|".join(sorted(tables.RHYMES.split(), key=len, reverse=True)) + ")"
)
COMMON = frozenset(tables.COMMON.split())
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether `word` is one well-formed Vietnamese syllable: onset, rhyme and at most one tone.

    >>> [is_syllable(w) for w in ("Người", "quyết", "gì", "cơng", "ViÖt", "tạc", "tàc")]
    [True, True, True, False, False, True, False]
    """
    if len(word) > 10:  # the longest syllables ("nghiêng", "khuyếch") have seven letters
        return False
    nfd = unicodedata.normalize("NFD", word.lower().replace("ð", "đ"))
    tones = [c for c in nfd if c in _TONES]
    base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
    if len(tones) > 1 or not _SYLLABLE.fullmatch(base):
        return False
    return not (tones and base.endswith(("c", "p", "t", "ch")) and tones[0] not in _STOP_TONES)


def evidence(text: str, shortest: int = 1) -> int:
    """How Vietnamese `text` reads: +1 per accented syllable (+2 if frequent), -1 per non-syllable.

    Words in plain ASCII, and words shorter than `shortest` letters, are neutral.

    >>> evidence("Đảng bộ tỉnh"), evidence("§¶ng bé tØnh"), evidence("Party and State")
    (6, 0, 0)
    """
    score = 0
    for word in _WORD.findall(text):
        if word.isascii() or len(word) < shortest:
            continue
        if is_syllable(word):
            score += 2 if word.lower() in COMMON else 1
        else:
            score -= 1
    return score
