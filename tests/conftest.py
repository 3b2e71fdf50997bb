"""Shared fixtures: the built-in rule set and page rules, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import BUILTIN_RULES, Settings
from pipeline.ruleset.loader import RuleSet, cached_ruleset
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
