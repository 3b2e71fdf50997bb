"""The registry of central documents (`<rules>/registry/*.yaml`): load, validate, index.

Local news gives a central document's number without its date, issuer or subject ("Nghị
quyết 25-NQ/TW", "Chỉ thị 05"); the registry holds those facts, each entry with a public
source, so that a record can be completed and given the key every page shares (dockeys.py).
A user adds registry files the way they add rule packs: `<their rules>/registry/*.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from pipeline.ruleset.lexicon import alternation
from pipeline.ruleset.schema import (
    Problems,
    RuleError,
    check_keys,
    iso_date,
    load_yaml,
    string_list,
    where,
)

FOLDER = "registry"
REQUIRED = ("symbol", "type", "issuer", "issued", "source")
ALLOWED = frozenset({*REQUIRED, "term", "subject", "short_names", "note"})
_ROMAN = regex.compile(r"[IVXL]+")
#: The Party centre's code as some pages spell it ("57-NQ/TƯ"): the same as "TW".
_TU = regex.compile(r"TƯ|T\.Ư")
#: Party style "25-NQ/TW", "08-QĐi/TW", "57NQ/TW" (no dash, as pages write it too); state
#: style "123/QĐ-UBND", "30/2020/NĐ-CP", "06/2022/QH15" (a law: number, year, the Assembly
#: and its term).
SYMBOL = regex.compile(
    r"(?P<number>\d{1,5})(?:/(?P<year>(?:19|20)\d{2}))?"
    r"(?:-?(?P<ptype>\p{Lu}[\p{L}]*)/(?P<pissuer>[\p{Lu}\d][\p{L}\d.&-]*)"
    r"|/(?P<stype>\p{Lu}[\p{L}\d]*)(?:-(?P<sissuer>[\p{Lu}\d][\p{L}\d.&-]*))?)"
)


@dataclass(frozen=True)
class Symbol:
    """A symbol's parts: "30/2020/NĐ-CP" -> 30, NĐ, CP, 2020; a law's "06/2022/QH15" has
    no type code (QH15 is its issuer)."""

    number: str
    type_code: str | None
    issuer_code: str | None
    year: int | None
    #: Party style ("25-NQ/TW"): numbered through a term, so the year is no part of its key.
    party: bool = False


def parse_symbol(symbol: str) -> Symbol | None:
    """The parts of a number-and-symbol, or None when it is not one.

    >>> parse_symbol("25-NQ/TW")
    Symbol(number='25', type_code='NQ', issuer_code='TW', year=None, party=True)
    >>> parse_symbol("30/2020/NĐ-CP"), parse_symbol("06/2022/QH15").issuer_code
    (Symbol(number='30', type_code='NĐ', issuer_code='CP', year=2020, party=False), 'QH15')
    """
    m = SYMBOL.fullmatch(_TU.sub("TW", "".join(symbol.split())))
    if not m:
        return None
    number = str(int(m["number"]))
    year = int(m["year"]) if m["year"] else None
    if m["ptype"]:
        return Symbol(number, m["ptype"].upper(), m["pissuer"].upper(), year, party=True)
    type_code, issuer = m["stype"], m["sissuer"]
    if issuer is None and year is not None:  # a law: "06/2022/QH15"
        return Symbol(number, None, type_code.upper(), year)
    return Symbol(number, type_code.upper(), issuer.upper() if issuer else None, year)


@dataclass(frozen=True)
class Entry:
    """One central document of the registry, as its file states it."""

    symbol: str
    type: str
    issuer: str
    issued: str
    source: str
    path: str
    parts: Symbol
    term: str | None = None
    subject: str | None = None
    short_names: tuple[str, ...] = ()

    @property
    def year(self) -> int:
        return int(self.issued[:4])


@dataclass
class Registry:
    """Every entry, indexed by symbol (separators and case aside) and by kind and number."""

    entries: list[Entry] = field(default_factory=list)
    by_symbol: dict[str, list[Entry]] = field(default_factory=dict)
    by_number: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    by_name: dict[str, Entry] = field(default_factory=dict)
    #: Every short name, on lower-cased text (see _name_pattern)
    names: re.Pattern[str] | None = None

    def shared(self, symbol: str) -> bool:
        """Several documents of the registry have this symbol (18-NQ/TW of 2017 and 2022)."""
        return len(self.by_symbol.get(symbol_key(symbol), ())) > 1

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.by_symbol.setdefault(symbol_key(entry.symbol), []).append(entry)
        self.by_number.setdefault((entry.type.casefold(), entry.parts.number), []).append(entry)
        for name in entry.short_names:
            self.by_name[name_key(name)] = entry


def name_key(name: str) -> str:
    """A short name as names are looked up: lower case, one blank between words.

    >>> name_key("Nghị quyết  Trung ương 4 khóa XII")
    'nghị quyết trung ương 4 khóa xii'
    """
    return " ".join(name.lower().split())


def symbol_key(symbol: str) -> str:
    """A symbol with its separators and case made one: "60/NQ-TW", "60NQ/TW" and "60-NQ/TƯ"
    are "60-NQ/TW".

    >>> symbol_key("60/NQ-TW") == symbol_key("60-nq/tw") == symbol_key("60NQ/TƯ")
    True
    >>> symbol_key("060-NQ/TW")
    '60/NQ/TW'
    """
    text = _TU.sub("TW", "".join(symbol.split()).upper())
    parts = regex.split(r"[-/–]", regex.sub(r"^(\d+)(?=\p{L})", r"\1/", text))
    if parts and parts[0].isdigit():
        parts[0] = str(int(parts[0]))
    return "/".join(parts)


def _entry(item: Any, path: Path, index: int) -> Entry:
    """One validated entry; a RuleError lists every problem of it."""
    loc = where(
        path,
        f"document {index} ({item.get('symbol', '?')})"
        if isinstance(item, dict)
        else f"document {index}",
    )
    check_keys(item, loc, ALLOWED, REQUIRED)
    problems = [
        f"{where(loc, key)}: must be text"
        for key in ("symbol", "type", "issuer", "source", "subject")
        if key in item and not isinstance(item[key], str)
    ]
    if not isinstance(item["symbol"], str):  # nothing else can be checked without it
        raise RuleError(*problems)
    try:
        issued = iso_date(item["issued"], where(loc, "issued")) or ""
    except RuleError as exc:
        issued = ""
        problems.extend(exc.problems)
    parts = parse_symbol(item["symbol"])
    if parts is None:
        problems.append(f"{where(loc, 'symbol')}: '{item['symbol']}' is not a number-and-symbol")
    term = item.get("term")
    if term is not None and not _ROMAN.fullmatch(str(term)):
        problems.append(f"{where(loc, 'term')}: '{term}' is not a term in Roman numerals")
    if not str(item["source"]).startswith(("http://", "https://")):
        problems.append(f"{where(loc, 'source')}: must be the address of a public page")
    names: list[str] = []
    try:
        names = string_list(item.get("short_names", []), where(loc, "short_names"))
    except RuleError as exc:
        problems.extend(exc.problems)
    if problems or parts is None:
        raise RuleError(*problems)
    return Entry(
        symbol="".join(str(item["symbol"]).split()),
        type=str(item["type"]),
        issuer=str(item["issuer"]),
        issued=issued,
        source=str(item["source"]),
        path=str(path),
        parts=parts,
        term=str(term) if term is not None else None,
        subject=item.get("subject"),
        short_names=tuple(names),
    )


def registry_files(rule_dirs: Iterable[Path]) -> list[Path]:
    """The registry files of the given rule folders, in load order."""
    return [p for d in rule_dirs for p in sorted((d / FOLDER).glob("*.yaml"))]


def load_registry(rule_dirs: Iterable[Path]) -> Registry:
    """Read and validate every registry file; one RuleError lists every problem of every file.

    A short name must point at one document, and one document is listed once (the same
    symbol may stand for two documents of different dates: 18-NQ/TW of 2017 and of 2022)."""
    problems, registry = Problems(), Registry()
    for path in registry_files(rule_dirs):
        data = problems.check(load_yaml, path)
        if data is None or problems.check(check_keys, data, str(path), {"documents"}) is None:
            continue
        items = data.get("documents") or []
        if not isinstance(items, list):
            problems.add(f"{where(path, 'documents')}: must be a list")
            continue
        for i, item in enumerate(items, 1):
            entry = problems.check(_entry, item, path, i)
            if entry is not None:
                _check_unique(entry, registry, problems)
                registry.add(entry)
    problems.raise_any()
    registry.names = _name_pattern(registry.by_name)
    return registry


def _check_unique(entry: Entry, registry: Registry, problems: Problems) -> None:
    """A document listed twice, or a short name given to two documents, is a problem."""
    loc = where(entry.path, entry.symbol)
    for other in registry.by_symbol.get(symbol_key(entry.symbol), []):
        if other.issued == entry.issued:
            problems.add(f"{loc}: listed twice (also in {other.path})")
    for name in entry.short_names:
        owner = registry.by_name.get(name_key(name))
        if owner is not None and owner is not entry:
            problems.add(f"{loc}: short name '{name}' also names {owner.symbol}")


def _name_pattern(names: dict[str, Entry]) -> re.Pattern[str] | None:
    """One trie-shaped pattern of every short name, lower case, whole words, matched on the
    lower-cased text (Context.lowered): the standard engine runs it several times faster than
    a case-blind `regex` alternation."""
    if not names:
        return None
    # (not the start of a symbol: "chỉ thị 05-ct/tu" is a province's directive, no "chỉ thị 05")
    return re.compile(rf"(?<!\w){alternation(names, blank=' +')}(?!\w|\s?[-/–]\s?\w)")


@lru_cache(maxsize=8)
def cached_registry(rule_dirs: tuple[Path, ...]) -> Registry:
    """The registry of these rule folders, read once per process."""
    return load_registry(rule_dirs)
