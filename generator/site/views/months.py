"""Lists too long for one page, split by month: each month a page linking its neighbours.

The timeline and big topic pages share this: one page of everything grows with the site
and is rendered again whenever any entry changes, while an edit changes one month's page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from generator.site.views.context import MONTHS, Link

T = TypeVar("T")


@dataclass(frozen=True)
class MonthGroup(Generic[T]):
    """One month's entries, newest first, with links to the months around it."""

    key: str
    """`2025-03`."""
    link: Link
    """The month's label (`March 2025`), page URL and count (summed `size` of its entries)."""
    items: tuple[T, ...]
    newer: Link | None
    older: Link | None


def month_label(key: str) -> str:
    """`March 2025`."""
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def by_month(
    items: Sequence[T],
    month: Callable[[T], str],
    url: Callable[[str], str],
    size: Callable[[T], int] = lambda _: 1,
) -> tuple[MonthGroup[T], ...]:
    """`items` (newest first) grouped by `month` (`2025-03`), newest month first; `url`
    gives a month's page and `size` what an entry adds to its month's count."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(month(item), []).append(item)
    links = [Link(month_label(k), url(k), sum(map(size, g))) for k, g in groups.items()]
    return tuple(
        MonthGroup(
            key,
            links[i],
            tuple(group),
            links[i - 1] if i > 0 else None,
            links[i + 1] if i + 1 < len(links) else None,
        )
        for i, (key, group) in enumerate(groups.items())
    )
