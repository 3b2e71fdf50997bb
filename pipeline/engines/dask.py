"""The Dask engine: the same steps over partitions of the inputs, on a Dask cluster.

`--engine dask --scheduler tcp://host:8786` uses a running cluster; without a scheduler a
`dask.distributed.LocalCluster` with `--workers` processes is started for the run. Each task
reads its own files, so every worker must see the input paths (a shared file system or the
same mount). Outcomes come back in input order; at most two partitions per worker are in
flight, so the client's memory stays flat.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from pipeline.config import Settings
from pipeline.process import AlreadyDone, Outcome, make_steps, outcome_of
from pipeline.steps.read import InputError, discover, read_inputs

FILES_PER_PARTITION = 16
_steps: dict[Settings, Any] = {}


def process_files(
    names: list[str], settings: Settings, done: set[str]
) -> tuple[list[Outcome], int]:
    """Task: process the documents of these input files not in `done`; (outcomes, skipped)."""
    steps = _steps.setdefault(settings, make_steps(settings))
    outcomes, skipped = [], 0
    for doc in read_inputs(names, settings):
        if doc.id in done:
            skipped += 1
        else:
            outcomes.append(outcome_of(doc, steps, settings))
    return outcomes, skipped


def partitions(inputs: list[str], settings: Settings) -> list[list[str]]:
    """The input files in groups; stdin cannot be shared with a cluster."""
    names = [name for name, path in discover(inputs, settings)]
    if "-" in names:
        raise InputError("standard input cannot be read by a Dask cluster: give files or folders")
    return [names[i : i + FILES_PER_PARTITION] for i in range(0, len(names), FILES_PER_PARTITION)]


def run_dask(
    inputs: list[str], settings: Settings, done: set[str]
) -> Iterator[Outcome | AlreadyDone]:
    """Outcomes of the documents of `inputs` not in `done`, in input order, partition by
    partition; each partition's documents found in `done` come first, as `AlreadyDone`."""
    from dask.distributed import Client, LocalCluster  # at the edge: only this engine needs Dask

    parts = partitions(inputs, settings)
    cluster = None
    if not settings.scheduler or settings.scheduler == "local":
        cluster = LocalCluster(
            n_workers=settings.workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    client = Client(cluster if cluster is not None else settings.scheduler)
    try:
        window: deque[Any] = deque()

        def drain() -> Iterator[Outcome | AlreadyDone]:
            outcomes, skipped = window.popleft().result()
            if skipped:
                yield AlreadyDone(skipped)
            yield from outcomes

        for part in parts:
            window.append(client.submit(process_files, part, settings, done, pure=False))
            if len(window) >= 2 * max(1, settings.workers):
                yield from drain()
        while window:
            yield from drain()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
