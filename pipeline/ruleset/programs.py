"""Compiled regex programs kept on disk, so that a run starts in a fraction of a second.

The `regex` package parses a pattern in Python: about 7 s for the built-in packs (1.2 million
characters of pattern). What it hands its C engine is plain data (integers, strings, dicts),
so this store keeps those programs, keyed by pattern and flags, in one file per `regex` and
Python version, and rebuilds a pattern from its program without parsing it again, much as
Python keeps byte code in `__pycache__`. The programs are read through `regex`'s internal
`_regex.compile` call; any problem (no file, a damaged one, a `regex` whose internals moved)
falls back to compiling, so the store can only save time, never change a match.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import platform
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import regex
from regex import _main as regex_main

_LOCK = threading.RLock()
_ACTIVE: list[ProgramStore] = []  # the store of the load in progress, if any
_MAX_KEPT = 1024  # programs kept from earlier loads besides the ones this load used


class _Recorder:
    """Stands in for `regex`'s C module during one compile and keeps the program it is given."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.args: tuple[Any, ...] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def compile(self, *args: Any) -> Any:
        self.args = tuple(int(a) if isinstance(a, int) else a for a in args)  # flags to int
        return self.real.compile(*args)


class ProgramStore:
    """The programs of one file: `compile` serves a kept one or compiles and keeps it."""

    def __init__(self, folder: Path | None) -> None:
        tag = f"{regex.__version__}-py{platform.python_version()}"
        self.path = folder / f"regex-programs-{tag}.marshal" if folder else None
        self.kept: dict[tuple[str, int], tuple[Any, ...]] = self._read()
        self.used: dict[tuple[str, int], tuple[Any, ...]] = {}
        self.hits = self.misses = 0

    def _read(self) -> dict[tuple[str, int], tuple[Any, ...]]:
        """The kept programs, or none when the file is missing, damaged or unreadable."""
        try:
            blob = self.path.read_bytes() if self.path else b""
            digest, body = blob[:32], blob[32:]
            if not body or hashlib.sha256(body).digest() != digest:
                return {}
            return {(a[0], a[1]): tuple(a) for a in marshal.loads(body)}
        except (OSError, ValueError, EOFError, TypeError, IndexError):
            return {}

    def compile(self, pattern: str, flags: int = 0) -> regex.Pattern[str]:
        """The compiled pattern, rebuilt from a kept program when there is one."""
        key = (pattern, int(flags))
        args = self.kept.get(key)
        if args is not None:
            try:
                compiled = regex_main._regex.compile(*args[2:])
                self.used[key], self.hits = args, self.hits + 1
                return compiled  # type: ignore[no-any-return]
            except Exception:  # noqa: BLE001 - a program this regex cannot take: compile
                pass
        recorder = _Recorder(regex_main._regex)
        regex_main._regex = recorder
        try:
            compiled = regex.compile(pattern, flags, cache_pattern=False)
        finally:
            regex_main._regex = recorder.real
        if recorder.args is not None:
            self.used[key] = (pattern, int(flags), *recorder.args)
        self.misses += 1
        return compiled

    def save(self) -> None:
        """Write the programs used by this load (and some earlier ones) when any was new."""
        if not self.path or not self.misses:
            return
        older = [v for k, v in self.kept.items() if k not in self.used][:_MAX_KEPT]
        body = marshal.dumps([*self.used.values(), *older])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(hashlib.sha256(body).digest() + body)
            os.replace(tmp, self.path)  # atomic: a parallel load reads the old or the new file
        except OSError:
            pass  # a read-only home: every run compiles, as without a store


@contextmanager
def keeping(folder: Path | None) -> Iterator[ProgramStore]:
    """Within this block, `compile` goes through the store of `folder`; saved at the end."""
    with _LOCK:
        store = ProgramStore(folder)
        _ACTIVE.append(store)
        try:
            yield store
        finally:
            _ACTIVE.pop()
        store.save()


def compile(pattern: str, flags: int = 0) -> regex.Pattern[str]:  # noqa: A001
    """`regex.compile`, through the active store when a rule load is in progress."""
    return _ACTIVE[-1].compile(pattern, flags) if _ACTIVE else regex.compile(pattern, flags)
