"""The ingest readers: one raw input file -> its Articles, whatever its format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.errors import InputError
from generator.ingest import feed, html, jsonl, text
from generator.ingest.readout import MAX_ARTICLES, Readout
from generator.model import Article

_READERS: dict[str, Callable[[Path], Readout]] = {
    **dict.fromkeys(text.SUFFIXES, text.read_text),
    **dict.fromkeys(html.SUFFIXES, html.read_html),
    **dict.fromkeys(feed.SUFFIXES, feed.read_feed),
    **dict.fromkeys(jsonl.SUFFIXES, jsonl.read_json),
}

SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_READERS)
"""File name endings read_input understands (lower case, with the dot)."""


def read_input(path: Path) -> Readout:
    """Read one raw input file: its good articles and an error per bad entry; raise
    InputError when the file as a whole cannot be used (empty, too large, not a feed)."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        kind = path.suffix or "(none)"
        raise InputError(f"unsupported file type {kind!r}: use one of {supported}", path)
    if path.is_dir():
        raise InputError("is a folder, not a file", path)
    return reader(path)


def read_articles(path: Path) -> list[Article]:
    """Every article of a file that must be read whole: read_input, its first error raised."""
    readout = read_input(path)
    if readout.errors:
        raise readout.errors[0]
    return list(readout.articles)


__all__ = ["MAX_ARTICLES", "SUPPORTED_SUFFIXES", "Readout", "read_articles", "read_input"]
