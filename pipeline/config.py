"""One typed settings object for a run: where the rules are, input format, limits."""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

#: The choices of the settings that take one; `Settings` checks them, the CLI offers them.
InputFormat = Literal["auto", "html", "text"]
Engine = Literal["local", "dask"]
Extraction = Literal["checked", "full"]

#: The built-in rule packs: `rules/` beside the package (the repository layout).
BUILTIN_RULES = Path(__file__).resolve().parent.parent / "rules"


def _default_rule_dirs() -> tuple[Path, ...]:
    override = os.environ.get("VNEXTRACT_RULES")
    return (Path(override),) if override else (BUILTIN_RULES,)


def _default_program_cache() -> Path | None:
    """$VNEXTRACT_CACHE ("off" for none), else `vnextract` in the user's cache folder (none
    when the user has no home folder)."""
    chosen = os.environ.get("VNEXTRACT_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "none", "0") else Path(chosen)
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no HOME and no entry in the password database
        return None
    return Path(base) / "vnextract"


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told. Defaults suit a laptop run over a crawl folder."""

    rule_dirs: tuple[Path, ...] = field(default_factory=_default_rule_dirs)
    #: Where the rules' compiled regex patterns are kept between runs (ruleset/programs.py),
    #: so that loading them takes about half a second instead of seven; None compiles every
    #: time.
    program_cache: Path | None = field(default_factory=_default_program_cache)
    #: "auto" sniffs each input; "html" or "text" forces one.
    input_format: InputFormat = "auto"
    #: Inputs larger than this are not parsed: the document gets an error line instead.
    max_bytes: int = 20_000_000
    #: Seconds one rule may spend matching in one document (over it, the rule is skipped for
    #: that page, with an error entry), and all rules together (over it, extraction stops with
    #: an error entry); `max_seconds` bounds the whole document, all steps included.
    rule_seconds: float = 2.0
    doc_seconds: float = 20.0
    #: Seconds one document may take through all the steps (0: no limit).
    max_seconds: float = 60.0
    #: Worker processes for the local engine (1 runs in this process).
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    #: "local" (this machine) or "dask" (a Dask cluster at `scheduler`, or a local one).
    engine: Engine = "local"
    scheduler: str | None = None
    #: Documents per output shard when -o names a folder.
    shard_size: int = 1000
    #: HTML: "checked" runs trafilatura's fast extraction and its full comparison with
    #: readability and jusText only when the fast text looks short against the page's main
    #: block; "full" runs the full comparison on every page (steps/html.py: main_text).
    extraction: Extraction = "checked"
    #: Where the run writes (a file or a folder of shards): never read as an input, so that
    #: `extract crawl/ -o crawl/out.jsonl` does not read its own output.
    output: str | None = None
    #: Input file endings read from directories (each also with ".gz").
    suffixes: tuple[str, ...] = (".html", ".htm", ".txt", ".jsonl", ".warc")

    def __post_init__(self) -> None:
        """Refuse values no run can use: ValueError naming the setting and what it takes."""
        for name in ("max_bytes", "shard_size", "workers"):
            _check_number(name, getattr(self, name), minimum=1, integer=True)
        for name in ("rule_seconds", "doc_seconds"):
            _check_number(name, getattr(self, name), minimum=0, positive=True)
        _check_number("max_seconds", self.max_seconds, minimum=0)
        for name, choices in (
            ("input_format", InputFormat),
            ("extraction", Extraction),
            ("engine", Engine),
        ):
            _check_choice(name, getattr(self, name), get_args(choices))
        if self.engine == "dask":
            _check_installed("dask", "distributed", extra="dask")


def default(name: str) -> Any:
    """The default value of the setting `name` (what the CLI shows and uses when not told).

    >>> default("max_seconds"), default("engine")
    (60.0, 'local')
    """
    spec = Settings.__dataclass_fields__[name]
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    return spec.default


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    """ValueError unless `value` is one of `choices`, named exactly (no case folding).

    >>> _check_choice("engine", "Dask", ("local", "dask"))
    Traceback (most recent call last):
    ...
    ValueError: engine: 'Dask' is not one of local, dask
    """
    if value not in choices:
        raise ValueError(f"{name}: {value!r} is not one of {', '.join(choices)}")


def _check_installed(*modules: str, extra: str) -> None:
    """ValueError naming the install command when an optional dependency is missing (checked
    without importing it, before any input is read)."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise ValueError(
            f"engine: {extra} needs {' and '.join(missing)}, not installed here; install it "
            f"with: pip install 'dask[distributed]' (in a clone: pip install -e '.[{extra}]')"
        )


def _check_number(
    name: str, value: object, minimum: float, integer: bool = False, positive: bool = False
) -> None:
    """ValueError unless `value` is a finite number >= `minimum` (> when `positive`), and an
    integer where `integer` says so.

    >>> _check_number("max_seconds", float("nan"), minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: max_seconds: nan is not a finite number
    """
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ValueError(f"{name}: {value!r} is not {'an integer' if integer else 'a number'}")
    if not math.isfinite(value):
        raise ValueError(f"{name}: {value!r} is not a finite number")
    if value < minimum or (positive and value <= minimum):
        bound = f"over {minimum:g}" if positive else f"at least {minimum:g}"
        raise ValueError(f"{name}: {value!r} must be {bound}")
