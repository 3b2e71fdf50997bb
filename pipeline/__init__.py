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
    content: str | bytes, url: str | None = None, format: str | None = None
) -> dict[str, Any]:
    """One page (HTML or text) to its output line as a dict.

    `format` is "html" or "text"; None sniffs it from the content.
    """
    from pipeline.runner import extract_one

    return extract_one(content, url=url, format=format).to_dict()
