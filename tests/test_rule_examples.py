"""Every example of every rule in rules/ is a test (rules as data, examples as tests).

An example marked `xfail: reason` is a known failure: it must fail, strictly, so that a fix
shows up as an unexpected pass and the mark gets removed.
"""

from __future__ import annotations

import pytest

from pipeline.config import BUILTIN_RULES
from pipeline.ruleset.examples import all_examples, check
from pipeline.ruleset.lint import lint, missing_examples, slow_line_rules
from pipeline.ruleset.loader import cached_ruleset
from pipeline.ruleset.model import Example
from pipeline.ruleset.page import load_page_rules
from pipeline.steps.furniture import cut_prefix, cut_suffix, filter_lines
from pipeline.steps.segment import prepare_example

RULESET = cached_ruleset((BUILTIN_RULES,))
PAGE = load_page_rules((BUILTIN_RULES,))


def _params() -> list[object]:
    out = []
    for rule, i, example in all_examples(RULESET):
        marks = [pytest.mark.xfail(reason=example.xfail, strict=True)] if example.xfail else []
        out.append(pytest.param(rule, example, id=f"{rule.id}[{i}]", marks=marks))
    return out


@pytest.mark.parametrize(("rule", "example"), _params())
def test_rule_example(rule, example) -> None:
    problems = check(RULESET, rule, example, prepare_example)
    assert not problems, f"{rule.path}: rule {rule.id}: {example.text!r}: " + "; ".join(problems)


def test_an_example_runs_with_its_publication_date() -> None:
    [rule] = [r for r in RULESET.rules if r.id == "date_partial"]
    want = ({"value": "2023-11-24", "also": ["XXXX-11-24"]},)
    pinned = Example("Sáng 24.11, Ban Dân vận tổ chức", want, published="2023-11-25")
    assert check(RULESET, rule, pinned, prepare_example) == []
    unpinned = Example(pinned.text, want)  # no date: the year stays unknown
    assert check(RULESET, rule, unpinned, prepare_example) != []


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_every_rule_has_two_positive_and_one_negative_example(rule) -> None:
    found = missing_examples(rule)
    assert found is None, f"{rule.path}: rule {rule.id}: {found.problem if found else ''}"


def test_no_rule_is_broken_or_slow() -> None:
    errors = [f for f in lint(RULESET) if f.severity == "error"]
    assert not errors, [(f.rule, f.problem) for f in errors]


def test_no_furniture_pattern_is_slow_on_a_line() -> None:
    assert slow_line_rules(PAGE.line_rules, "page.yaml") == []


_PARAGRAPH = (
    "Sáng nay, Ban Dân vận Huyện ủy tổ chức hội nghị sơ kết công tác dân vận quý I với sự tham"
    " gia của đại diện các cơ quan, đơn vị và các xã, thị trấn trên địa bàn huyện."
)


def test_an_after_body_rule_keeps_its_line_above_the_first_paragraph() -> None:
    [bare] = [r for r in PAGE.line_rules if r.id == "bare_date"]
    assert bare.after_body
    lines = ["Huyện sơ kết công tác dân vận", "(12/03/2024 10:20)", _PARAGRAPH, "(19/01/2022)"]
    reasons = [reason for _, reason in filter_lines(lines, PAGE)]
    assert reasons == [None, None, None, "related"]


def _page_params() -> list[object]:
    out = []
    for rule in PAGE.line_rules:
        out += [
            pytest.param(rule, line, True, id=f"{rule.id}-drop-{j}")
            for j, line in enumerate(rule.drop_examples)
        ]
        out += [
            pytest.param(rule, line, False, id=f"{rule.id}-keep-{j}")
            for j, line in enumerate(rule.keep_examples)
        ]
    return out


@pytest.mark.parametrize(("rule", "line", "dropped"), _page_params())
def test_page_rule_example(rule, line, dropped) -> None:
    # Alone on a page, an example line is dropped by this rule, or kept by every rule.
    if rule.kind in ("prefix", "suffix"):
        cut = (cut_prefix if rule.kind == "prefix" else cut_suffix)(line, PAGE)
        assert (cut is not None and cut[1] is rule) == dropped, f"page.yaml: {rule.id}: {line!r}"
        return
    # A rule that applies only after the first paragraph sees its example after one.
    before = [_PARAGRAPH] if rule.after_body else []
    *_, (_, reason) = filter_lines([*before, line], PAGE)
    if dropped:
        assert rule.pattern.fullmatch(line.strip()), f"page.yaml: {rule.id} does not match {line!r}"
        assert reason is not None
    else:
        assert reason is None, f"page.yaml: {line!r} dropped as {reason}"


def _caption_params() -> list[object]:
    out = []
    for rule in PAGE.caption_rules:
        out += [
            pytest.param(line, True, id=f"{rule.id}-caption-{j}")
            for j, line in enumerate(rule.drop_examples)
        ]
        out += [
            pytest.param(line, False, id=f"{rule.id}-not-{j}")
            for j, line in enumerate(rule.keep_examples)
        ]
    return out


@pytest.mark.parametrize(("line", "caption"), _caption_params())
def test_caption_rule_example(line: str, caption: bool) -> None:
    # A caption example reads as a photo caption (never a headline); a counter-example does
    # not, by any caption rule.
    assert PAGE.is_caption(line) == caption, f"page.yaml captions: {line!r}"
