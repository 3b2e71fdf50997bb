"""Extract: run the rule packs over the normalized text and keep the records."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.ruleset.context import Context
from pipeline.ruleset.dockeys import Keying, key_documents, keying_from
from pipeline.ruleset.engine import run
from pipeline.ruleset.loader import cached_ruleset
from pipeline.ruleset.registry import cached_registry
from pipeline.steps.sitename import host_of


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
    records = run(ruleset, doc.text, doc.segmentation, context=ctx)
    keying = dataclasses.replace(
        _keying(settings.rule_dirs, settings.program_cache), site=site_of(doc)
    )
    registry = cached_registry(settings.rule_dirs)
    named = key_documents(records, doc.text, ctx.lowered(), registry, keying)
    doc.records = sorted(records + named, key=lambda r: r.span) if named else records
    for message in ctx.errors:
        doc.error("extract", message)
    return doc


@lru_cache(maxsize=8)
def _keying(rule_dirs: tuple[Path, ...], program_cache: Path | None) -> Keying:
    """What keys read of the rule set's lexicons, built once per rule set (not per page)."""
    return keying_from(cached_ruleset(rule_dirs, program_cache).lexicons)


def site_of(doc: Document) -> str | None:
    """The page's host ("baogialai.com.vn"), else the site's name: what scopes a local key."""
    return host_of(str(doc.source.get("url") or "")) or doc.meta.site
