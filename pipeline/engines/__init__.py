"""How the steps run over many documents: in worker processes on this machine (local.py, with
pool.py: the parent owns each document's time limit and replaces dead workers), or on a Dask
cluster (dask.py). The Python API's helper processes are in helpers.py. Only the runner and the
API call these; engines run each document through pipeline/process.py and never import the
runner, which keeps the summary."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.config import Settings
from pipeline.process import AlreadyDone, Outcome


def run_engine(
    inputs: list[str], settings: Settings, done: set[str]
) -> Iterator[Outcome | AlreadyDone]:
    """Outcomes of the documents of `inputs` not in `done`, in input order, and how many were
    in `done` (as `AlreadyDone` counts, between them)."""
    if settings.engine == "dask":
        from pipeline.engines.dask import run_dask

        return run_dask(inputs, settings, done)
    from pipeline.engines.local import run_local

    return run_local(inputs, settings, done)
