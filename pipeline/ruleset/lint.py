"""Find weak rules: never matching, shadowed, conflicting, slow, short of examples, failing
their examples, with a named group nothing reads or an `expect` key no record has.

Pure analysis of a RuleSet and its examples' results; `vnextract rules lint` prints the
findings and exits 1 on an error. The example minimum (2 positive, 1 negative) is an error
here, a failure in `rules test`, and a reason for `extract --rules` to refuse a pack.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.ruleset.dockeys import is_central, keying_from, local_scope
from pipeline.ruleset.engine import BEFORE_WINDOW, fill, run
from pipeline.ruleset.examples import ExampleResult
from pipeline.ruleset.kinds import REACHED_FIELDS
from pipeline.ruleset.model import Rule, RuleSet
from pipeline.ruleset.page import SUFFIX_CHARS, LineRule
from pipeline.ruleset.registry import load_registry
from pipeline.ruleset.schema import RuleError

#: Long inputs that make badly nested patterns backtrack for a very long time.
WORST_CASES = {
    "digits and slashes": "1/" * 20000,
    "dotted digits": "1.1" * 15000,
    "blanks": " " * 50000 + "x",
    "capitalised words": "Nguyễn " * 8000,
    "one long word": "a" * 50000,
    "hyphenated numbers": "12-" * 15000,
    "runs of digits": ("1" * 40 + "! ") * 200,
    "a table of bars": "Hình thức | Tập thể | Cá nhân\n" + "Bằng khen | 02 | 06 | a | b\n" * 2000,
}
SLOW_SECONDS = 1.0
#: Lines (as furniture.py sees them: outer blanks cut) that make a badly nested furniture
#: pattern backtrack: every pattern is tried on every line of a page, so a line's limit is far
#: lower than a page's.
LINE_WORST_CASES = {
    "unaccented capitals": ("HOI NGHI TRIEN KHAI " * 10).strip(),
    "unaccented words": ("hoi nghi trien khai " * 10).strip(),
    "a long paragraph": ("Chiều 30/6, Ban Dân vận tổ chức hội nghị sơ kết công tác. " * 60).strip(),
    "digits and slashes": "1/" * 500,
    "a run of blanks": "x" + " " * 1000 + "x",
}
SLOW_LINE_SECONDS = 0.05


@dataclass
class Finding:
    rule: str
    path: str
    problem: str
    severity: str = "warning"  # or "error"
    #: What `rule` names: a rule's id, or a registry document's symbol
    what: str = "rule"


def _positive(rule: Rule) -> list[str]:
    return [e.text for e in rule.examples if e.expect is not None]


def _is_negative(rule: Rule, expect: tuple[dict[str, object], ...] | None) -> bool:
    """For a finding rule: `expect: none`; for an attach rule: its fields (or those filled
    from its reach, kinds.REACHED_FIELDS) expected null; for
    a next-item rule: no record of its own."""
    if expect is None:
        return True
    if rule.attach == "next":  # a list's head without this item
        return not any(w.get("rule") == rule.id for w in expect)
    names = {f.name for f in rule.fields} | set(REACHED_FIELDS.get(rule.kind, ()))
    return bool(rule.attach) and any(
        names & w.keys() and all(w[n] is None for n in names & w.keys()) for w in expect
    )


def missing_examples(rule: Rule) -> Finding | None:
    negatives = sum(_is_negative(rule, e.expect) for e in rule.examples)
    positives = len(rule.examples) - negatives
    if positives < 2 or negatives < 1:
        return Finding(
            rule.id,
            rule.path,
            f"needs 2 positive and 1 negative examples (has {positives} and {negatives})",
            "error",
        )
    return None


def short_of_examples(ruleset: RuleSet, paths: set[str] | None = None) -> list[Finding]:
    """The rules (of the given pack files; all when None) under the example minimum: the one
    check `rules lint`, `rules test` and `extract --rules` share."""
    chosen = (r for r in ruleset.rules if paths is None or r.path in paths)
    return [f for r in chosen if (f := missing_examples(r))]


def unused_groups(rule: Rule) -> Finding | None:
    """Named groups that no field reads, no back-reference uses, and that widen the record on
    none of the rule's own examples (a group in a lookbehind makes its prefix part of the
    record: that is a use). A leading "_" marks a group as context on purpose."""
    source = rule.pattern.pattern
    used = {g for spec in rule.fields for g in spec.groups}
    references = regex.findall(r"\(\?P=(\w+)\)|\(\?\((\w+)\)", source)
    used |= {g for pair in references for g in pair if g}
    idle = [g for g in rule.pattern.groupindex if g not in used and not g.startswith("_")]
    for example in rule.examples:
        for m in rule.pattern.finditer(example.text) if idle else ():
            idle = [g for g in idle if not _widens(m, g)]
    if not idle:
        return None
    names = ", ".join(repr(g) for g in idle)
    which = f"named group {names} is" if len(idle) == 1 else f"named groups {names} are"
    return Finding(rule.id, rule.path, f"{which} read by no field (a name with _ says: on purpose)")


def _widens(m: regex.Match[str], group: str) -> bool:
    start, end = m.span(group)
    return start >= 0 and (start < m.start() or end > m.end())


def unknown_expect_keys(rule: Rule, known: set[str]) -> list[Finding]:
    """`expect` keys no record of the rule's kind was given (a misspelt field, which an
    expected null would let pass)."""
    found = []
    for i, example in enumerate(rule.examples, 1):
        for want in example.expect or ():
            for key in sorted(set(want) - known):
                problem = f"example {i} expects {key!r}, a field no {rule.kind} record has"
                found.append(Finding(rule.id, rule.path, problem, "error"))
    return found


def failing(results: Iterable[ExampleResult]) -> list[Finding]:
    """The examples that fail (or pass while marked xfail), as errors."""
    return [
        Finding(r.rule.id, r.rule.path, f"example {r.index + 1} {r.status}s: {r.example.text!r}",
                "error")
        for r in results
        if not r.ok
    ]  # fmt: skip


def never_matches(rule: Rule) -> Finding | None:
    if rule.attach:
        return None
    if rule.pattern.fullmatch(""):
        return Finding(rule.id, rule.path, "matches the empty string", "error")
    texts = _positive(rule)
    if texts and not any(rule.pattern.search(t) for t in texts):
        return Finding(rule.id, rule.path, "matches none of its own positive examples", "error")
    return None


def shadowed(ruleset: RuleSet, rule: Rule) -> Finding | None:
    """A finding rule whose positive examples are all won by other rules."""
    if rule.attach or not _positive(rule):
        return None
    winners: set[str] = set()
    for text in _positive(rule):
        records = [r for r in run(ruleset, text) if r.type == rule.kind]
        if any(r.rule == rule.id for r in records):
            return None
        winners |= {r.rule for r in records}
    if winners:
        return Finding(
            rule.id,
            rule.path,
            f"shadowed: its examples are all taken by {', '.join(sorted(winners))}",
        )
    return None


def _clash(rule: Rule, other: Rule, text: str) -> list[str]:
    """Fields on which overlapping matches of two rules in `text` disagree."""
    for m in rule.pattern.finditer(text):
        mine = fill(rule.fields, m)
        for n in other.pattern.finditer(text):
            if n.start() < m.end() and m.start() < n.end():
                theirs = fill(other.fields, n)
                shared = mine.keys() & theirs.keys()
                clash = [
                    k for k in shared if None not in (mine[k], theirs[k]) and mine[k] != theirs[k]
                ]
                if clash:
                    return sorted(clash)
    return []


def conflicts(ruleset: RuleSet, rule: Rule) -> list[Finding]:
    """Overlapping matches of two rules of one kind that disagree on a field both set: only
    the longer one survives, and the shorter's reading of that field is lost."""
    if rule.attach:
        return []
    others = [o for o in ruleset.finders() if o.id != rule.id and o.kind == rule.kind]
    for text in _positive(rule):
        for other in others:
            if clash := _clash(rule, other, text):
                problem = f"overlaps {other.id} on {text!r}, reading {', '.join(clash)} otherwise"
                return [Finding(rule.id, rule.path, problem)]
    return []


def slow(rule: Rule) -> Finding | None:
    """Time each pattern as the engine runs it (finders and what they need over the text,
    attachments at one place) on long worst-case inputs, with the regex module's timeout."""
    for name, text in WORST_CASES.items():
        try:
            if rule.attach in ("after", "next"):
                rule.pattern.match(text, 0, timeout=SLOW_SECONDS)
            elif rule.attach == "before":
                rule.pattern.search(text, max(0, len(text) - BEFORE_WINDOW), timeout=SLOW_SECONDS)
            else:
                list(rule.pattern.finditer(text, timeout=SLOW_SECONDS))
            if rule.needs is not None:  # scanned over every line of a page
                list(rule.needs.finditer(text, timeout=SLOW_SECONDS))
        except TimeoutError:
            return Finding(
                rule.id,
                rule.path,
                f"catastrophic backtracking risk: over {SLOW_SECONDS:g} s on {name}",
                "error",
            )
    return None


def slow_line_rules(rules: Iterable[LineRule], path: str) -> list[Finding]:
    """Time each furniture pattern as furniture.py runs it (a prefix matched at a line's start,
    a suffix searched in its tail, any other one on the whole line) on worst-case lines."""
    found = []
    for rule in rules:
        for name, line in LINE_WORST_CASES.items():
            try:
                if rule.kind == "prefix":
                    rule.pattern.match(line, timeout=SLOW_LINE_SECONDS)
                elif rule.kind == "suffix":
                    rule.pattern.search(line, max(0, len(line) - SUFFIX_CHARS),
                                        timeout=SLOW_LINE_SECONDS)  # fmt: skip
                else:
                    rule.pattern.fullmatch(line, timeout=SLOW_LINE_SECONDS)
            except TimeoutError:
                problem = f"catastrophic backtracking risk: over {SLOW_LINE_SECONDS:g} s on {name}"
                found.append(Finding(rule.id, path, problem, "error"))
                break
    return found


def lint(
    ruleset: RuleSet,
    paths: set[str] | None = None,
    results: list[ExampleResult] | None = None,
    seen: dict[str, set[str]] | None = None,
) -> list[Finding]:
    """All findings for the rules of the given pack files (all rules when None); with the
    examples' `results` and the fields `seen` on their records, failing examples and unknown
    `expect` keys too."""
    findings: list[Finding] = failing(results or [])
    for rule in ruleset.rules:
        if paths is not None and rule.path not in paths:
            continue
        for found in (
            missing_examples(rule),
            never_matches(rule),
            unused_groups(rule),
            shadowed(ruleset, rule),
            slow(rule),
        ):
            if found:
                findings.append(found)
        findings.extend(conflicts(ruleset, rule))
        if seen is not None:
            findings.extend(unknown_expect_keys(rule, _known_fields(ruleset, rule.kind, seen)))
    return findings


def _known_fields(ruleset: RuleSet, kind: str, seen: dict[str, set[str]]) -> set[str]:
    """The fields a record of `kind` may have: those its records were given on the examples,
    those its rules write, those filled from an attach rule's reach."""
    made = {spec.name for r in ruleset.rules if r.kind == kind for spec in r.fields}
    return {"rule", "text", *seen.get(kind, ()), *made, *REACHED_FIELDS.get(kind, ())}


def registry_findings(
    rule_dirs: Iterable[Path],
    lexicons: dict[str, dict[str, str]],
    paths: set[str] | None = None,
) -> list[Finding]:
    """The registry's problems (errors: what load refuses; a symbol whose type code says
    another kind than `type`) and gaps (warnings: no subject, a Party document with no term),
    for the registry files in `paths` (all when None)."""
    try:
        registry = load_registry(rule_dirs)
    except RuleError as exc:
        found = [
            Finding("load", p.split(": ")[0], p.split(": ", 1)[-1], "error", "registry")
            for p in exc.problems
        ]
        return [f for f in found if paths is None or f.path in paths]
    keying = keying_from(lexicons)
    kinds = {k.casefold(): {v.casefold()} for k, v in lexicons.get("type_codes", {}).items()}
    kinds.setdefault("qđ", set()).add("quy định")  # the Party's regulations are "-QĐ/TW" too
    findings = []
    for e in registry.entries:
        if paths is not None and e.path not in paths:
            continue
        code = (e.parts.type_code or "").casefold()
        if code in kinds and e.type.casefold() not in kinds[code]:
            problem = f"type '{e.type}', but {code.upper()} is {' or '.join(sorted(kinds[code]))}"
            findings.append(Finding(e.symbol, e.path, problem, "error", "document"))
        if not e.subject:
            findings.append(Finding(e.symbol, e.path, "no subject", what="document"))
        if not is_central(str(e.parts.issuer_code), keying) and not local_scope(e.issuer, None):
            problem = "a local body's document whose issuer names no place: no page can match it"
            findings.append(Finding(e.symbol, e.path, problem, what="document"))
        if e.parts.party and e.parts.issuer_code == "TW" and not e.term:
            problem = "a Party document with no term"
            findings.append(Finding(e.symbol, e.path, problem, what="document"))
    return findings
