"""What reading one input gives: its good articles, and an error for each entry that is not.

A file holding many articles (a feed, JSON lines, a JSON list) loses only its bad entries:
each is an InputError naming the file and the entry (or line), and the others are read.
Past MAX_ARTICLES a file's further entries are not read (one error says how many).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.errors import BriefingError, InputError
from generator.model import Article

log = logging.getLogger(__name__)

MAX_ARTICLES = 1_000
"""Most articles read from one file: a 5 MB feed may hold 50,000 tiny items, which would
cost minutes of extraction and a page each (split such a file)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Readout:
    """One input file read: its articles in file order, and its bad entries' errors."""

    articles: tuple[Article, ...]
    errors: tuple[InputError, ...] = ()


def read_entries(
    path: Path,
    entries: Iterable[T],
    make: Callable[[int, T], Article | None],
    kind: str = "entries",
) -> Readout:
    """`make(number, entry)` for each entry (numbered from 1; None leaves it out): an entry
    that raises costs itself alone. Entries past MAX_ARTICLES are counted, not read."""
    articles: list[Article] = []
    errors: list[InputError] = []
    skipped = 0
    for number, entry in enumerate(entries, start=1):
        if number > MAX_ARTICLES:
            skipped += 1
            continue
        try:
            article = make(number, entry)
            if article is not None:
                articles.append(article)
        except BriefingError as exc:
            errors.append(exc if isinstance(exc, InputError) else InputError(exc.message, path))
        except Exception as exc:  # a reader's bug costs this entry, not the file (-v: traceback)
            log.info("%s: entry %d failed", path, number, exc_info=True)
            errors.append(InputError(f"entry {number}: {type(exc).__name__}: {exc}", path))
    if skipped:
        errors.append(
            InputError(
                f"{skipped:,} more {kind} not read: at most {MAX_ARTICLES:,} articles are read "
                "from one file (split it)",
                path,
            )
        )
    return Readout(tuple(articles), tuple(errors))
