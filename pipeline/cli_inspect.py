"""The inspection commands: `show`, `report`, `export`. Parsing and printing only.

    vnextract show OUT [--doc ID] [--type KIND] [--summary]   terminal view (rich)
    vnextract report OUT -o DIR                               static HTML report
    vnextract export OUT --sqlite FILE                        SQLite database

OUT is what `extract` wrote: a .jsonl file, a .jsonl.gz file, a folder of shards, or `-`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.inspect.export import export_sqlite
from pipeline.inspect.load import Batch, LoadError, load_batch
from pipeline.inspect.report import write_report
from pipeline.inspect.show import find_document, make_console, render_document, render_summary
from pipeline.inspect.summary import summarize

OUTPUT_HELP = "what `extract` wrote: a .jsonl (or .jsonl.gz) file, a folder of shards, or -"


def add_inspect_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `show`, `report` and `export` on the main parser."""
    show = sub.add_parser("show", help="show documents and their records in the terminal")
    show.add_argument("output", metavar="OUT", help=OUTPUT_HELP)
    show.add_argument("--doc", metavar="ID", help="one document: its id, the end of it, or #N")
    show.add_argument("--type", metavar="KIND", help="only records of this kind (e.g. official)")
    show.add_argument(
        "--summary", action="store_true", help="counts per kind, rule, site; errors; no records"
    )
    report = sub.add_parser("report", help="write a static HTML report of a batch")
    report.add_argument("output", metavar="OUT", help=OUTPUT_HELP)
    report.add_argument("-o", "--out", required=True, metavar="DIR", help="folder for the report")
    export = sub.add_parser("export", help="export a batch to an SQLite database")
    export.add_argument("output", metavar="OUT", help=OUTPUT_HELP)
    export.add_argument("--sqlite", required=True, metavar="FILE", help="database to (re)write")


def _load(path: str) -> Batch | None:
    try:
        batch = load_batch(path)
    except LoadError as exc:
        print(f"vnextract: {exc}", file=sys.stderr)
        return None
    for problem in batch.problems:
        print(f"vnextract: {problem}", file=sys.stderr)
    return batch


def run_show(args: argparse.Namespace) -> int:
    batch = _load(args.output)
    if batch is None:
        return 2
    console = make_console()
    if args.summary:
        render_summary(console, summarize(batch.documents))
        return 0
    if args.doc:
        try:
            docs = [find_document(batch.documents, args.doc)]
        except LookupError as exc:
            print(f"vnextract: {exc}", file=sys.stderr)
            return 2
    else:
        docs = [
            d
            for d in batch.documents
            if not args.type or any(r.get("type") == args.type for r in d["records"])
        ]
    for doc in docs:
        render_document(console, doc, args.type)
    if not docs:
        print(f"no documents with {args.type} records", file=sys.stderr)
    return 0


def run_report(args: argparse.Namespace) -> int:
    batch = _load(args.output)
    if batch is None:
        return 2
    index = write_report(batch.documents, Path(args.out))
    print(f"{len(batch.documents)} documents -> {index}", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    batch = _load(args.output)
    if batch is None:
        return 2
    result = export_sqlite(batch.documents, Path(args.sqlite))
    fts = "with" if result.fts else "without (this SQLite has no FTS5)"
    print(
        f"{result.documents} documents, {result.records} records -> {args.sqlite}, "
        f"{fts} the full-text table doc_text",
        file=sys.stderr,
    )
    return 0
