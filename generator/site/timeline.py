"""The timeline's pages: the newest events on its front page, every month on a page of its own.

One page of all events grows with the site (13 MB of HTML for 21,000 briefings) and is
rendered again whenever any event changes; month pages stay small and an edit re-renders
only its month (and the front page while it is among the newest).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.site.context import MONTHS, DayView, Link, MonthView
from generator.site.lazy import timeline_key

FRONT_EVENTS = 200
"""Events on the timeline's front page: whole days, newest first, until this many."""


def month_url(key: str) -> str:
    """URL of a month of the timeline (`2025-03`), relative to the site root."""
    return f"timeline/{key}/"


def month_label(key: str) -> str:
    """`March 2025`."""
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def timeline_pages(
    days: Sequence[DayView], events: Sequence[bytes]
) -> tuple[tuple[DayView, ...], tuple[MonthView, ...], dict[str, bytes]]:
    """The front page's days, the month pages, and their keys ('timeline', 'timeline:<month>').

    `days` are all the timeline's days, newest first; `events` the serialized view of each
    of their events, in the same order (the keys hash them instead of the views).
    """
    front: list[DayView] = []
    shown = 0
    for day in days:
        if shown >= FRONT_EVENTS:
            break
        front.append(day)
        shown += len(day.events)
    groups: dict[str, list[DayView]] = {}
    for day in days:
        groups.setdefault(day.date[:7], []).append(day)
    links = [
        Link(month_label(k), month_url(k), sum(len(d.events) for d in g)) for k, g in groups.items()
    ]
    months = []
    start = 0
    keys: dict[str, bytes] = {}
    for i, (key, group) in enumerate(groups.items()):
        newer = links[i - 1] if i > 0 else None
        older = links[i + 1] if i + 1 < len(links) else None
        link = links[i]
        months.append(MonthView(key, link.label, link.url, tuple(group), link.count, newer, older))
        end = start + link.count
        keys[f"timeline:{key}"] = timeline_key(group, events[start:end], newer, older)
        start = end
    keys["timeline"] = timeline_key(front, events[:shown], links)
    return tuple(front), tuple(months), keys
