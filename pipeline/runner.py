"""Compose the steps and run them over documents: the only module that knows the order.

read -> clean -> normalize -> segment -> extract -> write. A step that raises does not stop the
document: its error is recorded on the document, the next steps still run on what there is, and
the document still gets its output line.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import IO

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.ruleset.loader import cached_ruleset
from pipeline.ruleset.page import load_page_rules
from pipeline.steps.clean import clean
from pipeline.steps.extract import extract
from pipeline.steps.normalize import normalize
from pipeline.steps.read import read_inputs
from pipeline.steps.segment import segment
from pipeline.steps.write import to_json_line

Step = Callable[[Document], Document]


def make_steps(settings: Settings) -> list[tuple[str, Step]]:
    """The steps between read and write, in order, bound to the settings."""
    return [
        ("clean", partial(clean, settings=settings)),
        ("normalize", normalize),
        ("segment", segment),
        ("extract", partial(extract, settings=settings)),
    ]


def check_rules(settings: Settings) -> None:
    """Load and validate every rule pack now, so a broken pack stops the run before any input."""
    cached_ruleset(settings.rule_dirs)
    load_page_rules(settings.rule_dirs[0])


@dataclass
class Summary:
    """What a run did: documents, errors, dropped lines and records by kind, time per step."""

    documents: int = 0
    with_errors: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, doc: Document) -> None:
        self.documents += 1
        self.with_errors += bool(doc.errors)
        self.counts.update(doc.counts)
        self.records.update(r.type for r in doc.records)


def process(
    doc: Document, steps: list[tuple[str, Step]], seconds: dict[str, float] | None = None
) -> Document:
    """Run the steps on one document, recording (not raising) what fails."""
    for name, step in steps:
        started = time.perf_counter()
        try:
            doc = step(doc)
        except Exception as exc:  # noqa: BLE001 - a page must never stop the batch
            doc.error(name, f"{type(exc).__name__}: {exc}")
        if seconds is not None:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
    doc.raw = ""
    doc.segmentation = None
    return doc


def process_all(
    docs: Iterable[Document], settings: Settings, summary: Summary
) -> Iterator[Document]:
    """Process documents one by one, in input order."""
    steps = make_steps(settings)
    for doc in docs:
        yield process(doc, steps, summary.seconds)


def run_batch(
    inputs: list[str],
    out: IO[str],
    settings: Settings,
    on_document: Callable[[Summary], None] | None = None,
) -> Summary:
    """Read `inputs`, write one JSON line per document to `out`, return the summary."""
    check_rules(settings)
    summary = Summary()
    started = time.perf_counter()
    for doc in process_all(read_inputs(inputs, settings), settings, summary):
        out.write(to_json_line(doc) + "\n")
        summary.add(doc)
        if on_document:
            on_document(summary)
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
    return process(doc, make_steps(settings))
