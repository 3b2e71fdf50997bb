"""Explain one text: what normalization, segmentation and each rule made of it, and why
candidates were rejected. The core of `vnextract explain`; printing is cli.py's job."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.config import Settings
from pipeline.ruleset.context import Context
from pipeline.ruleset.engine import run
from pipeline.ruleset.loader import cached_ruleset
from pipeline.runner import check_rules
from pipeline.steps.clean import clean
from pipeline.steps.normalize import normalize
from pipeline.steps.read import make_document
from pipeline.steps.segment import segment


@dataclass
class Explanation:
    text: str
    meta: dict[str, Any]
    dropped: list[dict[str, str]]
    sentences: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


def explain(content: str, settings: Settings, format: str = "text") -> Explanation:
    """Run one page through the steps with tracing on; every sentence is word-segmented."""
    check_rules(settings)
    doc = make_document("explain", {"format": format}, content, settings)
    doc = segment(normalize(clean(doc, settings)))
    ctx = Context(published=doc.meta.published, authors=list(doc.meta.authors), trace=[])
    ctx.date_line = doc.spans.get("date_line")
    records = run(
        cached_ruleset(settings.rule_dirs, settings.program_cache),
        doc.text,
        doc.segmentation,
        context=ctx,
    )
    seg = doc.segmentation
    out = Explanation(doc.text, doc.meta.to_dict(), doc.dropped)
    for start, end in seg.sentences:
        words = [doc.text[s:e] for s, e in seg.words_in((start, end))]
        out.sentences.append({"span": [start, end], "text": doc.text[start:end], "words": words})
    out.records = [r.to_dict() for r in records]
    out.rejected = list(ctx.trace or [])
    return out
