"""Compare our date records with dateparser's `search_dates` (Vietnamese) on the same texts.

    .venv/bin/pip install dateparser    # dev only, not a dependency of vnextract
    .venv/bin/python bench/compare_dateparser.py [INPUT ...]   # default: fixtures/pages

For every page it runs vnextract, then dateparser on the cleaned text with the page's own
publication date as the relative base (both sides deterministic), and lists the dates only one
of them found, with the text around them. A summary of the disagreements and why ours is the
intended reading is kept in bench/DATES_VS_DATEPARSER.md.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

from dateparser.search import search_dates

from pipeline.config import Settings
from pipeline.process import make_steps, process
from pipeline.steps.read import read_inputs

ROOT = Path(__file__).resolve().parent.parent


def theirs(text: str, published: str | None) -> dict[str, str]:
    """Dates dateparser finds: ISO day -> the text it read."""
    base = datetime.fromisoformat(published[:10]) if published else datetime(2000, 1, 1)
    found = (
        search_dates(text, languages=["vi"], settings={"DATE_ORDER": "DMY", "RELATIVE_BASE": base})
        or []
    )
    return {when.date().isoformat(): said for said, when in found}


def ours(records: list[dict]) -> dict[str, str]:
    """Our day-grain (or finer) dates: ISO day -> the text, ranges split into their ends."""
    out: dict[str, str] = {}
    for rec in records:
        if rec["type"] == "date" and rec["grain"] in ("day", "minute"):
            for end in rec["value"].split("/"):
                out[end[:10]] = rec["text"]
    return out


def main(argv: list[str]) -> int:
    inputs = argv or [str(ROOT / "fixtures" / "pages")]
    settings = Settings()
    steps = make_steps(settings)
    tally: Counter[str] = Counter()
    for doc in read_inputs(inputs, settings):
        out = process(doc, steps).to_dict()
        mine, other = ours(out["records"]), theirs(out["text"], out["meta"]["published"])
        both = mine.keys() & other.keys()
        tally["agree"] += len(both)
        # A month or year we report at its own grain ("tháng 6/2023" -> 2023-06) that
        # dateparser turns into a day is the same expression, not a disagreement.
        coarse = [
            r["text"]
            for r in out["records"]
            if r["type"] == "date" and r["grain"] not in ("day", "minute")
        ]
        only_theirs = []
        for day in sorted(other.keys() - mine.keys()):
            if any(other[day] in said for said in coarse):
                tally["same expression, coarser grain"] += 1
            else:
                only_theirs.append(day)
        only_mine = sorted(mine.keys() - other.keys())
        tally["only vnextract"] += len(only_mine)
        tally["only dateparser"] += len(only_theirs)
        if only_mine or only_theirs:
            print(f"\n== {Path(doc.id).name} (published {out['meta']['published']})")
            for day in only_mine:
                print(f"  only vnextract : {day}  <- {mine[day]!r}")
            for day in only_theirs:
                print(f"  only dateparser: {day}  <- {other[day]!r}")
    print("\n" + ", ".join(f"{k}: {v}" for k, v in tally.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
