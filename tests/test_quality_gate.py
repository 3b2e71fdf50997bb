"""The dev pages hold their floors (issue 16, item 6; trafilatura's `eval_gate` with a baseline).

The sixteen scraped pages of fixtures/dev/pages/ are extracted as `vnextract extract` does and
scored with pipeline/evaluate.py (what `vnextract evaluate GOLD_DIR OUT.jsonl` runs) against
their gold in fixtures/dev/expected/. A score under its floor in fixtures/dev/floors.json fails
the test, which names every score below its floor. That gold fills only document references,
page metadata and what must not be kept (furniture, names that are no officials; see
fixtures/dev/README.md), so only those are scored: dates, officials, counts and awards would
count every record found as spurious. The real pages' gate, `make eval-real`, needs the page
texts, which CI does not have.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.eval_real import check_floors, summary
from pipeline.cli import main
from pipeline.evaluate import Score, score

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "dev"
#: What the dev gold holds: the other kinds are left empty there.
SCORED_KINDS = ("document_ref",)


def gate_numbers(result: Score) -> dict[str, float]:
    """The scores the floors pin: document references' precision, recall and F1, their
    attributes, page metadata (all, and per field) and furniture, rounded to 3 places.

    >>> s = Score()
    >>> s.kinds["document_ref"].tp, s.kinds["document_ref"].fn = 3, 1
    >>> s.meta["title"] = [1, 2]
    >>> gate_numbers(s)["document_ref.recall"], gate_numbers(s)["meta.title"]
    (0.75, 0.5)
    """
    wanted = {f"{kind}.{name}" for kind in SCORED_KINDS for name in ("precision", "recall", "f1")}
    wanted |= {"attributes", "metadata", "furniture"}
    out = {name: value for name, value in summary(result).items() if name in wanted}
    out |= {f"meta.{field}": ok / n for field, (ok, n) in result.meta.items() if n}
    return {name: round(value, 3) for name, value in out.items()}


@pytest.fixture(scope="module")
def dev_scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """The dev pages extracted by the command in this process (one worker, no time limit: the
    rules are compiled once per session, shared with the `settings` fixture's tests) and
    scored as `vnextract evaluate` scores them."""
    out = tmp_path_factory.mktemp("dev") / "out.jsonl"
    args = ["extract", str(DEV / "pages"), "-o", str(out), "-q"]
    assert main([*args, "--workers", "1", "--max-seconds", "0"]) == 0
    result = score(DEV / "expected", out, kinds=SCORED_KINDS)
    assert len(result.details) == len(list((DEV / "pages").iterdir()))  # every page has gold
    return gate_numbers(result)


def test_dev_pages_hold_their_floors(dev_scores: dict[str, float]) -> None:
    floors = json.loads((DEV / "floors.json").read_text(encoding="utf-8"))
    below = check_floors(floors, {"dev": dev_scores})
    assert not below, "fixtures/dev scores below their floors (floors.json):\n" + "\n".join(below)


def test_every_dev_score_has_a_floor(dev_scores: dict[str, float]) -> None:
    floors = json.loads((DEV / "floors.json").read_text(encoding="utf-8"))
    assert set(floors) == {"dev"} and set(floors["dev"]) == set(dev_scores), dev_scores
