"""The local engine: one process, or a pool of worker processes fed through a bounded window.

Each worker loads the rules and the models once (the pool initializer). At most
`WINDOW_PER_WORKER * workers` documents are in flight, so memory stays flat however large the
input; outcomes come back in input order.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.runner import Outcome, Summary, check_rules, make_steps, outcome_of, pending

WINDOW_PER_WORKER = 4
_worker: dict[str, object] = {}


def _die_with_parent() -> None:
    """A worker whose parent is killed (SIGKILL gives it no chance to stop its pool) must not
    live on: ask Linux to signal it, and watch the parent where that is not available."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        if libc.prctl(1, signal.SIGTERM) == 0 and os.getppid() == parent:  # PR_SET_PDEATHSIG
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def warm_up(settings: Settings) -> None:
    """Compile the rules and load the models now, then freeze them for the garbage collector:
    they live as long as the process, and a collection per page need not rescan them."""
    from pipeline.steps.segment import segment_text

    check_rules(settings)
    segment_text("Khởi động.").words_in((0, 10))
    import trafilatura  # noqa: F401 - loaded before the freeze like the rest

    gc.freeze()


def _init(settings: Settings) -> None:
    """Per worker: compile the rules, import the models, build the steps once."""
    _die_with_parent()
    warm_up(settings)
    _worker["settings"], _worker["steps"] = settings, make_steps(settings)


def _work(doc: Document) -> Outcome:
    settings = _worker["settings"]
    assert isinstance(settings, Settings)
    return outcome_of(doc, _worker["steps"], settings)  # type: ignore[arg-type]


def run_local(
    inputs: list[str], settings: Settings, done: set[str], summary: Summary
) -> Iterator[Outcome]:
    docs = pending(inputs, settings, done, summary)
    if settings.workers <= 1:
        warm_up(settings)
        steps = make_steps(settings)
        for doc in docs:
            yield outcome_of(doc, steps, settings)
        return
    window: deque[Future[Outcome]] = deque()
    with ProcessPoolExecutor(settings.workers, initializer=_init, initargs=(settings,)) as pool:
        for doc in docs:
            window.append(pool.submit(_work, doc))
            if len(window) >= WINDOW_PER_WORKER * settings.workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
