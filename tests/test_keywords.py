"""The one-pass keyword index finds the same lines as looking for each keyword in turn."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.ruleset.context import Context
from pipeline.ruleset.keywords import KeywordIndex, merged_lines
from pipeline.ruleset.loader import cached_ruleset

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def lines_by_find(low: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """The plain way: each keyword looked for with str.find, its lines collected."""
    lines = set()
    for word in words:
        at = low.find(word)
        while at >= 0:
            start = low.rfind("\n", 0, at) + 1
            end = low.find("\n", at)
            end = len(low) if end < 0 else end
            lines.add((start, end))
            at = low.find(word, end)
    return merged_lines(lines)


def lines_by_index(index: KeywordIndex, low: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    found = index.lines(low)
    return merged_lines(span for word in words for span in found.get(word, ()))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("phó bí thư tỉnh ủy\nbí thư", ("bí thư", "phó bí thư", "thư")),  # inside, prefix
        ("a\nb\nc", ("a", "c")),  # lines apart
        ("a\nb\nc", ("a", "b")),  # lines next to each other merge
        ("aaaa\n\nx", ("aa", "aaa")),  # overlapping occurrences, an empty line
        ("đ/c hà, * và 12/3", ("đ/c", "* và", "/", "1", "2")),  # punctuation, digits
        ("", ("a",)),
        ("không có gì", ("bí thư",)),
    ],
)
def test_index_finds_the_lines_find_finds(text: str, words: tuple[str, ...]) -> None:
    index = KeywordIndex(words)
    assert lines_by_index(index, text, words) == lines_by_find(text, words)


def test_built_in_prefilters_on_the_fixture_pages() -> None:
    ruleset = cached_ruleset(Settings().rule_dirs)
    prefilters = sorted({r.prefilter for r in ruleset.finders() if r.prefilter})
    pages = sorted(FIXTURES.glob("**/*.txt"))
    assert prefilters and len(pages) >= 10
    for page in pages:
        ctx = Context()
        text = page.read_bytes().decode("utf-8", "replace")
        ctx.start(text, ruleset.lexicons, ruleset.keywords)
        low = ctx.lowered()
        for words in prefilters:
            assert lines_by_index(ruleset.keywords, low, words) == lines_by_find(low, words), (
                page.name,
                words[:3],
            )
