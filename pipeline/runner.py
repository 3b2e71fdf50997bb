"""Compose the steps and run them over documents: the only module that knows the order.

read -> clean -> normalize -> segment -> extract -> write. A step that raises does not stop the
document: its error is recorded on the document, the next steps still run on what there is, and
the document still gets its output line.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pipeline.config import Settings
from pipeline.document import Document, DocumentTimeout
from pipeline.ruleset.loader import cached_ruleset
from pipeline.ruleset.page import load_page_rules
from pipeline.sinks import Sink
from pipeline.steps.clean import clean
from pipeline.steps.extract import extract
from pipeline.steps.normalize import normalize
from pipeline.steps.read import prepare, read_inputs
from pipeline.steps.segment import segment
from pipeline.steps.write import to_json_line

Step = Callable[[Document], Document]


def make_steps(settings: Settings) -> list[tuple[str, Step]]:
    """The steps between read and write, in order, bound to the settings."""
    return [
        ("read", partial(prepare, settings=settings)),
        ("clean", partial(clean, settings=settings)),
        ("normalize", normalize),
        ("segment", segment),
        ("extract", partial(extract, settings=settings)),
    ]


def quiet_libraries() -> None:
    """Silence the warnings trafilatura and BeautifulSoup log per page ("discarding data",
    "Some characters could not be decoded"): each is already an error entry on its document."""
    for name in ("trafilatura", "bs4", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.ERROR)


def check_rules(settings: Settings) -> None:
    """Load and validate every rule pack now, so a broken pack stops the run before any input."""
    cached_ruleset(settings.rule_dirs, settings.program_cache)
    load_page_rules(settings.rule_dirs, settings.program_cache)


@dataclass
class Outcome:
    """What a worker sends back for one document: its output line and its statistics."""

    id: str
    line: str
    has_errors: bool
    counts: Counter[str]
    records: Counter[str]
    seconds: dict[str, float]


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

    def add(self, outcome: Outcome) -> None:
        self.documents += 1
        self.with_errors += outcome.has_errors
        self.counts.update(outcome.counts)
        self.records.update(outcome.records)
        for name, value in outcome.seconds.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + value

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "with_errors": self.with_errors,
            "skipped_already_done": self.skipped,
            "skipped_paths": [{"path": p, "reason": r} for p, r in self.skipped_paths],
            "records": dict(sorted(self.records.items())),
            "counts": dict(sorted(self.counts.items())),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def _alarm(signum: int, frame: object) -> None:
    raise DocumentTimeout()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout in this thread after `seconds` (main thread only; else no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process(
    doc: Document,
    steps: list[tuple[str, Step]],
    seconds: dict[str, float] | None = None,
    max_seconds: float = 0,
) -> Document:
    """Run the steps on one document, recording (not raising) what fails or runs too long."""
    name = "read"
    try:
        with time_limit(max_seconds):
            for name, step in steps:
                started = time.perf_counter()
                try:
                    doc = step(doc)
                except DocumentTimeout:
                    raise
                except Exception as exc:  # noqa: BLE001 - a page must never stop the batch
                    doc.error(name, f"{type(exc).__name__}: {exc}")
                if seconds is not None:
                    seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
    except DocumentTimeout:
        doc.error(
            name, f"document took over the limit of {max_seconds:g} s; its records are incomplete"
        )
    doc.raw = ""
    doc.segmentation = None
    return doc


def pack(doc: Document, seconds: dict[str, float]) -> Outcome:
    """What the writer and the summary need of a processed document."""
    return Outcome(
        doc.id,
        to_json_line(doc),
        bool(doc.errors),
        Counter(doc.counts),
        Counter(r.type for r in doc.records),
        seconds,
    )


def outcome_of(doc: Document, steps: list[tuple[str, Step]], settings: Settings) -> Outcome:
    """Process one document and pack what the writer and the summary need."""
    seconds: dict[str, float] = {}
    return pack(process(doc, steps, seconds, settings.max_seconds), seconds)


def abandoned(doc: Document, message: str) -> Document:
    """The line of a document its worker could not finish (it died, or the document ran over
    the time limit): no text, what reading noted, and `message` as a `worker` error."""
    out = Document(
        id=doc.id, source=dict(doc.source), errors=list(doc.errors), notes=list(doc.notes)
    )
    out.source.setdefault("format", "text")
    out.counts.update(doc.counts)
    out.error("worker", message)
    return out


def pending(
    inputs: list[str], settings: Settings, done: set[str], summary: Summary
) -> Iterator[Document]:
    """The input documents not yet in the output (all of them without --resume)."""
    for doc in read_inputs(inputs, settings):
        if doc.id in done:
            summary.skipped += 1
            continue
        yield doc


def expected_total(found: list[tuple[str, Path | None]]) -> int | None:
    """How many documents the inputs hold, when each input file is one page; else None."""
    from pipeline.steps.read import format_of

    if any(path is None or format_of(name) in (None, "jsonl", "warc") for name, path in found):
        return None
    return len(found)


def run_batch(
    inputs: list[str],
    sink: Sink,
    settings: Settings,
    on_document: Callable[[Summary], None] | None = None,
) -> Summary:
    """Read `inputs`, write one JSON line per document to `sink`, return the summary."""
    from pipeline.engines import run_engine
    from pipeline.steps.read import find_inputs

    check_rules(settings)
    listed = find_inputs(inputs, settings)
    summary = Summary(
        total=expected_total(listed.found),
        skipped_paths=[(s.path, s.reason) for s in listed.skipped],
    )
    started = time.perf_counter()
    try:
        for outcome in run_engine(inputs, settings, sink.done_ids(), summary):
            sink.write(outcome.id, outcome.line)
            summary.add(outcome)
            if on_document:
                on_document(summary)
    finally:
        sink.close()
    summary.seconds["total"] = time.perf_counter() - started
    return summary


def extract_one(
    content: str | bytes,
    url: str | None = None,
    format: str | None = None,
    settings: Settings | None = None,
) -> Document:
    """Process one page given as a string or bytes (the Python API's core)."""
    from pipeline.steps.read import make_document

    settings = settings or Settings()
    check_rules(settings)
    source: dict[str, object] = {"url": url} if url else {}
    if format:
        source["format"] = format
    doc = make_document(url or "page", source, content, settings)
    return process(doc, make_steps(settings), max_seconds=settings.max_seconds)
