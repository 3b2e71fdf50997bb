"""The Python API's time limit: each page runs in a helper process the caller's thread waits
for, so the limit holds from any thread, even when a C call blocks the alarm.

Helpers are pools of one worker (pool.py), started on first use and kept for the next calls:
at most one per CPU, shared by all threads (a thread waits for a free one). A page over
`max_seconds` (+ pool.GRACE) or whose helper dies gets a `worker` error and the helper is
replaced.
"""

from __future__ import annotations

import os
import threading
from collections import deque

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.engines.pool import Failed, Job, Pool, document_of
from pipeline.process import abandoned

_free: list[Pool] = []
_count = 0
_changed = threading.Condition()


def run_isolated(doc: Document, settings: Settings) -> Document:
    """Process `doc` in a helper process; the processed document, or its error line."""
    pool = _take(settings)
    try:
        todo = deque([Job(0, doc)])
        while not (finished := pool.step(todo)):
            pass
    except BaseException:
        _drop(pool)
        raise
    _give_back(pool)
    reply = finished[0][1]
    if isinstance(reply, Failed):
        return abandoned(doc, reply.message)
    assert isinstance(reply, Document)
    return reply


def _take(settings: Settings) -> Pool:
    """A free helper for these settings, else a new one (one per CPU at most: a free helper
    for other settings is stopped to make room, else the thread waits)."""
    global _count
    stale = None
    with _changed:
        while True:
            for pool in _free:
                if pool.settings == settings:
                    _free.remove(pool)
                    return pool
            if _count < (os.cpu_count() or 1):
                _count += 1
                break
            if _free:
                stale = _free.pop(0)
                break
            _changed.wait()
    if stale is not None:
        stale.close()
    try:
        return Pool(settings, 1, document_of)
    except BaseException:
        _drop(None)
        raise


def _give_back(pool: Pool) -> None:
    with _changed:
        _free.append(pool)
        _changed.notify()


def _drop(pool: Pool | None) -> None:
    """Forget a helper that could not finish its call (or start)."""
    global _count
    if pool is not None:
        pool.close()
    with _changed:
        _count -= 1
        _changed.notify()


def shutdown() -> None:
    """Stop the free helpers (they also end with this process)."""
    global _count
    with _changed:
        pools, _free[:] = list(_free), []
        _count -= len(pools)
        _changed.notify_all()
    for pool in pools:
        pool.close()
