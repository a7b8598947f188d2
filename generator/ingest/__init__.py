"""The ingest readers: one raw input file -> its Articles, whatever its format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.errors import InputError
from generator.ingest import feed, html, jsonl, text
from generator.model import Article

_READERS: dict[str, Callable[[Path], list[Article]]] = {
    **dict.fromkeys(text.SUFFIXES, text.read_text),
    **dict.fromkeys(html.SUFFIXES, html.read_html),
    **dict.fromkeys(feed.SUFFIXES, feed.read_feed),
    **dict.fromkeys(jsonl.SUFFIXES, jsonl.read_json),
}

SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_READERS)
"""File name endings read_articles understands (lower case, with the dot)."""


def read_articles(path: Path) -> list[Article]:
    """Read one raw input file into Articles; raise InputError when it cannot be used."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        kind = path.suffix or "(none)"
        raise InputError(f"unsupported file type {kind!r}: use one of {supported}", path)
    if path.is_dir():
        raise InputError("is a folder, not a file", path)
    return reader(path)


__all__ = ["SUPPORTED_SUFFIXES", "read_articles"]
