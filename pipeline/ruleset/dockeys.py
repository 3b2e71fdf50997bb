"""Document keys: one key for every way one document is written, on any page.

A key is built from the document's type code, issuer code, number and year: "NĐ/CP/30/2020"
for "30/2020/NĐ-CP"; "QĐ/UBND/123/2024@province gia lai" for a decision 123 of 2024 of that
province. A state-style number is given anew each year, so its key needs the year (from the
symbol or the page's date of the document); a Party-style one ("25-NQ/TW") is numbered
through a term, so its key has no year unless the registry holds several documents of that
symbol (25-NQ/TW of 2003, 2008, 2013: "NQ/TW/25/2013"), or the page dates it in another year
than the registry's only one. A local issuer's code ("UBND", "HU", "ĐU") names a body of any
province: its key ends with the level and place of the issuer when written ("@province gia
lai"), else with the site ("@site:baogialai.com.vn"). A record whose key stays open gets
none, and `key_note` says why. The registry (registry.py) completes what the page leaves
out, in a `registry` object beside the page's own fields, which are kept as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from pipeline.document import Record
from pipeline.people import level_and_place
from pipeline.ruleset.registry import Entry, Registry, Symbol, name_key, parse_symbol, symbol_key

#: Issuer families as a page writes them, each the registry's issuers it agrees with.
_FAMILIES = (
    ("bộ chính trị", ("bộ chính trị",)),
    ("ban bí thư", ("ban bí thư",)),
    ("trung ương", ("ban chấp hành trung ương", "bộ chính trị", "ban bí thư")),
    ("thủ tướng", ("thủ tướng",)),
    ("chính phủ", ("chính phủ", "thủ tướng")),
    ("quốc hội", ("quốc hội",)),
)


@dataclass(frozen=True)
class Keying:
    """What keys need beyond a record: the kinds' codes, the central issuers, the site."""

    codes_of_types: dict[str, str]
    central_codes: frozenset[str]
    site: str | None = None
    #: Words every document's subject has ("về", "công tác"): no help telling two apart.
    common_words: frozenset[str] = frozenset()


def keying_from(lexicons: dict[str, dict[str, str]], site: str | None = None) -> Keying:
    """The codes of each written kind (the reverse of `type_codes`) and the central issuers."""
    codes: dict[str, str] = {}
    for code, kind in lexicons.get("type_codes", {}).items():
        codes.setdefault(kind.casefold(), code.upper())
    central = frozenset(c.upper() for c in lexicons.get("central_issuer_codes", {}))
    common = frozenset(w.casefold() for w in lexicons.get("subject_common_words", {}))
    return Keying(codes, central, site, common)


def is_central(code: str, keying: Keying) -> bool:
    """A code of a national body: the Party's centre and its bodies ("TW", "VPTW", "BDVTW",
    the Youth Union's "TWĐTN"), the Assembly ("QH15", "UBTVQH14") or one of the lexicon's
    (CP, TTg, the ministries).

    >>> k = Keying({}, frozenset({"CP", "TTG"}))
    >>> is_central("TW", k), is_central("TWĐTN", k), is_central("QH15", k), is_central("UBND", k)
    (True, True, True, False)
    """
    code = code.upper()
    return (
        "TW" in code
        or regex.fullmatch(r"(?:UBTV)?QH\d*", code) is not None
        or code.split("-")[-1] in keying.central_codes
    )


def make_key(type_code: str, issuer: str, number: str, year: int | None, scope: str | None) -> str:
    """The key's text: type, issuer, number, then the year and the scope when known.

    >>> make_key("NQ", "TW", "025", 2013, None), make_key("QĐ", "UBND", "123", None, "commune x")
    ('NQ/TW/25/2013', 'QĐ/UBND/123@commune x')
    """
    number = str(int(number)) if number.isdigit() else number
    key = f"{type_code.upper()}/{issuer.upper()}/{number}"
    if year:
        key += f"/{year}"
    return f"{key}@{scope}" if scope else key


def local_scope(issuer: str | None, site: str | None) -> str | None:
    """Where a local body is: the level and place its written name gives (the title tables'
    reading, pipeline/people.py), else the site, else None.

    >>> local_scope("Ủy ban nhân dân tỉnh Gia Lai", None), local_scope("UBND", "a.gov.vn")
    ('province gia lai', 'site:a.gov.vn')
    >>> local_scope("Ban Thường vụ Tỉnh ủy Gia Lai", None), local_scope("UBND xã An Hòa", None)
    ('province gia lai', 'commune an hòa')
    """
    level, place = level_and_place(issuer) if issuer else (None, None)
    if level and place:
        return " ".join(f"{level} {place}".casefold().split())
    return f"site:{site}" if site else None


def registry_matches(
    fields: dict[str, Any], registry: Registry, common: frozenset[str] = frozenset()
) -> list[Entry]:
    """The registry's documents a record may be: by symbol, or by kind and number when the
    page has no symbol; narrowed by what the page says (date, year, term, issuer)."""
    if fields.get("symbol"):
        found = list(registry.by_symbol.get(symbol_key(str(fields["symbol"])), []))
    else:
        number = str(fields.get("number") or "")
        kind = str(fields.get("doc_type") or "").casefold()
        found = list(
            registry.by_number.get((kind, str(int(number)) if number.isdigit() else number), [])
        )
    issued = str(fields.get("issued") or "")
    if issued and len(found) > 1:
        found = [e for e in found if e.issued.startswith(issued[:4])] or found
    if fields.get("term") and len(found) > 1:
        found = [e for e in found if e.term == fields["term"]] or found
    if fields.get("issuer") and len(found) > 1:
        found = [e for e in found if issuer_agrees(str(fields["issuer"]), e.issuer)] or found
    if fields.get("subject") and len(found) > 1:
        found = best_subject(str(fields["subject"]), found, common)
    return found


def best_subject(subject: str, entries: list[Entry], common: frozenset[str]) -> list[Entry]:
    """The entries whose subject or short names share the most words with the page's
    subject ("về công tác dân vận"), when one shares more than the others; else all. `common`:
    words every subject has, which tell no document from another.

    >>> from pipeline.ruleset.registry import parse_symbol
    >>> def e(s): return Entry("25-NQ/TW", "Nghị quyết", "x", "2013-06-03", "s", "p",
    ...                        parse_symbol("25-NQ/TW"), subject=s)
    >>> [x.subject for x in best_subject("về công tác dân vận", [e("Về công tác tôn giáo"),
    ...                                  e("Về công tác dân vận")], frozenset({"về", "công"}))]
    ['Về công tác dân vận']
    """
    words = set(subject.casefold().split()) - common
    scores = [
        len(words & set(" ".join([e.subject or "", *e.short_names]).casefold().split()))
        for e in entries
    ]
    top = max(scores)
    best = [e for e, n in zip(entries, scores, strict=True) if n == top]
    return best if top > 0 and len(best) == 1 else entries


def issuer_agrees(written: str, registered: str) -> bool:
    """The page's issuer is one the registry's may be written as ("Trung ương" for the
    Central Committee, Politburo or Secretariat); an issuer of no known family agrees.

    >>> issuer_agrees("Trung ương", "Bộ Chính trị"), issuer_agrees("Ban Bí thư", "Bộ Chính trị")
    (True, False)
    """
    written, registered = written.casefold(), registered.casefold()
    for family, accepts in _FAMILIES:
        if family in written:
            return any(a in registered for a in accepts)
    return True


def _named_alone(entry: Entry, fields: dict[str, Any]) -> bool:
    """A number-only mention stands for a registry document only where the page agrees with
    it (issuer, term or year), or the registry lists "<kind> <number>" as one of its names;
    never when the page names another issuer ("Chỉ thị số 05 của Tỉnh ủy")."""
    issuer = str(fields.get("issuer") or "").casefold()
    if issuer:
        central = any(family in issuer for family, _ in _FAMILIES)
        return central and issuer_agrees(issuer, entry.issuer)
    if fields.get("term") is not None or fields.get("issued"):
        return fields.get("term") == entry.term or str(fields.get("issued"))[:4] == str(entry.year)
    short = name_key(f"{entry.type} {fields.get('number')}")
    return any(name_key(n) == short for n in entry.short_names)


def _own_key(
    fields: dict[str, Any], keying: Keying, dated: bool = False
) -> tuple[str | None, str | None]:
    """The key from what the page wrote, and a note when it is open. A state-style symbol
    ("123/QĐ-UBND") is numbered anew each year: its key needs the year, and has none without
    it; a Party-style one ("12-KH/HU") is numbered through a term: its key has no year, unless
    `dated` (the registry's document of that symbol is of another year than the page's)."""
    parts = parse_symbol(str(fields["symbol"])) if fields.get("symbol") else None
    if parts is None or parts.issuer_code is None:
        return None, "number only: no symbol on the page, and no registry document it names"
    type_code = _type_code(parts, str(fields.get("doc_type") or ""), keying)
    party = _party(parts)
    year = parts.year or _year(fields.get("issued"))
    if not party and year is None:
        return None, "year unknown: a state-style number is given anew each year"
    scope = None
    if not is_central(parts.issuer_code, keying):
        scope = local_scope(fields.get("issuer"), keying.site)
        if scope is None:
            return None, "local issuer code with no place nor site: any province's body"
    year = year if not party or dated else None
    return make_key(type_code or "?", parts.issuer_code, parts.number, year, scope), None


def _type_code(parts: Symbol, kind: str, keying: Keying) -> str:
    """The symbol's type code, else the one of the kind its reference names ("Chỉ thị": CT)."""
    kind = kind.casefold()
    return parts.type_code or keying.codes_of_types.get(kind) or kind.replace(" ", "")


def _party(parts: Symbol) -> bool:
    """A Party-style symbol, numbered through a term: "12-KH/HU", and "22/CT-TW" too."""
    return bool(parts.party or "TW" in str(parts.issuer_code or ""))


def _year(issued: Any) -> int | None:
    text = str(issued or "")
    return int(text[:4]) if text[:4].isdigit() else None


def entry_key(entry: Entry, keying: Keying, registry: Registry) -> str:
    """A registry document's key: central, so no scope; a Party-style symbol has its year
    only when the registry lists another document of the same symbol."""
    type_code = _type_code(entry.parts, entry.type, keying)
    party = _party(entry.parts) and not registry.shared(entry.symbol)
    year = None if party else entry.year
    code = str(entry.parts.issuer_code)
    scope = None if is_central(code, keying) else local_scope(entry.issuer, None)
    return make_key(type_code, code, entry.parts.number, year, scope)


def _contradicts(fields: dict[str, Any], entry: Entry) -> bool:
    """The page dates the document in another year, or gives it another term, than the
    registry's document of that symbol: another term's document of the same number."""
    year = _year(fields.get("issued"))
    term = fields.get("term")
    return (year is not None and year != entry.year) or bool(
        term and entry.term and term != entry.term
    )


def _central_entry(entry: Entry, keying: Keying) -> bool:
    return is_central(str(entry.parts.issuer_code), keying)


def _conflicts(fields: dict[str, Any], entry: Entry) -> list[dict[str, str]]:
    """Where the page and the registry disagree (the page's words are kept)."""
    out = []
    if (
        fields.get("issued")
        and str(fields["issued"])[:10] != entry.issued
        and len(str(fields["issued"])) >= 10
    ):
        out.append({"field": "issued", "page": str(fields["issued"]), "registry": entry.issued})
    if fields.get("issuer") and not issuer_agrees(str(fields["issuer"]), entry.issuer):
        out.append({"field": "issuer", "page": str(fields["issuer"]), "registry": entry.issuer})
    if fields.get("term") and entry.term and fields["term"] != entry.term:
        out.append({"field": "term", "page": str(fields["term"]), "registry": entry.term})
    return out


def registry_facts(entry: Entry, fields: dict[str, Any]) -> dict[str, Any]:
    """The registry's facts of a document, which of them the page left out, and its source."""
    facts: dict[str, Any] = {
        "symbol": entry.symbol,
        "doc_type": entry.type,
        "issuer": entry.issuer,
        "issued": entry.issued,
        "term": entry.term,
        "subject": entry.subject,
        "source": entry.source,
    }
    facts["filled"] = [
        k
        for k in ("symbol", "issued", "issuer", "term", "subject")
        if not fields.get(k) and facts[k]
    ]
    facts["conflicts"] = _conflicts(fields, entry)
    return facts


def key_document(rec: Record, registry: Registry | None, keying: Keying) -> None:
    """Give a document_ref record its `key` (None and `key_note` when it stays open) and,
    when the registry knows the document, its `registry` facts."""
    fields = rec.fields
    found = registry_matches(fields, registry, keying.common_words) if registry else []
    if not fields.get("symbol"):
        found = [e for e in found if _named_alone(e, fields)]
    contradicted = [e for e in found if _contradicts(fields, e)]
    found = [e for e in found if e not in contradicted]
    key, note = _own_key(fields, keying, dated=bool(contradicted))
    if registry is not None:  # a local body's document (a user's registry) is its place's only
        found = [
            e for e in found if _central_entry(e, keying) or key == entry_key(e, keying, registry)
        ]
    if len(found) == 1 and registry is not None:
        fields["key"], fields["key_note"] = entry_key(found[0], keying, registry), None
        fields["registry"] = registry_facts(found[0], fields)
        return
    if contradicted and not found:
        other = ", ".join(f"{e.symbol} of {e.issued}" for e in contradicted)
        note = f"not the registry's {other}: the page gives another year or term"
    if len(found) > 1:
        dates = ", ".join(e.issued for e in found)
        key, note = None, f"ambiguous: {len(found)} documents of the registry ({dates}) fit"
    fields["key"], fields["key_note"], fields["registry"] = key, note, None


def named_documents(low: str, registry: Registry) -> list[tuple[int, int, Entry]]:
    """Where the text (`low`: lower-cased, offset for offset) names a registry document by
    one of its short names."""
    if registry.names is None:
        return []
    out = []
    for m in registry.names.finditer(low):
        entry = registry.by_name.get(name_key(m.group()))
        if entry is not None:
            out.append((m.start(), m.end(), entry))
    return out


def key_documents(
    records: list[Record], text: str, low: str, registry: Registry | None, keying: Keying
) -> list[Record]:
    """Key every document_ref record; a short name of a registry document ("Nghị quyết Trung
    ương 7 khóa XI") becomes a mention of the page's record of that document, else a
    `document_name` record of its own (no number: not a document_ref by the definitions).
    `low` is the text in lower case, offset for offset (Context.lowered)."""
    refs = [r for r in records if r.type == "document_ref"]
    for rec in refs:
        key_document(rec, registry, keying)
    if registry is None:
        return []
    by_key = {r.fields["key"]: r for r in refs if r.fields.get("key")}
    taken = [m for r in refs for m in r.fields.get("mentions") or [r.span]]
    named: dict[str, Record] = {}
    for start, end, entry in named_documents(low, registry):
        if any(s < end and start < e for s, e in taken):
            continue  # a reference the rules read ("Chỉ thị 05 của Tỉnh ủy"): keyed by its words
        key = entry_key(entry, keying, registry)
        if key in by_key:
            _add_span(by_key[key].fields["mentions"], (start, end))
        elif key in named:
            _add_span(named[key].fields["mentions"], (start, end))
        else:
            fields: dict[str, Any] = {
                "name": text[start:end],
                "key": key,
                "mentions": [[start, end]],
            }
            fields["registry"] = registry_facts(entry, {})
            named[key] = Record("document_name", (start, end), text[start:end], "registry", fields)
    return list(named.values())


def _add_span(mentions: list[list[int]], span: tuple[int, int]) -> None:
    """Add a mention unless one already covers part of it (the short name "Chỉ thị 05 của Bộ
    Chính trị" around the record's own "Chỉ thị 05")."""
    if not any(s < span[1] and span[0] < e for s, e in mentions):
        mentions.append(list(span))
        mentions.sort()
