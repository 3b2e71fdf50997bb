"""Extract: run the rule packs over the normalized text and keep the records."""

from __future__ import annotations

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.ruleset.context import Context
from pipeline.ruleset.engine import run
from pipeline.ruleset.loader import cached_ruleset


def extract(doc: Document, settings: Settings) -> Document:
    """Step: records of every kind the loaded rules produce, spans into `doc.text`."""
    ruleset = cached_ruleset(settings.rule_dirs, settings.program_cache)
    ctx = Context(
        published=doc.meta.published,
        authors=list(doc.meta.authors),
        date_line=doc.spans.get("date_line"),
        counts=doc.counts,
        rule_seconds=settings.rule_seconds,
        doc_seconds=settings.doc_seconds,
    )
    doc.records = run(ruleset, doc.text, doc.segmentation, context=ctx)
    for message in ctx.errors:
        doc.error("extract", message)
    return doc
