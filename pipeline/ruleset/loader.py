"""Load rule packs (YAML) into a validated, compiled RuleSet, once per process.

A pack file holds `kind` (the default record type of its rules), `define` (named sub-patterns,
used as {NAME}), `lexicons` (word lists, used as {@name}) and `rules`. Definitions and lexicons
are shared by all packs. Every problem is reported with the file, the rule id and the field.
A pack may pin the article date its examples run with (`published`; an example may too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import regex

from pipeline.ruleset import programs
from pipeline.ruleset.convert import CONVERTERS
from pipeline.ruleset.keywords import KeywordIndex
from pipeline.ruleset.lexicon import place_lexicons
from pipeline.ruleset.schema import (
    RuleError,
    check_keys,
    compile_pattern,
    load_yaml,
    string_list,
    where,
)

PACK_KEYS = {"kind", "define", "lexicons", "rules", "description", "published"}
RULE_KEYS = {
    "id",
    "kind",
    "pattern",
    "fields",
    "default",
    "attach",
    "words",
    "prefilter",
    "examples",
    "note",
    "disabled",
}
EXAMPLE_KEYS = {"text", "expect", "xfail", "published"}
NOT_PACKS = {"page.yaml"}  # page furniture has its own schema (ruleset/page.py)
# {NAME} (a definition, upper case) or {@name} (a lexicon); not the \p{L} of a property.
_PLACEHOLDER = regex.compile(r"(?<!\\[pPN])\{(@(?=[a-z_])|(?=[A-Z_]))([A-Za-z_][A-Za-z0-9_]*)\}")
_TEMPLATE_GROUP = regex.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class FieldSpec:
    """How a record field is made: a template over named groups, maybe converted."""

    name: str
    template: str
    converter: str | None
    groups: tuple[str, ...]


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


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    lexicons: dict[str, dict[str, str]] = field(default_factory=dict)

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


def _lexicon(value: Any, loc: str) -> dict[str, str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {v: v for v in value}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {str(k): str(v) for k, v in value.items()}
    raise RuleError(f"{loc}: a lexicon is a list of strings or a mapping of strings")


def expand(
    pattern: str,
    defines: dict[str, str],
    lexicons: dict[str, dict[str, str]],
    loc: str,
    calls: bool = True,
) -> str:
    """Replace {NAME} with its definition, recursively, then each {@name} with its lexicon
    (see ruleset/lexicon.py: written out, or called when named twice)."""
    for _ in range(10):
        if not _PLACEHOLDER.search(pattern):
            return pattern

        def sub(m: regex.Match[str]) -> str:
            if m.group(1):
                if m.group(2) not in lexicons:
                    raise RuleError(f"{loc}: unknown lexicon {{@{m.group(2)}}}")
                return m.group(0)  # placed once every definition is written out
            if m.group(2) not in defines:
                raise RuleError(f"{loc}: unknown definition {{{m.group(2)}}}")
            return "(?:" + defines[m.group(2)] + ")"

        expanded = _PLACEHOLDER.sub(sub, pattern)
        if expanded == pattern:
            return place_lexicons(pattern, lexicons, calls)
        pattern = expanded
    raise RuleError(f"{loc}: definitions nested too deep (a definition that uses itself?)")


def _field(name: str, spec: Any, groups: set[str], loc: str) -> FieldSpec:
    converter = None
    if isinstance(spec, dict):
        if len(spec) != 1 or next(iter(spec)) not in CONVERTERS:
            raise RuleError(
                f"{loc}: a converted field is {{one of {sorted(CONVERTERS)}: template}}"
            )
        converter, spec = next(iter(spec.items()))
    if not isinstance(spec, str):
        raise RuleError(f"{loc}: a field is a template string such as '{{number}}'")
    used = tuple(_TEMPLATE_GROUP.findall(spec))
    for group in used:
        if group not in groups:
            raise RuleError(f"{loc}: no group '{group}' in pattern")
    return FieldSpec(name, spec, converter, used)


def published_date(value: Any, loc: str) -> str | None:
    """An example's or a pack's `published:` as an ISO date (YAML reads 2024-03-10 as a date).

    >>> published_date("2024-03-10", "x"), published_date(None, "x")
    ('2024-03-10', None)
    """
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise RuleError(f"{loc}: a date written YYYY-MM-DD, not {value!r}") from None


def _examples(items: Any, loc: str, published: str | None = None) -> tuple[Example, ...]:
    if not isinstance(items, list):
        raise RuleError(f"{loc}: must be a list")
    out = []
    for i, item in enumerate(items):
        eloc = f"{loc}[{i}]"
        check_keys(item, eloc, EXAMPLE_KEYS, ("text", "expect"))
        expect = item["expect"]
        if expect == "none" or expect is None:
            parsed = None
        elif isinstance(expect, dict):
            parsed = (expect,)
        elif isinstance(expect, list) and all(isinstance(e, dict) for e in expect):
            parsed = tuple(expect)
        else:
            raise RuleError(f"{eloc}.expect: a mapping of fields, a list of them, or 'none'")
        when = published_date(item.get("published"), f"{eloc}.published") or published
        out.append(Example(str(item["text"]), parsed, item.get("xfail"), when))
    return tuple(out)


def _rule(
    item: Any,
    kind: str | None,
    ctx: tuple[dict[str, str], dict[str, dict[str, str]]],
    path: Path,
    published: str | None = None,
) -> Rule:
    defines, lexicons = ctx
    check_keys(item, where(path, "rules[]"), RULE_KEYS, ("id", "pattern"))
    loc = where(path, f"rule {item['id']}")
    kind = item.get("kind", kind)
    if not kind:
        raise RuleError(f"{loc}: no kind (set `kind` on the rule or the pack)")
    attach = item.get("attach", "")
    if attach not in ("", "after", "before", "next"):
        raise RuleError(f"{loc}: attach: must be 'after', 'before' or 'next', not {attach!r}")
    # a before-pattern is tried at every place of its window: its lexicons are written out
    source = expand(str(item["pattern"]), defines, lexicons, where(loc, "pattern"), not attach)
    if attach == "before":  # must end exactly where the record it attaches to begins
        source = f"(?:{source})\\Z"
    pattern = compile_pattern(source, where(loc, "pattern"))
    groups = set(pattern.groupindex)
    fields_spec = check_keys(
        item.get("fields", {}), where(loc, "fields"), {*item.get("fields", {})}
    )
    fields = tuple(_field(k, v, groups, where(loc, f"fields.{k}")) for k, v in fields_spec.items())
    default = check_keys(item.get("default", {}), where(loc, "default"), {*item.get("default", {})})
    examples = _examples(item.get("examples", []), where(loc, "examples"), published)
    prefilter = _prefilter(item.get("prefilter"), lexicons, examples, where(loc, "prefilter"))
    if prefilter and attach:
        raise RuleError(f"{where(loc, 'prefilter')}: only rules that find records take one")
    return Rule(
        str(item["id"]),
        kind,
        pattern,
        fields,
        dict(default),
        attach,
        bool(item.get("words")),
        examples,
        str(path),
        prefilter,
    )


def _prefilter(
    spec: Any, lexicons: dict[str, dict[str, str]], examples: tuple[Example, ...], loc: str
) -> tuple[str, ...]:
    """Keywords (or {@lexicon} entries), lower-cased; every example that expects a record
    must hold one, or the rule could never have matched it (a known failure, xfail, may not)."""
    if spec is None:
        return ()
    words: list[str] = []
    for entry in string_list(spec, loc):
        ref = regex.fullmatch(r"\{@([a-z_][a-z0-9_]*)\}", entry)
        if ref and ref.group(1) not in lexicons:
            raise RuleError(f"{loc}: unknown lexicon {entry}")
        words.extend(lexicons[ref.group(1)] if ref else [entry])
    keys = fewest_keywords({" ".join(w.lower().split()) for w in words if w.strip()})
    if not keys:
        raise RuleError(f"{loc}: must name at least one keyword")
    for i, ex in enumerate(examples):
        if ex.expect is not None and not ex.xfail and not any(k in ex.text.lower() for k in keys):
            raise RuleError(f"{loc}: examples[{i}] holds none of the prefilter keywords")
    return keys


def fewest_keywords(words: Iterable[str]) -> tuple[str, ...]:
    """`words` without those holding a shorter one: a line holding "bí thư chi bộ" holds
    "bí thư", so the longer keyword finds no further line and would cost a pass over the text.

    >>> fewest_keywords(["bí thư chi bộ", "bí thư", "chủ tịch"])
    ('bí thư', 'chủ tịch')
    """
    unique = sorted(set(words), key=len)
    kept: list[str] = []
    for word in unique:
        if not any(k in word for k in kept):
            kept.append(word)
    return tuple(sorted(kept))


def pack_files(rule_dirs: Iterable[Path]) -> list[Path]:
    """The pack files of the given folders, in load order (folders in order, names sorted)."""
    files: list[Path] = []
    for folder in rule_dirs:
        if not folder.is_dir():
            raise RuleError(f"{folder}: not a folder of rule files")
        files.extend(p for p in sorted(folder.glob("*.yaml")) if p.name not in NOT_PACKS)
    return files


def _defines(pack: dict[str, Any], path: Path) -> dict[str, str]:
    """A pack's own definitions: each pack names its parts freely ({DMY} here and there)."""
    defines = check_keys(pack.get("define", {}), where(path, "define"), {*pack.get("define", {})})
    for name, value in defines.items():
        if not isinstance(value, str):
            raise RuleError(where(path, f"define.{name}", "must be a pattern string"))
    return dict(defines)


def load_ruleset(rule_dirs: Iterable[Path], program_cache: Path | None = None) -> RuleSet:
    """Read, validate and compile every pack; raise RuleError naming the first problem.
    Compiled patterns are kept in `program_cache` (None: compiled every time).

    Lexicons are shared by all packs (a later pack's lexicon of the same name replaces an
    earlier one); definitions belong to their pack, except those of packs without rules
    (lexicons.yaml), which every pack may use.
    """
    packs = [(p, check_keys(load_yaml(p), str(p), PACK_KEYS)) for p in pack_files(rule_dirs)]
    with programs.keeping(program_cache):
        return _compiled(packs)


def _compiled(packs: list[tuple[Path, dict[str, Any]]]) -> RuleSet:
    """The RuleSet of validated packs, in their order."""
    lexicons: dict[str, dict[str, str]] = {}
    shared: dict[str, str] = {}
    for path, pack in packs:
        for name, value in (pack.get("lexicons") or {}).items():
            lexicons[name] = _lexicon(value, where(path, f"lexicons.{name}"))
        if not pack.get("rules"):  # a pack of word lists: its definitions serve every pack
            shared.update(_defines(pack, path))
    rules: dict[str, Rule] = {}
    for path, pack in packs:
        items = pack.get("rules") or []
        if not isinstance(items, list):
            raise RuleError(where(path, "rules", "must be a list"))
        defines = {**shared, **_defines(pack, path)}
        published = published_date(pack.get("published"), where(path, "published"))
        seen: set[str] = set()
        for item in items:
            if isinstance(item, dict) and item.get("disabled") is True:
                check_keys(item, where(path, "rules[]"), {"id", "disabled", "note"}, ("id",))
                if item["id"] not in rules:
                    raise RuleError(
                        where(path, f"rule {item['id']}", "disabled: no such rule to disable")
                    )
                del rules[item["id"]]  # a user pack switches a built-in rule off
                continue
            rule = _rule(item, pack.get("kind"), (defines, lexicons), path, published)
            if rule.id in seen:
                raise RuleError(where(path, f"rule {rule.id}", "duplicate id"))
            seen.add(rule.id)
            rules[rule.id] = rule  # a later pack overrides a rule of the same id
    ruleset = RuleSet(tuple(rules.values()), lexicons)
    ruleset.keywords  # noqa: B018 - compiled now, with the patterns, not on the first page
    return ruleset


@lru_cache(maxsize=8)
def cached_ruleset(rule_dirs: tuple[Path, ...], program_cache: Path | None = None) -> RuleSet:
    """The RuleSet of these folders, compiled once per process."""
    return load_ruleset(rule_dirs, program_cache)
