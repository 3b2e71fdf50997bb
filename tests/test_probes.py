"""The probe sets hold their floors: passages in our own words, one phrasing family each, and
synthetic pages, scored against keys written blind from the gold definitions (bench/probes.py,
fixtures/probes/README.md). A quality gate that runs in CI, unlike the real pages'."""

from __future__ import annotations

import json

from bench.eval_real import check_floors
from bench.probes import PROBES, score_all


def test_probe_sets_hold_their_floors(settings) -> None:
    floors = json.loads((PROBES / "floors.json").read_text(encoding="utf-8"))
    assert check_floors(floors, score_all(settings)) == []


def test_every_probe_set_has_floors() -> None:
    floors = json.loads((PROBES / "floors.json").read_text(encoding="utf-8"))
    sets = {p.stem for p in PROBES.glob("*.jsonl")} | {
        p.name for p in PROBES.iterdir() if (p / "gold").is_dir()
    }
    assert sets == set(floors)
