"""Score extraction output against gold files (the format of ../shared/gold, see its README).

Matching follows the project's scorer: items are keyed per kind (a document by its symbol, or
by kind + number; a date by value; a person by name; a count by number; an award by its
tallies), repeated mentions collapse, optional gold items count neither way, and attributes are
compared only where gold has a value.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("document_ref", "date", "official", "participant_count", "award")
GOLD_KEY = {
    "document_ref": "document_refs",
    "date": "dates",
    "official": "officials",
    "participant_count": "participant_counts",
    "award": "awards",
}
_TONE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe",
         "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy",
         "uỵ": "ụy"}  # fmt: skip
_TONE_RE = re.compile("(" + "|".join(_TONE) + r")(?!\w)")
_ABBR = {r"\bbch\b": "ban chấp hành", r"\bubnd\b": "ủy ban nhân dân",
         r"\bhđnd\b": "hội đồng nhân dân", r"\bmttq\b": "mặt trận tổ quốc",
         r"\bt\.ư\b": "trung ương", r"\btw\b": "trung ương"}  # fmt: skip


def norm(value: Any) -> str | None:
    """Comparison form: NFC, case-folded, one tone style, straight quotes, trimmed.

    >>> norm(" Thị Uỷ  “Sa Pa”. ")
    'thị ủy "sa pa"'
    """
    if value is None:
        return None
    s = unicodedata.normalize("NFC", str(value)).casefold().replace("\u00f0", "đ")
    s = s.replace("“", '"').replace("”", '"').replace("–", "-")
    s = _TONE_RE.sub(lambda m: _TONE[m.group(1)], s)
    return re.sub(r"\s+", " ", s).strip(" .,;:")


def expand(value: Any) -> str | None:
    """`norm` with common abbreviations written out ("UBND" -> "ủy ban nhân dân")."""
    s = norm(value)
    if s is None:
        return None
    for pattern, full in _ABBR.items():
        s = re.sub(pattern, full, s)
    return s


def fuzzy(gold: Any, pred: Any) -> bool:
    """One contains the other, after `expand`."""
    g, p = expand(gold), expand(pred)
    return bool(g and p) and (g in p or p in g)  # type: ignore[operator]


def subsequence(words: list[str], within: list[str]) -> bool:
    """`words` appear in `within` in order.

    >>> subsequence("phó bí thư huyện ủy".split(), "phó bí thư thường trực huyện ủy".split())
    True
    """
    it = iter(within)
    return all(w in it for w in words)


def keys_of(kind: str, item: dict[str, Any], gold: bool = False) -> list[str]:
    """The keys an item matches under (a gold date may list alternatives in `also`)."""
    if kind == "document_ref":
        if item.get("symbol"):
            return [re.sub(r"\s+", "", unicodedata.normalize("NFC", str(item["symbol"]))).upper()]
        return [f"{norm(item.get('doc_type'))}|{item.get('number')}"]
    if kind == "date":
        values = [item.get("value")] + (list(item.get("also", [])) if gold else [])
        return [str(v) for v in values if v]
    if kind == "official":
        return [str(norm(item.get("name")))]
    if kind == "participant_count":
        return [str(item.get("count"))]
    if item.get("individuals") is None and item.get("collectives") is None:
        return [f"total|{item.get('total')}"]
    return [f"{item.get('individuals')}|{item.get('collectives')}"]


def attribute_checks(kind: str, g: dict[str, Any], p: dict[str, Any]) -> list[tuple[str, bool]]:
    """(field, correct) for every gold attribute that is not null."""
    out: list[tuple[str, bool]] = []
    if kind == "document_ref":
        out += [
            (f, norm(g[f]) == norm(p.get(f)))
            for f in ("doc_type", "issued", "term")
            if g.get(f) is not None
        ]
        if g.get("issuer"):
            out.append(("issuer", fuzzy(g["issuer"], p.get("issuer"))))
    elif kind == "date" and g.get("role"):
        out.append(("role", g["role"] == p.get("role")))
    elif kind == "official":
        titles = [
            str(expand(t)) for t in (p.get("titles") or ([p["title"]] if p.get("title") else []))
        ]
        for t in g.get("titles") or []:
            out.append(
                ("title", any(subsequence(str(expand(t)).split(), pt.split()) for pt in titles))
            )
    elif kind == "participant_count":
        out.append(("qualifier", (g.get("qualifier") or None) == (p.get("qualifier") or None)))
        if g.get("unit"):
            out.append(("unit", fuzzy(g["unit"], p.get("unit"))))
        if ga := g.get("activity"):
            pa = p.get("activity") or {}
            out += [
                ("activity.count", ga.get("count") == pa.get("count")),
                ("activity.kind", fuzzy(ga.get("kind"), pa.get("kind"))),
            ]
    elif kind == "award":
        out += [(f, fuzzy(g[f], p.get(f))) for f in ("award", "grantor") if g.get(f)]
    return [(f"{kind}.{name}", ok) for name, ok in out]


@dataclass
class KindScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return (
            self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if self.fn == 0 else 0.0)
        )

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    kinds: dict[str, KindScore] = field(default_factory=lambda: {k: KindScore() for k in KINDS})
    attributes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    meta: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    negatives: list[int] = field(default_factory=lambda: [0, 0])
    details: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    @property
    def macro_f1(self) -> float:
        return sum(k.f1 for k in self.kinds.values()) / len(self.kinds)

    def as_dict(self) -> dict[str, Any]:
        """The scores as plain data (the shape of score.py's --json)."""
        kinds = {
            name: {"tp": k.tp, "fp": k.fp, "fn": k.fn, "precision": round(k.precision, 3),
                   "recall": round(k.recall, 3), "f1": round(k.f1, 3)}
            for name, k in self.kinds.items()
        }  # fmt: skip
        return {
            "kinds": kinds,
            "attributes": {k: round(a / n, 3) for k, (a, n) in sorted(self.attributes.items())},
            "meta": {k: f"{a}/{n}" for k, (a, n) in self.meta.items()},
            "negatives": list(self.negatives),
            "details": self.details,
            "macro_f1": round(self.macro_f1, 3),
        }


def match_kind(
    kind: str,
    golds: list[dict[str, Any]],
    preds: list[dict[str, Any]],
    score: Score,
    misses: list[tuple[Any, ...]],
) -> None:
    """Greedy one-to-one matching on keys; updates `score` and lists misses."""
    used = [False] * len(preds)
    optional: set[str] = set()
    ks = score.kinds[kind]
    for g in golds:
        gkeys = set(keys_of(kind, g, gold=True))
        hit = next(
            (i for i, p in enumerate(preds) if not used[i] and set(keys_of(kind, p)) & gkeys), None
        )
        if g.get("optional"):
            optional |= gkeys
        if hit is None:
            if not g.get("optional"):
                ks.fn += 1
                misses.append((kind, "missed", sorted(gkeys)[0] if gkeys else "?"))
            continue
        used[hit] = True
        if not g.get("optional"):
            ks.tp += 1
            for name, ok in attribute_checks(kind, g, preds[hit]):
                score.attributes[name][0] += ok
                score.attributes[name][1] += 1
                if not ok:
                    misses.append(
                        (
                            kind,
                            f"wrong {name}",
                            keys_of(kind, g)[0],
                            preds[hit].get(name.split(".")[1]),
                        )
                    )
    for i, p in enumerate(preds):
        if not used[i] and not set(keys_of(kind, p)) & optional:
            ks.fp += 1
            misses.append((kind, "spurious", (keys_of(kind, p) or ["?"])[0]))


def _dedupe(kind: str, preds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if kind not in ("document_ref", "official", "date"):
        return preds
    seen: set[tuple[str, ...]] = set()
    out = []
    for p in preds:
        key = tuple(keys_of(kind, p))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def score_document(
    gold: dict[str, Any], out: dict[str, Any], score: Score, kinds: tuple[str, ...] = KINDS
) -> list[tuple[Any, ...]]:
    """Add one document's comparison to `score`; return its misses."""
    misses: list[tuple[Any, ...]] = []
    records = out.get("records") or []
    for kind in kinds:
        preds = _dedupe(kind, [r for r in records if r.get("type") == kind])
        match_kind(kind, gold.get(GOLD_KEY[kind], []), preds, score, misses)
    gm, pm = gold.get("meta", {}), out.get("meta") or {}
    checks = []
    if gm.get("title"):
        checks.append(
            (
                "title",
                norm(pm.get("title"))
                in {norm(t) for t in [gm["title"], *gm.get("title_also", [])]},
            )
        )
    if gm.get("published"):
        n = min(len(gm["published"]), 16)
        checks.append(("published", str(pm.get("published") or "")[:n] == gm["published"][:n]))
    if gm.get("authors"):
        checks.append(
            (
                "authors",
                {norm(a) for a in gm["authors"]} == {norm(a) for a in pm.get("authors") or []},
            )
        )
    for name, ok in checks:
        score.meta[name][0] += ok
        score.meta[name][1] += 1
        if not ok:
            misses.append((f"meta.{name}", pm.get(name)))
    text = out.get("text") or ""
    names = {norm(r.get("name")) for r in records if r.get("type") == "official"}
    for s in gold.get("not_in_text", []):
        score.negatives[1] += 1
        score.negatives[0] += s not in text
        if s in text:
            misses.append(("boilerplate kept", s))
    for s in gold.get("not_officials", []):
        score.negatives[1] += 1
        score.negatives[0] += norm(s) not in names
        if norm(s) in names:
            misses.append(("not an official", s))
    return misses


def load_outputs(path: Path) -> dict[str, dict[str, Any]]:
    """Output lines keyed by the file stem of their source path (or URL, or id)."""
    out: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            src = rec.get("source") or {}
            out[Path(src.get("path") or src.get("url") or rec.get("id", "")).stem] = rec
    return out


def score(
    gold_dir: Path,
    output: Path,
    kinds: tuple[str, ...] = KINDS,
    only: Container[str] | None = None,
) -> Score:
    """Score every gold file in `gold_dir` (or those whose doc is in `only`) against the
    output lines in `output`."""
    outputs = load_outputs(output)
    result = Score()
    for gf in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        if only is not None and gold["doc"] not in only:
            continue
        out = outputs.get(gold["doc"])
        missing = [("no output", gold["doc"])] if out is None else []
        result.details[gold["doc"]] = missing + score_document(gold, out or {}, result, kinds)
    return result
