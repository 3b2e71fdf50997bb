"""The rule author's commands: `rules test`, `rules lint`, `explain`, `evaluate`.

Printing only; the work is in ruleset/examples.py, ruleset/lint.py, explain.py, evaluate.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.cli_args import settings_from_args
from pipeline.config import Settings
from pipeline.evaluate import KINDS, score
from pipeline.explain import explain
from pipeline.ruleset.examples import ExampleResult, run_examples
from pipeline.ruleset.lint import (
    Finding,
    lint,
    registry_findings,
    short_of_examples,
    slow_line_rules,
)
from pipeline.ruleset.loader import cached_ruleset, load_ruleset, pack_files
from pipeline.ruleset.page import load_page_rules
from pipeline.ruleset.registry import registry_files
from pipeline.ruleset.schema import RuleError
from pipeline.steps.pages import decode
from pipeline.steps.segment import prepare_example


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the commands on the main parser."""
    rules = sub.add_parser("rules", help="test and lint rule packs").add_subparsers(
        dest="rules_command", required=True
    )
    for name, text in (("test", "run every rule's examples"), ("lint", "find weak or slow rules")):
        cmd = rules.add_parser(name, help=text)
        cmd.add_argument(
            "packs",
            nargs="*",
            metavar="PACK",
            help="rule pack folder or file (default: the built-in rules)",
        )
    ex = sub.add_parser("explain", help="show what each step and rule made of a text")
    ex.add_argument("text", nargs="?", help="the text (or use --file)")
    ex.add_argument("--file", help="read the page from this file")
    ex.add_argument("--format", choices=["text", "html"], default="text")
    ex.add_argument(
        "--rules", action="append", default=[], metavar="DIR", help="extra rule pack folder"
    )
    ex.add_argument("--json", action="store_true", help="print the explanation as JSON")
    ex.add_argument(
        "--rule",
        metavar="ID",
        help="also show what this one rule made of the text: prefilter words, matches, where "
        "it came closest, its rejected candidates",
    )
    ev = sub.add_parser("evaluate", help="score an output against gold files")
    ev.add_argument("gold", help="folder of gold JSON files (the format of ../shared/gold)")
    ev.add_argument("output", help="the JSONL that `extract` wrote")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="DIR",
        help="extra rule pack folder whose kinds (their `evaluate:`) are scored too",
    )


def _selection(packs: list[str]) -> tuple[Settings, set[str] | None]:
    """Rule folders to load (built-in first) and the pack files to report on."""
    if not packs:
        return settings_from_args(argparse.Namespace()), None
    folders, files = [], set()
    for pack in packs:
        path = Path(pack).resolve()
        if not path.exists():
            raise RuleError(f"{pack}: no such rule pack")
        folder = path if path.is_dir() else path.parent
        folders.append(folder)
        files |= {str(p) for p in pack_files([folder])} if path.is_dir() else {str(path)}
    return settings_from_args(argparse.Namespace(), dict.fromkeys(folders)), files


def registry_selection(packs: list[str], files: set[str]) -> set[str]:
    """The registry files of the selected folders and beside the selected pack files
    (`<folder>/registry/*.yaml`)."""
    folders = {Path(p).resolve() for p in packs if Path(p).is_dir()}
    folders |= {Path(f).parent for f in files}
    return {str(p) for p in registry_files(sorted(folders))}


def rules_test(args: argparse.Namespace) -> int:
    settings, files = _selection(args.packs)
    ruleset = load_ruleset(settings.rule_dirs, settings.program_cache)
    results = run_examples(ruleset, files, prepare_example)
    by_rule: dict[str, list[ExampleResult]] = defaultdict(list)
    for result in results:
        by_rule[result.rule.id].append(result)
    print(f"{'rule':32} {'kind':18} {'pass':>4} {'fail':>4} {'xfail':>5} {'xpass':>5}  file")
    for rule_id, rows in by_rule.items():
        count = {s: sum(r.status == s for r in rows) for s in ("pass", "fail", "xfail", "xpass")}
        rule = rows[0].rule
        tally = " ".join(
            f"{count[s]:{w}}" for s, w in (("pass", 4), ("fail", 4), ("xfail", 5), ("xpass", 5))
        )
        print(f"{rule_id:32} {rule.kind:18} {tally}  {Path(rule.path).name}")
    bad = [r for r in results if not r.ok]
    short = short_of_examples(ruleset, files)
    for r in bad:
        what = "passes but is marked xfail (remove the mark)" if r.status == "xpass" else "fails"
        print(
            f"\n{r.rule.path}: rule {r.rule.id}: example {r.index + 1} {what}: {r.example.text!r}"
        )
        for problem in r.problems:
            print(f"  - {problem}")
    for f in short:
        print(f"\n{f.path}: rule {f.rule}: {f.problem}")
    print(f"\n{len(results)} examples: {sum(r.ok for r in results)} ok, {len(bad)} failing")
    if short:
        print(f"{len(short)} rules short of examples")
    return 1 if bad or short else 0


def page_findings(
    settings: Settings, files: set[str] | None, packs: list[str] | None = None
) -> list[Finding]:
    """The furniture patterns of each folder's page.yaml (of the folders or files selected)
    too slow on a line."""
    folders = {Path(p).resolve() for p in packs or () if Path(p).is_dir()}
    found = []
    for folder in settings.rule_dirs:
        path = folder / "page.yaml"
        chosen = files is None or str(path.resolve()) in files or folder.resolve() in folders
        if path.exists() and chosen:
            rules = load_page_rules((folder,), settings.program_cache).line_rules
            found += slow_line_rules(rules, str(path))
    return found


def rules_lint(args: argparse.Namespace) -> int:
    settings, files = _selection(args.packs)
    ruleset = load_ruleset(settings.rule_dirs, settings.program_cache)
    seen: dict[str, set[str]] = {}
    results = run_examples(ruleset, files, prepare_example, seen)
    findings = lint(ruleset, files, results, seen)
    registries = None if files is None else registry_selection(args.packs, files)
    findings += registry_findings(settings.rule_dirs, ruleset.lexicons, registries)
    findings += page_findings(settings, files, args.packs)
    for f in findings:
        print(f"{f.severity}: {f.path}: {f.what} {f.rule}: {f.problem}")
    errors = sum(f.severity == "error" for f in findings)
    print(f"{len(findings)} findings, {errors} errors")
    return 1 if errors else 0


def run_explain(args: argparse.Namespace) -> int:
    if (args.text is None) == (args.file is None):
        print("vnextract explain: give a TEXT or --file, one of them", file=sys.stderr)
        return 2
    if args.file:
        raw = Path(args.file).read_bytes()
    else:
        raw = args.text.encode("utf-8", "surrogateescape")  # argv's undecodable bytes, back
    # read as a batch run reads a page: a BOM, UTF-16, a legacy charset, a cut character
    content, warning = decode(raw, sniff=False)
    if warning:
        print(f"vnextract explain: {warning}", file=sys.stderr)
    settings = settings_from_args(args, (Path(d) for d in args.rules))
    try:
        out = explain(content, settings, args.format, args.rule)
    except KeyError as exc:
        print(f"vnextract explain: {exc.args[0]}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(out.__dict__, ensure_ascii=False, indent=1))
        return 0
    print("== normalized text\n" + out.text)
    print("\n== meta\n" + json.dumps(out.meta, ensure_ascii=False))
    for kind, entries in (("error", out.errors), ("note", out.notes)):
        for e in entries:
            print(f"   {kind} ({e['stage']}): {e['message']}")
    for d in out.dropped:
        print(f"   dropped ({d['reason']}): {d['text']}")
    print("\n== sentences and words")
    for s in out.sentences:
        print(f"  [{s['span'][0]}:{s['span'][1]}] " + " | ".join(s["words"]))
    print("\n== records")
    for r in out.records:
        fields = {k: v for k, v in r.items() if k not in ("type", "span", "text", "rule")}
        where = f"[{r['span'][0]}:{r['span'][1]}] {r['text']!r} by {r['rule']}"
        print(f"  {r['type']:17} {where}: {json.dumps(fields, ensure_ascii=False)}")
    print("\n== rejected candidates")
    for r in out.rejected:
        print(f"  [{r['span'][0]}:{r['span'][1]}] {r['text']!r} by {r['rule']}: {r['reason']}")
    if out.rule:
        _print_rule(out.rule)
    return 0


def _print_rule(report: dict[str, Any]) -> None:
    """`explain --rule`: one rule's prefilter, matches, closest reach and rejections."""
    print(f"\n== rule {report['id']} ({report['kind']}, {Path(report['file']).name})")
    if report["prefilter_found"]:
        print(f"  prefilter words found: {', '.join(report['prefilter_found'])}")
    elif missing := report["prefilter_missing"]:
        shown = ", ".join(missing[:8]) + (", ..." if len(missing) > 8 else "")
        print(f"  none of its {len(missing)} prefilter words ({shown}): it runs on no line")
    if report.get("needs_found") is False:
        print("  no line holds what it needs (needs:): it runs on no line")
    for m in report["matches"]:
        print(f"  matches [{m['span'][0]}:{m['span'][1]}] {m['text']!r}")
    if not report["matches"]:
        near = report["closest"]
        said = f"{near['text']!r}, then stopped before {near['stopped_before']!r}" if near else ""
        print(f"  no match; it came closest with {said}" if near else "  no match anywhere")
    for r in report["rejected"]:
        print(f"  rejected [{r['span'][0]}:{r['span'][1]}] {r['text']!r}: {r['reason']}")


def _warn_each(limit: int = 10) -> Callable[[str], None]:
    """A `warn` for evaluate: the first `limit` messages of each kind on stderr, then a count."""
    seen: Counter[str] = Counter()

    def warn(message: str) -> None:
        kind = message.split(": ", 1)[-1][:24]  # the same problem in many gold files
        seen[kind] += 1
        if seen[kind] <= limit:
            print(f"vnextract evaluate: {message}", file=sys.stderr)
        elif seen[kind] == limit + 1:
            print(f"vnextract evaluate: ... and more like it ({kind}...)", file=sys.stderr)

    return warn


def run_evaluate(args: argparse.Namespace) -> int:
    settings = settings_from_args(args, (Path(d) for d in args.rules))
    specs = cached_ruleset(settings.rule_dirs, settings.program_cache).kinds
    result = score(Path(args.gold), Path(args.output), specs=specs, warn=_warn_each())
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        return 0
    for kind in (*KINDS, *sorted(set(result.kinds) - set(KINDS))):
        k = result.kinds[kind]
        if not k.tp + k.fp + k.fn:
            print(f"{kind:18} no items (not in the macro F1)")
            continue
        counts = f"(tp {k.tp} fp {k.fp} fn {k.fn})"
        print(f"{kind:18} P={k.precision:.3f} R={k.recall:.3f} F1={k.f1:.3f}  {counts}")
    attrs = {name: round(a / n, 3) for name, (a, n) in sorted(result.attributes.items())}
    total = (
        sum(a for a, _ in result.attributes.values()),
        sum(n for _, n in result.attributes.values()),
    )
    print("attributes", round(total[0] / max(1, total[1]), 3), attrs)
    meta = {k: f"{a}/{n}" for k, (a, n) in result.meta.items()}
    print("meta", meta, "negatives ok", f"{result.negatives[0]}/{result.negatives[1]}")
    for doc, misses in result.details.items():
        for row in misses:
            print("  ", doc, *row)
    print(f"macro_f1={round(result.macro_f1, 3)}")
    return 0
