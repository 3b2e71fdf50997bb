"""Compiled regex patterns kept on disk, so that a run starts in a fraction of a second.

The `regex` package parses a pattern in Python: about 7 s for the built-in packs (1.2 million
characters of pattern). A compiled pattern pickles with its program (regex's own pickle
support hands the program back to its C engine, with no parsing), so this store keeps the
pickled patterns, keyed by pattern and flags, in one file per build of `regex` and Python,
much as Python keeps byte code in `__pycache__`. The file is read only when the current user
owns it and no one else may write to it (a pickle runs what it holds); a missing, foreign or
damaged file, or an entry whose pattern is not its key, is compiled again: the store can only
save time, never change a match.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import platform
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import regex

#: The layout of the file; a change of it, of `regex` or of Python names another file.
_LAYOUT = 1
#: The bytes of entries kept from earlier loads besides the ones this load used (the page
#: rules' when the record rules load, another rule folder's, earlier versions of an edited
#: rule), the most recently used first; the rest are dropped when the file is written again.
#: (Counted in bytes: an entry takes 1 KB to a few hundred, and rules edited often had left
#: 40 MB of old ones behind.)
_OLDER_BYTES = 8_000_000
_LOCK = threading.RLock()
_ACTIVE: list[ProgramStore] = []  # the store of the load in progress, if any

Key = tuple[str, int]


def _build_tag() -> str:
    """What the kept programs depend on: this layout, the `regex` release and its C module's
    build, its default version, and Python's version.

    >>> len(_build_tag())
    16
    """
    origin = importlib.util.find_spec("regex._regex")
    so = os.stat(origin.origin) if origin and origin.origin else None
    parts = (_LAYOUT, regex.__version__, regex.DEFAULT_VERSION, platform.python_version(),
             so and (so.st_size, so.st_mtime_ns))  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _trusted(path: Path) -> bool:
    """The file is the current user's and no one else may write to it or its folder."""
    try:
        for st in (os.stat(path), os.stat(path.parent)):
            if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return False
    except OSError:
        return False
    return True


class ProgramStore:
    """The patterns of one file: `compile` serves a kept one or compiles and keeps it."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / f"regex-programs-{_build_tag()}.pickle" if folder else None
        self.kept: dict[Key, bytes] = self._read()
        self.used: dict[Key, bytes] = {}
        self.hits = self.misses = 0

    def _read(self) -> dict[Key, bytes]:
        """The kept entries (pickled patterns by key), or none when the file is missing,
        not trusted, or damaged (its digest, written before it, does not match)."""
        if not self.path or not _trusted(self.path):
            return {}
        try:
            blob = self.path.read_bytes()
            digest, body = blob[:32], blob[32:]
            if hashlib.sha256(body).digest() != digest:
                return {}
            entries = pickle.loads(body)
            return {(str(p), int(f)): bytes(b) for (p, f), b in entries.items()}
        except Exception:  # noqa: BLE001 - any damage: compile everything again
            return {}

    def compile(self, pattern: str, flags: int = 0) -> regex.Pattern[str]:
        """The compiled pattern, unpickled from a kept entry when there is a good one."""
        key = (pattern, int(flags))
        kept = self.kept.get(key)
        if kept is not None:
            with suppress(Exception):  # an entry this regex cannot take: compile it
                compiled = pickle.loads(kept)
                if isinstance(compiled, regex.Pattern) and compiled.pattern == pattern:
                    self.used[key], self.hits = kept, self.hits + 1
                    return compiled
        compiled = regex.compile(pattern, flags)
        self.used[key], self.misses = pickle.dumps(compiled), self.misses + 1
        return compiled

    def save(self) -> None:
        """Write the entries this load used, and a few earlier ones, when any was new; a
        write that fails leaves no temporary file behind and only costs the next run time."""
        if not self.path or not self.misses:
            return
        body = pickle.dumps({**self.used, **_older(self.kept, self.used)})
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(hashlib.sha256(body).digest() + body)
            os.replace(tmp, self.path)  # atomic: a parallel load reads the old or the new file
            tmp = None
        except OSError:
            pass  # a read-only home: every run compiles, as without a store
        finally:
            if tmp is not None:
                with suppress(OSError):
                    os.unlink(tmp)


def _older(kept: dict[Key, bytes], used: dict[Key, bytes]) -> dict[Key, bytes]:
    """The entries of `kept` (most recently used first) not in `used`, up to _OLDER_BYTES.

    >>> _older({("a", 0): b"12", ("b", 0): b"3", ("c", 0): b"x" * _OLDER_BYTES}, {("b", 0): b""})
    {('a', 0): b'12'}
    """
    out: dict[Key, bytes] = {}
    size = 0
    for key, value in kept.items():
        if key in used:
            continue
        size += len(value)
        if size > _OLDER_BYTES:
            break
        out[key] = value
    return out


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
