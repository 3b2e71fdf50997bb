"""Score the probe sets in fixtures/probes/ against their keys, with pinned floors.

    .venv/bin/python bench/probes.py            # scores per set; exit 1 below a floor
    .venv/bin/python bench/probes.py --details  # and every miss, with its passage

A probe set is a file of short passages in our own words, each in one phrasing family, with
its answer key written blind from ../shared/gold/README.md (fixtures/probes/README.md). Each
passage runs as the body of a text page under a fixed headline and date line; records found in
that header are not scored. A folder of synthetic pages (`pages_*`) is scored for page
metadata and furniture, as `make eval-real` scores real pages. Unlike the real pages these are
in the repository, so `make test` runs this gate too (tests/test_probes.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.eval_real import check_floors, summary  # noqa: E402
from pipeline.config import Settings  # noqa: E402
from pipeline.evaluate import GOLD_KEY, Score, score_document  # noqa: E402
from pipeline.explain import explain  # noqa: E402

PROBES = ROOT / "fixtures" / "probes"
#: The page a passage is the body of: a headline and a date line, so that the passage is never
#: read as either; the date is the one the keys resolve partial dates against.
DATE_LINE = "Thứ Sáu, 15/03/2024 09:15"
HEADER = f"Huyện Tân Lập tổng kết công tác năm 2024\n\n{DATE_LINE}\n\n"
KIND_OF = {key: kind for kind, key in GOLD_KEY.items()}
#: Keys of what must not be found: furniture kept, names taken for officials.
NEGATIVES = ("not_in_text", "not_officials")


def passages(path: Path) -> Iterator[dict[str, Any]]:
    """The probe items of a JSONL file, in order."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def kinds_of(item: dict[str, Any]) -> tuple[str, ...]:
    """The record kinds a probe item has a key for ("participant_counts" -> participant_count)."""
    return tuple(KIND_OF[key] for key in item if key in KIND_OF)


def score_set(path: Path, settings: Settings, misses: list[str] | None = None) -> Score:
    """One probe set's score; each miss, with its passage, goes into `misses`."""
    score = Score()
    for item in passages(path):
        ex = explain(HEADER + item["text"] + "\n", settings)
        body = ex.text.find(DATE_LINE) + len(DATE_LINE) if DATE_LINE in ex.text else 0
        records = [r for r in ex.records if r["span"][0] >= body]
        out = {"records": records, "text": ex.text, "meta": {}}
        gold = {key: item[key] for key in item if key in KIND_OF or key in NEGATIVES}
        found = score_document(gold, out, score, kinds=kinds_of(item))
        if misses is not None and found:
            misses.append(f"{item['id']} [{item.get('family')}] {item['text']}")
            misses.extend("    " + " ".join(map(str, m)) for m in found)
    return score


def score_pages(folder: Path, settings: Settings, misses: list[str] | None = None) -> Score:
    """Page metadata and furniture of a folder of synthetic pages (`*.txt`, keys in gold/)."""
    score = Score()
    for key in sorted((folder / "gold").glob("*.json")):
        page = (folder / key.stem).with_suffix(".txt").read_text(encoding="utf-8")
        ex = explain(page, settings)
        out = {"records": ex.records, "text": ex.text, "meta": ex.meta}
        found = score_document(json.loads(key.read_text(encoding="utf-8")), out, score, kinds=())
        if misses is not None:
            misses.extend(f"{key.stem} " + " ".join(map(str, m)) for m in found)
    return score


def numbers(score: Score) -> dict[str, float]:
    """The scores of `eval_real.summary` a floor can pin here: recall and precision of the
    kinds with items, and attributes, metadata and furniture where anything was checked."""
    pinnable = {
        f"{kind}.{name}"
        for kind, ks in score.kinds.items()
        if ks.tp + ks.fn
        for name in ("recall", "precision")
    }
    checked = {"attributes": score.attributes, "metadata": score.meta}
    pinnable |= {name for name, seen in checked.items() if seen}
    pinnable |= {"furniture"} if score.negatives[1] else set()
    return {name: round(v, 3) for name, v in summary(score).items() if name in pinnable}


def score_all(settings: Settings, misses: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Every probe set and page folder under fixtures/probes, by name."""
    out: dict[str, dict[str, float]] = {}
    for path in sorted(PROBES.iterdir()):
        if path.suffix == ".jsonl":
            out[path.stem] = numbers(score_set(path, settings, misses))
        elif path.is_dir() and (path / "gold").is_dir():
            out[path.name] = numbers(score_pages(path, settings, misses))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--floors", type=Path, default=PROBES / "floors.json")
    parser.add_argument("--details", action="store_true", help="print every miss")
    args = parser.parse_args()
    misses: list[str] = []
    scores = score_all(Settings(), misses if args.details else None)
    for line in misses:
        print(line)
    for name, nums in scores.items():
        print(f"{name:18} " + "  ".join(f"{k} {v:.3f}" for k, v in nums.items()))
    floors = json.loads(args.floors.read_text(encoding="utf-8")) if args.floors.is_file() else {}
    problems = check_floors(floors, scores)
    for problem in problems:
        print("below floor:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
