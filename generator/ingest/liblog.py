"""The parsing libraries' own log lines: to the debug log (-vv), naming the file they concern.

trafilatura and its helpers log ERROR lines ("empty HTML tree") about pages they cannot
read, which the HTML reader then reads another way: left to themselves they reached the
user with no file named, and said nothing the user could act on.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

log = logging.getLogger(__name__)

LIBRARIES = ("trafilatura", "htmldate", "courlan", "justext", "readability")
_reading: ContextVar[str] = ContextVar("reading", default="(no file)")


class _Forward(logging.Handler):
    """Re-logs a library's record at debug level, with the file being read."""

    def emit(self, record: logging.LogRecord) -> None:
        """One debug line: `<file>: <library logger>: <message>`."""
        try:
            message = record.getMessage()
        except Exception:  # a library's malformed log call must not cost the input
            message = str(record.msg)
        log.debug("%s: %s: %s", _reading.get(), record.name, message)


@functools.cache
def _forward_libraries() -> None:
    """Route the libraries' loggers to _Forward instead of the root logger (once)."""
    handler = _Forward()
    for name in LIBRARIES:
        library = logging.getLogger(name)
        library.addHandler(handler)
        library.propagate = False


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """While reading `path`: the libraries' log lines name it (this thread's only)."""
    _forward_libraries()
    token = _reading.set(str(path))
    try:
        yield
    finally:
        _reading.reset(token)
