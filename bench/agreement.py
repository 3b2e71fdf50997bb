"""Agreement between two annotators' gold files (F1 per kind), as fixtures/real/README.md reports.

    .venv/bin/python bench/agreement.py fixtures/real/gold fixtures/real/second

For every page both folders hold, the second annotator's items are scored as if they were an
output against the first annotator's gold, with the same matching as `vnextract evaluate`
(keys per kind). An item either key marks optional is neither rewarded nor penalised: the
first key's through the evaluator, the second's by dropping those the first key does not hold
at all (a required item of one key that the other holds as optional still counts as agreed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import GOLD_KEY, KINDS, Score, keys_of, score_document  # noqa: E402


def as_output(gold: dict[str, Any], first: dict[str, Any]) -> dict[str, Any]:
    """A second key as an output line; its optional items only where `first` holds them."""
    records = []
    for kind in KINDS:
        held = {k for item in first.get(GOLD_KEY[kind], []) for k in keys_of(kind, item, gold=True)}
        for item in gold.get(GOLD_KEY[kind], []):
            if not item.get("optional") or set(keys_of(kind, item)) & held:
                records.append({"type": kind, **item})
    return {"meta": gold.get("meta", {}), "records": records, "text": ""}


def agreement(first: Path, second: Path) -> Score:
    result = Score()
    for gf in sorted(second.glob("*.json")):
        other = first / gf.name
        if not other.exists():
            continue
        gold = json.loads(other.read_text(encoding="utf-8"))
        gold = {**gold, "not_in_text": [], "not_officials": []}  # furniture is not compared
        second_key = json.loads(gf.read_text(encoding="utf-8"))
        result.details[gold["doc"]] = score_document(gold, as_output(second_key, gold), result)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("first", type=Path)
    ap.add_argument("second", type=Path)
    ap.add_argument("--details", action="store_true", help="print every difference")
    args = ap.parse_args(argv)
    result = agreement(args.first, args.second)
    print(f"{len(result.details)} pages annotated twice")
    for kind in KINDS:
        k = result.kinds[kind]
        print(f"  {kind:18} F1={k.f1:.3f}  (both {k.tp}, first only {k.fn}, second only {k.fp})")
    ok = sum(a for a, _ in result.attributes.values())
    n = sum(b for _, b in result.attributes.values())
    print(f"  attributes {ok / n if n else 1:.3f}  macro F1 {result.macro_f1:.3f}")
    if args.details:
        for doc, misses in result.details.items():
            for miss in misses:
                print("   ", doc, *miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
