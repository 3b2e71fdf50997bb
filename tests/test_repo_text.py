"""No file in the repository names a place on someone's machine.

The rule: a tracked text file (binary files, those with a NUL byte, are skipped) never holds an
absolute path of a machine: the project's work folder (`/work/...`), a home folder
(`/home/<user>/`, `/Users/<user>/`, `/root/`), the temporary folder (`/tmp/...`) or a Windows
drive (`C:\\...`). Such a path is true on one machine only: docs point at files by their path
in the repository, at the shared data beside the checkout as `../shared/...`, and example
commands write to relative paths (`-o out.jsonl`). Part of a URL is no path of a machine
("http://site.vn/home/index.php"): a path counts only where it starts a word. A placeholder
mount in the cluster example (`/mnt/crawl`, which every host must see at one path) is not one
of these either.

What may still hold one is listed in ALLOWED, each with its reason: inputs a test or a doctest
feeds the pipeline on purpose. An entry that no longer occurs fails too, so the list cannot
outlive its reasons.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Skipped when the tree is walked (no git): tools' folders, not the repository's files.
NOT_OURS = {".git", ".venv", ".cache", ".mypy_cache", ".ruff_cache", ".pytest_cache", "out"}

MACHINE_PATH = re.compile(
    r"""(?<![\w.~/:\\-])        # starts a word: not inside a URL or a relative path
    (?: /(?:work|tmp|root)/
      | /(?:home|Users)/[^/\s]+/
      | [A-Za-z]:\\{1,2}[\w.$ -]   # C:\dir, or C:\\dir as a string literal spells it
    )""",
    re.VERBOSE,
)

#: (file, the text that holds the path): why it may.
ALLOWED = {
    ("tests/test_hostile.py", '"path": "/tmp/evil"'): "a hostile dump's field, on purpose",
    ("pipeline/steps/repair.py", 'C:\\\\new"'): 'a doctest: "\\n" in a Windows path is no break',
    ("tests/test_repo_text.py", ""): "this file names what it looks for",
}


def machine_paths(text: str) -> list[str]:
    r"""The absolute machine paths in `text`, each with what follows it on its line.

    >>> machine_paths("see /work/shared/gold and http://a.vn/home/x/ or ../tmp/x")
    ['/work/shared/gold']
    >>> machine_paths("`/home/ana/src`, (/Users/bo/x), C:\\Users\\an, /mnt/crawl, ~/tmp/a")
    ['/home/ana/src`,', '/Users/bo/x),', 'C:\\Users\\an,']
    """
    return [text[m.start() :].split(None, 1)[0] for m in MACHINE_PATH.finditer(text)]


def _repository_files() -> list[Path]:
    """The tracked files (`git ls-files`), else every file of the tree but tools' folders."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        return [ROOT / name for name in listed.decode("utf-8").split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        return [
            p
            for p in ROOT.rglob("*")
            if p.is_file() and not NOT_OURS & set(p.relative_to(ROOT).parts)
        ]


def _text_of(path: Path) -> str | None:
    """The file's text; None for a binary file (one with a NUL byte) or one gone."""
    try:
        data = path.read_bytes()
    except OSError:
        return None  # deleted in the working tree, not yet in the index
    return None if b"\0" in data else data.decode("utf-8", errors="replace")


def test_no_file_names_a_path_of_a_machine() -> None:
    found, used = [], set()
    for path in _repository_files():
        name = path.relative_to(ROOT).as_posix()
        text = _text_of(path)
        if text is None or (name, "") in ALLOWED:
            used.add((name, ""))
            continue
        for number, line in enumerate(text.splitlines(), 1):
            allowed = {(n, s) for n, s in ALLOWED if n == name and s and s in line}
            used |= allowed
            if machine_paths(line) and not allowed:
                found.append(f"{name}:{number}: {', '.join(machine_paths(line))}")
    assert not found, "absolute machine paths (use repository-relative ones):\n" + "\n".join(found)
    assert set(ALLOWED) <= used, f"allowed but no longer there: {set(ALLOWED) - used}"


def test_the_rule_tells_paths_from_urls_and_relative_paths() -> None:
    assert machine_paths("python3 /work/shared/score.py fixtures/expected OUT.jsonl")
    assert machine_paths("written to /tmp/wt-x/out.jsonl")
    assert machine_paths('open("C:\\\\Users\\\\an\\\\page.html")')
    for fine in (
        "python3 ../shared/score.py fixtures/expected OUT.jsonl",
        "http://soyte.namdinh.gov.vn/home/tin-tuc/a.html",
        "vnextract extract /mnt/crawl --engine dask",
        "fixtures/dev/pages/dev_01.txt, bench/tmp/x, ~/tmp/y",
    ):
        assert not machine_paths(fine), fine
