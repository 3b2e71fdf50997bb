"""Check a rule's examples: the examples are the rule's tests (Duckling's corpus idea).

An example runs the whole rule set on its text (so overlaps and attachments behave as in a real
run) and compares the records of the rule's kind with `expect`:
- `expect: none`: no record of that kind at all;
- a mapping or list of mappings: exactly that many records, each matching one expectation on
  the fields it names. A finding rule's expectation also requires the record to come from that
  rule, unless it names another with `rule:`.
An example runs with no publication date unless it (or its pack) pins one with `published:`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.document import Record
from pipeline.ruleset.context import Context
from pipeline.ruleset.engine import WordBoundaries, run
from pipeline.ruleset.model import Example, Rule, RuleSet


def all_examples(ruleset: RuleSet) -> Iterator[tuple[Rule, int, Example]]:
    """Every (rule, index, example) of the rule set, in load order."""
    for rule in ruleset.rules:
        for i, example in enumerate(rule.examples):
            yield rule, i, example


#: Turns an example's text into what the engine sees: the normalized text and, for rules with
#: `words: true`, its segmentation. The steps provide it (steps/segment.py: prepare_example);
#: without it the text is used as written and word boundaries are not checked.
Prepare = Callable[[str], tuple[str, WordBoundaries | None]]


def _matches(rec: Record, want: dict[str, Any]) -> bool:
    have = {**rec.fields, "rule": rec.rule, "text": rec.text}
    return all(have.get(k) == v for k, v in want.items())


def check(
    ruleset: RuleSet,
    rule: Rule,
    example: Example,
    prepare: Prepare | None = None,
    seen: dict[str, set[str]] | None = None,
) -> list[str]:
    """Problems with one example; [] when it behaves as the rule says. `seen` gathers the
    fields the records of each kind were given (lint checks `expect` keys against them)."""
    text, seg = prepare(example.text) if prepare else (example.text, None)
    ctx = Context(text=text, published=example.published)
    found = run(ruleset, text, seg, context=ctx)
    if seen is not None:
        for rec in found:
            seen.setdefault(rec.type, {"rule", "text"}).update(rec.fields)
    records = [r for r in found if r.type == rule.kind]
    shown = [{"rule": r.rule, "text": r.text, **r.fields} for r in records]
    if example.expect is None:
        return [f"expected no {rule.kind}, got {shown}"] if records else []
    wants = [dict(w) for w in example.expect]
    if not rule.attach:
        for w in wants:
            w.setdefault("rule", rule.id)
    if len(records) != len(wants):
        return [f"expected {len(wants)} {rule.kind} record(s), got {len(records)}: {shown}"]
    problems = []
    left = list(records)
    for want in wants:
        hit = next((r for r in left if _matches(r, want)), None)
        if hit is None:
            problems.append(_diff(want, left or records))
        else:
            left.remove(hit)
    return problems


def _diff(want: dict[str, Any], records: list[Record]) -> str:
    """The fields where the closest record differs from the expectation."""

    def have(rec: Record) -> dict[str, Any]:
        return {**rec.fields, "rule": rec.rule, "text": rec.text}

    best = max(records, key=lambda r: sum(have(r).get(k) == v for k, v in want.items()))
    got = have(best)
    wrong = [f"{k}: expected {v!r}, got {got.get(k)!r}" for k, v in want.items() if got.get(k) != v]
    return f"record {best.text!r} ({best.rule}): " + "; ".join(wrong)


@dataclass
class ExampleResult:
    """One example's outcome: pass, fail, xfail (a declared known failure) or xpass (a
    declared failure that passes: an error, so that the mark gets removed)."""

    rule: Rule
    index: int
    example: Example
    problems: list[str]

    @property
    def status(self) -> str:
        if self.example.xfail:
            return "xfail" if self.problems else "xpass"
        return "fail" if self.problems else "pass"

    @property
    def ok(self) -> bool:
        return self.status in ("pass", "xfail")


def run_examples(
    ruleset: RuleSet,
    paths: set[str] | None = None,
    prepare: Prepare | None = None,
    seen: dict[str, set[str]] | None = None,
) -> list[ExampleResult]:
    """Check every example of every rule (of the given pack files, when named)."""
    return [
        ExampleResult(rule, i, example, check(ruleset, rule, example, prepare, seen))
        for rule, i, example in all_examples(ruleset)
        if paths is None or rule.path in paths
    ]
