"""The unit of work: one input page as it moves through the steps, and the records found in it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


class DocumentTimeout(Exception):
    """A document ran over its time limit (Settings.max_seconds): raised by the runner's
    alarm inside whatever step is running, and never to be taken for that step's error."""


@dataclass
class Meta:
    """Page metadata: headline, publication time (ISO 8601), bylines (people), site name."""

    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    site: str | None = None
    # Where each value came from ("json-ld", "meta:article:published_time", "date-line" ...),
    # so a wrong value can be traced; not part of the output contract.
    provenance: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "published": self.published,
            "authors": list(self.authors),
            "site": self.site,
        }


@dataclass
class Record:
    """One extracted fact: its kind, where it is in `Document.text`, the rule, its fields."""

    type: str
    span: tuple[int, int]
    text: str
    rule: str
    fields: dict[str, Any] = field(default_factory=dict)
    # Each mention's match with the context its attach rules read ("..., ngày 3/6/2013 của Ban
    # Bí thư"); used to link records of different kinds, not part of the output.
    extents: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "span": [self.span[0], self.span[1]],
            "text": self.text,
            "rule": self.rule,
        }
        out.update(self.fields)
        return out


@dataclass
class Document:
    """A page from read to write. `raw` is the input as read; `text` the cleaned main text."""

    id: str
    source: dict[str, Any]
    raw: str | bytes = ""
    text: str = ""
    meta: Meta = field(default_factory=Meta)
    records: list[Record] = field(default_factory=list)
    #: What was lost or could not be done ("binary data, not a page"); see `notes` for repairs.
    errors: list[dict[str, str]] = field(default_factory=list)
    #: What was repaired or decided on the way, nothing lost ("decoded as windows-1258 (declared)").
    notes: list[dict[str, str]] = field(default_factory=list)
    dropped: list[dict[str, str]] = field(default_factory=list)
    # False while `raw` is as read (bytes, or text not yet repaired): the read step's
    # `prepare` decodes it where the other steps run (a worker), not in the reading process.
    prepared: bool = True
    # True once `text` is in normal form (clean normalizes the lines it filters), so that the
    # normalize step does not do the same work twice.
    normalized: bool = False
    # Where the page's own parts are in `text`: "title", "date_line", "byline" (set by clean).
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Counters for everything discarded or rejected on the way ("dropped.menu", "rejected.overlap").
    counts: Counter[str] = field(default_factory=Counter)
    # Filled by the segment step: sentence spans, and a lazy word segmenter (see steps/segment.py).
    segmentation: Any = None

    @property
    def format(self) -> str:
        return str(self.source.get("format", "text"))

    def error(self, stage: str, message: str) -> None:
        """Record a per-document problem; the document still gets its output line."""
        self.errors.append({"stage": stage, "message": message})
        self.counts[f"errors.{stage}"] += 1

    def note(self, stage: str, message: str) -> None:
        """Record a repair or a decision made for the page (a charset, a converted font): not an
        error, since nothing was lost, but said so that a user can check it."""
        self.notes.append({"stage": stage, "message": message})
        self.counts[f"notes.{stage}"] += 1

    def drop(self, line: str, reason: str) -> None:
        """Record a line removed by cleaning, with the reason, and count it."""
        self.dropped.append({"reason": reason, "text": line})
        self.counts[f"dropped.{reason}"] += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "meta": self.meta.to_dict(),
            "text": self.text,
            "records": [r.to_dict() for r in self.records],
            "errors": list(self.errors),
            "notes": list(self.notes),
            "dropped": list(self.dropped),
        }
