"""The timeline's pages: the newest events on its front page, every month on a page of its own.

One page of all events grows with the site and is rendered again whenever any event changes;
month pages stay small and an edit re-renders only its month (and the front page while it is
among the newest).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.site.incremental.lazy import timeline_key
from generator.site.views.context import DayView, Link
from generator.site.views.months import MonthGroup, by_month

FRONT_EVENTS = 200
"""Events on the timeline's front page: whole days, newest first, until this many."""


def month_url(key: str) -> str:
    """URL of a month of the timeline (`2025-03`), relative to the site root."""
    return f"timeline/{key}/"


def timeline_pages(
    days: Sequence[DayView], events: Sequence[bytes]
) -> tuple[tuple[DayView, ...], tuple[MonthGroup[DayView], ...], dict[str, bytes]]:
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
    groups = by_month(days, lambda d: d.date[:7], month_url, lambda d: len(d.events))
    start = 0
    keys: dict[str, bytes] = {}
    for g in groups:
        # A month's events are the next `count` of `events`: days are in the same order.
        end = start + g.link.count
        keys[f"timeline:{g.key}"] = timeline_key(g.items, events[start:end], g.newer, g.older)
        start = end
    links: list[Link] = [g.link for g in groups]
    keys["timeline"] = timeline_key(front, events[:shown], links)
    return tuple(front), groups, keys
