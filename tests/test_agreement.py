"""bench/agreement.py: two annotators' keys scored against each other, optional items neutral."""

from __future__ import annotations

import json
from pathlib import Path

from bench.agreement import agreement
from pipeline.evaluate import KindScore


def _key(doc: str, awards: list[dict[str, object]]) -> dict[str, object]:
    return {"doc": doc, "meta": {}, "awards": awards}


def _award(individuals: int, optional: bool = False) -> dict[str, object]:
    item: dict[str, object] = {"award": "Giấy khen", "individuals": individuals}
    item.update({"collectives": None, "total": None, "grantor": None})
    return {**item, "optional": True} if optional else item


def _run(
    tmp_path: Path, first: list[dict[str, object]], second: list[dict[str, object]]
) -> KindScore:
    for name, awards in (("first", first), ("second", second)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "p.json").write_text(json.dumps(_key("p", awards)), encoding="utf-8")
    return agreement(tmp_path / "first", tmp_path / "second").kinds["award"]


def test_an_optional_item_of_either_key_counts_neither_way(tmp_path: Path) -> None:
    k = _run(tmp_path, [_award(5), _award(7, optional=True)], [_award(5), _award(9, optional=True)])
    assert (k.tp, k.fp, k.fn) == (1, 0, 0)


def test_a_required_item_of_one_key_only_is_a_difference(tmp_path: Path) -> None:
    k = _run(tmp_path, [_award(5)], [_award(5), _award(9)])
    assert (k.tp, k.fp, k.fn) == (1, 1, 0)


def test_an_optional_second_item_the_first_requires_still_agrees(tmp_path: Path) -> None:
    k = _run(tmp_path, [_award(5), _award(9)], [_award(5), _award(9, optional=True)])
    assert (k.tp, k.fp, k.fn) == (2, 0, 0)
