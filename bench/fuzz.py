"""Long fuzz run over the whole pipeline, outside `make test`.

    .venv/bin/python bench/fuzz.py --examples 20000        # about an hour on the project machine
    .venv/bin/python bench/fuzz.py --minutes 10             # or stop after a time

It drives the strategy of tests/test_hostile_properties.py (Vietnamese report fragments, broken
markup, entities, invisible and combining characters, random text and bytes, UTF-16) through
`extract_one` and checks the same properties: the line serializes, every span is inside the
text, non-empty, and points at its record's text. A failure prints the smallest input that
shows it (hypothesis shrinks it) and exits 1; add that input to the tests when fixing it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_hostile_properties import check_document, raw_pages  # noqa: E402

from pipeline.process import quiet_libraries  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=5000)
    parser.add_argument("--minutes", type=float, default=0, help="stop after this long")
    args = parser.parse_args()
    quiet_libraries()
    stop = time.monotonic() + args.minutes * 60 if args.minutes else None
    done = 0

    @settings(
        max_examples=args.examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(content=raw_pages, format=st.sampled_from([None, "html", "text"]))
    def fuzz(content: str | bytes, format: str | None) -> None:
        nonlocal done
        if stop and time.monotonic() > stop:
            return
        check_document(content, format)
        done += 1
        if done % 500 == 0:
            print(f"{done} inputs checked", file=sys.stderr)

    started = time.monotonic()
    try:
        fuzz()
    except Exception as exc:  # noqa: BLE001 - report hypothesis's shrunk failure and exit 1
        print(f"FAILED after {done} inputs: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"{done} inputs, no failure, {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
