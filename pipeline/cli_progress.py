"""The progress of a batch on stderr: a `rich` bar on a terminal, plain lines in a pipe."""

from __future__ import annotations

import time
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, TaskID, TextColumn
from rich.progress import Progress as RichProgress

from pipeline.runner import Summary


class Progress:
    """Progress on stderr: on a terminal a `rich` bar with the line below beside it, redrawn
    at most five times a second; in a pipe the line alone every `pipe_every` seconds. The
    rate counts from the first document, so the start-up (rules, models) does not pull it
    down."""

    def __init__(self, stream: IO[str], pipe_every: float = 30.0) -> None:
        self.stream = stream
        self.terminal = stream.isatty()
        self.every = 0.2 if self.terminal else pipe_every
        self.first: tuple[float, int] | None = None  # (time, documents) at the first document
        self.last = 0.0
        self.bar: RichProgress | None = None  # started with the first line on a terminal
        self.task: TaskID | None = None

    def __call__(self, summary: Summary) -> None:
        now = time.perf_counter()
        if self.first is None:
            self.first, self.last = (now, summary.documents), now
            return
        if now - self.last < self.every:
            return
        self.last = now
        line = self.line(summary, now)
        if self.terminal:
            self._draw(summary, line)
        else:
            self.stream.write(f"vnextract: {line}\n")
            self.stream.flush()

    def _draw(self, summary: Summary, line: str) -> None:
        """The bar (pulsing while no total is known) and the line; redrawn here, not by a
        thread of rich's, so a signal never meets a half-drawn screen."""
        if self.bar is None:
            console = Console(file=self.stream)
            self.bar = RichProgress(
                BarColumn(), TextColumn("{task.description}"), console=console, auto_refresh=False
            )
            self.task = self.bar.add_task(line, total=summary.total)
            self.bar.start()
        assert self.task is not None
        done = summary.documents + summary.skipped
        self.bar.update(self.task, description=line, completed=done, total=summary.total)
        self.bar.refresh()

    def line(self, summary: Summary, now: float) -> str:
        """Documents, rate, errors (with the last failed id), what was already done, and the
        total and time left when the inputs could be counted."""
        start, at_start = self.first or (now, 0)
        rate = (summary.documents - at_start) / max(now - start, 1e-9)
        errors = f"{summary.with_errors} with errors"
        if summary.failed:
            errors += f" (last: {summary.failed[-1]})"
        parts = [f"{summary.documents} documents", f"{rate:.1f}/s", errors]
        if summary.skipped:
            parts.append(f"{summary.skipped} already done")
        if summary.total:
            left = max(0, summary.total - summary.documents - summary.skipped)
            eta = f"ETA {left / rate:.0f} s" if rate > 0 else "ETA ?"
            parts.append(f"{summary.total - left}/{summary.total}, {eta}")
        return ", ".join(parts)

    def done(self) -> None:
        """End the bar (it stays on screen) before the summary is printed."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
