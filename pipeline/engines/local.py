"""The local engine: worker processes on this machine, fed through a bounded window.

Documents run in worker processes (pool.py) that load the rules and models once; the parent
reads the inputs, owns each document's time limit, replaces a worker that dies or overruns
(the document gets an error line) and puts the lines back in input order. At most
`WINDOW_PER_WORKER * workers` documents are read ahead, so memory stays flat however large
the input. Only `--workers 1` with no time limit (`max_seconds` 0) runs the documents in this
process, where nothing can stop a page that hangs or crashes it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.engines.pool import Failed, Job, Pool, warm_up
from pipeline.process import AlreadyDone, Outcome, abandoned, make_steps, outcome_of, pack
from pipeline.steps.read import read_inputs

WINDOW_PER_WORKER = 4


def in_order(docs: Iterator[Document], settings: Settings, workers: int) -> Iterator[Outcome]:
    """The outcomes of `docs` from a pool of `workers` processes, in input order. The rules
    and models are loaded here, before the workers are forked: each starts with them at once
    and shares their memory (copy on write) instead of loading its own."""
    warm_up(settings)
    pool = Pool(settings, workers, outcome_of)
    todo: deque[Job] = deque()
    finished: dict[int, Outcome] = {}
    read = written = 0
    more = True
    try:
        while True:
            while written in finished:
                yield finished.pop(written)
                written += 1
            while more and read - written < WINDOW_PER_WORKER * workers:  # after the yields
                doc = next(docs, None)
                if doc is None:
                    more = False
                else:
                    todo.append(Job(read, doc))
                    read += 1
            if not more and written == read:
                return
            for job, reply in pool.step(todo):
                finished[job.seq] = _outcome(job, reply)
    finally:
        pool.close()


def _outcome(job: Job, reply: object) -> Outcome:
    """A worker's reply as an outcome; `Failed` becomes the document's error line."""
    if isinstance(reply, Failed):
        return pack(abandoned(job.doc, reply.message), {})
    assert isinstance(reply, Outcome)
    return reply


def run_local(
    inputs: list[str], settings: Settings, done: set[str]
) -> Iterator[Outcome | AlreadyDone]:
    """Outcomes of the documents of `inputs` not in `done`, in input order; the documents
    found in `done` are counted and reported as `AlreadyDone` before the next outcome."""
    skipped: list[str] = []
    docs = _not_done(read_inputs(inputs, settings), done, skipped)
    if settings.workers <= 1 and settings.max_seconds <= 0:
        warm_up(settings)
        steps = make_steps(settings)
        outcomes: Iterator[Outcome] = (outcome_of(doc, steps, settings) for doc in docs)
    else:
        outcomes = in_order(docs, settings, max(1, settings.workers))
    for outcome in outcomes:
        yield from _taken(skipped)
        yield outcome
    yield from _taken(skipped)


def _not_done(docs: Iterator[Document], done: set[str], skipped: list[str]) -> Iterator[Document]:
    """The documents not yet in the output; the ids of the others are added to `skipped`."""
    for doc in docs:
        if doc.id in done:
            skipped.append(doc.id)
        else:
            yield doc


def _taken(skipped: list[str]) -> Iterator[AlreadyDone]:
    """One `AlreadyDone` for the ids gathered in `skipped` since the last call, if any.

    >>> ids = ["a", "b"]
    >>> list(_taken(ids)), ids, list(_taken(ids))
    ([AlreadyDone(count=2)], [], [])
    """
    if skipped:
        yield AlreadyDone(len(skipped))
        skipped.clear()
