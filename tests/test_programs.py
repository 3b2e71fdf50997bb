"""The program store (ruleset/programs.py): a kept pattern matches exactly as a compiled one,
and a missing, damaged, foreign or unwritable store only costs time."""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import regex

from pipeline.config import BUILTIN_RULES, Settings
from pipeline.ruleset import programs
from pipeline.ruleset.loader import load_ruleset
from pipeline.ruleset.model import RuleSet
from pipeline.ruleset.page import load_page_rules

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


def test_an_entry_for_another_pattern_is_compiled_again(tmp_path: Path) -> None:
    """An entry whose pattern is not its key (a damaged or planted file) is not served."""
    with programs.keeping(tmp_path) as store:
        programs.compile(*PATTERNS[0])
    assert store.path is not None
    wrong = {(PATTERNS[0][0], PATTERNS[0][1]): pickle.dumps(regex.compile("o64"))}
    body = pickle.dumps(wrong)
    store.path.write_bytes(hashlib.sha256(body).digest() + body)
    with programs.keeping(tmp_path) as again:
        pattern = programs.compile(*PATTERNS[0])
    assert pattern.pattern == PATTERNS[0][0] and (again.hits, again.misses) == (0, 1)


def test_a_store_others_may_write_to_is_not_read(tmp_path: Path) -> None:
    with programs.keeping(tmp_path) as store:
        programs.compile(*PATTERNS[0])
    assert store.path is not None
    store.path.chmod(0o666)
    with programs.keeping(tmp_path) as again:
        programs.compile(*PATTERNS[0])
    assert (again.hits, again.misses) == (0, 1)


def test_compiling_in_other_threads_during_a_load_keeps_each_pattern_its_own(
    tmp_path: Path,
) -> None:
    """Other threads compile their own patterns while a load is in progress; every kept
    entry is still the pattern of its key."""
    others = [f"x{i}y" for i in range(300)]
    with programs.keeping(tmp_path) as store:
        worker = threading.Thread(target=lambda: [regex.compile(p) for p in others])
        worker.start()
        for i in range(300):
            programs.compile(f"a{i}b")
        worker.join()
    with programs.keeping(tmp_path) as again:
        served = [programs.compile(f"a{i}b").pattern for i in range(300)]
    assert served == [f"a{i}b" for i in range(300)] and again.hits == 300
    assert store.misses == 300


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


@pytest.fixture
def stores(monkeypatch: pytest.MonkeyPatch) -> list[programs.ProgramStore]:
    """Every store a rule load opens during the test, in order."""
    opened: list[programs.ProgramStore] = []
    keeping = programs.keeping

    @contextmanager
    def spied(folder: Path | None) -> Iterator[programs.ProgramStore]:
        with keeping(folder) as store:
            opened.append(store)
            yield store

    monkeypatch.setattr(programs, "keeping", spied)
    return opened


def test_the_built_in_rules_from_the_store_match_as_compiled(
    tmp_path: Path, ruleset: RuleSet, stores: list[programs.ProgramStore]
) -> None:
    """Every built-in rule, loaded twice through a store (compiled, then rebuilt), finds the
    same spans and groups on its own examples as the rule set compiled without a store."""
    load_ruleset((BUILTIN_RULES,), tmp_path)
    rebuilt = {r.id: r for r in load_ruleset((BUILTIN_RULES,), tmp_path).rules}
    assert [(s.hits > 0, s.misses > 0) for s in stores] == [(False, True), (True, False)]
    assert rebuilt.keys() == {r.id for r in ruleset.rules}
    for rule in ruleset.rules:
        new = rebuilt[rule.id].pattern
        assert new.pattern == rule.pattern.pattern and new.groupindex == rule.pattern.groupindex
        for example in rule.examples:
            assert _spans(new, example.text) == _spans(rule.pattern, example.text), rule.id


def test_record_rules_and_page_rules_share_one_file(
    tmp_path: Path, stores: list[programs.ProgramStore]
) -> None:
    """The two loads of a run read and write the same file: neither drops the other's
    entries, so the second run compiles nothing."""
    for _ in range(2):
        load_ruleset((BUILTIN_RULES,), tmp_path)
        load_page_rules.__wrapped__((BUILTIN_RULES,), tmp_path)
    assert [s.misses == 0 for s in stores] == [False, False, True, True]
