"""Counted records: participant counts and award tallies, from a rule's parts to their fields.

A participant count keeps `count`, `qualifier` (over, nearly, about, at_least), `unit` and
`activity`. An award tally sorts its counted units into `individuals` and `collectives` (or an
undivided `total`), and keeps the `award`, `grantor` and `reason` its context names; a tally
whose sentence names no award, grantor or award verb counts something else and is dropped.
"""

from __future__ import annotations

from typing import Any

from pipeline.document import Record
from pipeline.ruleset.context import Context

_STRONG_VERBS = {
    "tặng", "trao", "trao tặng", "tặng thưởng", "khen thưởng", "quyết định khen thưởng",
    "biểu dương", "tuyên dương", "vinh danh", "nhận", "công nhận", "truy tặng", "xét tặng",
    "đón nhận", "quyết định trao tặng",
}  # fmt: skip
_SENTENCE_ENDS = ".!?\n"


def finish_participants(records: list[Record], ctx: Context) -> list[Record]:
    """Counts as integers, qualifiers as codes, the activity as {count, kind} or null."""
    qualifiers = {k.casefold(): v for k, v in ctx.lexicons.get("count_qualifiers", {}).items()}
    out = []
    for rec in records:
        f = rec.fields
        if f.get("count") is None:
            ctx.reject(rec.rule, rec.span, "vague_count")
            continue
        qual = " ".join(str(f.get("qualifier") or "").split()).casefold()
        activity = (
            {"count": f["act_n"], "kind": f["act_kind"]} if f.get("act_n") is not None else None
        )
        rec.fields = {
            "count": f["count"],
            "qualifier": qualifiers.get(qual),
            "unit": f.get("unit"),
            "activity": activity,
        }
        out.append(rec)
    return out


def _same_sentence(text: str, a: Record, b: Record) -> bool:
    between = text[a.span[1] : b.span[0]]
    return not any(c in between for c in _SENTENCE_ENDS)


def _sides(f: dict[str, Any], lexicons: dict[str, dict[str, str]]) -> tuple[int | None, int | None]:
    collective = {u.casefold() for u in lexicons.get("collective_units", {})}
    individuals = collectives = None
    for n, unit in ((f.get("n1"), f.get("u1")), (f.get("n2"), f.get("u2"))):
        if n is None or unit is None:
            continue
        if " ".join(str(unit).split()).casefold() in collective:
            collectives = (collectives or 0) + n
        else:
            individuals = (individuals or 0) + n
    return individuals, collectives


def finish_awards(records: list[Record], ctx: Context) -> list[Record]:
    """Tallies with their award, grantor and reason; a later tally of the same sentence that
    names neither takes them from the tally before it ("cho 05 cá nhân ..., 05 cá nhân")."""
    out: list[Record] = []
    for rec in records:
        f = rec.fields
        individuals, collectives = _sides(f, ctx.lexicons)
        fields = {
            "award": f.get("award"),
            "grantor": f.get("grantor_of") or f.get("grantor"),
            "individuals": individuals,
            "collectives": collectives,
            "total": f.get("total"),
            "reason": f.get("reason"),
        }
        strong = " ".join(str(f.get("verb") or "").split()).casefold() in _STRONG_VERBS
        if (
            not (fields["award"] or fields["grantor"])
            and out
            and _same_sentence(ctx.text, out[-1], rec)
        ):
            fields["award"], fields["grantor"] = out[-1].fields["award"], out[-1].fields["grantor"]
        if not (fields["award"] or fields["grantor"] or strong):
            ctx.reject(rec.rule, rec.span, "award_without_context")
            continue
        if (
            fields["individuals"] is None
            and fields["collectives"] is None
            and fields["total"] is None
        ):
            ctx.reject(rec.rule, rec.span, "award_without_count")
            continue
        rec.fields = fields
        out.append(rec)
    return out
