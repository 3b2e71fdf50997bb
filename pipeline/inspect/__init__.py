"""Looking at what `extract` wrote: a terminal view, a static HTML report, an SQLite export.

Everything here reads the JSONL output (a file, a gzipped file or a folder of shards) and never
runs the pipeline; `load.py` reads it, `spans.py` and `summary.py` are the shared pure helpers.
"""
