"""Read the extractors' word lists from data/ (one entry a line, '#' comments, [sections])."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

V = TypeVar("V")

DATA = Path(__file__).resolve().parent / "data"


@cache
def read_lines(name: str) -> tuple[str, ...]:
    """The non-blank, non-comment lines of data/<name>, stripped, in file order."""
    text = (DATA / name).read_text("utf-8")
    return tuple(s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#"))


@cache
def read_sections(name: str) -> dict[str, tuple[str, ...]]:
    """The lines of data/<name> grouped under their `[section]` headers, lower-cased."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in read_lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        sections.setdefault(current, []).append(line.lower())
    return {key: tuple(values) for key, values in sections.items()}


@cache
def read_table(name: str) -> tuple[tuple[str, ...], ...]:
    """The tab-separated rows of data/<name>."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in read_lines(name))


class Memo(dict[str, V]):
    """`make(word)` remembered per word, read as memo[word]: a dict lookup costs less than an
    lru_cache hit (words repeat in every article); emptied when it holds `limit` words."""

    def __init__(self, make: Callable[[str], V], limit: int) -> None:
        super().__init__()
        self.make, self.limit = make, limit

    def __missing__(self, word: str) -> V:
        if len(self) >= self.limit:
            self.clear()
        value = self[word] = self.make(word)
        return value
