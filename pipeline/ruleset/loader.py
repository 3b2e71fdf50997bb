"""Load rule packs (YAML) into a validated, compiled RuleSet, once per process.

A pack file holds `kind` (the default record type of its rules), `define` (named sub-patterns,
used as {NAME}), `lexicons` (word lists, used as {@name}) and `rules`. Definitions and lexicons
are shared by all packs. Every problem is reported with the file, the rule id and the field.
A pack may pin the article date its examples run with (`published`; an example may too).
What a loaded rule holds is in model.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from pipeline.ruleset import programs
from pipeline.ruleset.convert import CONVERTERS
from pipeline.ruleset.kinds import FINISHERS as BUILT_IN_KINDS
from pipeline.ruleset.lexicon import place_lexicons
from pipeline.ruleset.model import Example, FieldSpec, KindSpec, Rule, RuleSet
from pipeline.ruleset.schema import (
    Problems,
    RuleError,
    check_keys,
    compile_pattern,
    iso_date,
    load_yaml,
    pattern_text,
    string_list,
    where,
)

PACK_KEYS = {
    "kind", "define", "lexicons", "tables", "rules", "description", "published", "evaluate",
    "merge",
}  # fmt: skip
EVALUATE_KEYS = {"gold_key", "key", "attributes"}
RULE_KEYS = {
    "id",
    "kind",
    "pattern",
    "fields",
    "default",
    "attach",
    "words",
    "prefilter",
    "needs",
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
class _Names:
    """What a pack's patterns may name: definitions ({NAME}) and lexicons ({@name}); `broken`
    holds those with a problem ("NAME", "@name"), reported where they are written, so that a
    rule naming one is not reported again for it."""

    defines: dict[str, str]
    lexicons: dict[str, dict[str, str]]
    broken: frozenset[str] = frozenset()
    #: Lookup tables a field may convert by (`tables:` of any pack): written form -> value.
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def over(self, own: dict[str, str | None]) -> _Names:
        """These names with a pack's own definitions on top (None: one with a problem)."""
        good = {k: v for k, v in own.items() if v is not None}
        defines = {k: v for k, v in self.defines.items() if k not in own} | good
        broken = (self.broken - own.keys()) | {k for k, v in own.items() if v is None}
        return _Names(defines, self.lexicons, frozenset(broken), self.tables)

    def need_broken(self, pattern: str) -> bool:
        """Whether `pattern` names one with a problem, itself or through definitions.

        >>> names = _Names({"A": "a{B}", "B": "b"}, {}, frozenset({"@units", "C"}))
        >>> names.need_broken("{A}+"), names.need_broken("{A}{@units}"), names.need_broken("{C}")
        (False, True, True)
        """
        todo, seen = [pattern], set()
        while self.broken and todo:
            for m in _PLACEHOLDER.finditer(todo.pop()):
                name = m.group(1) + m.group(2)
                if name in self.broken:
                    return True
                if name in self.defines and name not in seen:
                    seen.add(name)
                    todo.append(self.defines[name])
        return False


def _lexicon(value: Any, loc: str) -> dict[str, str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {v: v for v in value}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {str(k): str(v) for k, v in value.items()}
    raise RuleError(f"{loc}: a lexicon is a list of strings or a mapping of strings")


def _mapping(obj: Any, loc: str) -> dict[str, Any]:
    """A mapping of any keys (fields, defaults, definitions), or a clear error."""
    return check_keys(obj, loc, set(obj) if isinstance(obj, dict) else set())


def expand(
    pattern: str,
    defines: dict[str, str],
    lexicons: dict[str, dict[str, str]],
    loc: str,
    calls: bool = True,
) -> str:
    """Replace {NAME} with its definition, recursively, then each {@name} with its lexicon
    (see ruleset/lexicon.py: written out, or called when named twice)."""
    unknown: list[str] = []  # every name that is neither, reported at once

    def sub(m: regex.Match[str]) -> str:
        if m.group(1):
            if m.group(2) not in lexicons:
                unknown.append(f"{loc}: unknown lexicon {{@{m.group(2)}}}")
            return m.group(0)  # placed once every definition is written out
        if m.group(2) not in defines:
            unknown.append(f"{loc}: unknown definition {{{m.group(2)}}}")
            return m.group(0)
        return "(?:" + defines[m.group(2)] + ")"

    for _ in range(10):
        if not _PLACEHOLDER.search(pattern):
            return pattern
        expanded = _PLACEHOLDER.sub(sub, pattern)
        if unknown:
            raise RuleError(*dict.fromkeys(unknown))
        if expanded == pattern:
            return place_lexicons(pattern, lexicons, calls)
        pattern = expanded
    raise RuleError(f"{loc}: definitions nested too deep (a definition that uses itself?)")


def _field(
    name: str,
    spec: Any,
    groups: set[str] | None,
    loc: str,
    tables: dict[str, dict[str, Any]] | None = None,
) -> FieldSpec:
    """One field; its groups are checked against `groups` (None: the pattern has a problem).
    A converted field names a converter or a lookup table (`tables:`)."""
    converter: str | None = None
    table: tuple[tuple[str, Any], ...] = ()
    tables = tables or {}
    if isinstance(spec, dict):
        if len(spec) != 1 or next(iter(spec)) not in {*CONVERTERS, *tables}:
            known = sorted(CONVERTERS) + sorted(tables)
            raise RuleError(f"{loc}: a converted field is {{one of {known}: template}}")
        converter, spec = next(iter(spec.items()))
        if converter in tables:
            table = tuple((k.casefold(), v) for k, v in tables[converter].items())
    if not isinstance(spec, str):
        raise RuleError(f"{loc}: a field is a template string such as '{{number}}'")
    used = tuple(_TEMPLATE_GROUP.findall(spec))
    missing = [
        f"{loc}: no group '{g}' in pattern" for g in used if groups is not None and g not in groups
    ]
    if missing:
        raise RuleError(*missing)
    return FieldSpec(name, spec, converter, used, table)


def _fields(
    spec: Any, groups: set[str] | None, loc: str, tables: dict[str, dict[str, Any]] | None = None
) -> tuple[FieldSpec, ...]:
    """A rule's fields; a RuleError lists every field with a problem."""
    problems = Problems()
    specs = _mapping(spec, where(loc, "fields"))
    fields = [
        problems.check(_field, k, v, groups, where(loc, f"fields.{k}"), tables)
        for k, v in specs.items()
    ]
    problems.raise_any()
    return tuple(f for f in fields if f is not None)


def _example(item: Any, loc: str, published: str | None = None) -> Example:
    check_keys(item, loc, EXAMPLE_KEYS, ("text", "expect"))
    expect = item["expect"]
    if expect == "none" or expect is None:
        parsed = None
    elif isinstance(expect, dict):
        parsed = (expect,)
    elif isinstance(expect, list) and all(isinstance(e, dict) for e in expect):
        parsed = tuple(expect)
    else:
        raise RuleError(f"{loc}: expect: a mapping of fields, a list of them, or 'none'")
    when = iso_date(item.get("published"), f"{loc}: published") or published
    return Example(str(item["text"]), parsed, item.get("xfail"), when)


def _examples(items: Any, loc: str, published: str | None = None) -> tuple[Example, ...]:
    """A rule's examples (run with the pack's `published` unless their own says); a
    RuleError lists every example with a problem."""
    if not isinstance(items, list):
        raise RuleError(f"{loc}: must be a list")
    problems = Problems()
    examples = [
        problems.check(
            _example, item, f"{loc.removesuffix(': examples')}: example {i + 1}", published
        )
        for i, item in enumerate(items)
    ]
    problems.raise_any()
    return tuple(e for e in examples if e is not None)


def _rule_place(item: Any, path: Path) -> str:
    """Where a rule is, for its problems: by its id, or `rules[]` for one without.

    >>> _rule_place({"id": "x"}, Path("a.yaml")), _rule_place(["x"], Path("a.yaml"))
    ('a.yaml: rule x', 'a.yaml: rules[]')
    """
    has_id = isinstance(item, dict) and isinstance(item.get("id"), (str, int))
    return where(path, f"rule {item['id']}" if has_id else "rules[]")


def _rule(
    item: Any, kind: str | None, names: _Names, path: Path, published: str | None = None
) -> Rule | None:
    """One rule, checked whole: a RuleError lists each of its problems (a check that needs a
    part with a problem is left out: the fields' groups need the pattern, the prefilter the
    examples). None for a rule that needs a definition or lexicon with a problem (reported)."""
    problems = Problems()  # an unknown key is reported with the rest
    problems.check(check_keys, item, _rule_place(item, path), RULE_KEYS, ("id", "pattern"))
    if not isinstance(item, dict) or not {"id", "pattern"} <= item.keys():
        problems.raise_any()  # nothing more to check without them
    loc = where(path, f"rule {item['id']}")
    kind = item.get("kind", kind)
    if not kind:
        problems.add(f"{loc}: no kind (set `kind` on the rule or the pack)")
    attach = item.get("attach", "")
    if attach not in ("", "after", "before", "next"):
        problems.add(f"{loc}: attach: must be 'after', 'before' or 'next', not {attach!r}")
        attach = ""
    text = problems.check(pattern_text, item["pattern"], where(loc, "pattern"))
    pattern = None
    if text is not None and not names.need_broken(text):
        pattern = problems.check(_pattern, text, attach, names, where(loc, "pattern"))
    groups = set(pattern.groupindex) if pattern else None
    tables = {**names.lexicons, **names.tables}  # a lexicon written as a mapping is a table too
    fields = problems.check(_fields, item.get("fields", {}), groups, loc, tables)
    default = problems.check(_mapping, item.get("default", {}), where(loc, "default"))
    tests = problems.check(_tests, item, names, attach, loc, published)
    problems.raise_any()
    if not kind or pattern is None or fields is None or default is None or tests is None:
        return None  # no problem of its own: it needs a name with a problem (see above)
    if item.get("needs") is not None and tests[2] is None:
        return None  # the same, in what it needs
    return Rule(
        str(item["id"]),
        kind,
        pattern,
        fields,
        dict(default),
        attach,
        bool(item.get("words")),
        tests[0],
        str(path),
        tests[1],
        tests[2],
    )


def _tests(
    item: dict[str, Any], names: _Names, attach: str, loc: str, published: str | None = None
) -> tuple[tuple[Example, ...], tuple[str, ...], regex.Pattern[str] | None]:
    """A rule's examples, its prefilter keywords and what it needs (both of which its
    examples must hold)."""
    examples = _examples(item.get("examples", []), where(loc, "examples"), published)
    prefilter = _prefilter(item.get("prefilter"), names, examples, where(loc, "prefilter"))
    if prefilter and attach:
        raise RuleError(f"{where(loc, 'prefilter')}: only rules that find records take one")
    needs = None
    if item.get("needs") is not None:
        needs = _needs(item["needs"], attach, prefilter, names, examples, where(loc, "needs"))
    return examples, prefilter, needs


def _needs(
    text: Any,
    attach: str,
    prefilter: tuple[str, ...],
    names: _Names,
    examples: tuple[Example, ...],
    loc: str,
) -> regex.Pattern[str] | None:
    """What every match of a rule holds (`needs:`, a pattern), compiled; every example that
    expects a record must hold a match of it, or the rule could never have matched it (a known
    failure, xfail, may not). None when it needs a definition or lexicon with a problem."""
    if attach:
        raise RuleError(f"{loc}: only rules that find records take one")
    if not prefilter:
        raise RuleError(f"{loc}: only with a prefilter (it keeps the prefilter's blocks of lines "
                        "that hold a match)")  # fmt: skip
    text = pattern_text(text, loc)
    if names.need_broken(text):
        return None
    needs = _pattern(text, attach, names, loc)  # a bad one is shown as written
    problems = Problems()
    for i, ex in enumerate(examples):
        if ex.expect is not None and not ex.xfail and not needs.search(ex.text):
            problems.add(f"{loc}: example {i + 1} holds no match of it")
    problems.raise_any()
    return needs


def _pattern(text: str, attach: str, names: _Names, loc: str) -> regex.Pattern[str]:
    """A rule's pattern, its names written out and compiled; a bad one is reported where its
    author wrote the mistake (`as_written`), not at a column of the expanded pattern."""
    # a before-pattern is tried at every place of its window: its lexicons are written out
    source = expand(text, names.defines, names.lexicons, loc, not attach)
    if attach == "before":  # must end exactly where the record it attaches to begins
        source = f"(?:{source})\\Z"
    try:
        # `^` and `$` are a line's start and end: a rule is tried on blocks of lines whose
        # bounds depend on which lines hold its prefilter words, never on the block's bounds
        return compile_pattern(source, loc, regex.MULTILINE)
    except RuleError:
        if source == text or (where_written := as_written(text, names.defines, loc)) is None:
            raise
        raise RuleError(where_written) from None


def as_written(
    text: str, defines: Mapping[str, str | None], loc: str, what: str = "the pattern"
) -> str | None:
    """Where a pattern that does not compile goes wrong in its author's own text: each {NAME}
    stands in as letters of its own length, so a column of `text` is a column of the error;
    if `text` is sound, the first definition it names that is not (in that one's terms).

    >>> print(as_written("{NUM} cá nhân", {"NUM": "(\\\\d+"}, "p: pattern"))
    p: pattern: bad regex at column 5 of {NUM} as written: missing ):
        (\\d+
            ^
    """
    standing = _PLACEHOLDER.sub(lambda m: "x" * len(m.group(0)), text)
    try:
        regex.compile(standing)
    except regex.error as exc:
        col = (exc.pos or 0) + 1
        return (
            f"{loc}: bad regex at column {col} of {what} as written: {exc.msg}:\n"
            f"    {text}\n    {' ' * (col - 1)}^"
        )
    for m in _PLACEHOLDER.finditer(text):
        definition = defines.get(m.group(2)) if not m.group(1) else None
        if definition and (inner := as_written(definition, defines, loc, m.group(0))):
            return inner
    return None


def _prefilter(
    spec: Any, names: _Names, examples: tuple[Example, ...], loc: str
) -> tuple[str, ...]:
    """Keywords (or {@lexicon} entries), lower-cased; every example that expects a record
    must hold one, or the rule could never have matched it (a known failure, xfail, may not)."""
    if spec is None:
        return ()
    words: list[str] = []
    problems = Problems()
    for entry in string_list(spec, loc):
        ref = regex.fullmatch(r"\{@([a-z_][a-z0-9_]*)\}", entry)
        if ref and f"@{ref.group(1)}" in names.broken:
            return ()  # its lexicon has a problem, reported there
        if ref and ref.group(1) not in names.lexicons:
            problems.add(f"{loc}: unknown lexicon {entry}")
            continue
        words.extend(names.lexicons[ref.group(1)] if ref else [entry])
    problems.raise_any()
    keys = fewest_keywords({" ".join(w.lower().split()) for w in words if w.strip()})
    if not keys:
        raise RuleError(f"{loc}: must name at least one keyword")
    for i, ex in enumerate(examples):
        if ex.expect is not None and not ex.xfail and not any(k in ex.text.lower() for k in keys):
            problems.add(f"{loc}: example {i + 1} holds none of the prefilter keywords")
    problems.raise_any()
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


def _defines(pack: dict[str, Any], path: Path, problems: Problems) -> dict[str, str | None]:
    """A pack's own definitions, None for one with a problem (added to `problems`): each pack
    names its parts freely ({DMY} here and there)."""
    defines = problems.check(_mapping, pack.get("define", {}), where(path, "define")) or {}
    return {
        str(name): problems.check(pattern_text, value, where(path, f"define.{name}"))
        for name, value in defines.items()
    }


def load_ruleset(rule_dirs: Iterable[Path], program_cache: Path | None = None) -> RuleSet:
    """Read, validate and compile every pack; raise one RuleError listing every problem of
    every pack (one that cannot be read, bad YAML, is left out of the rest of the checks).
    Compiled patterns are kept in `program_cache` (None: compiled every time).

    Lexicons are shared by all packs (a later pack's lexicon of the same name replaces an
    earlier one); definitions belong to their pack, except those of packs without rules
    (lexicons.yaml), which every pack may use.
    """
    problems = Problems()
    packs = []
    for path in pack_files(rule_dirs):
        pack = problems.check(load_yaml, path)
        if pack is not None:
            problems.check(check_keys, pack, str(path), PACK_KEYS)
            packs.append((path, pack))
    with programs.keeping(program_cache):
        ruleset = _compiled(packs, problems)
        problems.raise_any()  # before the store is saved, as a load that stops at one would
    return ruleset


def _shared_names(packs: list[tuple[Path, dict[str, Any]]], problems: Problems) -> _Names:
    """Every pack's lexicons, and the definitions of packs without rules."""
    lexicons: dict[str, dict[str, str]] = {}
    broken: set[str] = set()
    for path, pack in packs:
        listed = problems.check(_mapping, pack.get("lexicons") or {}, where(path, "lexicons"))
        for name, value in (listed or {}).items():
            lexicon = problems.check(_lexicon, value, where(path, f"lexicons.{name}"))
            if lexicon is None:
                lexicons.pop(name, None)
                broken.add(f"@{name}")
            else:
                lexicons[name] = lexicon
                broken.discard(f"@{name}")
    names = _Names({}, lexicons, frozenset(broken), _tables(packs, problems))
    for path, pack in packs:
        if not pack.get("rules"):  # a pack of word lists: its definitions serve every pack
            names = names.over(_defines(pack, path, problems))
    return names


def _tables(packs: list[tuple[Path, dict[str, Any]]], problems: Problems) -> dict[str, Any]:
    """Every pack's lookup tables (`tables: {name: {written form: value}}`), shared like
    lexicons; a table's keys are strings, its values anything YAML gives."""
    tables: dict[str, dict[str, Any]] = {}
    for path, pack in packs:
        listed = problems.check(_mapping, pack.get("tables") or {}, where(path, "tables"))
        for name, table in (listed or {}).items():
            loc = where(path, f"tables.{name}")
            if not isinstance(table, dict) or not all(isinstance(k, str) for k in table):
                problems.add(f"{loc}: a table maps written forms (strings) to values")
            elif name in CONVERTERS:
                problems.add(f"{loc}: {name!r} is a converter's name; choose another")
            else:
                tables[str(name)] = table
    return tables


def _compiled(packs: list[tuple[Path, dict[str, Any]]], problems: Problems) -> RuleSet:
    """The RuleSet of the packs, in their order; every problem is added to `problems` (a rule
    with one is left out, the other rules are still checked)."""
    shared = _shared_names(packs, problems)
    rules: dict[str, Rule] = {}
    failed: set[str] = set()  # the ids of rules with a problem
    kinds: dict[str, KindSpec] = {}
    merges: dict[str, tuple[str, ...]] = {}
    for path, pack in packs:
        if "evaluate" in pack:
            spec = problems.check(_kind_spec, pack["evaluate"], pack.get("kind"), path)
            if spec:
                kinds[spec.kind] = spec
        if "merge" in pack:
            merge = problems.check(_merge, pack["merge"], pack.get("kind"), path)
            if merge:
                merges[merge[0]] = merge[1]
        items = pack.get("rules") or []
        if not isinstance(items, list):
            problems.add(where(path, "rules", "must be a list"))
            continue
        names = shared.over(_defines(pack, path, problems)) if items else shared
        published = problems.check(iso_date, pack.get("published"), where(path, "published"))
        seen: set[str] = set()
        for item in items:
            if isinstance(item, dict) and item.get("disabled") is True:
                problems.check(_disable, item, path, rules, failed)
                continue
            rule = problems.check(_rule, item, pack.get("kind"), names, path, published)
            if not isinstance(item, dict) or "id" not in item:
                continue  # reported: a rule without an id
            rule_id = str(item["id"])
            if rule_id in seen:
                problems.add(where(path, f"rule {rule_id}", "duplicate id"))
            seen.add(rule_id)
            if rule is None:
                failed.add(rule_id)
            else:
                rules[rule_id] = rule  # a later pack overrides a rule of the same id
    ruleset = RuleSet(tuple(rules.values()), shared.lexicons, kinds, merges)
    ruleset.keywords  # noqa: B018 - compiled now, with the patterns, not on the first page
    return ruleset


def _kind_spec(spec: Any, kind: Any, path: Path) -> KindSpec:
    """A pack's `evaluate:`, for the pack's `kind`: `key` (the fields that identify an item),
    `attributes` and `gold_key` (default: the kind's name)."""
    loc = where(path, "evaluate")
    check_keys(spec, loc, EVALUATE_KEYS, ("key",))
    if not isinstance(kind, str) or not kind:
        raise RuleError(f"{loc}: needs the pack's `kind`")
    key = string_list(spec["key"], where(loc, "key"))
    if not key:
        raise RuleError(f"{where(loc, 'key')}: name at least one field")
    attributes = string_list(spec.get("attributes", []), where(loc, "attributes"))
    gold_key = spec.get("gold_key", kind)
    if not isinstance(gold_key, str) or not gold_key:
        raise RuleError(f"{where(loc, 'gold_key')}: must be a name")
    return KindSpec(kind, gold_key, tuple(key), tuple(attributes))


def _merge(spec: Any, kind: Any, path: Path) -> tuple[str, tuple[str, ...]]:
    """A pack's `merge:`: the fields on which two records of its own kind are one."""
    loc = where(path, "merge")
    if not isinstance(kind, str) or not kind:
        raise RuleError(f"{loc}: needs the pack's `kind`")
    if kind in BUILT_IN_KINDS:
        raise RuleError(f"{loc}: {kind} records are merged by the built-in rules already")
    fields = string_list(spec, loc)
    if not fields:
        raise RuleError(f"{loc}: name at least one field")
    return kind, tuple(fields)


def _disable(item: dict[str, Any], path: Path, rules: dict[str, Rule], failed: set[str]) -> None:
    """A user pack switches a built-in rule off: `{id: X, disabled: true}`."""
    check_keys(item, _rule_place(item, path), {"id", "disabled", "note"}, ("id",))
    if item["id"] in rules:
        del rules[item["id"]]
    elif item["id"] not in failed:  # one with a problem is reported already
        raise RuleError(where(path, f"rule {item['id']}", "disabled: no such rule to disable"))


@lru_cache(maxsize=8)
def cached_ruleset(rule_dirs: tuple[Path, ...], program_cache: Path | None = None) -> RuleSet:
    """The RuleSet of these folders, compiled once per process."""
    return load_ruleset(rule_dirs, program_cache)
