"""The program store (ruleset/programs.py): a rebuilt pattern matches exactly as a compiled one,
and a missing, damaged or unwritable store only costs time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import regex

from pipeline.config import BUILTIN_RULES, Settings
from pipeline.ruleset import programs
from pipeline.ruleset.loader import RuleSet, load_ruleset

PATTERNS = [
    (r"(?P<n>\d+)\s+(?i:đại biểu)", 0),
    (r"(?<!\p{L})(?:Nghị quyết|Quyết định)\s+số\s+(?P<num>\d+[-/][\p{Lu}Đ/-]+)", 0),
    (r"(?<=ngày\s)(?P<d>\d{1,2})/(?P<m>\d{1,2})", regex.IGNORECASE),
]
TEXT = "Sáng 3/5, 120 Đại biểu dự hội nghị quán triệt Nghị quyết số 25-NQ/TW; ngày 4/5 bế mạc."


def _spans(pattern: regex.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


def test_a_kept_program_matches_as_a_compiled_pattern(tmp_path: Path) -> None:
    with programs.keeping(tmp_path) as first:
        compiled = [programs.compile(p, f) for p, f in PATTERNS]
    assert (first.hits, first.misses) == (0, len(PATTERNS))
    with programs.keeping(tmp_path) as second:
        rebuilt = [programs.compile(p, f) for p, f in PATTERNS]
    assert (second.hits, second.misses) == (len(PATTERNS), 0)
    for old, new, (_, flags) in zip(compiled, rebuilt, PATTERNS, strict=True):
        assert new.pattern == old.pattern and new.flags == old.flags
        assert new.groupindex == old.groupindex
        assert _spans(new, TEXT) == _spans(old, TEXT) != []
        assert old.flags == regex.compile(old.pattern, flags).flags


def test_a_damaged_store_is_ignored_and_rewritten(tmp_path: Path) -> None:
    with programs.keeping(tmp_path) as store:
        programs.compile(*PATTERNS[0])
    assert store.path is not None
    store.path.write_bytes(store.path.read_bytes()[:-10])  # cut short: the digest fails
    with programs.keeping(tmp_path) as again:
        pattern = programs.compile(*PATTERNS[0])
    assert (again.hits, again.misses) == (0, 1)
    assert _spans(pattern, TEXT) == _spans(regex.compile(PATTERNS[0][0]), TEXT)
    with programs.keeping(tmp_path) as third:
        programs.compile(*PATTERNS[0])
    assert third.hits == 1


def test_an_unwritable_store_costs_only_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    with programs.keeping(blocked / "sub") as store:
        pattern = programs.compile(*PATTERNS[0])
    assert store.misses == 1 and pattern.search(TEXT)
    with programs.keeping(None) as nowhere:
        programs.compile(*PATTERNS[0])
    assert nowhere.path is None


def test_outside_a_load_compile_is_plain_regex() -> None:
    assert programs.compile(PATTERNS[0][0]).pattern == PATTERNS[0][0]


@pytest.mark.parametrize(("value", "expected"), [("off", None), ("", None), ("/x/y", "/x/y")])
def test_the_store_folder_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str | None
) -> None:
    monkeypatch.setenv("VNEXTRACT_CACHE", value)
    folder = Settings().program_cache
    assert (str(folder) if folder else None) == expected


def test_the_built_in_rules_from_the_store_match_as_compiled(
    tmp_path: Path, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every built-in rule, loaded twice through a store (compiled, then rebuilt), finds the
    same spans and groups on its own examples as the rule set compiled without a store."""
    stores: list[programs.ProgramStore] = []
    keeping = programs.keeping

    @contextmanager
    def spied(folder: Path | None) -> Iterator[programs.ProgramStore]:
        with keeping(folder) as store:
            stores.append(store)
            yield store

    monkeypatch.setattr(programs, "keeping", spied)
    load_ruleset((BUILTIN_RULES,), tmp_path)
    rebuilt = {r.id: r for r in load_ruleset((BUILTIN_RULES,), tmp_path).rules}
    assert [(s.hits > 0, s.misses > 0) for s in stores] == [(False, True), (True, False)]
    assert rebuilt.keys() == {r.id for r in ruleset.rules}
    for rule in ruleset.rules:
        new = rebuilt[rule.id].pattern
        assert new.pattern == rule.pattern.pattern and new.groupindex == rule.pattern.groupindex
        for example in rule.examples:
            assert _spans(new, example.text) == _spans(rule.pattern, example.text), rule.id
