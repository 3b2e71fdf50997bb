"""Command-line options to Settings, in one place: the argparse types, and the one function
that turns parsed options into a checked `Settings` (defaults come from `Settings` itself)."""

from __future__ import annotations

import argparse
import dataclasses
import math
from collections.abc import Iterable
from pathlib import Path

from pipeline.config import Settings

#: Settings field -> argparse destination, for the options a command may take.
OPTIONS = {
    "input_format": "format",
    "max_bytes": "max_bytes",
    "max_seconds": "max_seconds",
    "workers": "workers",
    "engine": "engine",
    "scheduler": "scheduler",
    "shard_size": "shard_size",
    "output": "output",
}


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1.

    >>> positive_int("5")
    5
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def worker_count(text: str) -> int:
    """An argparse type: 0 (the machine's cores) or a positive number of workers.

    >>> worker_count("0"), worker_count("3")
    (0, 3)
    """
    return 0 if text.strip() == "0" else positive_int(text)


def seconds(text: str) -> float:
    """An argparse type: a finite number of seconds, 0 or more (0: no limit).

    >>> seconds("2.5")
    2.5
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number of seconds, 0 or more")
    return value


def settings_from_args(args: argparse.Namespace, extra_rules: Iterable[Path] = ()) -> Settings:
    """The Settings of a command: the options it was given over the defaults, the built-in rule
    folders followed by `extra_rules`; ValueError (from Settings) names a value no run can use.

    >>> args = argparse.Namespace(max_seconds=5.0, workers=0, engine="local")
    >>> s = settings_from_args(args)
    >>> s.max_seconds, s.workers == Settings().workers, s.engine
    (5.0, True, 'local')
    """
    base = Settings()
    given = {
        name: getattr(args, dest)
        for name, dest in OPTIONS.items()
        if getattr(args, dest, None) is not None
    }
    if given.get("workers") == 0:  # 0: the machine's cores, the default
        del given["workers"]
    extra = tuple(p for p in extra_rules if p not in base.rule_dirs)
    return dataclasses.replace(base, rule_dirs=(*base.rule_dirs, *extra), **given)
