"""A batch: read the inputs, run the documents on an engine, write their lines, count.

Engines (pipeline/engines/) run each document through pipeline/process.py and send back
outcomes, and what they skipped as data; only this module keeps the run's summary.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Settings
from pipeline.engines import run_engine
from pipeline.process import AlreadyDone, Outcome, check_rules
from pipeline.sinks import Sink
from pipeline.steps.read import find_inputs, format_of


@dataclass
class Summary:
    """What a run did: documents, errors, dropped lines and records by kind, time per step."""

    documents: int = 0
    with_errors: int = 0
    skipped: int = 0  # already in the output (--resume)
    total: int | None = None  # documents expected, when the inputs say (one page per file)
    #: Paths the inputs named or held that were not read, each with its reason (a duplicate,
    #: a dangling link, a symlink loop, a FIFO in a folder, this run's output ...).
    skipped_paths: list[tuple[str, str]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)
    #: The ids of the documents with errors, in output order (all in --stats).
    failed: list[str] = field(default_factory=list)
    #: What the output held before this run (--resume): documents, with errors, records.
    earlier: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        self.documents += 1
        self.with_errors += outcome.has_errors
        if outcome.has_errors:
            self.failed.append(outcome.id)
        self.counts.update(outcome.counts)
        self.records.update(outcome.records)
        for name, value in outcome.seconds.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + value

    def whole_output(self) -> dict[str, object]:
        """Documents, documents with errors and records by kind in the whole output: this
        run's and, after --resume, the earlier runs'."""
        records = Counter({k[8:]: n for k, n in self.earlier.items() if k.startswith("records.")})
        records.update(self.records)
        return {
            "documents": self.earlier["documents"] + self.documents,
            "with_errors": self.earlier["with_errors"] + self.with_errors,
            "records": dict(sorted(records.items())),
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "with_errors": self.with_errors,
            "skipped_already_done": self.skipped,
            "skipped_paths": [{"path": p, "reason": r} for p, r in self.skipped_paths],
            "records": dict(sorted(self.records.items())),
            "counts": dict(sorted(self.counts.items())),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "failed": list(self.failed),
            "whole_output": self.whole_output(),
        }


def expected_total(found: list[tuple[str, Path | None]]) -> int | None:
    """How many documents the inputs hold, when that can be counted cheaply first: one per
    page file, one per non-blank line of an uncompressed JSONL dump; None with stdin, a
    gzipped dump or a WARC file (their progress shows no total)."""
    total = 0
    for name, path in found:
        kind = format_of(name)
        if path is None or kind is None or kind == "warc":
            return None
        if kind == "jsonl":
            if name.lower().endswith(".gz") or not path.is_file():
                return None
            total += count_lines(path)
        else:
            total += 1
    return total


def count_lines(path: Path) -> int:
    """The non-blank lines of a file, read in blocks (a dump's documents)."""
    count = 0
    with path.open("rb") as fh:
        for line in fh:
            count += bool(line.strip())
    return count


def run_batch(
    inputs: list[str],
    sink: Sink,
    settings: Settings,
    on_document: Callable[[Summary], None] | None = None,
) -> Summary:
    """Read `inputs`, write one JSON line per document to `sink`, return the summary."""
    check_rules(settings)
    listed = find_inputs(inputs, settings)
    summary = Summary(
        total=expected_total(listed.found) if on_document else None,
        skipped_paths=[(s.path, s.reason) for s in listed.skipped],
    )
    started = time.perf_counter()
    done = sink.done_ids()
    summary.earlier.update(
        documents=len(done),
        with_errors=done.with_errors,
        **{f"records.{kind}": n for kind, n in done.records.items()},
    )
    outcomes = run_engine(inputs, settings, done)
    try:
        for outcome in outcomes:
            if isinstance(outcome, AlreadyDone):
                summary.skipped += outcome.count
            else:
                sink.write(outcome.id, outcome.line)
                summary.add(outcome)
            if on_document:
                on_document(summary)
    except Interrupted as stop:
        stop.summary = summary
        raise
    finally:
        close = getattr(outcomes, "close", None)
        if close:  # the engine's workers stop now, not when the generator is collected
            close()
        sink.close()  # the lines written so far end whole; a shard in progress is finished
        summary.seconds["total"] = time.perf_counter() - started
    return summary


class Interrupted(Exception):
    """A batch stopped by SIGINT (Ctrl-C) or SIGTERM; `summary` counts what was written."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.summary: Summary | None = None


@contextmanager
def interruptible() -> Iterator[None]:
    """Within: SIGINT and SIGTERM raise `Interrupted` (main thread only), once; a second signal
    during the clean-up that follows is ignored, so that the output is closed whole."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        for name in (signal.SIGINT, signal.SIGTERM):
            signal.signal(name, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {name: signal.signal(name, stop) for name in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)
