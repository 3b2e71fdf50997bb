"""Rule time against text length: which rules grow faster than the text on long pages.

    .venv/bin/python bench/rule_scaling.py          # needs .cache/real-dev (see fixtures/real)

Texts of growing length (5,000 to 80,000 characters) repeat one 5,000-character base (stored
real page texts joined), so that a longer text holds more of the same, never other phrasings;
the rule set runs on each, and each rule's seconds are read from the engine's own per-rule
timing. A rule whose time grows as the text does has an exponent near 1 (time ~ length^k,
fitted on the sizes); one near 2 costs the square of the page.
"""

from __future__ import annotations

import math
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (5_000, 10_000, 20_000, 40_000, 80_000)
REPEAT = 3


def texts_of(sizes: tuple[int, ...]) -> list[str]:
    """Each size's text: a base of stored page texts, cut at a line's end, repeated."""
    pages = sorted((ROOT / ".cache" / "real-dev").glob("*.txt"))
    if not pages:
        raise SystemExit("no stored texts in .cache/real-dev (see ../shared/real-dev/README.md)")
    joined = "\n\n".join(p.read_text(encoding="utf-8") for p in pages[:20])
    base = joined[: joined.rfind("\n", 0, sizes[0])] + "\n\n"
    return [base * max(1, round(n / len(base))) for n in sizes]


def exponent(points: list[tuple[float, float]]) -> float:
    """The least-squares slope of log(time) on log(size).

    >>> round(exponent([(1, 2), (2, 8), (4, 32)]), 2)
    2.0
    """
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(max(y, 1e-9)) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main() -> int:
    import pipeline.ruleset.engine as engine
    from bench.rule_time import rule_clock
    from pipeline.config import Settings
    from pipeline.ruleset.context import Context
    from pipeline.ruleset.loader import cached_ruleset
    from pipeline.steps.normalize import normalize_text

    settings = Settings()
    ruleset = cached_ruleset(settings.rule_dirs, settings.program_cache)
    per_size: dict[str, list[tuple[float, float]]] = defaultdict(list)
    totals = []
    for text in texts_of(SIZES):
        text = normalize_text(text)
        started = time.perf_counter()
        with rule_clock() as spent:
            for _ in range(REPEAT):
                context = Context(rule_seconds=60, doc_seconds=600)
                engine.run(ruleset, text, None, context=context)
        totals.append((len(text), (time.perf_counter() - started) / REPEAT))
        for rule_id, seconds in spent.items():
            per_size[rule_id].append((len(text), seconds / REPEAT))
        print(f"{len(text):6d} characters: {totals[-1][1] * 1000:7.1f} ms for all rules")
    print(f"all rules: time ~ length^{exponent(totals):.2f}")
    growing = sorted(
        ((exponent(p), rid, p[-1][1]) for rid, p in per_size.items() if len(p) == len(SIZES)),
        reverse=True,
    )
    print("rules growing fastest (exponent, rule, ms at the longest text):")
    for k, rid, last in growing[:12]:
        print(f"  {k:5.2f}  {rid:40} {last * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
