"""A rule over its time limit costs its own records on one page, nothing else (README: "a
slower one (finding or attach) is skipped for that page, with an error entry naming it, and the
other records are kept"), seen where a user sees it: the output line of a whole page.
"""

from __future__ import annotations

import time
from pathlib import Path

from pipeline.config import BUILTIN_RULES, Settings
from pipeline.process import extract_one

#: A finding rule and an attach rule that backtrack exponentially: the finder on a run of
#: digits with no letter after it, the attach rule on a run of "x" with no "!" after it.
SLOW_PACK = r"""
kind: document_ref
rules:
  - id: slow_attach
    attach: after
    pattern: '\s*(?P<slow>(?:x|xx)+)!'
    fields: {slow: '{slow}'}
  - id: slow_finder
    kind: date
    pattern: '(?:\d|\d\d)+\p{L}'
    fields: {y: '2024'}
"""
PAGE = (
    "Hội nghị quán triệt Nghị quyết số 25-NQ/TW " + "x" * 40 + ".\n"
    "Sáng 3/4/2024, Đảng ủy xã quán triệt Kết luận số 57-KL/TW ngày 5/6/2023 của Bộ Chính trị; "
    "đồng chí Nguyễn Văn Bình, Bí thư Đảng ủy xã, chủ trì.\n"
    "Mã bài: " + "1" * 45 + "!\n"
)


def _line(rule_dirs: tuple[Path, ...]) -> dict:
    settings = Settings(rule_dirs=rule_dirs, rule_seconds=0.3, max_seconds=0)
    return extract_one(PAGE, format="text", settings=settings).to_dict()


def test_slow_finding_and_attach_rules_are_skipped_and_the_page_keeps_its_records(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "slow.yaml").write_text(SLOW_PACK, encoding="utf-8")
    without = _line((BUILTIN_RULES,))
    started = time.monotonic()
    line = _line((BUILTIN_RULES, pack))
    assert time.monotonic() - started < 10  # each rule paid its limit once, not per record
    refs = {r["symbol"]: r for r in line["records"] if r["type"] == "document_ref"}
    assert set(refs) == {"25-NQ/TW", "57-KL/TW"}
    assert (refs["57-KL/TW"]["issued"], refs["57-KL/TW"]["issuer"]) == (
        "2023-06-05",
        "Bộ Chính trị",
    )
    assert line["records"] == without["records"]  # every other rule's records and fields
    errors = {e["message"].split(" (")[0]: e for e in line["errors"]}
    assert set(errors) == {"rule slow_finder", "attach rule slow_attach"}, line["errors"]
    for error in errors.values():
        assert error["stage"] == "extract" and "slow.yaml" in error["message"]
        assert "skipped for this page" in error["message"]
    assert without["errors"] == []
