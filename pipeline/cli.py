"""The command line: argument parsing and printing only; the work is elsewhere.

    vnextract extract INPUT... [-o OUT.jsonl] [--format auto|html|text] [--rules DIR]
    vnextract rules test [PACK...]       run every rule's examples (exit 1 on a failure)
    vnextract rules lint [PACK...]       weak rules: never matching, shadowed, slow ...
    vnextract explain "TEXT" | --file F  what each step and rule made of one text
    vnextract evaluate GOLD_DIR OUT.jsonl  precision, recall, F1 against gold files
    vnextract show | report | export OUT   look at an output (see cli_inspect.py)

Exit codes: 0 when every document was processed (per-document errors are in the output lines),
2 for usage errors (missing input, broken rule pack, unwritable output).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path
from typing import IO, get_args

from pipeline.cli_args import positive_int, seconds, settings_from_args, worker_count
from pipeline.cli_inspect import add_inspect_commands, run_export, run_report, run_show
from pipeline.cli_progress import Progress
from pipeline.cli_tools import add_commands, rules_lint, rules_test, run_evaluate, run_explain
from pipeline.config import Engine, InputFormat, Settings, default
from pipeline.process import quiet_libraries
from pipeline.ruleset.examples import run_examples
from pipeline.ruleset.lint import short_of_examples
from pipeline.ruleset.loader import cached_ruleset, pack_files
from pipeline.ruleset.schema import RuleError
from pipeline.runner import Interrupted, Summary, interruptible, run_batch
from pipeline.safety import UnsafePath, check_extract_paths, earlier_output, write_atomically
from pipeline.sinks import open_sink
from pipeline.steps.read import InputError
from pipeline.steps.segment import prepare_example


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vnextract", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract records from pages into JSON lines")
    ex.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="file, folder (recursive) or - for stdin"
    )
    ex.add_argument(
        "-o",
        "--output",
        help="output JSONL file (gzipped when it ends .gz), or DIR/ for shards (default: stdout)",
    )
    ex.add_argument(
        "--format",
        choices=get_args(InputFormat),
        default=default("input_format"),
        help="input format (default: auto, sniff each input)",
    )
    ex.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="DIR",
        help="extra rule pack folder, on top of the built-in rules (repeatable)",
    )
    ex.add_argument(
        "-q", "--quiet", action="store_true", help="no progress and no summary on stderr"
    )
    ex.add_argument(
        "--workers",
        type=worker_count,
        default=0,
        help="worker processes (default, or 0: the machine's cores)",
    )
    ex.add_argument(
        "--resume", action="store_true", help="continue a killed run: skip documents already in -o"
    )
    ex.add_argument(
        "--overwrite",
        action="store_true",
        help="replace what an earlier run wrote to -o (else such an -o needs --resume)",
    )
    ex.add_argument("--stats", metavar="FILE", help="write the run's summary as JSON to FILE")
    ex.add_argument(
        "--max-bytes",
        type=positive_int,
        default=default("max_bytes"),
        help="larger inputs get an error line (default %(default)s bytes)",
    )
    ex.add_argument(
        "--max-seconds",
        type=seconds,
        default=default("max_seconds"),
        help="per-document time limit (default %(default)s s; 0: no limit)",
    )
    ex.add_argument(
        "--shard-size",
        type=positive_int,
        default=default("shard_size"),
        help="documents per part file when -o is a folder (default %(default)s)",
    )
    ex.add_argument(
        "--engine",
        choices=get_args(Engine),
        default=default("engine"),
        help="where to run (default: %(default)s)",
    )
    ex.add_argument(
        "--scheduler", help="Dask scheduler address (default with --engine dask: a local cluster)"
    )
    add_commands(sub)
    add_inspect_commands(sub)
    return parser


def _print_documents(summary: Summary, stream: IO[str]) -> None:
    """The ids of the documents with errors (the first 20), and the whole output's totals
    after --resume."""
    if summary.failed:
        print(f"documents with errors: {len(summary.failed)}", file=stream)
        for doc_id in summary.failed[:20]:
            print(f"  {doc_id}", file=stream)
        if len(summary.failed) > 20:
            print(f"  ... and {len(summary.failed) - 20} more (all in --stats)", file=stream)
    if summary.earlier["documents"]:
        whole = summary.whole_output()
        print(
            f"whole output after --resume: {whole['documents']} documents "
            f"({whole['with_errors']} with errors), records: "
            + json.dumps(whole["records"], ensure_ascii=False),
            file=stream,
        )


def print_summary(summary: Summary, output: str, stream: IO[str]) -> None:
    """The end-of-run report: documents, errors, dropped lines, records by kind, time."""
    total = summary.seconds.get("total", 0.0)
    skipped = f", {summary.skipped} skipped as already written" if summary.skipped else ""
    print(
        f"{summary.documents} documents -> {output} "
        f"({summary.with_errors} with errors{skipped}) in {total:.1f}s",
        file=stream,
    )
    _print_documents(summary, stream)
    if summary.skipped_paths:
        print(f"paths not read: {len(summary.skipped_paths)}", file=stream)
        for path, reason in summary.skipped_paths[:20]:
            print(f"  {path}: {reason}", file=stream)
        if len(summary.skipped_paths) > 20:
            print(f"  ... and {len(summary.skipped_paths) - 20} more (all in --stats)", file=stream)
    groups: dict[str, dict[str, int]] = {}
    for key, n in sorted(summary.counts.items()):
        head, _, rest = key.partition(".")
        groups.setdefault(head, {})[rest] = n
    if summary.records:
        print(
            "records: " + json.dumps(dict(sorted(summary.records.items())), ensure_ascii=False),
            file=stream,
        )
    for head, values in groups.items():
        print(f"{head}: " + json.dumps(values, ensure_ascii=False), file=stream)
    steps = {k: round(v, 2) for k, v in summary.seconds.items() if k != "total"}
    print("seconds per step: " + json.dumps(steps), file=stream)


def _check_user_examples(settings: Settings, folders: tuple[Path, ...]) -> None:
    """A user pack whose examples fail, or with a rule short of examples (2 positive, 1
    negative: the minimum `rules test` and `rules lint` hold too), is refused before any
    document is read."""
    if not folders:
        return
    files = {str(p) for p in pack_files(folders)}
    ruleset = cached_ruleset(settings.rule_dirs, settings.program_cache)
    results = run_examples(ruleset, files, prepare_example)
    failing = [r for r in results if not r.ok]
    short = short_of_examples(ruleset, files)
    if failing or short:
        lines = [
            f"{r.rule.path}: rule {r.rule.id}: example {r.index + 1} {r.status}: {r.example.text!r}"
            for r in failing
        ] + [f"{f.path}: rule {f.rule}: {f.problem}" for f in short]
        raise RuleError(
            "rule pack examples fail or are too few (run `vnextract rules test`):\n  "
            + "\n  ".join(lines)
        )


def _warn(message: str) -> None:
    print(f"vnextract: {message}", file=sys.stderr)


def _warn_all(exc: Exception) -> None:
    """An error's message; each problem of a RuleError (every one of every pack) on its own."""
    for message in exc.problems if isinstance(exc, RuleError) else [str(exc)]:
        _warn(message)


def _check_inputs_exist(inputs: list[str]) -> None:
    """InputError for an input path that does not exist, before any output is opened."""
    for item in inputs:
        if item != "-" and not os.path.lexists(item):
            raise InputError(f"no such file or directory: {item}")


def _extract(args: argparse.Namespace) -> int:
    extra = tuple(Path(d) for d in args.rules)
    for folder in extra:
        if not folder.is_dir():
            _warn(f"--rules {folder}: not a folder")
            return 2
    if args.resume and not args.output:
        _warn("--resume needs -o (a file or a folder of shards)")
        return 2
    if args.resume and args.overwrite:
        _warn("--resume and --overwrite: give one (continue the earlier output, or replace it)")
        return 2

    try:
        settings = settings_from_args(args, extra)
        _check_inputs_exist(args.inputs)
        check_extract_paths(args.inputs, args.output, args.stats, settings.suffixes)
        if not (args.resume or args.overwrite) and (held := earlier_output(args.output)):
            raise UnsafePath(
                f"-o {args.output} already holds {held} from an earlier run: add --resume to "
                "continue it, or --overwrite to replace it"
            )
    except (ValueError, InputError, UnsafePath) as exc:
        _warn(str(exc))
        return 2
    progress = Progress(sys.stderr) if not args.quiet else None
    try:
        _check_user_examples(settings, extra)
        sink = open_sink(args.output, args.resume, settings.shard_size, _warn)
        with interruptible():
            summary = run_batch(args.inputs, sink, settings, progress)
    except Interrupted as stop:
        return _interrupted(stop, args, progress)
    except (InputError, RuleError, OSError) as exc:
        _warn_all(exc)
        return 2
    return _finished(summary, args, progress)


def _finished(summary: Summary, args: argparse.Namespace, progress: Progress | None) -> int:
    """Write --stats and print the summary; exit 2 if --stats cannot be written."""
    if args.stats:
        try:
            stats = json.dumps(summary.as_dict(), ensure_ascii=False, indent=1)
            write_atomically(Path(args.stats), stats)
        except OSError as exc:
            _warn(str(exc))
            return 2
    if progress:
        progress.done()
        print_summary(summary, args.output or "stdout", sys.stderr)
    return 0


def _interrupted(stop: Interrupted, args: argparse.Namespace, progress: Progress | None) -> int:
    """What an interrupted run wrote and how to finish it; exit 128 + the signal (130, 143)."""
    if progress:
        progress.done()
    written = stop.summary.documents if stop.summary else 0
    where = args.output or "stdout"
    documents = "1 document" if written == 1 else f"{written} documents"
    message = f"interrupted by {stop} after {documents} written to {where}"
    if args.output:
        again = [a for a in getattr(args, "argv", []) if a != "--overwrite"]
        if "--resume" not in again:
            again.append("--resume")
        message += f"; nothing written is lost. To finish, run:\n  vnextract {shlex.join(again)}"
    else:
        message += " (only an -o file or folder can be resumed)"
    _warn(message)
    return 128 + stop.signum


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    args.argv = list(argv)  # to say how to resume an interrupted run
    quiet_libraries()
    commands = {
        "extract": _extract,
        "explain": run_explain,
        "evaluate": run_evaluate,
        "show": run_show,
        "report": run_report,
        "export": run_export,
        "corpus": run_export,
        "rules": lambda a: rules_test(a) if a.rules_command == "test" else rules_lint(a),
    }
    try:
        return commands[args.command](args)
    except (RuleError, OSError) as exc:
        _warn_all(exc)
        return 2


if __name__ == "__main__":
    sys.exit(main())
