"""One document through the steps, in order, within its time limit: what every engine, the
Python API and `explain` run. The batch (inputs, engines, the summary) is runner.py's job.

read (prepare) -> clean -> normalize -> segment -> extract, then the output line. A step that
raises does not stop the document: its error is recorded on the document, the next steps still
run on what there is, and the document still gets its output line.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from pipeline.config import Settings
from pipeline.document import Document, DocumentTimeout
from pipeline.ruleset.loader import cached_ruleset
from pipeline.ruleset.page import load_page_rules
from pipeline.ruleset.registry import cached_registry
from pipeline.steps.clean import clean
from pipeline.steps.extract import extract
from pipeline.steps.normalize import normalize
from pipeline.steps.pages import prepare
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
    cached_registry(settings.rule_dirs)
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


@dataclass(frozen=True)
class AlreadyDone:
    """What an engine reports for documents it did not process because the output already
    holds them (--resume): a count, as data, for the batch's summary."""

    count: int


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
    keep_segmentation: bool = False,
) -> Document:
    """Run the steps on one document, recording (not raising) what fails or runs too long.
    The raw input and the segmentation are let go at the end, unless `keep_segmentation`
    (explain reads the sentences and words)."""
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
    if not keep_segmentation:
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


def extract_one(
    content: str | bytes,
    url: str | None = None,
    format: str | None = None,
    settings: Settings | None = None,
) -> Document:
    """Process one page given as a string or bytes (the Python API's core)."""
    from pipeline.steps.pages import make_document

    settings = settings or Settings()
    check_rules(settings)
    source: dict[str, object] = {"url": url} if url else {}
    if format:
        source["format"] = format
    doc = make_document(url or "page", source, content, settings)
    return process(doc, make_steps(settings), max_seconds=settings.max_seconds)
