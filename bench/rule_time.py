"""Where the extract step's time goes on a page set, rule by rule, measured in one process.

    .venv/bin/python bench/rule_time.py                      # ../shared/real-html
    .venv/bin/python bench/rule_time.py ../shared/real-dev/html --top 20

Each page is read, cleaned, normalized and segmented once; then the rules run on its text
`--rounds` times (after one round to warm up), and each rule's matching is timed, with
the scans it starts: the first rule with a prefilter pays for the keyword pass over the text,
the first rule that needs a pattern for its scan (the rules after them reuse both). Prints
milliseconds a page: all rules, by kind, and the costliest rules. To compare two versions, run
it from each checkout back to back and read the ratio (the machines are shared and noisy).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import Settings  # noqa: E402
from pipeline.process import check_rules, make_steps, process, quiet_libraries  # noqa: E402
from pipeline.ruleset import engine  # noqa: E402
from pipeline.ruleset.loader import cached_ruleset  # noqa: E402
from pipeline.steps.pages import make_document  # noqa: E402


def texts_of(folder: Path, settings: Settings) -> list[str]:
    """The normalized text of every HTML or text page in `folder`."""
    steps = [s for s in make_steps(settings) if s[0] != "extract"]
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".html", ".htm", ".txt"):
            continue
        kind = "text" if path.suffix == ".txt" else "html"
        doc = make_document(path.name, {"format": kind}, path.read_bytes(), settings)
        out.append(process(doc, steps, keep_segmentation=True).text)
    return out


@contextmanager
def rule_clock() -> Iterator[Counter[str]]:  # seconds, counted as floats
    """Seconds each rule spends matching while inside (the engine's `_timed`, through which
    every finding and attach rule runs), by rule id; bench/rule_scaling.py reads it too."""
    spent: Counter[str] = Counter()
    real = engine._timed

    def timed(rule, ctx, times, find):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return real(rule, ctx, times, find)
        finally:
            spent[rule.id] += time.perf_counter() - started

    engine._timed = timed  # type: ignore[assignment]
    try:
        yield spent
    finally:
        engine._timed = real  # type: ignore[assignment]


def rule_times(texts: list[str], settings: Settings, rounds: int) -> Counter[str]:
    """Seconds each rule took over `rounds` runs of the rules on every text."""
    ruleset = cached_ruleset(settings.rule_dirs, settings.program_cache)
    with rule_clock() as spent:
        for text in texts:  # a round to warm up (compiled programs, caches)
            engine.run(ruleset, text)
        spent.clear()
        for _ in range(rounds):
            for text in texts:
                engine.run(ruleset, text)
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT.parent / "shared" / "real-html"
    parser.add_argument("folder", nargs="?", type=Path, default=default)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    quiet_libraries()
    settings = Settings()
    check_rules(settings)
    texts = texts_of(args.folder, settings)
    if not texts:
        raise SystemExit(f"no pages in {args.folder}")
    spent = rule_times(texts, settings, args.rounds)
    per_page = 1000 / (args.rounds * len(texts))
    kinds: Counter[str] = Counter()
    ruleset = cached_ruleset(settings.rule_dirs, settings.program_cache)
    kind_of = {r.id: r.kind for r in ruleset.rules}
    for rule_id, seconds in spent.items():
        kinds[kind_of[rule_id]] += seconds
    chars = sum(map(len, texts)) // len(texts)
    print(f"{len(texts)} pages ({chars} characters on average), {args.rounds} rounds: "
          f"rules {sum(spent.values()) * per_page:.2f} ms a page")  # fmt: skip
    print("  by kind: " + ", ".join(f"{k} {v * per_page:.2f}" for k, v in kinds.most_common()))
    for rule_id, seconds in spent.most_common(args.top):
        print(f"  {seconds * per_page:6.3f} ms  {rule_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
