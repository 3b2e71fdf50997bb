"""Shared fixtures: the built-in rule set and page rules, loaded once per test session, and the
outputs the inspection tests read (fixtures, real pages, a hostile batch)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import BUILTIN_RULES, Settings
from pipeline.ruleset.loader import cached_ruleset
from pipeline.ruleset.model import RuleSet
from pipeline.ruleset.page import PageRules, load_page_rules

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return cached_ruleset((BUILTIN_RULES,))


@pytest.fixture(scope="session")
def page_rules() -> PageRules:
    return load_page_rules((BUILTIN_RULES,))


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(rule_dirs=(BUILTIN_RULES,))


# --- Outputs for the inspection commands (show, report, export) -------------------------------

PAYLOAD_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
PAYLOAD_ATTR = '"><svg onload="window.__pwned=1">'
JS_LINK = '<a href="javascript:window.__pwned=1">Trang chủ</a>'


def _extract_to(src: Path, out: Path) -> Path:
    from pipeline.cli import main

    assert main(["extract", str(src), "-o", str(out), "-q", "--workers", "1"]) == 0
    return out


@pytest.fixture(scope="session")
def fixtures_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `make run` writes: the fixture pages extracted to one JSONL file."""
    return _extract_to(ROOT / "fixtures" / "pages", tmp_path_factory.mktemp("fx") / "out.jsonl")


@pytest.fixture(scope="session")
def real_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real pages of ../shared/real-html extracted, in gzipped shards of two documents."""
    real = SHARED / "real-html"
    if not real.exists():
        pytest.skip("../shared/real-html is not beside this checkout")
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("real") / "shards"
    args = ["extract", str(real), "-o", f"{out}/", "-q", "--workers", "1", "--shard-size", "2"]
    assert main(args) == 0
    return out


@pytest.fixture()
def hostile_docs() -> list[dict]:
    """Three output lines: one whose every field carries script and attribute-injection
    payloads, one ordinary, one without records; distinct kinds, rules, sites and errors so
    that each filter of the report's index has a different answer."""
    text = (
        f"Tỉnh ủy Yên Bái họp {PAYLOAD_TITLE} ngày 4/3/2024.\n"
        f"Ông Nguyễn Văn An, Bí thư Tỉnh ủy Yên Bái {PAYLOAD_ATTR} dự.\n"
    )
    date, official = "ngày 4/3/2024", "Ông Nguyễn Văn An, Bí thư Tỉnh ủy Yên Bái"
    d0, o0 = text.index(date), text.index(official)
    hostile = {
        "id": "../../evil/<script>window.__pwned=1</script>.html",
        "source": {"url": "javascript:window.__pwned=1", "format": "html"},
        "meta": {"title": PAYLOAD_TITLE, "published": "2024-03-04T09:15:00+07:00",
                 "authors": [PAYLOAD_ATTR], "site": PAYLOAD_ATTR},
        "text": text,
        "records": [
            {"type": "date", "span": [d0, d0 + len(date)], "text": date, "rule": "date_full",
             "role": "event", "value": "2024-03-04", "note": PAYLOAD_TITLE},
            {"type": "official", "span": [o0, o0 + len(official)], "text": official,
             "rule": PAYLOAD_ATTR, "name": "Nguyễn Văn An", "titles": ["Bí thư Tỉnh ủy Yên Bái"]},
        ],
        "errors": [{"stage": "clean", "message": PAYLOAD_TITLE}],
        "dropped": [{"reason": "menu", "text": JS_LINK}],
    }  # fmt: skip
    ordinary_text = "Thực hiện Nghị quyết số 35-NQ/TW, Tỉnh ủy tặng Bằng khen cho 9 tập thể."
    ref, award = "Nghị quyết số 35-NQ/TW", "9 tập thể"
    r0, a0 = ordinary_text.index(ref), ordinary_text.index(award)
    ordinary = {
        "id": "pages/son-la.html", "source": {"path": "pages/son-la.html", "format": "html"},
        "meta": {"title": "Sơn La sơ kết Nghị quyết 35", "published": "2023-12-13T16:45",
                 "authors": [], "site": "Báo Sơn La"},
        "text": ordinary_text,
        "records": [
            {"type": "document_ref", "span": [r0, r0 + len(ref)], "text": ref,
             "rule": "docref_party_symbol", "symbol": "35-NQ/TW", "doc_type": "Nghị quyết",
             "number": "35"},
            {"type": "award", "span": [a0, a0 + len(award)], "text": award, "rule": "award_tally",
             "award": "Bằng khen", "grantor": "Tỉnh ủy", "collectives": 9},
        ],
        "errors": [], "dropped": [],
    }  # fmt: skip
    empty = {
        "id": "pages/gia-vang.txt", "source": {"path": "pages/gia-vang.txt", "format": "text"},
        "meta": {"title": "Giá vàng hôm nay", "published": None, "authors": [], "site": None},
        "text": "Giá vàng hôm nay giảm nhẹ.", "records": [], "errors": [], "dropped": [],
    }  # fmt: skip
    return [hostile, ordinary, empty]


@pytest.fixture()
def hostile_jsonl(tmp_path: Path, hostile_docs: list[dict]) -> Path:
    path = tmp_path / "hostile.jsonl"
    lines = [json.dumps(d, ensure_ascii=False) for d in hostile_docs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
