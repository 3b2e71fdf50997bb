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
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.ruleset.model import KindSpec

KINDS = ("document_ref", "date", "official", "participant_count", "award")
#: Built-in kinds the gold's definitions have no list for: a registry document named without
#: a number ("Nghị quyết Trung ương 7 khóa XI") is no document_ref (ruleset/dockeys.py).
UNSCORED = ("document_name",)
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


def keys_of(
    kind: str, item: dict[str, Any], gold: bool = False, spec: KindSpec | None = None
) -> list[str]:
    """The keys an item matches under (a gold date may list alternatives in `also`; a pack's
    kind is keyed by the fields its `evaluate:` names).

    >>> money = KindSpec("money", "money", ("amount", "unit"))
    >>> keys_of("money", {"amount": 12.5, "unit": "Tỷ"}, spec=money)
    ['12.5|tỷ']
    """
    if spec is not None:
        return ["|".join(str(norm(item.get(f))) for f in spec.key)]
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


def attribute_checks(
    kind: str, g: dict[str, Any], p: dict[str, Any], spec: KindSpec | None = None
) -> list[tuple[str, bool]]:
    """(field, correct) for every gold attribute that is not null."""
    out: list[tuple[str, bool]] = []
    if spec is not None:
        out += [(f, norm(g[f]) == norm(p.get(f))) for f in spec.attributes if g.get(f) is not None]
    elif kind == "document_ref":
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
        """The mean F1 of the kinds that have items (gold or found): a kind with none would
        score 1.0 without being tested."""
        tested = [k.f1 for k in self.kinds.values() if k.tp + k.fp + k.fn]
        return sum(tested) / len(tested) if tested else 0.0

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
    spec: KindSpec | None = None,
) -> None:
    """Greedy one-to-one matching on keys; updates `score` and lists misses."""
    used = [False] * len(preds)
    optional: set[str] = set()
    ks = score.kinds.setdefault(kind, KindScore())
    pkeys = [set(keys_of(kind, p, spec=spec)) for p in preds]
    for g in golds:
        gkeys = set(keys_of(kind, g, gold=True, spec=spec))
        hit = next((i for i in range(len(preds)) if not used[i] and pkeys[i] & gkeys), None)
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
            for name, ok in attribute_checks(kind, g, preds[hit], spec):
                score.attributes[name][0] += ok
                score.attributes[name][1] += 1
                if not ok:
                    misses.append(
                        (
                            kind,
                            f"wrong {name}",
                            keys_of(kind, g, spec=spec)[0],
                            preds[hit].get(name.split(".")[1]),
                        )
                    )
    for i in range(len(preds)):
        if not used[i] and not pkeys[i] & optional:
            ks.fp += 1
            misses.append((kind, "spurious", (sorted(pkeys[i]) or ["?"])[0]))


def _dedupe(
    kind: str, preds: list[dict[str, Any]], spec: KindSpec | None = None
) -> list[dict[str, Any]]:
    """Repeated mentions of one item count once (the kinds whose records are merged)."""
    if kind not in ("document_ref", "official", "date") and spec is None:
        return preds
    seen: set[tuple[str, ...]] = set()
    out = []
    for p in preds:
        key = tuple(keys_of(kind, p, spec=spec))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def score_document(
    gold: dict[str, Any],
    out: dict[str, Any],
    score: Score,
    kinds: tuple[str, ...] = KINDS,
    specs: dict[str, KindSpec] | None = None,
) -> list[tuple[Any, ...]]:
    """Add one document's comparison to `score`; return its misses. A kind whose list the
    gold file leaves out is not scored on it (`check_gold` says so)."""
    misses: list[tuple[Any, ...]] = []
    records = out.get("records") or []
    specs = specs or {}
    for kind in (*kinds, *(k for k in specs if k not in kinds)):
        spec = specs.get(kind) if kind not in GOLD_KEY else None
        gold_key = spec.gold_key if spec else GOLD_KEY[kind]
        if gold_key not in gold:
            continue
        preds = _dedupe(kind, [r for r in records if r.get("type") == kind], spec)
        match_kind(kind, gold[gold_key], preds, score, misses, spec)
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


#: The keys a gold file may hold besides the kinds' lists.
GOLD_OTHER_KEYS = {"doc", "meta", "not_in_text", "not_officials", "note"}


def check_gold(name: str, gold: dict[str, Any], specs: dict[str, KindSpec]) -> list[str]:
    """What in one gold file will not be scored as it may look: a key no kind reads (a
    misspelt kind), a built-in or declared kind whose list it leaves out.

    >>> check_gold("a.json", {"doc": "a", "date": [], "awards": []}, {})[0]
    "a.json: unknown key 'date': no kind reads it (a misspelt list?), not scored"
    """
    lists = {*GOLD_KEY.values(), *(spec.gold_key for spec in specs.values())}
    found = [f"{name}: unknown key {key!r}: no kind reads it (a misspelt list?), not scored"
             for key in gold if key not in lists | GOLD_OTHER_KEYS]  # fmt: skip
    found += [f"{name}: no {key!r} list: that kind is not scored on it"
              for key in sorted(lists) if key not in gold]  # fmt: skip
    return found


def score(
    gold_dir: Path,
    output: Path,
    kinds: tuple[str, ...] = KINDS,
    only: Container[str] | None = None,
    specs: dict[str, KindSpec] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Score:
    """Score every gold file in `gold_dir` (or those whose doc is in `only`) against the
    output lines in `output`: the built-in `kinds` and the kinds packs declare (`specs`).
    `warn` hears what is not scored: gold keys no kind reads, lists a gold file leaves out,
    gold files with no output line, and kinds found in the output that nothing scores."""
    outputs = load_outputs(output)
    result = Score()
    specs = specs or {}
    said = warn or (lambda message: None)
    for gf in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        if not isinstance(gold, dict) or not isinstance(gold.get("doc"), str):
            said(f"{gf.name}: no 'doc' (the id of the document it is the gold of): not scored")
            continue
        if only is not None and gold["doc"] not in only:
            continue
        for problem in check_gold(gf.name, gold, specs):
            said(problem)
        out = outputs.get(gold["doc"])
        if out is None:
            said(f"{gf.name}: no output line for document {gold['doc']!r} (all its items missed)")
        missing = [("no output", gold["doc"])] if out is None else []
        result.details[gold["doc"]] = missing + score_document(
            gold, out or {}, result, kinds, specs
        )
    found = {str(r.get("type")) for o in outputs.values() for r in o.get("records") or []}
    for kind in sorted(found - set(KINDS) - set(UNSCORED) - set(specs)):
        said(f"records of kind {kind!r} are not scored: declare `evaluate:` in its pack")
    return result
