"""The `vnextract extract` command: inputs of every kind, one line per document, exit codes."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGE = (
    "Hội nghị sơ kết công tác dân vận\n06/12/2023 | 17:28\n"
    "Ngày 6/12, Huyện ủy tổ chức hội nghị sơ kết 5 năm thực hiện Chỉ thị số 05-CT/TU"
    " của Ban Thường vụ Tỉnh ủy.\n"
)


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_folder_of_mixed_inputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(PAGE, encoding="utf-8")
    (src / "sub" / "b.html").write_text(
        f"<html><body><h1>Tin dân vận tỉnh</h1><p>{PAGE}</p></body></html>", encoding="utf-8"
    )
    (src / "c.txt.gz").write_bytes(gzip.compress(PAGE.encode()))
    (src / "broken.txt.gz").write_bytes(gzip.compress(PAGE.encode())[:20])
    (src / "notes.pdf").write_bytes(b"%PDF")  # not an input format: not read
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(src), "-o", str(out), "-q"]) == 0
    rows = {Path(r["source"]["path"]).name: r for r in _lines(out)}
    assert set(rows) == {"a.txt", "b.html", "c.txt.gz", "broken.txt.gz"}
    assert (
        rows["b.html"]["source"]["format"] == "html"
        and rows["c.txt.gz"]["source"]["format"] == "text"
    )
    assert [r["symbol"] for r in rows["a.txt"]["records"] if r["type"] == "document_ref"] == [
        "05-CT/TU"
    ]
    assert rows["broken.txt.gz"]["errors"][0]["stage"] == "read"


def test_jsonl_input_keeps_extra_keys_and_reports_bad_lines(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    good = {"url": "https://dantri.com.vn/a.htm", "text": PAGE, "crawl": 7}
    dump.write_text(
        json.dumps(good, ensure_ascii=False)
        + "\n{not json\n"
        + json.dumps({"url": "u", "html": "<p>x</p>"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(dump), "-o", str(out), "-q"]) == 0
    rows = _lines(out)
    assert len(rows) == 3
    assert rows[0]["source"]["extra"] == {"crawl": 7} and rows[0]["meta"]["site"] == "Dân Trí"
    assert "line 2" in rows[1]["errors"][0]["message"]
    assert rows[2]["source"]["format"] == "html"


def test_stdin_to_stdout() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", "-", "-q"],
        input=PAGE.encode(),
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    [row] = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert row["meta"]["published"] == "2023-12-06T17:28"
    assert row["meta"]["title"] == "Hội nghị sơ kết công tác dân vận"


def test_missing_input_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "nope"), "-q"]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_broken_user_rule_pack_stops_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "mine.yaml").write_text(
        "kind: document_ref\nrules:\n  - id: r1\n    pattern: '(?P<n>\\d+'\n", encoding="utf-8"
    )
    page = tmp_path / "a.txt"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(page), "--rules", str(pack), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "mine.yaml: rule r1: pattern: bad regex" in err
    assert not out.exists()


def test_every_problem_of_a_user_pack_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "mine.yaml").write_text(
        "kind: document_ref\nrules:\n"
        "  - {id: r1, pattern: '(?P<n>\\d+'}\n"
        "  - {id: r2, pattern: '(?P<n>\\d+)', fields: {a: '{m}'}, attach: aside}\n"
        "  - {id: r3, pattern: '\\d+'}\n",
        encoding="utf-8",
    )
    page = tmp_path / "a.txt"
    page.write_text(PAGE, encoding="utf-8")
    wanted = [
        "mine.yaml: rule r1: pattern: bad regex",
        "mine.yaml: rule r2: attach: must be 'after', 'before' or 'next', not 'aside'",
        "mine.yaml: rule r2: fields.a: no group 'm' in pattern",
    ]
    for args in (["extract", str(page), "--rules", str(pack), "-q"], ["rules", "test", str(pack)]):
        assert main(args) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == len(wanted), err
        for line, message in zip(err, wanted, strict=True):
            assert line.startswith("vnextract: ") and message in line


def test_summary_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "a.txt"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["extract", str(page), "-o", str(tmp_path / "o.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "1 documents" in err and '"document_ref": 1' in err


def test_summary_names_failed_documents_and_the_whole_output_after_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crawl, out, stats = tmp_path / "crawl", tmp_path / "o.jsonl", tmp_path / "s.json"
    crawl.mkdir()
    (crawl / "a.txt").write_text(PAGE, encoding="utf-8")
    (crawl / "b.html").write_bytes(b"\x00\x01 not a page")
    args = ["extract", str(crawl), "-o", str(out), "--stats", str(stats), "--workers", "1"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert f"documents with errors: 1\n  {crawl / 'b.html'}\n" in err
    assert "whole output" not in err  # nothing earlier
    (crawl / "c.txt").write_text(PAGE, encoding="utf-8")
    (crawl / "d.txt").write_bytes(b"")  # an empty page: an error
    assert main([*args, "--resume"]) == 0
    err = capsys.readouterr().err
    assert f"documents with errors: 1\n  {crawl / 'd.txt'}\n" in err
    assert "whole output after --resume: 4 documents (2 with errors)" in err
    summary = json.loads(stats.read_text(encoding="utf-8"))
    assert summary["failed"] == [str(crawl / "d.txt")]
    assert summary["whole_output"]["documents"] == 4
    assert summary["whole_output"]["records"]["document_ref"] == 2


def test_python_api() -> None:
    from pipeline import extract

    out = extract(PAGE.encode("utf-8"))
    assert out["source"]["format"] == "text" and out["meta"]["authors"] == []
    assert [(r["type"], r["text"]) for r in out["records"]] == [
        ("date", "06/12/2023 | 17:28"),
        ("date", "Ngày 6/12"),
        ("document_ref", "Chỉ thị số 05-CT/TU"),
    ]


def test_progress_on_a_terminal_shows_rate_and_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal: a rich bar beside the line; the rate counts from the first document (not
    the start-up); the last failed document is named. A pipe gets a plain line now and then,
    never a control code."""
    import io

    from pipeline.cli import Progress
    from pipeline.runner import Summary

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "200")
    screen = Terminal()
    progress = Progress(screen)
    progress(Summary(documents=1, total=40))  # the first document starts the clock
    assert screen.getvalue() == ""
    assert progress.first is not None
    progress.first = (progress.first[0] - 3.0, 1)  # three seconds later ...
    progress.last = -1.0
    progress(Summary(documents=10, with_errors=1, total=40, failed=["crawl/b.html"]))
    shown = screen.getvalue()
    assert "10 documents, 3.0/s, 1 with errors (last: crawl/b.html)" in shown, shown
    assert "10/40, ETA 10 s" in shown and "━" in shown  # the bar, a quarter full
    assert "\x1b[" in shown  # drawn for a terminal
    progress.done()
    assert progress.bar is None
    piped = io.StringIO()
    plain = Progress(piped, pipe_every=0.0)
    plain(Summary(documents=1))
    plain(Summary(documents=10))
    assert piped.getvalue().startswith("vnextract: 10 documents") and "\x1b" not in piped.getvalue()
    quiet_pipe = io.StringIO()
    slow = Progress(quiet_pipe)
    slow(Summary(documents=1))
    slow(Summary(documents=10))
    assert quiet_pipe.getvalue() == ""  # the default: a line every 30 s


def test_progress_total_counts_dump_lines(tmp_path: Path) -> None:
    from pipeline.runner import expected_total

    dump, page = tmp_path / "d.jsonl", tmp_path / "p.html"
    dump.write_text('{"text": "a"}\n\n{"text": "b"}\n{"text": "c"}', encoding="utf-8")
    page.write_text("<p>x</p>", encoding="utf-8")
    assert expected_total([(str(dump), dump), (str(page), page)]) == 4
    assert expected_total([(str(page), page), ("-", None)]) is None
