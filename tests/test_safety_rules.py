"""Data safety in the rules, the segmenter and the report (issue 14, defects 8, 9, 10):

- a slow attach rule costs its own fields on one page, never the page's records, and attaching
  costs each record a bounded window, not the rest of a long line;
- the first calls of the Python API from many threads, in a cold process, all get their
  records (underthesea loads its models lazily, now once, under a lock);
- `report` keeps no row per document in memory: its peak does not grow with the batch.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import regex

from pipeline.config import BUILTIN_RULES
from pipeline.inspect.report import write_report
from pipeline.ruleset import engine
from pipeline.ruleset.context import Context
from pipeline.ruleset.loader import cached_ruleset, load_ruleset
from pipeline.ruleset.model import RuleSet
from pipeline.steps.segment import Segmentation

ROOT = Path(__file__).resolve().parent.parent
RULESET = cached_ruleset((BUILTIN_RULES,))

#: An attach rule the regex engine needs exponential time for on a run of "x" without "!".
SLOW_PACK = """\
kind: document_ref
rules:
  - id: slow_attach
    attach: after
    pattern: '\\s*(?P<slow>(?:x|xx)+)!'
    fields:
      slow: '{slow}'
"""
SLOW_TEXT = (
    "Nghị quyết số 25-NQ/TW " + "x" * 40 + ". Sáng 3/4/2024, hội nghị quán triệt Kết luận số "
    "57-KL/TW ngày 5/6/2023 của Bộ Chính trị về tăng cường công tác dân vận."
)


def _slow_ruleset(tmp_path: Path) -> RuleSet:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "slow.yaml").write_text(SLOW_PACK, encoding="utf-8")
    return load_ruleset((BUILTIN_RULES, pack))


def test_a_slow_attach_rule_is_skipped_and_the_records_kept(tmp_path: Path) -> None:
    ruleset = _slow_ruleset(tmp_path)
    ctx = Context(text=SLOW_TEXT, rule_seconds=0.3, doc_seconds=20)
    started = time.monotonic()
    records = engine.run(ruleset, SLOW_TEXT, context=ctx)
    assert time.monotonic() - started < 5  # skipped for the page: paid once, not per record
    refs = [r for r in records if r.type == "document_ref"]
    assert [r.fields["symbol"] for r in refs] == ["25-NQ/TW", "57-KL/TW"]
    later = refs[1].fields  # the other attach rules still ran
    assert (later["issued"], later["issuer"]) == ("2023-06-05", "Bộ Chính trị")
    assert any(r.type == "date" for r in records)
    assert len(ctx.errors) == 1 and "slow_attach" in ctx.errors[0], ctx.errors
    assert "skipped" in ctx.errors[0]


def test_the_document_budget_spent_while_attaching_keeps_the_records(tmp_path: Path) -> None:
    ruleset = _slow_ruleset(tmp_path)
    ctx = Context(text=SLOW_TEXT, rule_seconds=30, doc_seconds=0.5)
    records = engine.run(ruleset, SLOW_TEXT, context=ctx)
    symbols = [r.fields["symbol"] for r in records if r.type == "document_ref"]
    assert symbols == ["25-NQ/TW", "57-KL/TW"]
    assert len(ctx.errors) == 1, ctx.errors
    assert "0.5 s budget" in ctx.errors[0] and "slow_attach" in ctx.errors[0]
    assert any(r.type == "date" for r in records)  # the finishers had their time


class _Counting:
    """A compiled pattern that adds up the characters it is asked to look at."""

    def __init__(self, pattern: regex.Pattern[str], tally: list[int]) -> None:
        self.pattern, self.tally = pattern, tally

    def match(self, text: str, pos: int, endpos: int, **kw: Any) -> Any:
        self.tally[0] += endpos - pos
        return self.pattern.match(text, pos, endpos, **kw)

    def search(self, text: str, pos: int, endpos: int, **kw: Any) -> Any:
        self.tally[0] += endpos - pos
        return self.pattern.search(text, pos, endpos, **kw)


def _long_line(references: int) -> str:
    unit = "Nghị quyết số {n}-NQ/TW ngày 3/6/2013 của Ban Bí thư về tăng cường công tác; "
    return "".join(unit.format(n=i + 1) for i in range(references))


def _attach_chars_per_record(references: int) -> float:
    """Characters the attach patterns are given, per record, on one line of references."""
    tally = [0]
    rules = tuple(
        dataclasses.replace(r, pattern=_Counting(r.pattern, tally)) if r.attach else r
        for r in RULESET.rules
    )
    text = _long_line(references)
    records = engine.run(RuleSet(rules, RULESET.lexicons), text)
    assert len(records) == 2 * references  # each reference and its date
    return tally[0] / len(records)


def test_attaching_looks_at_a_window_not_the_rest_of_the_line() -> None:
    few, many = _attach_chars_per_record(100), _attach_chars_per_record(1000)
    assert many < 1.1 * few, (few, many)  # the whole line: 10 times as much per record


def _attach_seconds(references: int, monkeypatch: pytest.MonkeyPatch) -> float:
    """Seconds `engine.attach` takes in a run over one line of `references` references."""
    spent = [0.0]
    attach = engine.attach

    def timed(*args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        attach(*args, **kwargs)
        spent[0] += time.perf_counter() - started

    monkeypatch.setattr(engine, "attach", timed)
    text = _long_line(references)
    engine.run(RULESET, text, context=Context(text=text, rule_seconds=60, doc_seconds=600))
    monkeypatch.setattr(engine, "attach", attach)
    return spent[0]


def test_attach_time_grows_linearly_with_the_references_on_a_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = min(_attach_seconds(250, monkeypatch) for _ in range(3))
    large = _attach_seconds(2000, monkeypatch)
    assert large < 20 * small, (small, large)  # 8x the references: 8x linear, 64x quadratic


def test_finding_the_sentence_of_an_offset_does_not_walk_every_paragraph() -> None:
    text = "\n".join(f"Đoạn {i}: Tỉnh ủy họp." for i in range(50_000))
    seg = Segmentation(text, lambda line: [line], lambda chunk: chunk.split())
    offsets = range(0, len(text), len(text) // 5000)
    started = time.perf_counter()
    spans = [seg.sentence_of(at) for at in offsets]
    assert time.perf_counter() - started < 1.0  # a list of 50,000 starts per call: ~10 s
    assert all(a <= at < b or text[at] == "\n" for at, (a, b) in zip(offsets, spans, strict=True))


THREADS_SCRIPT = textwrap.dedent(
    """
    import json, sys, threading
    from pathlib import Path
    from pipeline import extract

    page = Path(sys.argv[1]).read_text(encoding="utf-8")
    barrier = threading.Barrier(16)
    out = [None] * 16

    def work(i):
        barrier.wait()
        line = extract(page, format="text")
        out[i] = [len(line["records"]), [e["message"] for e in line["errors"]]]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(out))
    """
)


def test_first_calls_from_many_threads_all_get_their_records() -> None:
    page = ROOT / "fixtures" / "pages" / "text_01_dan_van_so_ket.txt"
    for _ in range(3):  # a cold process each time: the models are not loaded yet
        done = subprocess.run(
            [sys.executable, "-c", THREADS_SCRIPT, str(page)],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
            check=True,
        )
        results = json.loads(done.stdout.strip().splitlines()[-1])
        assert all(errors == [] for _, errors in results), results
        assert len({count for count, _ in results}) == 1 and results[0][0] > 0, results


def _documents(count: int) -> Iterator[dict[str, Any]]:
    """`count` small output lines, each with its own id, title and text, some without records."""
    for i in range(count):
        text = f"Sáng 4/3, hội nghị số {i} quán triệt Nghị quyết số 35-NQ/TW. " + "chữ " * 150
        records = [
            {"type": "date", "span": [0, 10], "text": text[:10], "rule": "date_partial"},
            {"type": "document_ref", "span": [44, 66], "text": text[44:66], "rule": "docref"},
        ]
        yield {
            "id": f"crawl/site-{i % 20}/page-{i:06d}.html",
            "source": {"path": f"crawl/site-{i % 20}/page-{i:06d}.html", "format": "html"},
            "meta": {
                "title": f"Hội nghị lần thứ {i}",
                "published": f"2024-0{1 + i % 9}-04",
                "authors": ["Phóng viên"],
                "site": f"Báo số {i % 20}",
            },  # fmt: skip
            "text": text,
            "records": records if i % 3 else [],
            "errors": [{"stage": "clean", "message": "no main text"}] if i % 7 == 0 else [],
            "dropped": [{"reason": "menu", "text": "Trang chủ"}],
        }


def _report_peak(folder: Path, count: int) -> int:
    """Peak bytes Python allocated while writing the report of `count` documents."""
    tracemalloc.start()
    try:
        index, written = write_report(_documents(count), folder)
        assert written == count and index.exists()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_report_memory_does_not_grow_with_the_batch(tmp_path: Path) -> None:
    small = _report_peak(tmp_path / "small", 300)
    large = _report_peak(tmp_path / "large", 3000)
    assert large - small < 500_000, (small, large)  # a row kept per document: 12 kB each
    index = (tmp_path / "large" / "index.html").read_text(encoding="utf-8")
    assert index.count('<tr data-i="') == 3000 and "Hội nghị lần thứ 2999" in index
    assert "1000 with no records" in index
