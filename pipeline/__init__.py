"""vnextract: structured, checkable facts from Vietnamese news pages.

>>> from pipeline import extract
>>> page = "Ngày 23/4/2024, Tỉnh ủy đã ban hành Chỉ thị số 25-CT/TU về công tác dân vận."
>>> out = extract(page, format="text")
>>> [r["symbol"] for r in out["records"] if r["type"] == "document_ref"]
['25-CT/TU']
"""

from __future__ import annotations

from typing import Any

__all__ = ["extract"]


def extract(
    content: str | bytes,
    url: str | None = None,
    format: str | None = None,
    *,
    max_seconds: float | None = None,
) -> dict[str, Any]:
    """One page (HTML or text) to its output line as a dict.

    `format` is "html" or "text"; None sniffs it from the content.

    `max_seconds` (default: `Settings.max_seconds`, 60 s) is a hard limit from any thread: the
    page runs in a helper process that this call waits for (started on the first call and kept;
    one per CPU at most, shared by all threads). A page over the limit, or one that kills its
    helper, gets a line with a `worker` error and the helper is replaced. `max_seconds=0` runs
    the page in the calling thread with no limit.
    """
    from dataclasses import replace

    from pipeline.config import Settings
    from pipeline.process import check_rules, extract_one
    from pipeline.steps.pages import unprepared

    settings = Settings()
    if max_seconds is not None:
        if not max_seconds >= 0:
            raise ValueError(f"max_seconds must be a number >= 0, not {max_seconds!r}")
        settings = replace(settings, max_seconds=max_seconds)
    if settings.max_seconds <= 0:
        return extract_one(content, url=url, format=format, settings=settings).to_dict()
    from pipeline.engines.helpers import run_isolated

    check_rules(settings)  # a broken rule pack raises here, not in a helper
    source: dict[str, object] = {"url": url} if url else {}
    if format:
        source["format"] = format
    doc = unprepared(url or "page", source, content)
    return run_isolated(doc, settings).to_dict()
