"""Paths that are not read are named in the run's summary and in --stats, with their reason."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.cli import main


def test_skipped_paths_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    page = crawl / "a.txt"
    page.write_text("Hội nghị tổng kết công tác dân vận năm 2024 của huyện.\n", encoding="utf-8")
    (crawl / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(crawl / "pipe.txt")
    stats, out = tmp_path / "stats.json", tmp_path / "out.jsonl"
    assert main(["extract", str(crawl), str(page), "-o", str(out), "--stats", str(stats)]) == 0
    err = capsys.readouterr().err
    assert "paths not read" in err
    listed = json.loads(stats.read_text(encoding="utf-8"))["skipped_paths"]
    reasons = {Path(item["path"]).name: item["reason"] for item in listed}
    assert "duplicate" in reasons["a.txt"]
    assert "FIFO" in reasons["pipe.txt"]
    assert len(out.read_text(encoding="utf-8").splitlines()) >= 1
