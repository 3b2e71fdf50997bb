"""Segment: sentences and words with underthesea, as (start, end) offsets into `Document.text`.

underthesea returns strings, not offsets, and may rewrite a token, so its output is aligned back
to the text. Sentences are split per paragraph on first use; words only in a few syllables around
the spans a rule asks about (`Segmentation.on_words`), because word segmentation is the costliest
step of the run.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from pipeline.document import Document

Span = tuple[int, int]
Tokenizer = Callable[[str], list[str]]

#: Syllables of context segmented on each side of a span a rule asks about (`on_words`).
CONTEXT_SYLLABLES = 6
_NONBLANK = regex.compile(r"\S+")


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


def paragraphs(text: str) -> list[Span]:
    r"""Spans of the non-blank lines of `text`.

    >>> paragraphs("Một.\n\nHai ba.")
    [(0, 4), (6, 13)]
    """
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


@dataclass
class Segmentation:
    """Sentences and words of a text, each computed on first use: sentences per paragraph,
    words per sentence. A run asks only about the few places its rules need."""

    text: str
    split: Callable[[str], list[str]]
    tokenize: Callable[[str], list[str]]
    _paragraphs: list[Span] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)  # of the paragraphs, for bisect
    _sentences: dict[int, list[Span]] = field(default_factory=dict)
    _words: dict[Span, list[Span]] = field(default_factory=dict)
    _bounds: dict[Span, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._paragraphs = paragraphs(self.text)
        self._starts = [start for start, _ in self._paragraphs]

    def _paragraph_sentences(self, index: int) -> list[Span]:
        if index not in self._sentences:
            start, end = self._paragraphs[index]
            line = self.text[start:end]
            self._sentences[index] = align(self.split(line), line, start) or [(start, end)]
        return self._sentences[index]

    @property
    def sentences(self) -> list[Span]:
        """Every sentence of the text (segments all paragraphs)."""
        return [s for i in range(len(self._paragraphs)) for s in self._paragraph_sentences(i)]

    def sentence_of(self, offset: int) -> Span:
        """The sentence containing `offset` (or the nearest one before it)."""
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        if not self._paragraphs:
            return (0, len(self.text))
        sents = self._paragraph_sentences(index)
        at = max(0, bisect.bisect_right([s for s, _ in sents], offset) - 1)
        return sents[at]

    def words_in(self, sentence: Span) -> list[Span]:
        """Word spans of one sentence, segmenting it on first use only."""
        if sentence not in self._words:
            start, end = sentence
            chunk = self.text[start:end]
            self._words[sentence] = align(self.tokenize(chunk), chunk, start)
        return self._words[sentence]

    def on_words(self, start: int, end: int) -> bool:
        """True when `start` and `end` both fall on word boundaries. Only a window of
        CONTEXT_SYLLABLES syllables on each side of the span is segmented: the CRF segmenter
        decides a boundary from the syllables around it, so the window gives the sentence's
        answer at a fraction of the cost of segmenting the whole sentence."""
        lo, hi = self.sentence_of(start)
        hi = max(hi, self.sentence_of(max(start, end - 1))[1])
        syllables = [m.span() for m in _NONBLANK.finditer(self.text, lo, hi)]
        if not syllables:
            return True
        first = max(0, bisect.bisect_right([a for a, _ in syllables], start) - 1)
        last = min(len(syllables) - 1, bisect.bisect_left([b for _, b in syllables], end))
        window = (
            syllables[max(0, first - CONTEXT_SYLLABLES)][0],
            syllables[min(len(syllables) - 1, last + CONTEXT_SYLLABLES)][1],
        )
        if window not in self._bounds:
            words = self.words_in(window)
            self._bounds[window] = {b for span in words for b in span}
        bounds = self._bounds[window]
        return not bounds or (start in bounds and end in bounds)

    @property
    def segmented(self) -> tuple[int, int]:
        """(paragraphs split into sentences, sentences split into words) so far."""
        return len(self._sentences), len(self._words)


_LOAD_LOCK = threading.Lock()
_loaded: tuple[Tokenizer, Tokenizer] | None = None  # sentence and word tokenizers


def tokenizers() -> tuple[Tokenizer, Tokenizer]:
    """underthesea's sentence and word tokenizers, with their models loaded, once per process.

    underthesea loads its models on first call and publishes the word model before it is
    loaded, so that threads calling it first at the same time got a half-made model
    ("'NoneType' object has no attribute 'process'"). The import and a first call of each
    tokenizer happen here, under a lock, before any thread may use them."""
    global _loaded
    if _loaded is None:
        with _LOAD_LOCK:
            if _loaded is None:
                from underthesea import sent_tokenize, word_tokenize  # heavy: at the edge

                sent_tokenize("Một. Hai.")
                word_tokenize("Một hai ba.")
                _loaded = (sent_tokenize, word_tokenize)
    return _loaded


def segment_text(text: str) -> Segmentation:
    """A lazy underthesea Segmentation of `text`."""
    split, tokenize = tokenizers()
    return Segmentation(text, split, tokenize)


def segment(doc: Document) -> Document:
    """Step: attach a lazy Segmentation of `doc.text` (nothing is segmented yet)."""
    doc.segmentation = segment_text(doc.text)
    return doc


def prepare_example(text: str) -> tuple[str, Segmentation]:
    """A rule example as the engine sees it in a run: normalized, lazily segmented."""
    from pipeline.steps.normalize import normalize_text

    normalized = normalize_text(text)
    return normalized, segment_text(normalized)
