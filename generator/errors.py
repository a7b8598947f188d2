"""Exceptions with a message for the user; the CLI turns them into output and exit codes."""

from __future__ import annotations

from pathlib import Path


class BriefingError(Exception):
    """An error the user can act on: names the file (and line) it comes from."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


class InputError(BriefingError):
    """One input (raw article or briefing file) is broken: skip it, build the rest."""


class ConfigError(BriefingError):
    """briefing.toml or the command line is wrong: nothing can be built (exit code 2)."""


class Superseded(Exception):
    """A preview build stopped once newer changes were waiting (its edited pages written):
    what it wrote is recorded, and the next build, of those changes too, does the rest."""
