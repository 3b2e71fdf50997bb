"""How the steps run over many documents: in worker processes on this machine (local.py, with
pool.py: the parent owns each document's time limit and replaces dead workers), or on a Dask
cluster (dask.py). The Python API's helper processes are in helpers.py. Only the runner and the
API call these."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pipeline.config import Settings

if TYPE_CHECKING:
    from pipeline.runner import Outcome, Summary


def run_engine(
    inputs: list[str], settings: Settings, done: set[str], summary: Summary
) -> Iterator[Outcome]:
    """Outcomes of the documents of `inputs` not in `done`, in input order."""
    if settings.engine == "dask":
        from pipeline.engines.dask import run_dask

        return run_dask(inputs, settings, done, summary)
    from pipeline.engines.local import run_local

    return run_local(inputs, settings, done, summary)
