"""What a loaded rule is: a rule's parts (fields, examples) and the compiled set of rules.

Made by loader.py from the YAML packs; read by the engine, the example runner and lint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import regex

from pipeline.ruleset.keywords import KeywordIndex


@dataclass(frozen=True)
class FieldSpec:
    """How a record field is made: a template over named groups, maybe converted."""

    name: str
    template: str
    converter: str | None
    groups: tuple[str, ...]
    #: A pack's lookup table (its `tables:`), as (written form casefolded, value) pairs, for a
    #: field converted by one: `{qualifiers: '{q}'}`.
    table: tuple[tuple[str, Any], ...] = ()

    @cached_property
    def lookup(self) -> dict[str, Any]:
        """`table` as a mapping, built once per field, not once per match."""
        return dict(self.table)


@dataclass(frozen=True)
class Example:
    """A text the rule must handle: `expect` lists expected records, None means "no record"."""

    text: str
    expect: tuple[dict[str, Any], ...] | None
    xfail: str | None = None
    #: The article's publication date the example runs with (its own `published:`, else its
    #: pack's): a date without its year then resolves as on a real page. None: no date.
    published: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    pattern: regex.Pattern[str]
    fields: tuple[FieldSpec, ...]
    default: dict[str, Any]
    # "" for a rule that finds records; "after"/"before" for one that adds fields; "next" for
    # one that finds a list's next item right after a record of its kind
    attach: str
    words: bool  # the match must start and end on word boundaries (underthesea)
    examples: tuple[Example, ...]
    path: str
    # Lower-case keywords: the rule only runs on lines holding one of them (empty: every line).
    prefilter: tuple[str, ...] = ()
    # What every match holds (`needs:`, a count for most count rules): of the blocks of
    # adjacent prefilter lines, the rule runs only on those holding a match of it (None: all).
    needs: regex.Pattern[str] | None = None


@dataclass(frozen=True)
class KindSpec:
    """How `evaluate` scores a kind that a pack adds (its `evaluate:`): the list of the gold
    files that holds its items, the fields that make two items one, and the fields compared
    as attributes where the gold gives them."""

    kind: str
    gold_key: str
    key: tuple[str, ...]
    attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    lexicons: dict[str, dict[str, str]] = field(default_factory=dict)
    #: The packs' own kinds, as `evaluate` scores them (the built-in kinds are in evaluate.py).
    kinds: dict[str, KindSpec] = field(default_factory=dict)
    #: A pack's kind -> the fields that make two of its records one (`merge:`).
    merges: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def finders(self) -> list[Rule]:
        return [r for r in self.rules if not r.attach]

    def attachers(self, kind: str, side: str) -> list[Rule]:
        """The attach rules of a kind and side, in pack order (asked for every candidate of
        every page: indexed once)."""
        return self._attach_index.get((kind, side), [])

    @cached_property
    def _attach_index(self) -> dict[tuple[str, str], list[Rule]]:
        index: dict[tuple[str, str], list[Rule]] = {}
        for rule in self.rules:
            if rule.attach:
                index.setdefault((rule.kind, rule.attach), []).append(rule)
        return index

    @cached_property
    def keywords(self) -> KeywordIndex:
        """Every finding rule's prefilter keywords, compiled once for one pass over a text."""
        return KeywordIndex(w for r in self.rules for w in r.prefilter)
