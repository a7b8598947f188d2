"""Is an offset inside any of many spans? A binary search, not a scan of every span."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Spans:
    """The union of half-open spans [start, end), merged and sorted.

    Quotes, mentions and sentences are checked against the quoted spans of an article one
    by one: scanning every span each time grew with the square of the text (an article of
    nothing but quotes took seconds per 100,000 characters)."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, spans: Iterable[tuple[int, int]]) -> Spans:
        """The union of `spans` (empty ones dropped)."""
        starts: list[int] = []
        ends: list[int] = []
        for a, b in sorted(s for s in spans if s[0] < s[1]):
            if ends and a <= ends[-1]:
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        return cls(tuple(starts), tuple(ends))

    def __contains__(self, offset: int) -> bool:
        """Whether some span holds `offset`."""
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]
