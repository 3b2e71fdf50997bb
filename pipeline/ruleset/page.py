"""Load `page.yaml`: furniture line patterns, outlets and byline lexicons, validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from pipeline.ruleset import programs
from pipeline.ruleset.schema import (
    RuleError,
    check_keys,
    compile_pattern,
    load_yaml,
    string_list,
    where,
)

# Markers are tried before line patterns: "Xem thêm" opens a related box, though a menu word too.
# Prefixes and suffixes are cut from the ends of a line before any of them is tried.
SECTIONS = ("end_markers", "block_markers", "line_patterns", "line_prefixes", "line_suffixes")
KINDS = ("end", "block", "line", "prefix", "suffix")


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

    def is_caption(self, line: str) -> bool:
        """A photo caption: never the headline."""
        return any(rule.pattern.fullmatch(line.strip()) for rule in self.caption_rules)

    def is_menu(self, text: str) -> bool:
        """A menu item or a section's name ("Chính trị", "Quốc phòng - An ninh"), as a whole."""
        text = text.strip()
        return any(
            rule.kind == "line" and rule.reason == "menu" and rule.pattern.fullmatch(text)
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
    """One rule of a section; `patterns`: the line patterns above it, by id, for `pieces`."""
    keys = {"id", "reason", "pattern", "pieces", "examples", "after_body"}
    check_keys(item, loc, keys, ("id", "reason"))
    loc = where(loc, f"id {item['id']}")
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
    pattern = compile_pattern(anchored.format(item["pattern"]), where(loc, "pattern"), flags)
    examples = check_keys(item.get("examples", {}), where(loc, "examples"), {"drop", "keep"})
    drop = string_list(examples.get("drop", []), where(loc, "examples.drop"))
    keep = string_list(examples.get("keep", []), where(loc, "examples.keep"))
    after_body = item.get("after_body", False)
    if not isinstance(after_body, bool):
        raise RuleError(where(loc, "after_body", "must be true or false"))
    return LineRule(
        str(item["id"]), kind, str(item["reason"]), pattern, tuple(drop), tuple(keep), after_body
    )


def parse_page_rules(data: dict[str, Any], path: Path | str) -> PageRules:
    """Validate and compile the content of a `page.yaml`."""
    check_keys(data, str(path), {*SECTIONS, "captions", "outlets", "byline"})
    rules: list[LineRule] = []
    seen: set[str] = set()
    patterns: dict[str, str] = {}  # the line patterns read so far, for a rule made of pieces
    for section, kind in zip(SECTIONS, KINDS, strict=True):
        items = data.get(section, [])
        if not isinstance(items, list):
            raise RuleError(where(path, section, "must be a list"))
        for i, item in enumerate(items):
            rule = _line_rule(item, kind, where(path, f"{section}[{i}]"), patterns)
            if rule.id in seen:
                raise RuleError(where(path, section, f"duplicate id '{rule.id}'"))
            seen.add(rule.id)
            rules.append(rule)
            if kind == "line":
                patterns[rule.id] = rule.pattern.pattern
    captions = tuple(
        _line_rule(item, "caption", where(path, f"captions[{i}]"))
        for i, item in enumerate(data.get("captions", []))
    )
    outlets = []
    for i, item in enumerate(data.get("outlets", [])):
        loc = where(path, f"outlets[{i}]")
        check_keys(item, loc, {"name", "domains", "aliases"}, ("name",))
        domains = string_list(item.get("domains", []), where(loc, "domains"))
        aliases = string_list(item.get("aliases", []), where(loc, "aliases"))
        outlets.append(Outlet(str(item["name"]), tuple(domains), tuple(aliases)))
    byline = check_keys(
        data.get("byline", {}),
        where(path, "byline"),
        {"lead_ins", "not_names", "trailers", "signed_positions", "signing_bodies"},
    )
    trailers = tuple(
        compile_pattern(p, where(path, "byline.trailers"), regex.IGNORECASE)
        for p in string_list(byline.get("trailers", []), where(path, "byline.trailers"))
    )
    return PageRules(
        line_rules=tuple(rules),
        caption_rules=captions,
        outlets=tuple(outlets),
        byline_lead_ins=tuple(
            string_list(byline.get("lead_ins", []), where(path, "byline.lead_ins"))
        ),
        not_names=frozenset(
            n.casefold()
            for n in string_list(byline.get("not_names", []), where(path, "byline.not_names"))
        ),
        byline_trailers=trailers,
        outlet_keys={_fold(n): o for o in outlets for n in (o.name, *o.aliases, *o.domains)},
        signed_positions=tuple(
            p.casefold()
            for p in string_list(
                byline.get("signed_positions", []), where(path, "byline.signed_positions")
            )
        ),
        signing_bodies=tuple(
            p.casefold()
            for p in string_list(
                byline.get("signing_bodies", []), where(path, "byline.signing_bodies")
            )
        ),
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
    )


@lru_cache(maxsize=8)
def load_page_rules(rule_dirs: tuple[Path, ...], program_cache: Path | None = None) -> PageRules:
    """`page.yaml` of every rule folder that has one, later folders on top, once per process;
    compiled patterns kept in `program_cache` (ruleset/programs.py)."""
    found = [d / "page.yaml" for d in rule_dirs if (d / "page.yaml").exists()]
    if not found:
        raise RuleError(f"no page.yaml in {', '.join(str(d) for d in rule_dirs)}")
    with programs.keeping(program_cache):
        rules = parse_page_rules(load_yaml(found[0]), found[0])
        for path in found[1:]:
            rules = merge(rules, parse_page_rules(load_yaml(path), path))
    return rules
