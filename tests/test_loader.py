"""Rule packs are validated on load; every message names the file, the rule and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import BUILTIN_RULES
from pipeline.ruleset.engine import run
from pipeline.ruleset.loader import load_ruleset
from pipeline.ruleset.schema import RuleError

GOOD = """kind: award
rules:
  - id: award_count
    pattern: '(?P<ind>\\d+) cá nhân'
    fields: {individuals: {int: '{ind}'}}
"""


def _pack(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "pack"
    folder.mkdir(exist_ok=True)
    (folder / "awards.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("{ind}", "{people}"),
            "awards.yaml: rule award_count: fields.individuals: no group 'people' in pattern",
        ),
        (GOOD.replace("    fields", "    feilds"), "awards.yaml: rules[]: unknown key 'feilds'"),
        (
            GOOD.replace("(?P<ind>", "(?P<ind"),
            "awards.yaml: rule award_count: pattern: bad regex at column",
        ),
        (GOOD + GOOD.split("rules:\n")[1], "awards.yaml: rule award_count: duplicate id"),
        (GOOD.replace("\\d+", "{NUMBER_X}"), "unknown definition {NUMBER_X}"),
        (GOOD.replace("\\d+", "{@missing}"), "unknown lexicon {@missing}"),
        (GOOD.replace("{int:", "{integer:"), "fields.individuals: a converted field"),
        (GOOD + "    attach: sideways\n", "attach: must be 'after', 'before' or 'next'"),
        (
            GOOD + "    prefilter: [tập thể]\n    examples: [{text: '3 cá nhân', expect: {}}]\n",
            "rule award_count: prefilter: examples[0] holds none of the prefilter keywords",
        ),
        (GOOD + "    prefilter: ['{@nowhere}']\n", "prefilter: unknown lexicon {@nowhere}"),
        (GOOD + "    prefilter: []\n", "prefilter: must name at least one keyword"),
        ("rules: [\n", "not valid YAML"),
        ("published: 10/3/2024\n" + GOOD, "awards.yaml: published: a date written YYYY-MM-DD"),
        (
            GOOD + "    examples: [{text: '3 cá nhân', expect: none, published: 'hôm qua'}]\n",
            "rule award_count: examples[0].published: a date written YYYY-MM-DD",
        ),
    ],
)
def test_problems_name_their_place(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RuleError) as err:
        load_ruleset([_pack(tmp_path, text)])
    assert message in str(err.value)


def test_user_pack_adds_and_overrides_rules(tmp_path: Path) -> None:
    override = """kind: document_ref
rules:
  - id: docref_number_only
    pattern: 'Nghị quyết (?P<number>\\d+)'
    fields: {number: '{number}', doc_type: 'Nghị quyết'}
"""
    rs = load_ruleset([BUILTIN_RULES, _pack(tmp_path, override)])
    [rule] = [r for r in rs.rules if r.id == "docref_number_only"]
    assert rule.path.endswith("awards.yaml")
    recs = run(rs, "Nghị quyết 10 năm qua")
    assert [r.fields["number"] for r in recs] == ["10"]  # the built-in would refuse "10 năm"


def test_prefilter_runs_a_rule_only_on_lines_with_a_keyword(tmp_path: Path) -> None:
    pack = GOOD.replace("kind: award", "kind: tally")  # a kind without a finisher
    pack += "    prefilter: [khen thưởng, '{@units}']\nlexicons:\n  units: [Tập Thể]\n"
    rs = load_ruleset([_pack(tmp_path, pack)])
    [rule] = rs.rules
    assert rule.prefilter == ("khen thưởng", "tập thể")
    text = "Khen thưởng 3 cá nhân\nCó 4 cá nhân vắng\n5 tập thể, 6 cá nhân"
    recs = run(rs, text)
    assert [(r.text, r.fields["individuals"]) for r in recs] == [("3 cá nhân", 3), ("6 cá nhân", 6)]


def test_prefilter_keeps_only_keywords_no_shorter_one_covers(tmp_path: Path) -> None:
    pack = GOOD.replace("kind: award", "kind: tally")
    pack += "    prefilter: [tập thể lớn, '{@units}', cá nhân]\nlexicons:\n  units: [Tập Thể]\n"
    [rule] = load_ruleset([_pack(tmp_path, pack)]).rules
    assert rule.prefilter == ("cá nhân", "tập thể")  # "tập thể lớn" finds no further line


def test_prefilter_lets_a_match_run_over_the_break_of_neighbouring_lines(tmp_path: Path) -> None:
    pack = """kind: tally
rules:
  - id: two_lines
    pattern: 'khen\\s+thưởng\\s+(?P<n>\\d+) cá nhân'
    prefilter: [khen thưởng, cá nhân]
    fields: {n: '{n}'}
"""
    rs = load_ruleset([_pack(tmp_path, pack)])
    recs = run(rs, "Không liên quan\nTỉnh ủy khen\u2005thưởng\n12 cá nhân\nHết")
    assert [r.fields["n"] for r in recs] == ["12"]


def test_next_rule_chains_a_list_and_stops_at_a_record_already_found(tmp_path: Path) -> None:
    pack = """kind: tally
rules:
  - id: tally_given
    pattern: 'tặng (?P<n>\\d+) người'
    fields: {n: {int: '{n}'}, how: 'given'}
  - id: tally_after
    pattern: '(?P<n>\\d+) người nhận'
    fields: {n: {int: '{n}'}}
  - id: tally_next
    attach: next
    pattern: '(?:,| và) (?P<n>\\d+) người'
    fields: {n: {int: '{n}'}}
"""
    rs = load_ruleset([_pack(tmp_path, pack)])
    recs = run(rs, "Xã tặng 3 người, 4 người và 5 người. Có 6 người, 7 người.")
    assert [(r.text, r.rule, r.fields["how"]) for r in recs] == [
        ("tặng 3 người", "tally_given", "given"),
        ("4 người", "tally_next", "given"),  # the item starts at its group, not at the comma,
        ("5 người", "tally_next", "given"),  # and shares the head's fields it does not set
    ]
    recs = run(rs, "Xã tặng 3 người, 4 người nhận quà.")
    assert [(r.text, r.rule) for r in recs] == [
        ("tặng 3 người", "tally_given"),
        ("4 người nhận", "tally_after"),
    ]


def test_examples_take_their_own_publication_date_else_their_packs(tmp_path: Path) -> None:
    examples = (
        "    examples:\n"
        "      - {text: '3 cá nhân', expect: {individuals: 3}}\n"
        "      - {text: '4 cá nhân', expect: {individuals: 4}, published: '2023-01-05'}\n"
    )
    [rule] = load_ruleset([_pack(tmp_path, "published: 2024-03-10\n" + GOOD + examples)]).rules
    assert [e.published for e in rule.examples] == ["2024-03-10", "2023-01-05"]
    [rule] = load_ruleset([_pack(tmp_path, GOOD + examples)]).rules
    assert [e.published for e in rule.examples] == [None, "2023-01-05"]
