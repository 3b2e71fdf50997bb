"""The calendar grammar of `rules/calendar.yaml` for code outside the rule packs.

The date rules, a document's date and the page's date line read dates with the same
definitions: the packs through the loader (a pack without rules shares its definitions), the
page's date line (steps/pagemeta.py) through `calendar_pattern`, expanded once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.config import BUILTIN_RULES
from pipeline.ruleset.loader import PACK_KEYS, expand
from pipeline.ruleset.schema import RuleError, check_keys, load_yaml, pattern_text, where

#: The built-in calendar grammar (the date line is the built-in one, whatever packs a run uses).
CALENDAR = BUILTIN_RULES / "calendar.yaml"


@lru_cache(maxsize=4)
def _pack(path: Path) -> dict[str, Any]:
    pack = check_keys(load_yaml(path), str(path), PACK_KEYS)
    if pack.get("rules"):
        raise RuleError(where(path, "rules", "the calendar grammar has no rules to share"))
    return pack


def calendar_lexicon(name: str, path: Path = CALENDAR) -> dict[str, str]:
    """One of the grammar's word tables (a written word -> its value).

    >>> calendar_lexicon("month_names")["giêng"]
    '1'
    """
    table = (_pack(path).get("lexicons") or {}).get(name)
    if not isinstance(table, dict):
        raise RuleError(where(path, f"lexicons.{name}", "no such table of words"))
    return {str(k): str(v) for k, v in table.items()}


@lru_cache(maxsize=16)
def calendar_pattern(name: str, path: Path = CALENDAR) -> str:
    """A definition of the grammar written out, its definitions and word lists in place.

    >>> import regex
    >>> regex.fullmatch(calendar_pattern("DMY"), "16/6/2022")["m"]
    '6'
    """
    pack = _pack(path)
    defines = {
        str(k): pattern_text(v, where(path, f"define.{k}"))  # a string, or a list of parts
        for k, v in (pack.get("define") or {}).items()
    }
    lexicons = {k: calendar_lexicon(k, path) for k in pack.get("lexicons") or {}}
    loc = where(path, f"define.{name}")
    return expand("{" + name + "}", defines, lexicons, loc, calls=False)
