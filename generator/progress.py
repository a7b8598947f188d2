"""Progress of long builds: a bar on a terminal, silence otherwise (the CLI prints a summary)."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

REDRAW_SECONDS = 0.1
"""Redraw at most this often: drawing must not cost what it measures."""
BAR_WIDTH = 30


class Progress(Protocol):
    """What a build reports as it goes: stages with a known size, and steps done."""

    def stage(self, name: str, total: int) -> None:
        """A new stage of `total` steps begins."""
        ...

    def advance(self, steps: int = 1) -> None:
        """`steps` more steps of the current stage are done."""
        ...

    def close(self) -> None:
        """The build is over: clear the bar."""
        ...


class NoProgress:
    """Reports nothing (not a terminal, --quiet, tests)."""

    def stage(self, name: str, total: int) -> None:
        """Ignore the stage."""

    def advance(self, steps: int = 1) -> None:
        """Ignore the steps."""

    def close(self) -> None:
        """Nothing to clear."""


class Bar:
    """A one-line bar redrawn in place on a terminal: `pages [######....] 1234/5678`."""

    def __init__(self, stream: TextIO) -> None:
        """Draw on `stream` (a terminal)."""
        self.stream = stream
        self.name = ""
        self.total = 0
        self.done = 0
        self.drawn = 0.0
        self.width = 0

    def stage(self, name: str, total: int) -> None:
        """Start a stage and draw it at once."""
        self.name, self.total, self.done = name, total, 0
        self._draw(force=True)

    def advance(self, steps: int = 1) -> None:
        """Count steps; redraw when enough time passed."""
        self.done += steps
        self._draw(force=self.done >= self.total)

    def _draw(self, force: bool = False) -> None:
        """Redraw the line (throttled)."""
        now = time.monotonic()
        if not force and now - self.drawn < REDRAW_SECONDS:
            return
        self.drawn = now
        share = min(1.0, self.done / self.total) if self.total else 1.0
        filled = int(share * BAR_WIDTH)
        line = (
            f"{self.name:<10} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total}"
        )
        self.width = max(self.width, len(line))
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar so the summary line starts clean."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def progress_for(stream: TextIO | None = None, quiet: bool = False) -> Progress:
    """A bar when `stream` (default stderr) is a terminal and output is wanted, else nothing."""
    out = stream or sys.stderr
    if quiet or not out.isatty():
        return NoProgress()
    return Bar(out)
