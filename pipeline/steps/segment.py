"""Segment: sentences and words with underthesea, as (start, end) offsets into `Document.text`.

underthesea returns strings, not offsets, and may rewrite a token, so its output is aligned back
to the text. Sentences are split for every paragraph (cheap); words only for the sentences a rule
asks about (`Segmentation.words`), because word segmentation is the costliest step of the run.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.document import Document

Span = tuple[int, int]


def align(pieces: list[str], text: str, base: int = 0) -> list[Span]:
    """Offsets of `pieces` found in order in `text` (blanks inside a piece may differ).

    Pieces that cannot be found are skipped.

    >>> align(["Nghị quyết", "25-NQ/TW", "."], "Nghị  quyết 25-NQ/TW.")
    [(0, 11), (12, 20), (20, 21)]
    >>> align(["Tỉnh ủy", "''", "Lào Cai"], 'Tỉnh ủy "Lào Cai"')
    [(0, 7), (9, 16)]
    """
    spans: list[Span] = []
    pos = 0
    for piece in pieces:
        chars = "".join(piece.split())
        if not chars:
            continue
        start = _match_at(chars, text, pos)
        if start is None:
            continue
        begin, end = start
        spans.append((base + begin, base + end))
        pos = end
    return spans


def _match_at(chars: str, text: str, pos: int) -> Span | None:
    """Find `chars` (no blanks) in `text` from `pos`, allowing blanks between them."""
    first = text.find(chars[0], pos)
    while first != -1:
        i, j = first, 0
        while j < len(chars) and i < len(text):
            if text[i] == chars[j]:
                i, j = i + 1, j + 1
            elif text[i].isspace() and j > 0:
                i += 1
            else:
                break
        if j == len(chars):
            return first, i
        if first - pos > 200:  # a rewritten token: do not search the whole text for it
            return None
        first = text.find(chars[0], first + 1)
    return None


@dataclass
class Segmentation:
    """Sentence spans of a text, and word spans computed on demand per sentence."""

    text: str
    sentences: list[Span]
    tokenize: Callable[[str], list[str]]
    _words: dict[int, list[Span]] = field(default_factory=dict)

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence containing `offset` (or the one before it)."""
        starts = [s for s, _ in self.sentences]
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def sentence_start(self, offset: int) -> int:
        """Start offset of the sentence containing `offset`."""
        return self.sentences[self.sentence_index(offset)][0] if self.sentences else 0

    def words(self, index: int) -> list[Span]:
        """Word spans of sentence `index`, segmenting that sentence on first use only."""
        if index not in self._words:
            start, end = self.sentences[index]
            self._words[index] = align(
                self.tokenize(self.text[start:end]), self.text[start:end], start
            )
        return self._words[index]

    def is_word_boundary(self, offset: int) -> bool:
        """True when `offset` starts or ends a word of its sentence (or is a sentence edge)."""
        if not self.sentences:
            return True
        words = self.words(self.sentence_index(offset))
        return any(offset in (s, e) for s, e in words) or not words

    @property
    def segmented(self) -> int:
        """How many sentences were word-segmented so far (for the run's statistics)."""
        return len(self._words)


def split_sentences(text: str, sent_tokenize: Callable[[str], list[str]]) -> list[Span]:
    """Sentence spans of every paragraph (line) of `text`."""
    spans: list[Span] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            found = align(sent_tokenize(line), line, offset)
            spans.extend(found or [(offset, offset + len(line))])
        offset += len(line) + 1
    return spans


def segment_text(text: str) -> Segmentation:
    """Sentences of `text` now, its words lazily, with underthesea."""
    from underthesea import sent_tokenize, word_tokenize  # at the edge: heavy import

    return Segmentation(text, split_sentences(text, sent_tokenize), word_tokenize)


def segment(doc: Document) -> Document:
    """Step: attach a Segmentation of `doc.text`."""
    doc.segmentation = segment_text(doc.text)
    return doc
