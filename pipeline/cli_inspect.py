"""The inspection commands: `show`, `report`, `export`. Parsing and printing only.

    vnextract show OUT [--doc ID] [--type KIND] [--summary]   terminal view (rich)
    vnextract report OUT -o DIR                               static HTML report
    vnextract export OUT --sqlite FILE                        SQLite database
    vnextract corpus OUT -o FILE                              the same database, for its
                                                              corpus tables (inspect/corpus.py)

OUT is what `extract` wrote: a .jsonl file, a .jsonl.gz file, a folder of shards, or `-`.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.inspect.load import Documents

# The inspection modules (the terminal view's and the report's, the corpus export) are imported
# by the command that needs them: `extract` starts without them.

OUTPUT_HELP = "what `extract` wrote: a .jsonl (or .jsonl.gz) file, a folder of shards, or -"


def add_inspect_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `show`, `report`, `export` and `corpus` on the main parser."""
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
    export.add_argument(
        "--sqlite",
        required=True,
        metavar="FILE",
        help="database to write (an existing SQLite file is replaced when the export is done)",
    )

    corpus = sub.add_parser(
        "corpus",
        help="the corpus view: documents cited by key, people, tallies by site and year (SQLite)",
    )
    corpus.add_argument("output", metavar="OUT", help=OUTPUT_HELP)
    corpus.add_argument(
        "-o", "--out", required=True, dest="sqlite", metavar="FILE", help="database to write"
    )


def _warn(problem: str) -> None:
    print(f"vnextract: {problem}", file=sys.stderr)


def _read(path: str) -> Documents | None:
    """The output's documents as they are read (problems go to stderr), None if unreadable."""
    from pipeline.inspect.load import LoadError, read_documents

    try:
        return read_documents(path, _warn)
    except LoadError as exc:
        _warn(str(exc))
        return None


def run_show(args: argparse.Namespace) -> int:
    from pipeline.inspect.show import (
        find_document,
        make_console,
        render_document,
        render_summary,
        selected,
    )
    from pipeline.inspect.summary import summarize

    documents = _read(args.output)
    if documents is None:
        return 2
    console = make_console()
    if args.summary:
        render_summary(console, summarize(documents, args.type))
        return 0
    if args.doc:
        try:
            docs: Iterable[dict[str, Any]] = [find_document(documents, args.doc)]
        except LookupError as exc:
            _warn(str(exc))
            return 2
        finally:
            documents.close()  # the document is found: stop reading
    else:
        docs = documents
    shown, kinds = 0, set[str]()
    for doc in docs:
        kinds.update(str(r["type"]) for r in doc["records"])
        if args.doc or not args.type or selected(doc, args.type):
            render_document(console, doc, args.type)
            shown += 1
    if not shown:
        print(_nothing_shown(args.type, kinds), file=sys.stderr)
    return 0


def _nothing_shown(kind: str | None, kinds: set[str]) -> str:
    """Why `show` printed no document; for a kind the output lacks, the kinds it has.

    >>> _nothing_shown("offical", {"official", "date"})
    'no documents with offical records; the kinds in this output: date, official'
    """
    from pipeline.inspect.summary import kind_order

    if not kind:
        return "no documents"
    if kind in kinds:
        return f"no documents with {kind} records"
    known = ", ".join(kind_order(kinds)) or "none"
    return f"no documents with {kind} records; the kinds in this output: {known}"


def run_report(args: argparse.Namespace) -> int:
    from pipeline.inspect.report import write_report

    documents = _read(args.output)
    if documents is None:
        return 2
    try:
        index, count = write_report(documents, Path(args.out))
    except OSError as exc:
        _warn(f"cannot write the report: {exc}")
        return 2
    print(f"{count} documents -> {index}", file=sys.stderr)
    return 0


def _inputs_of(output: str) -> list[Path]:
    """The files an export reads (none for stdin or an output that cannot be read)."""
    from pipeline.inspect.load import LoadError, output_files

    if output == "-":
        return []
    try:
        return output_files(Path(output))
    except LoadError:
        return []


def run_export(args: argparse.Namespace) -> int:
    from pipeline.inspect.export import check_target, export_sqlite
    from pipeline.safety import UnsafePath

    target = Path(args.sqlite)
    try:
        check_target(target, _inputs_of(args.output))
    except (UnsafePath, OSError) as exc:
        _warn(str(exc))
        return 2
    documents = _read(args.output)
    if documents is None:
        return 2
    try:
        result = export_sqlite(documents, target)
    except (sqlite3.Error, OSError) as exc:
        _warn(f"cannot write {args.sqlite}: {exc}")
        return 2
    fts = "with" if result.fts else "without (this SQLite has no FTS5)"
    print(
        f"{result.documents} documents, {result.records} records -> {args.sqlite}, "
        f"{fts} the full-text table doc_text",
        file=sys.stderr,
    )
    return 0
