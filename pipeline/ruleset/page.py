"""Load `page.yaml`: furniture line patterns, outlets and byline lexicons, validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from pipeline.ruleset import programs
from pipeline.ruleset.schema import (
    Problems,
    RuleError,
    check_keys,
    compile_pattern,
    load_yaml,
    pattern_text,
    string_list,
    where,
)

# Markers are tried before line patterns: "Xem thêm" opens a related box, though a menu word too.
# Prefixes and suffixes are cut from the ends of a line before any of them is tried.
SECTIONS = ("end_markers", "block_markers", "line_patterns", "line_prefixes", "line_suffixes")
KINDS = ("end", "block", "line", "prefix", "suffix")
#: The longest furniture a line may end with: a suffix pattern is tried on the line's last
#: characters only (a long paragraph is not searched from its start for a credit at its end).
SUFFIX_CHARS = 300


@dataclass(frozen=True)
class LineRule:
    """One furniture pattern: a whole line matching `pattern` is dropped with `reason`."""

    id: str
    #: "line", "end" (drops the rest of the page), "block" (drops a related box), "prefix" or
    #: "suffix" (drops the start or the end of a line that `pattern` matches, keeps the rest)
    kind: str
    reason: str
    pattern: regex.Pattern[str]
    drop_examples: tuple[str, ...]
    keep_examples: tuple[str, ...]
    #: Only after the first paragraph: above it, such a line is the article's own ("(12/03/2024
    #: 10:20)" below the headline is its date line; after the text, a related item's date).
    after_body: bool = False


@dataclass(frozen=True)
class Outlet:
    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class PageRules:
    """Everything `page.yaml` says, compiled once per process."""

    line_rules: tuple[LineRule, ...]
    caption_rules: tuple[LineRule, ...]
    outlets: tuple[Outlet, ...]
    byline_lead_ins: tuple[str, ...]
    not_names: frozenset[str]
    byline_trailers: tuple[regex.Pattern[str], ...]
    #: Every outlet name, alias and domain, folded, to its outlet (built once on load).
    outlet_keys: dict[str, Outlet]
    #: Positions an author may sign with at the end of a text ("Đỗ Thuần - Bí thư Chi bộ").
    signed_positions: tuple[str, ...] = ()
    #: Bodies that sign a text on its last line ("Trung tâm VHTT&TT huyện"): a credit, no author.
    signing_bodies: tuple[str, ...] = ()
    #: Lead-ins that need no colon when a source follows the name ("Theo Linh Chi/baoabc.vn").
    source_lead_ins: tuple[str, ...] = ()
    #: Lead-ins that need no colon when a name alone follows ("Tin và ảnh Phạm Ngọc").
    named_lead_ins: tuple[str, ...] = ()

    def is_caption(self, line: str) -> bool:
        """A photo caption: never the headline."""
        return any(rule.pattern.fullmatch(line.strip()) for rule in self.caption_rules)

    def is_menu(self, text: str, reasons: tuple[str, ...] = ("menu",)) -> bool:
        """A menu item or a section's name ("Chính trị", "Quốc phòng - An ninh"), as a whole;
        `reasons`: the line rules' reasons that count (("menu", "share") takes a page's tools
        too: "Xem cỡ chữ Google")."""
        text = text.strip()
        return any(
            rule.kind == "line" and rule.reason in reasons and rule.pattern.fullmatch(text)
            for rule in self.line_rules
        )

    def outlet_named(self, text: str | None) -> Outlet | None:
        """The outlet `text` names (by name, alias or domain), ignoring case and spacing."""
        return self.outlet_keys.get(_fold(text)) if text else None

    def outlet_for_host(self, host: str | None) -> Outlet | None:
        """The outlet whose domain `host` is or belongs to."""
        if not host:
            return None
        host = host.lower().removeprefix("www.")
        for outlet in self.outlets:
            if any(host == d or host.endswith("." + d) for d in outlet.domains):
                return outlet
        return None


_FOLD = regex.compile(r"[\s._-]+")


def _fold(text: str) -> str:
    return _FOLD.sub("", text).casefold()


_GROUP = regex.compile(r"\(\?(?:P<|<(?![=!])|&|P=|P>)(?=\w+[>)])")
#: The longest line a rule made of pieces (a toolbar) is tried on.
TOOLBAR_CHARS = 300
#: Between the pieces of a toolbar, and after its last: blanks, bars, bullets, slashes, dashes.
_PIECE_GAP = r"[\s|•·,/:–-]*"


def own_groups(pattern: str, prefix: str) -> str:
    """`pattern` with its group names prefixed, so that two rules' patterns can share one regex.

    >>> own_groups("(?P<w>a)(?:,(?&w))*", "share_")
    '(?P<share_w>a)(?:,(?&share_w))*'
    """
    return _GROUP.sub(lambda m: m.group() + prefix, pattern)


def _toolbar(item: Any, loc: str, patterns: dict[str, str]) -> str:
    """The pattern of a line made of pieces of the line rules `item["pieces"]` names, each
    piece matching one of them whole ("In bài viết Gửi phản hồi Lượt xem: 1.682 views")."""
    ids = string_list(item["pieces"], where(loc, "pieces"))
    unknown = [i for i in ids if i not in patterns]
    if unknown or not ids:
        what = f"no line pattern {', '.join(map(repr, unknown))} above" if unknown else "empty"
        raise RuleError(where(loc, "pieces", what))
    alternatives = "|".join(f"(?:{own_groups(patterns[i], i + '_')})" for i in ids)
    # A toolbar is short (300 characters at most); each piece is atomic and the run
    # possessive, so a line is read once from its start, never re-split (a long run of "a"
    # would otherwise be tried as every split into the text-size control's "A A A").
    return (
        f"(?=.{{0,{TOOLBAR_CHARS}}}\\Z)"
        f"(?>(?P<piece>{alternatives}))(?:{_PIECE_GAP}(?>(?&piece)))*+{_PIECE_GAP}"
    )


def _line_rule(item: Any, kind: str, loc: str, patterns: dict[str, str] | None = None) -> LineRule:
    """One rule of a section; `patterns`: the line patterns above it, by id, for `pieces`.
    A RuleError lists each of its problems."""
    keys = {"id", "reason", "pattern", "pieces", "examples", "after_body"}
    problems = Problems()
    problems.check(check_keys, item, loc, keys, ("id", "reason"))
    if not isinstance(item, dict) or not {"id", "reason"} <= item.keys():
        problems.raise_any()  # nothing more to check without them
    loc = where(loc, f"id {item['id']}")
    pattern = problems.check(_line_pattern, item, kind, loc, patterns)
    examples = problems.check(
        check_keys, item.get("examples", {}), where(loc, "examples"), {"drop", "keep"}
    )
    drop = problems.check(
        string_list, (examples or {}).get("drop", []), where(loc, "examples.drop")
    )
    keep = problems.check(
        string_list, (examples or {}).get("keep", []), where(loc, "examples.keep")
    )
    after_body = item.get("after_body", False)
    if not isinstance(after_body, bool):
        problems.add(where(loc, "after_body", "must be true or false"))
    problems.raise_any()
    assert pattern is not None and drop is not None and keep is not None  # each, or a problem
    return LineRule(
        str(item["id"]), kind, str(item["reason"]), pattern, tuple(drop), tuple(keep), after_body
    )


def _line_pattern(
    item: dict[str, Any], kind: str, loc: str, patterns: dict[str, str] | None
) -> regex.Pattern[str]:
    """A line rule's pattern, written as `pattern` or made of `pieces`, compiled for its kind."""
    if ("pattern" in item) == ("pieces" in item):
        raise RuleError(where(loc, "needs either 'pattern' or 'pieces'"))
    if "pieces" in item:
        if kind != "line" or patterns is None:
            raise RuleError(where(loc, "pieces", "only line_patterns may be made of pieces"))
        item = {**item, "pattern": _toolbar(item, loc, patterns)}
    anchored = r"(?:{})\Z" if kind == "suffix" else "(?:{})"
    # A suffix is searched from the line's end backwards (REVERSE): the engine then tries the
    # places where a match could end, not every place where one could start.
    flags = regex.IGNORECASE | (regex.REVERSE if kind == "suffix" else 0)
    text = pattern_text(item["pattern"], where(loc, "pattern"))
    return compile_pattern(anchored.format(text), where(loc, "pattern"), flags)


def _sections(data: dict[str, Any], path: Path | str, problems: Problems) -> list[LineRule]:
    """The line rules of every section, in order; each problem is added to `problems`."""
    rules: list[LineRule] = []
    seen: set[str] = set()
    patterns: dict[str, str] = {}  # the line patterns read so far, for a rule made of pieces
    failed: set[str] = set()  # the ids of line patterns with a problem (reported)
    for section, kind in zip(SECTIONS, KINDS, strict=True):
        items = data.get(section, [])
        if not isinstance(items, list):
            problems.add(where(path, section, "must be a list"))
            continue
        for i, item in enumerate(items):
            pieces = item.get("pieces") if isinstance(item, dict) else None
            if isinstance(pieces, list) and any(p in failed for p in pieces if isinstance(p, str)):
                continue  # made of a piece with a problem, reported there
            rule = problems.check(_line_rule, item, kind, where(path, f"{section}[{i}]"), patterns)
            if rule is None:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    failed.add(item["id"])
                continue
            if rule.id in seen:
                problems.add(where(path, section, f"duplicate id '{rule.id}'"))
            seen.add(rule.id)
            rules.append(rule)
            if kind == "line":
                patterns[rule.id] = rule.pattern.pattern
    return rules


def _outlet(item: Any, loc: str) -> Outlet:
    check_keys(item, loc, {"name", "domains", "aliases"}, ("name",))
    domains = string_list(item.get("domains", []), where(loc, "domains"))
    aliases = string_list(item.get("aliases", []), where(loc, "aliases"))
    return Outlet(str(item["name"]), tuple(domains), tuple(aliases))


BYLINE = (
    "lead_ins",
    "not_names",
    "trailers",
    "signed_positions",
    "signing_bodies",
    "source_lead_ins",
    "named_lead_ins",
)


def _byline(
    spec: Any, path: Path | str
) -> tuple[dict[str, list[str]], tuple[regex.Pattern[str], ...]]:
    """The byline's word lists by key, and its trailers compiled."""
    problems = Problems()
    byline = check_keys(spec, where(path, "byline"), set(BYLINE))
    lists = {
        key: problems.check(string_list, byline.get(key, []), where(path, f"byline.{key}")) or []
        for key in BYLINE
    }
    loc = where(path, "byline.trailers")
    trailers = [
        problems.check(compile_pattern, t, loc, regex.IGNORECASE) for t in lists["trailers"]
    ]
    problems.raise_any()
    return lists, tuple(t for t in trailers if t is not None)


def parse_page_rules(data: dict[str, Any], path: Path | str) -> PageRules:
    """Validate and compile the content of a `page.yaml`; a RuleError lists every problem."""
    problems = Problems()
    problems.check(check_keys, data, str(path), {*SECTIONS, "captions", "outlets", "byline"})
    if not isinstance(data, dict):
        problems.raise_any()
    rules = _sections(data, path, problems)
    captions = [
        problems.check(_line_rule, item, "caption", where(path, f"captions[{i}]"))
        for i, item in enumerate(data.get("captions", []))
    ]
    outlets = [
        problems.check(_outlet, item, where(path, f"outlets[{i}]"))
        for i, item in enumerate(data.get("outlets", []))
    ]
    byline, trailers = problems.check(_byline, data.get("byline", {}), path) or ({}, ())
    problems.raise_any()
    kept = [o for o in outlets if o is not None]
    return PageRules(
        line_rules=tuple(rules),
        caption_rules=tuple(c for c in captions if c is not None),
        outlets=tuple(kept),
        byline_lead_ins=tuple(byline["lead_ins"]),
        not_names=frozenset(n.casefold() for n in byline["not_names"]),
        byline_trailers=trailers,
        outlet_keys={_fold(n): o for o in kept for n in (o.name, *o.aliases, *o.domains)},
        signed_positions=tuple(p.casefold() for p in byline["signed_positions"]),
        signing_bodies=tuple(p.casefold() for p in byline["signing_bodies"]),
        source_lead_ins=tuple(p.casefold() for p in byline["source_lead_ins"]),
        named_lead_ins=tuple(p.casefold() for p in byline["named_lead_ins"]),
    )


def merge(base: PageRules, extra: PageRules) -> PageRules:
    """`extra` on top of `base`: its line rules are tried first, one with a base rule's id
    replaces it; outlets and byline words add up."""

    def combined(a: tuple[LineRule, ...], b: tuple[LineRule, ...]) -> tuple[LineRule, ...]:
        ids = {r.id for r in b}
        rules = list(b) + [r for r in a if r.id not in ids]  # the user's patterns are tried first
        return tuple(sorted(rules, key=lambda r: (*KINDS, "caption").index(r.kind)))

    outlets = (*base.outlets, *extra.outlets)
    return PageRules(
        line_rules=combined(base.line_rules, extra.line_rules),
        caption_rules=combined(base.caption_rules, extra.caption_rules),
        outlets=outlets,
        byline_lead_ins=(*base.byline_lead_ins, *extra.byline_lead_ins),
        not_names=base.not_names | extra.not_names,
        byline_trailers=(*base.byline_trailers, *extra.byline_trailers),
        outlet_keys={**base.outlet_keys, **extra.outlet_keys},
        signed_positions=(*base.signed_positions, *extra.signed_positions),
        signing_bodies=(*base.signing_bodies, *extra.signing_bodies),
        source_lead_ins=(*base.source_lead_ins, *extra.source_lead_ins),
        named_lead_ins=(*base.named_lead_ins, *extra.named_lead_ins),
    )


@lru_cache(maxsize=8)
def load_page_rules(rule_dirs: tuple[Path, ...], program_cache: Path | None = None) -> PageRules:
    """`page.yaml` of every rule folder that has one, later folders on top, once per process;
    compiled patterns kept in `program_cache` (ruleset/programs.py)."""
    found = [d / "page.yaml" for d in rule_dirs if (d / "page.yaml").exists()]
    if not found:
        raise RuleError(f"no page.yaml in {', '.join(str(d) for d in rule_dirs)}")
    problems = Problems()
    with programs.keeping(program_cache):
        read = [problems.check(_read, path) for path in found]  # every file's problems at once
        problems.raise_any()
    rules, *extra = [r for r in read if r is not None]
    for more in extra:
        rules = merge(rules, more)
    return rules


def _read(path: Path) -> PageRules:
    return parse_page_rules(load_yaml(path), path)
