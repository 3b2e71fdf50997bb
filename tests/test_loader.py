"""Rule packs are validated on load; every message names the file, the rule and the field."""

from __future__ import annotations

import pickle
import time
from pathlib import Path

import pytest

from pipeline.config import BUILTIN_RULES
from pipeline.ruleset.context import Context
from pipeline.ruleset.engine import run
from pipeline.ruleset.loader import load_ruleset
from pipeline.ruleset.model import RuleSet
from pipeline.ruleset.schema import RuleError

GOOD = """kind: award
rules:
  - id: award_count
    pattern: '(?P<ind>\\d+) cá nhân'
    fields: {individuals: {int: '{ind}'}}
"""

PATTERN = "'(?P<ind>\\d+) cá nhân'"


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
        (
            GOOD.replace("    fields", "    feilds"),
            "awards.yaml: rule award_count: unknown key 'feilds'",
        ),
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
            "rule award_count: prefilter: example 1 holds none of the prefilter keywords",
        ),
        (GOOD + "    prefilter: ['{@nowhere}']\n", "prefilter: unknown lexicon {@nowhere}"),
        (GOOD + "    prefilter: []\n", "prefilter: must name at least one keyword"),
        (
            GOOD
            + "    prefilter: [cá nhân]\n    needs: '\\d+ tập thể'\n"
            + "    examples: [{text: '3 cá nhân', expect: {}}]\n",
            "rule award_count: needs: example 1 holds no match of it",
        ),
        (GOOD + "    prefilter: [x]\n    needs: '{NOWHERE}'\n", "needs: unknown definition"),
        (GOOD + "    prefilter: [x]\n    needs: '(\\d'\n", "rule award_count: needs: bad regex"),
        (GOOD + "    attach: after\n    needs: 'x'\n", "needs: only rules that find records"),
        (GOOD + "    needs: 'cá nhân'\n", "needs: only with a prefilter"),
        ("rules: [\n", "not valid YAML"),
        (GOOD.replace(PATTERN, "[]"), "rule award_count: pattern: an empty list"),
        (
            GOOD.replace(PATTERN, "['(?P<ind>\\d+)', '']"),
            "rule award_count: pattern[1]: a part must be a non-empty string, not ''",
        ),
        (
            GOOD.replace(PATTERN, "{a: b}"),
            "rule award_count: pattern: must be a pattern string or a list of its parts, not dict",
        ),
        (GOOD + "define:\n  X: [a, 5]\n", "awards.yaml: define.X[1]: a part must be a non-empty"),
        ("published: 10/3/2024\n" + GOOD, "awards.yaml: published: a date written YYYY-MM-DD"),
        (
            GOOD + "    examples: [{text: '3 cá nhân', expect: none, published: 'hôm qua'}]\n",
            "rule award_count: example 1: published: a date written YYYY-MM-DD",
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


def _needs_pack(rule_id: str, pattern: str, prefilter: str, needs: str) -> str:
    """A pack of one rule that finds a tally `n` and needs `needs` (patterns as YAML writes
    them, single-quoted)."""
    return (
        f"kind: tally\nrules:\n  - id: {rule_id}\n    pattern: '{pattern}'\n"
        f"    prefilter: [{prefilter}]\n    needs: '{needs}'\n    fields: {{n: '{{n}}'}}\n"
    )


def test_needs_keeps_the_prefilter_blocks_that_hold_what_it_needs(tmp_path: Path) -> None:
    pack = _needs_pack("praised", r"khen\s+(?P<n>\d+)\s+(?:cá nhân|người)", "khen", r"\d+ cá nhân")
    [rule] = (rs := load_ruleset([_pack(tmp_path, pack)])).rules
    assert rule.needs is not None
    # three blocks of prefilter lines; the middle one holds no "N cá nhân": not run there
    text = "khen 3 cá nhân\nkhông\nkhen 4 người\nkhông\nkhen\nkhen 5 cá nhân"
    assert [r.fields["n"] for r in run(rs, text)] == ["3", "5"]
    # a block is run whole: a match may lie lines above what it needs, over a line break
    found = run(rs, "khen 6\ncá nhân khen\nkhen 7 cá nhân")
    assert [r.fields["n"] for r in found] == ["6", "7"]


def test_needs_narrows_without_losing_a_match_over_lines_or_a_lookahead() -> None:
    """A count read across lines, and a rate the lookahead sees on the next line, as before."""
    rs = load_ruleset([BUILTIN_RULES])
    text = "Đã tham gia tổ chức 931 hội nghị\nvới sự tham gia của\n84.404 người tham gia."
    found = [r for r in run(rs, text) if r.type == "participant_count"]
    assert [(r.fields["count"], r.fields["activity"]) for r in found] == [
        (84404, {"count": 931, "kind": "hội nghị"})
    ]
    rate = "Năm qua tổ chức 3 hội nghị với 500 người tham gia\nmỗi ngày, được nhiều người xem."
    assert not [r for r in run(rs, rate) if r.type == "participant_count"]


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


#: Three problems in two rules, beside a good rule that must not hide them.
THREE_PROBLEMS = """kind: award
rules:
  - id: award_good
    pattern: '(?P<ind>\\d+) cá nhân'
    fields: {individuals: {int: '{ind}'}}
  - id: award_twice_wrong
    pattern: '(?P<ind>\\d+) tập thể'
    fields: {collectives: {int: '{people}'}}
    attach: sideways
  - id: award_bad_regex
    pattern: '(?P<ind\\d+) huân chương'
"""


def test_every_problem_of_a_pack_is_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(RuleError) as err:
        load_ruleset([_pack(tmp_path, THREE_PROBLEMS)])
    place = f"{tmp_path / 'pack' / 'awards.yaml'}: rule"
    assert err.value.problems == [
        f"{place} award_twice_wrong: attach: must be 'after', 'before' or 'next', not 'sideways'",
        f"{place} award_twice_wrong: fields.collectives: no group 'people' in pattern",
        f"{place} award_bad_regex: pattern: bad regex at column 11: bad character in group name: "
        "'(?P<ind\\\\d+) huân chương'",
    ]
    assert str(err.value) == "\n".join(err.value.problems)  # the CLI prints one per line
    assert isinstance(err.value, ValueError)


def test_every_pack_is_checked_and_an_unreadable_one_stops_only_itself(tmp_path: Path) -> None:
    folder = _pack(tmp_path, GOOD.replace("{ind}", "{people}"))
    (folder / "broken.yaml").write_text("rules: [\n", encoding="utf-8")
    (folder / "list.yaml").write_text("- a list\n", encoding="utf-8")
    (folder / "other.yaml").write_text(
        GOOD.replace("award_count", "other").replace("    fields", "    feilds"), encoding="utf-8"
    )
    with pytest.raises(RuleError) as err:
        load_ruleset([folder])
    found = err.value.problems
    assert len(found) == 4, found
    assert found[0].endswith(
        "broken.yaml: not valid YAML: while parsing a flow node did not "
        'find expected node content in "<unicode string>", line 2, column 1'
    )
    assert found[1].endswith("list.yaml: the top level must be a mapping, not list")
    assert "awards.yaml: rule award_count: fields.individuals: no group 'people'" in found[2]
    assert "other.yaml: rule other: unknown key 'feilds'" in found[3]


def test_each_field_example_and_name_is_checked(tmp_path: Path) -> None:
    pack = """kind: award
rules:
  - id: award_count
    pattern: '{NOWHERE}(?P<ind>\\d+) {@nothing} cá nhân'
    fields: {a: '{x}', b: {number: '{ind}'}}
    default: [1]
    examples: [{text: '3 cá nhân'}, {text: '4 cá nhân', expect: 4}]
"""
    with pytest.raises(RuleError) as err:
        load_ruleset([_pack(tmp_path, pack)])
    rule = "awards.yaml: rule award_count"
    wanted = [
        f"{rule}: pattern: unknown definition {{NOWHERE}}",
        f"{rule}: pattern: unknown lexicon {{@nothing}}",
        f"{rule}: fields.b: a converted field is",  # fields.a: groups not known, no message
        f"{rule}: default: must be a mapping, not list",
        f"{rule}: example 1: missing required key 'expect'",
        f"{rule}: example 2: expect: a mapping of fields, a list of them, or 'none'",
    ]
    assert len(err.value.problems) == len(wanted), err.value.problems
    for message, problem in zip(wanted, err.value.problems, strict=True):
        assert message in problem


def test_a_name_with_a_problem_is_reported_once(tmp_path: Path) -> None:
    # A rule that needs a broken definition or lexicon, or disables a broken rule, is not
    # reported again for it ("unknown definition" would send the author looking elsewhere).
    pack = (
        GOOD
        + """    examples: [{text: '3 cá nhân', expect: {individuals: 3}}]
  - id: award_units
    pattern: '{UNITS}'
  - id: award_number
    pattern: '{NUMBER} cá nhân'
  - id: award_people
    pattern: '(?P<n>\\d+) người'
    prefilter: ['{@units}']
  - id: award_broken
    pattern: '(?P<n'
define:
  UNITS: '(?P<n>\\d+) {@units}'
  NUMBER: 5
lexicons:
  units: 5
"""
    )
    user = tmp_path / "user"
    user.mkdir()
    (user / "off.yaml").write_text("rules: [{id: award_broken, disabled: true}]\n", "utf-8")
    with pytest.raises(RuleError) as err:
        load_ruleset([_pack(tmp_path, pack), user])
    wanted = [
        "lexicons.units: a lexicon is a list of strings or a mapping of strings",
        "define.NUMBER: must be a pattern string",
        "rule award_broken: pattern: bad regex at column 6: missing >: '(?P<n'",
    ]
    assert len(err.value.problems) == len(wanted), err.value.problems
    for problem, message in zip(err.value.problems, wanted, strict=True):
        assert problem.split("awards.yaml: ")[1].startswith(message)


def test_rule_error_keeps_its_problems_across_processes() -> None:
    err = pickle.loads(pickle.dumps(RuleError("a.yaml: rule x: one", "a.yaml: rule y: two")))
    assert err.problems == ["a.yaml: rule x: one", "a.yaml: rule y: two"]
    assert str(err) == "a.yaml: rule x: one\na.yaml: rule y: two"


def test_a_pattern_may_be_a_list_of_commented_parts(tmp_path: Path) -> None:
    tally = GOOD.replace("kind: award", "kind: tally")  # a kind without a finisher
    one_line = tally.replace(PATTERN, "'{COUNT}\\s+(?:cá nhân|tập thể)'") + "define:\n"
    one_line += "  COUNT: '(?P<ind>\\d+)(?:\\.\\d{3})*'\n"
    parts = tally.replace(
        PATTERN,
        """
      - '{COUNT}\\s+'         # how many
      - '(?:cá nhân|tập thể)'  # of whom""",
    )
    parts += "define:\n  COUNT:\n    - '(?P<ind>\\d+)'  # the digits\n    - '(?:\\.\\d{3})*'\n"
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    [written] = load_ruleset([_pack(tmp_path / "a", one_line)]).rules
    [listed] = load_ruleset([_pack(tmp_path / "b", parts)]).rules
    # the same pattern text, so the same compiled program (the program store's key)
    assert listed.pattern.pattern == written.pattern.pattern
    assert listed.pattern.flags == written.pattern.flags
    assert listed.pattern.pattern == r"(?:(?P<ind>\d+)(?:\.\d{3})*)\s+(?:cá nhân|tập thể)"
    assert [r.text for r in run(RuleSet((listed,)), "có 1.200 tập thể")] == ["1.200 tập thể"]


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


def test_a_bad_regex_is_shown_where_its_author_wrote_it(tmp_path: Path) -> None:
    """A pattern that names definitions is reported at a column of the pattern as written
    (not of the pattern with every {NAME} written out), with the place marked; a mistake
    inside a definition names the definition."""
    own = GOOD.replace(PATTERN, "'{AWARD_WORD} (?P<ind>\\d+ cá nhân'") + (
        "define:\n  AWARD_WORD: '(?:bằng khen|giấy khen|huy chương|kỷ niệm chương)'\n"
    )
    with pytest.raises(RuleError) as raised:
        load_ruleset([_pack(tmp_path, own)])
    message = str(raised.value)
    assert "bad regex at column 33 of the pattern as written: missing )" in message, message
    assert "    {AWARD_WORD} (?P<ind>\\d+ cá nhân\n" + " " * 36 + "^" in message
    broken = GOOD.replace(PATTERN, "'{COUNT} cá nhân'") + "define:\n  COUNT: '(?P<ind>\\d+'\n"
    with pytest.raises(RuleError) as raised:
        load_ruleset([_pack(tmp_path, broken)])
    assert "bad regex at column 12 of {COUNT} as written: missing )" in str(raised.value)


def test_a_slow_needs_pattern_stops_at_the_rules_time_limit(tmp_path: Path) -> None:
    pack = _needs_pack("slow_needs", "a(?P<n>!)", "a", "(?:(?:a|b)*?a){20}c")
    rs = load_ruleset([_pack(tmp_path, pack)])
    ctx = Context(rule_seconds=0.2, doc_seconds=0.5)
    started = time.monotonic()
    assert run(rs, "a" * 26 + "!", context=ctx) == []
    assert time.monotonic() - started < 3
    assert any("slow_needs" in e for e in ctx.errors)
