"""Text kept: every line with a digit that trafilatura's default extraction keeps (readers'
comments aside, which vnextract leaves out on purpose) must be in vnextract's text or among its
dropped lines (with their reason): the whole line, or else each of its words holding a digit
(vnextract cuts a photo credit off the end of a caption, for instance).

    .venv/bin/python bench/text_kept.py            # the HTML pages of fixtures/ and ../shared

Both extraction modes are checked: "checked" (the default: trafilatura's fast extraction, its
full comparison only when the fast text looks short) and "full" (the full comparison on every
page). Prints the lines lost per page and, per mode, how many pages ran the full comparison.
Exit 1 when a line is lost.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = [
    ROOT / "fixtures" / "pages",
    ROOT / "fixtures" / "hostile" / "encodings",
    ROOT.parent / "shared" / "real-html",
    ROOT.parent / "shared" / "real-dev" / "html",
]


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


def lost_lines(wanted: list[str], text: str, dropped: list[str]) -> list[str]:
    """The lines of `wanted` found neither in `text` nor in a dropped line, whole or by their
    words with a digit (blanks and case aside).

    >>> lost_lines(["Ngày 2/9", "Số 5 nhé", "Hà Nội 3", "Lúc 7 giờ. Ảnh: A"], "ngày  2/9 và"
    ...            " lúc 7 giờ.", ["Số 5 ..."])
    ['Hà Nội 3']
    """
    have = [_key(text), *(_key(line) for line in dropped)]

    def found(piece: str) -> bool:
        return any(_key(piece) in h for h in have)

    return [
        line
        for line in wanted
        if not found(line) and not all(found(w) for w in line.split() if any(map(str.isdigit, w)))
    ]


def main() -> int:
    import trafilatura

    from pipeline import process
    from pipeline.config import Settings
    from pipeline.steps.normalize import normalize_text
    from pipeline.steps.read import read_inputs

    process.quiet_libraries()
    files = sorted(str(p) for src in SOURCES if src.exists() for p in src.glob("*.html"))
    calls: list[bool] = []
    real = trafilatura.bare_extraction

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs.get("fast", False))
        return real(*args, **kwargs)

    trafilatura.bare_extraction = counting  # type: ignore[assignment]
    lost_total = 0
    for mode in ("checked", "full"):
        settings = Settings(extraction=mode, workers=1)
        steps = process.make_steps(settings)
        full_runs = lost = 0
        for doc in read_inputs(files, settings):
            doc = steps[0][1](doc)  # read: the page decoded, as trafilatura alone gets it
            page = str(doc.raw)
            calls.clear()
            out = process.process(doc, steps[1:])
            full_runs += False in calls
            kept = trafilatura.extract(page, include_comments=False) or ""
            wanted = [
                normalize_text(line) for line in kept.split("\n") if any(c.isdigit() for c in line)
            ]
            missing = lost_lines(wanted, out.text, [d["text"] for d in out.dropped])
            lost += len(missing)
            for line in missing:
                print(f"{mode}: {Path(doc.id).name}: lost {line[:100]!r}")
        print(f"{mode}: {len(files)} pages, full comparison on {full_runs}, "
              f"digit lines lost {lost}")  # fmt: skip
        lost_total += lost
    return 1 if lost_total else 0


if __name__ == "__main__":
    sys.exit(main())
