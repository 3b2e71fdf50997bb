"""Written Vietnamese numbers -> integers (`pipeline/ruleset/numbers.py`, the `vnint` converter)."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import write_pack

from pipeline.ruleset.numbers import parse_number

CASES = [
    ("84.404", 84404),
    ("05", 5),
    ("1,2 triệu", 1_200_000),
    ("1 triệu 550 ngàn", 1_550_000),
    ("3 ngàn rưỡi", 3500),
    ("2 triệu rưỡi", 2_500_000),
    ("1 vạn", 10_000),
    ("hai mươi lăm", 25),
    ("mười bốn", 14),
    ("bốn trăm", 400),
    ("hai trăm lẻ năm", 205),
    ("ba trăm rưỡi", 350),
    ("một nghìn", 1000),
    ("hai nghìn năm trăm", 2500),
    ("hai ngàn rưỡi", 2500),
    ("một nghìn không trăm linh năm", 1005),
    ("hai vạn", 20_000),
    ("Mười", 10),
    ("bốn chục", 40),
]

NOT_NUMBERS = ["hàng trăm", "hàng nghìn", "vài chục", "một số", "12 lượt", "rưỡi"]


@pytest.mark.parametrize(("text", "value"), CASES)
def test_reads_a_written_number(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_vague_or_other_words_are_no_number(text: str) -> None:
    assert parse_number(text) is None


def test_the_num_definition_reads_billions(tmp_path: Path) -> None:
    """{NUM_DIGITS} takes "tỷ" like "triệu", so a pack's amount reads whole."""
    from pipeline.config import Settings
    from pipeline.ruleset.engine import run
    from pipeline.ruleset.loader import load_ruleset

    pack = write_pack(
        tmp_path / "pack",
        "m.yaml",
        "kind: money\nrules:\n  - id: m\n    pattern: 'được (?P<n>{NUM_DIGITS}) đồng'\n"
        "    fields: {amount: {vnint: '{n}'}}\n",
    )
    ruleset = load_ruleset([*Settings().rule_dirs, pack], program_cache=None)
    found = [
        r.fields["amount"]
        for r in run(ruleset, "huy động được 2 tỷ 500 triệu đồng, được 1,2 tỷ đồng")
        if r.type == "money"
    ]
    assert found == [2_500_000_000, 1_200_000_000]
