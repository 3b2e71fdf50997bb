"""Helpers the command-line tests share: run `vnextract extract`, read its lines, pick fields,
and measure a run's peak memory (with bench/memory.py's probe)."""

from __future__ import annotations

import functools
import importlib.util
import json
import tempfile
from pathlib import Path

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent


def lines(path: Path) -> list[dict]:
    """The output lines of `path`, parsed."""
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def run(tmp_path: Path, *inputs: Path | str, extra: tuple[str, ...] = ()) -> list[dict]:
    """Extract `inputs` with one worker into a file under `tmp_path`; its lines."""
    out = tmp_path / "out.jsonl"
    args = ["extract", *map(str, inputs), "-o", str(out), "-q", "--workers", "1", *extra]
    assert main(args) == 0
    return lines(out)


def errors(line: dict) -> str:
    return " | ".join(e["message"] for e in line["errors"])


def notes(line: dict) -> str:
    return " | ".join(e["message"] for e in line["notes"])


def symbols(line: dict) -> list[str]:
    return [r["symbol"] for r in line["records"] if r["type"] == "document_ref"]


def run_peak_mb(args: list[str]) -> float:
    """Peak resident memory, in MB, of one `vnextract ARGS` run (bench/memory.py measures it)."""
    spec = importlib.util.spec_from_file_location("bench_memory", ROOT / "bench" / "memory.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return float(module.run_peak_mb(args))


#: What a run that refuses or streams its input may hold above a run on one small page (the
#: interpreter, the models and the compiled rules, which grow with the rule packs): such runs
#: peak 0-7 MB above the one-page run's 257 MB (a page refused at 5 MB holds those 5 MB once),
#: and a page read whole would show as tens or hundreds more.
MARGIN_MB = 10


@functools.cache
def small_page_peak_mb() -> float:
    """Peak resident memory, in MB, of a one-worker run on one small fixture page: the floor
    every run pays, measured once a session; memory tests bound a run's peak above it."""
    page = ROOT / "fixtures" / "pages" / "html_01_tinhuy_nghiquyet.html"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        return run_peak_mb(["extract", str(page), "-o", str(out), "-q", "--workers", "1"])


def write_pack(folder: Path, name: str, text: str) -> Path:
    """A rule pack folder holding one file `name` with `text`; the folder, for --rules."""
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder
