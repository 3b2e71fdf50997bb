"""Score the real development pages against their gold, split by site, with pinned floors.

    .venv/bin/python bench/eval_real.py            # what `make eval-real` runs
    .venv/bin/python bench/eval_real.py --details  # and every miss, per page

The pages are not in the repository: the stored texts are recovered into .cache/real-dev/ (see
../shared/real-dev/README.md) and the HTML pages are read from ../shared/real-dev/html/. The
gold is fixtures/real/gold/, the split fixtures/real/split.tsv (every site wholly in dev or
test). The run fails (exit 1) when a score falls below its floor in fixtures/real/floors.json:
floors sit a little under what was reached, so that a regression shows. `make test` cannot run
this, since CI has no copy of the pages.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import KINDS, Score, score  # noqa: E402

REAL = ROOT / "fixtures" / "real"


def extract(inputs: list[Path], out: Path) -> None:
    """Run the command-line tool over the pages, as a user would."""
    cmd = [sys.executable, "-m", "pipeline", "extract", *map(str, inputs), "-o", str(out), "-q"]
    cmd.append("--overwrite")  # a run of its own: an earlier one's output is replaced
    subprocess.run(cmd, check=True, cwd=ROOT)


def split_of(path: Path) -> dict[str, str]:
    """Page stem -> "dev" or "test"."""
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return {stem: split for stem, _site, split in (r.split("\t") for r in rows if r)}


def summary(result: Score) -> dict[str, float]:
    """The numbers the floors pin: per kind precision, recall, F1; macro F1; attributes,
    metadata and furniture as fractions."""
    out: dict[str, float] = {}
    for kind in KINDS:
        k = result.kinds[kind]
        out[f"{kind}.precision"], out[f"{kind}.recall"], out[f"{kind}.f1"] = (
            k.precision,
            k.recall,
            k.f1,
        )
    out["macro_f1"] = result.macro_f1
    ok, n = (
        map(sum, zip(*result.attributes.values(), strict=False)) if result.attributes else (0, 0)
    )
    out["attributes"] = ok / n if n else 1.0
    ok, n = map(sum, zip(*result.meta.values(), strict=False)) if result.meta else (0, 0)
    out["metadata"] = ok / n if n else 1.0
    ok, n = result.negatives
    out["furniture"] = ok / n if n else 1.0
    return out


def report(name: str, result: Score, numbers: dict[str, float], details: bool) -> None:
    pages = len(result.details)
    print(f"== {name}: {pages} pages")
    for kind in KINDS:
        k = result.kinds[kind]
        print(
            f"  {kind:18} P={k.precision:.3f} R={k.recall:.3f} F1={k.f1:.3f}"
            f"  (tp {k.tp} fp {k.fp} fn {k.fn})"
        )
    print(
        f"  macro F1 {numbers['macro_f1']:.3f}  attributes {numbers['attributes']:.3f}"
        f"  metadata {numbers['metadata']:.3f}  furniture {numbers['furniture']:.3f}"
    )
    if details:
        for doc, misses in result.details.items():
            for miss in misses:
                print("   ", doc, *miss)


def check_floors(
    floors: dict[str, dict[str, float]], got: dict[str, dict[str, float]]
) -> list[str]:
    """Every score under its floor, or pinned but not scored, as a line.

    >>> check_floors({"a": {"x": 0.85}, "b": {"y": 1}}, {"a": {"x": 0.8}})
    ['a x: 0.800 < floor 0.850', 'b y: not scored']
    """
    out = []
    for split, pinned in floors.items():
        for name, floor in pinned.items():
            value = got.get(split, {}).get(name)
            if value is None:
                out.append(f"{split} {name}: not scored")
            elif value < floor:
                out.append(f"{split} {name}: {value:.3f} < floor {floor:.3f}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache" / "real-dev")
    ap.add_argument("--html", type=Path, default=ROOT.parent / "shared" / "real-dev" / "html")
    ap.add_argument("--floors", type=Path, default=REAL / "floors.json")
    ap.add_argument("--details", action="store_true", help="print every miss")
    ap.add_argument("--json", type=Path, help="write the numbers as JSON to this file")
    ap.add_argument(
        "--only",
        action="append",
        metavar="GLOB",
        help="score only the pages whose stem matches (repeatable), e.g. 'r19_*' for a new batch",
    )
    args = ap.parse_args(argv)
    missing = [p for p in (args.cache, args.html) if not p.is_dir()]
    if missing:
        print(
            f"eval_real: {', '.join(map(str, missing))}: not found; recover the pages first "
            "(../shared/real-dev/README.md)",
            file=sys.stderr,
        )
        return 2
    splits = split_of(REAL / "split.tsv")
    recovered = {p.stem for p in args.cache.glob("*.txt")} | {
        p.stem for p in args.html.glob("*.html")
    }
    chosen = {s for s in splits if not args.only or any(fnmatch.fnmatch(s, g) for g in args.only)}
    lost = sorted(chosen - recovered)
    if lost:
        print(
            f"eval_real: {len(lost)} pages not recovered, left out of the scores "
            f"(first: {', '.join(lost[:5])}); recover them (../shared/real-dev/README.md)",
            file=sys.stderr,
        )
    got: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "real.jsonl"
        extract([args.cache, args.html], out)
        for name in ("dev", "test"):
            stems = {s for s in chosen - set(lost) if splits[s] == name}
            result = score(REAL / "gold", out, only=stems)
            got[name] = summary(result)
            report(name, result, got[name], args.details)
    if args.json:
        args.json.write_text(json.dumps(got, indent=1), encoding="utf-8")
    text = args.floors.read_text(encoding="utf-8") if args.floors.exists() else ""
    floors = json.loads(text) if text.strip() else {}  # --floors /dev/null: report only
    failed = check_floors(floors, got)
    if lost and floors:
        failed.append(f"{len(lost)} pages not recovered: the floors hold for the whole corpus")
    for line in failed:
        print("below floor:", line, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
