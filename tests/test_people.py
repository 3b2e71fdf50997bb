"""One key per person and the positions of titles, read from the cases in tests/cases."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from pipeline.people import TITLES, load_tables, person_key, position
from pipeline.process import extract_one
from pipeline.ruleset.schema import RuleError

CASES = Path(__file__).parent / "cases"
PAIRS = json.loads((CASES / "person_pairs.json").read_text(encoding="utf-8"))["cases"]
TITLES_READ = json.loads((CASES / "title_positions.json").read_text(encoding="utf-8"))["cases"]
FIELDS = ("role", "organisation", "level", "place", "status", "as_written")


@pytest.mark.parametrize("case", PAIRS, ids=[c["why"] for c in PAIRS])
def test_person_key_tells_one_person_from_another(case: dict[str, object]) -> None:
    a, b = person_key(str(case["a"])), person_key(str(case["b"]))
    assert (a == b) is case["same"], f"{a!r} vs {b!r}: {case['why']}"
    for key in (a, b):  # readable: lower case, NFC, single spaces, and stable
        assert key == unicodedata.normalize("NFC", key) == " ".join(key.split())
        assert key == key.casefold() == person_key(key)


def test_the_pairs_hold_decomposed_text_and_enough_of_each_kind() -> None:
    written = [str(c[k]) for c in PAIRS for k in ("a", "b")]
    assert any(unicodedata.normalize("NFC", w) != w for w in written)  # no editor composed them
    assert len(PAIRS) >= 40
    assert (
        sum(c["same"] is True for c in PAIRS) >= 15 and sum(c["same"] is False for c in PAIRS) >= 15
    )


@pytest.mark.parametrize("case", TITLES_READ, ids=[c["as_written"] for c in TITLES_READ])
def test_a_title_is_read_into_its_position(case: dict[str, str | None]) -> None:
    assert position(str(case["as_written"])) == {k: case[k] for k in FIELDS}, case["why"]


def test_a_broken_table_is_reported_with_its_file_and_key(tmp_path: Path) -> None:
    text = TITLES.read_text(encoding="utf-8")
    broken = tmp_path / "titles.yaml"
    broken.write_text(
        text.replace("    PCT: Phó Chủ tịch\n", "    PCT:\n")
        .replace("    province: [Sở]", "    region: [Sở]")
        .replace("  quyền: acting", "  quyền: sometimes"),
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as caught:
        load_tables(broken)
    message = str(caught.value)
    assert "titles.yaml: abbreviations.roles: 'PCT' has no expansion" in message
    assert "titles.yaml: levels.bodies: 'region' is no level" in message
    assert "titles.yaml: status: 'quyền': 'sometimes' is no status" in message


def test_extract_one_gives_an_official_its_person_and_positions() -> None:
    text = (
        "Dự hội nghị có đồng chí Trần Văn Bình, Phó Bí thư Thường trực Tỉnh ủy,"
        " Chủ tịch HĐND tỉnh Kon Tum."
    )
    doc = extract_one(text, format="text")
    (official,) = [r for r in doc.records if r.type == "official"]
    assert official.fields["person"] == "trần văn bình"
    assert official.fields["titles"] == [
        "Phó Bí thư Thường trực Tỉnh ủy",
        "Chủ tịch HĐND tỉnh Kon Tum",
    ]
    assert official.fields["positions"] == [
        {
            "role": "Phó Bí thư Thường trực",
            "organisation": "Tỉnh ủy",
            "level": "province",
            "place": None,
            "status": None,
            "as_written": "Phó Bí thư Thường trực Tỉnh ủy",
        },
        {
            "role": "Chủ tịch",
            "organisation": "Hội đồng nhân dân tỉnh Kon Tum",
            "level": "province",
            "place": "Kon Tum",
            "status": None,
            "as_written": "Chủ tịch HĐND tỉnh Kon Tum",
        },
    ]
