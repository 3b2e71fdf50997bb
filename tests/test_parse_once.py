"""An HTML page is parsed once: the tree that trafilatura reads is the one the metadata pass
reads (steps/html.py)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from pipeline.config import Settings
from pipeline.process import make_steps, process
from pipeline.steps.pages import make_document

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "fixtures" / "pages").glob("*.html"))
PAGES += sorted((ROOT.parent / "shared" / "real-html").glob("*.html"))


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_a_page_is_parsed_once(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[int] = []
    real = lxml.html.document_fromstring

    def counting(*args: object, **kwargs: object) -> object:
        parses.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lxml.html, "document_fromstring", counting)
    settings = Settings()
    doc = process(make_document(path.name, {}, path.read_bytes(), settings), make_steps(settings))
    assert doc.text and len(parses) == 1
