"""Validation helpers for rule files: every problem names the file, the entry and the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import regex
import yaml

from pipeline.ruleset import programs

P = ParamSpec("P")
T = TypeVar("T")


class RuleError(ValueError):
    """Rule packs that cannot be used: each of `problems` says where (`file: rule id: field:
    problem`); the message is all of them, one per line."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)

    def __reduce__(self) -> tuple[type[RuleError], tuple[str, ...]]:
        return type(self), tuple(self.problems)  # across processes, with its problems


class Problems:
    """The problems found so far, so that a load reports every one at once (as spaCy's
    `validate_token_pattern` does) instead of stopping at the first.

    >>> problems = Problems()
    >>> problems.check(string_list, ["a"], "p.yaml: x"), problems.check(string_list, 5, "p.yaml: y")
    (['a'], None)
    >>> problems.add("p.yaml: z: wrong"); problems.found
    ['p.yaml: y: must be a list of strings', 'p.yaml: z: wrong']
    """

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, message: str) -> None:
        self.found.append(message)

    def check(self, step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """`step(...)`, or None when it raised a RuleError, whose problems are kept."""
        try:
            return step(*args, **kwargs)
        except RuleError as exc:
            self.found.extend(exc.problems)
            return None

    def raise_any(self) -> None:
        """Raise one RuleError listing every problem found, if any."""
        if self.found:
            raise RuleError(*self.found)


def where(path: Path | str, *parts: object) -> str:
    """Join a location for messages.

    >>> where("rules/awards.yaml", "rule award_count", "fields.individuals")
    'rules/awards.yaml: rule award_count: fields.individuals'
    """
    return ": ".join([str(path), *(str(p) for p in parts if p not in (None, ""))])


#: libyaml's safe loader when PyYAML was built with it (the same data, read several times
#: faster: rule packs are read at every start), else the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> dict[str, Any]:
    """Read one YAML file that must hold a mapping."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from exc
    except ValueError as exc:  # a value YAML reads as a date that is none: "2013-13-03"
        raise RuleError(f"{path}: not valid YAML: {exc}") from exc
    except OSError as exc:
        raise RuleError(f"{path}: cannot read: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RuleError(f"{path}: the top level must be a mapping, not {type(data).__name__}")
    return data


def check_keys(
    obj: Any, loc: str, allowed: set[str] | frozenset[str], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Check that `obj` is a mapping with only `allowed` keys and all `required` ones
    (a RuleError lists every key that is not)."""
    if not isinstance(obj, dict):
        raise RuleError(f"{loc}: must be a mapping, not {type(obj).__name__}")
    problems = [
        f"{loc}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})"
        for key in obj
        if key not in allowed
    ]
    problems += [f"{loc}: missing required key '{key}'" for key in required if key not in obj]
    if problems:
        raise RuleError(*problems)
    return obj


def string_list(obj: Any, loc: str) -> list[str]:
    """A list of strings, or a clear error."""
    if not isinstance(obj, list) or not all(isinstance(x, str) for x in obj):
        raise RuleError(f"{loc}: must be a list of strings")
    return list(obj)


def pattern_text(value: Any, loc: str) -> str:
    """A pattern written as one string or as a list of parts (each may be followed by a YAML
    comment), the parts joined with nothing between them.

    >>> pattern_text(["(?P<count>[0-9]+) ", "(?:đại biểu|khách mời)"], "p.yaml: rule r: pattern")
    '(?P<count>[0-9]+) (?:đại biểu|khách mời)'
    >>> pattern_text(["a", ""], "p.yaml: pattern")
    Traceback (most recent call last):
    pipeline.ruleset.schema.RuleError: p.yaml: pattern[1]: a part must be a non-empty string, not ''
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise RuleError(
            f"{loc}: must be a pattern string or a list of its parts, not {type(value).__name__}"
        )
    if not value:
        raise RuleError(f"{loc}: an empty list (a pattern needs at least one part)")
    bad = [f"{loc}[{i}]: a part must be a non-empty string, not {part!r}"
           for i, part in enumerate(value) if not isinstance(part, str) or not part]  # fmt: skip
    if bad:
        raise RuleError(*bad)
    return "".join(value)


def compile_pattern(pattern: Any, loc: str, flags: int = 0) -> regex.Pattern[str]:
    """Compile with the `regex` package (through the program store of a load in progress,
    ruleset/programs.py); a bad pattern names its column and the regex error."""
    if not isinstance(pattern, str) or not pattern:
        raise RuleError(f"{loc}: pattern must be a non-empty string")
    try:
        return programs.compile(pattern, flags)
    except regex.error as exc:
        col = f" at column {exc.pos + 1}" if exc.pos is not None else ""
        raise RuleError(f"{loc}: bad regex{col}: {exc.msg}: {pattern!r}") from exc


def iso_date(value: Any, loc: str) -> str | None:
    """A date of a rule file (an example's or a pack's `published:`, a registry document's
    `issued`) as an ISO date, YYYY-MM-DD (YAML reads 2024-03-10 as a date already).

    >>> iso_date("2024-03-10", "x"), iso_date(None, "x")
    ('2024-03-10', None)
    """
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise RuleError(f"{loc}: a date written YYYY-MM-DD, not {value!r}") from None
