"""Per-kind finishing of records: normalize fields, split lists, merge repeated mentions.

A finisher takes the records of one kind (in text order) and the document's Context (its
lexicons, counters, publication time, the kinds finished before), and returns the final
records. Kinds without a finisher are left as the rules made them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex

from pipeline.document import Record
from pipeline.ruleset.context import Context
from pipeline.ruleset.dates import finish_dates
from pipeline.ruleset.numbers import parse_number
from pipeline.ruleset.officials import finish_officials
from pipeline.ruleset.tallies import finish_awards, finish_participants, merge_mentions

Finisher = Callable[[list[Record], Context], list[Record]]
_ATTRIBUTES = ("issuer", "term", "subject", "year", "type_code", "issuer_code")
#: Fields a kind's finishers fill from what its attach rules reach over, not from their
#: groups: a reference's `issued` is the date record inside its extent (dates.py). An attach
#: rule's example that expects them null is one where the rule did not reach (lint.py).
REACHED_FIELDS: dict[str, tuple[str, ...]] = {"document_ref": ("issued",)}
#: Every document_ref record carries all of these, null when the text does not say.
DOCUMENT_REF_FIELDS = (
    "symbol", "number", "doc_type", "type_code", "issuer_code", "year",
    "issued", "issuer", "term", "subject",
)  # fmt: skip


def _doc_type(fields: dict[str, Any], lexicons: dict[str, dict[str, str]]) -> str | None:
    """The written kind in its standard form, else the kind the symbol's type code means."""
    written = fields.get("doc_type")
    if written:
        written = " ".join(str(written).split())
        canonical = {k.casefold(): v for k, v in lexicons.get("doc_types", {}).items()}
        found = canonical.get(written.casefold()) or lexicons.get("doc_type_abbreviations", {}).get(
            written
        )
        if found:
            return found
    codes = {k.casefold(): v for k, v in lexicons.get("type_codes", {}).items()}
    return codes.get(str(fields.get("type_code")).casefold())


def _split_list(rec: Record) -> list[Record]:
    """ "Quyết định 217, 218-QĐ/TW": one record per number, sharing type and issuer.

    The first record's span keeps the written kind ("Quyết định 217"), the last one's is its
    symbol ("218-QĐ/TW"), the ones between are their numbers.
    """
    listed = rec.fields.pop("list", None)
    if not listed:
        return [rec]
    out: list[Record] = []
    base, pos = rec.span[0], 0
    for i, number in enumerate(regex.findall(r"\d+", listed)):
        at = rec.text.find(number, pos)
        begin = 0 if i == 0 else at
        symbol = str(rec.fields["symbol"]).replace(str(rec.fields["number"]), number, 1)
        fields = dict(rec.fields, number=number, symbol=symbol)
        span = (base + begin, base + at + len(number))
        item = Record(rec.type, span, rec.text[begin : at + len(number)], rec.rule, fields)
        item.extents = list(rec.extents)
        out.append(item)
        pos = at + len(number)
    at = rec.text.find(str(rec.fields["number"]), pos)
    last = Record(rec.type, (base + at, rec.span[1]), rec.text[at:], rec.rule, rec.fields)
    last.extents = list(rec.extents)
    return [*out, last]


_SEPARATORS = regex.compile(r"[-/–]")


def _key(fields: dict[str, Any]) -> tuple[str, ...]:
    """One document, however its symbol's separators are typed: "60-NQ/TW" and "60/NQ-TW".

    >>> _key({"symbol": "60/NQ-TW"}) == _key({"symbol": "60-nq/TW"})
    True
    """
    if fields.get("symbol"):
        return ("symbol", _SEPARATORS.sub("/", str(fields["symbol"]).upper()))
    number = str(fields.get("number") or "")
    return (
        "number",
        str(fields.get("doc_type") or "").casefold(),
        str(int(number)) if number.isdigit() else number,
    )


#: How far after a list head ("3 nghị quyết ... của <issuer>") its documents may be listed.
LIST_WINDOW = 1500


def _head_count(heads: str) -> int:
    """Documents a list head counts (its numbers, in digits or words).

    >>> _head_count("3 nghị quyết và 1 kết luận"), _head_count("hai chỉ thị")
    (4, 2)
    """
    return sum(parse_number(word) or 0 for word in heads.split())


def _distribute_list_heads(records: list[Record], ctx: Context) -> list[Record]:
    """Drop the list heads; the documents listed after a head and a colon ("Cụ thể:", "gồm:")
    take the head's issuer and term where they name none (as many as the head counts)."""
    heads = [r for r in records if r.fields.get("list_head")]
    docs = sorted((r for r in records if not r.fields.get("list_head")), key=lambda r: r.span)
    for head in heads:
        ctx.counts["merged.list_head"] += 1
        end = max(e for _, e in head.extents) if head.extents else head.span[1]
        after = [d for d in docs if end <= d.span[0] < end + LIST_WINDOW]
        if not after or ":" not in ctx.text[end : after[0].span[0]]:
            continue
        for doc in after[: _head_count(str(head.fields["list_head"]))]:
            for attr in ("issuer", "term"):
                if doc.fields.get(attr) is None and head.fields.get(attr) is not None:
                    doc.fields[attr] = head.fields[attr]
    return docs


#: What stands between two symbols of one list: "số 5366-QĐ/TU, 5365-QĐ/TU và 5367-QĐ/TU".
_LIST_GAP = regex.compile(r"\s*(?:[,;]|[,;]?(?:\s+|(?<=\s))và)\s*")


def _listed_runs(docs: list[Record], ctx: Context, typed: bool = False) -> list[list[Record]]:
    """Runs of symbols written one after another ("A, B và C"), each bare symbol after the
    first joined only by a comma, a semicolon or "và" (`typed`: each may have its own kind,
    "Nghị quyết số A và Chỉ thị số B")."""
    runs: list[list[Record]] = []
    for doc in sorted(docs, key=lambda r: r.span):
        if not doc.fields.get("symbol"):
            continue
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and (typed or ctx.text[doc.span[0]].isdigit())  # bare: the same kind of document
            and _LIST_GAP.fullmatch(ctx.text, _end(last, typed), doc.span[0]) is not None
        ):
            runs[-1].append(doc)
        else:
            runs.append([doc])
    return runs


def _end(doc: Record, typed: bool) -> int:
    """Where a listed document ends: a typed one after what its attach rules read ("Công văn
    số A ngày 11/10/2018 và Công văn số B ..."), a bare symbol at the symbol."""
    return max([doc.span[1], *(e[1] for e in doc.extents)]) if typed else doc.span[1]


def _share_list_tail(docs: list[Record], ctx: Context) -> None:
    """Symbols listed one after another share what follows the last: "Quyết định số A, B và C
    ngày 30/9/2024 của Ban Thường vụ Thành ủy" gives A and B C's issuer and term, and C's
    extent (where the date that gives `issued` is found). A symbol with its own kind before
    it starts a list of its own when the last has a whole date of its own (`dated`, set by the
    attach rules that reach over it: the date's value comes later, from its date record,
    dates.py) ("Nghị quyết số 25-NQ/TW,
    Kết luận số 43-KL/TW ngày 7/1/2019 của Ban Bí thư": the date and the issuer are the
    last's); without one, the issuer after the last is the list's when their symbols name the
    same issuer ("Nghị quyết số 08-NQ/TW và Nghị quyết số 49-NQ/TW của Bộ Chính trị")."""
    for run in _listed_runs(docs, ctx):
        last = run[-1]
        for earlier in run[:-1]:
            _take_issuer(earlier, last)
            earlier.extents.extend(last.extents)
    for run in _listed_runs(docs, ctx, typed=True):
        last = run[-1]
        code = last.fields.get("issuer_code")
        if not code:
            continue
        # dated ones too when the code names an office of a body ("SVHTTDL-QLDSVH"), not a
        # body whose organs sign apart ("TW": the Central Committee's, the Secretariat's)
        office = "-" in str(code)
        for earlier in run[:-1]:  # of one issuer by their symbols ("/TW" both)
            undated = earlier.fields.get("dated") is None and last.fields.get("dated") is None
            if (undated or office) and earlier.fields.get("issuer_code") == code:
                _take_issuer(earlier, last)


def _take_issuer(earlier: Record, last: Record) -> None:
    for attr in ("issuer", "term"):
        if earlier.fields.get(attr) is None and last.fields.get(attr) is not None:
            earlier.fields[attr] = last.fields[attr]


def finish_document_refs(records: list[Record], ctx: Context) -> list[Record]:
    """One record per distinct document, with every mention's span in `mentions`."""
    expanded: list[Record] = []
    for rec in _distribute_list_heads(records, ctx):
        for name in DOCUMENT_REF_FIELDS:
            rec.fields.setdefault(name, None)
        rec.fields["doc_type"] = _doc_type(rec.fields, ctx.lexicons)
        if rec.fields.get("symbol"):
            rec.fields["symbol"] = "".join(str(rec.fields["symbol"]).split())
        else:
            rec.fields["symbol"] = None
        expanded.extend(_split_list(rec))
    _share_list_tail(expanded, ctx)
    for rec in expanded:  # (a mark for the finisher, not a field of the record)
        rec.fields.pop("dated", None)
    primary: dict[tuple[str, ...], Record] = {}
    by_number: dict[tuple[str, ...], Record] = {}  # the first symbol of each kind and number
    # Symbols first, so that "Nghị quyết 25" joins "25-NQ/TW" even when it is written earlier.
    for rec in sorted(expanded, key=lambda r: (r.fields["symbol"] is None, r.span)):
        key = _key(rec.fields)
        target = by_number.get(key) or primary.get(key) if key[0] == "number" else primary.get(key)
        if target is None:
            rec.fields["mentions"] = [list(rec.span)]
            primary[key] = rec
            if key[0] == "symbol":
                by_number.setdefault(_key({**rec.fields, "symbol": None}), rec)
            continue
        target.fields["mentions"].append(list(rec.span))
        target.extents.extend(rec.extents)
        for attr in _ATTRIBUTES:
            if target.fields.get(attr) is None and rec.fields.get(attr) is not None:
                target.fields[attr] = rec.fields[attr]
        ctx.counts["merged.document_ref"] += 1
    for rec in primary.values():
        rec.fields["mentions"].sort()
    return sorted(primary.values(), key=lambda r: r.span)


def merge_declared(records: list[Record], fields: tuple[str, ...], ctx: Context) -> list[Record]:
    """A pack's kind (its `merge:` names `fields`): the tallies' merge of repeated mentions
    (tallies.merge_mentions) on those fields; a record missing one of them stays apart.

    >>> ctx = Context(text="Góp 40 triệu.\\nHội góp được 40 triệu đồng.")
    >>> recs = [Record("m", (4, 12), "40 triệu", "r", {"amount": 40}),
    ...         Record("m", (27, 35), "40 triệu", "r", {"amount": 40, "x": 1})]
    >>> [merged] = merge_declared(recs, ("amount",), ctx)
    >>> merged.span, merged.fields["mentions"], merged.fields["x"]
    ((4, 12), [[4, 12], [27, 35]], 1)
    """
    whole = [r for r in records if all(r.fields.get(f) is not None for f in fields)]
    apart = [r for r in records if r not in whole]
    for rec in apart:
        rec.fields["mentions"] = [list(rec.span)]
    merged = merge_mentions(sorted(whole, key=lambda r: r.span), fields, ctx.text)
    return sorted(merged + apart, key=lambda r: r.span)


FINISHERS: dict[str, Finisher] = {
    "document_ref": finish_document_refs,
    "date": finish_dates,
    "participant_count": finish_participants,
    "award": finish_awards,
    "official": finish_officials,
}
#: Kinds finish in this order: a date links to the document whose context it is part of; a
#: participant count that is an award's tally of recipients is the award's.
FINISH_ORDER = ("document_ref", "date", "award", "participant_count")
#: Kinds whose overlapping candidates that name the same thing (this field) are both kept and
#: merged by the finisher: "Thủ tướng Chính phủ <name>, Trưởng Ban Chỉ đạo ..." is read from
#: the name backwards and forwards, and the person holds the titles of both readings.
MERGED_ON_OVERLAP = {"official": "name"}
