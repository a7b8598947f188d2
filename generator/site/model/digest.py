"""Weekly digests (ISO weeks): each week's briefings by topic and its most-mentioned actors."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.model import Briefing

DIGEST_ACTORS = 10
"""Actors shown on a digest page: the week's most-mentioned."""
CHART_WEEKS = 104
"""A mention chart shows at most this many weeks, the latest ones."""


@dataclass(frozen=True)
class Digest:
    """One ISO week of briefings."""

    key: str
    """`2025-w45`: the URL segment, sorting like the weeks themselves."""
    start: dt.date
    """Monday of the week."""
    briefings: tuple[str, ...]
    """Newest first."""
    topics: tuple[tuple[str, tuple[str, ...]], ...]
    """(top-level topic id, or '' for none; briefing slugs newest first), biggest first."""
    actors: tuple[tuple[str, int], ...]
    """(actor slug, briefings naming it that week), most first."""


def week_key(day: dt.date) -> str:
    """The ISO week of a date as `yyyy-www` (ISO year: 2024-12-30 is `2025-w01`; the year has
    four digits, so keys sort as the weeks do: `0999-w01` before `2025-w01`)."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-w{week:02d}"


def week_start(day: dt.date) -> dt.date:
    """The Monday of a date's ISO week."""
    return day - dt.timedelta(days=day.weekday())


def week_end(start: dt.date) -> dt.date:
    """The Sunday of the week starting `start`; the calendar's last day (9999-12-31, a
    Friday) for its last week."""
    return dt.date.fromordinal(min(start.toordinal() + 6, dt.date.max.toordinal()))


def build_digests(
    ordered: Sequence[Briefing], actors: Mapping[str, Mapping[str, str]]
) -> tuple[Digest, ...]:
    """One digest per week that has dated briefings, newest week first (`ordered`: newest
    first). An undated briefing is left out: its stand-in date says nothing of its week."""
    weeks: dict[str, list[Briefing]] = {}
    for b in ordered:
        if not b.date_inferred:
            weeks.setdefault(week_key(b.date), []).append(b)
    out = []
    for key in sorted(weeks, reverse=True):
        members = weeks[key]
        by_topic: dict[str, list[str]] = defaultdict(list)
        mentioned: Counter[str] = Counter()
        for b in members:
            by_topic[b.topics[0].id.split("/", 1)[0] if b.topics else ""].append(b.slug)
            mentioned.update(set(actors.get(b.slug, {}).values()))
        topics = sorted(by_topic.items(), key=lambda kv: (kv[0] == "", -len(kv[1]), kv[0]))
        out.append(
            Digest(
                key=key,
                start=week_start(members[0].date),
                briefings=tuple(b.slug for b in members),
                topics=tuple((t, tuple(slugs)) for t, slugs in topics),
                # nsmallest, not a full sort: a busy week names a thousand actors.
                actors=tuple(
                    heapq.nsmallest(
                        DIGEST_ACTORS, mentioned.items(), key=lambda kv: (-kv[1], kv[0])
                    )
                ),
            )
        )
    return tuple(out)


def weekly_counts(days: Iterable[dt.date]) -> tuple[int, tuple[tuple[int, dt.date, int], ...]]:
    """Weeks spanned (first to last, at most CHART_WEEKS) and (week index, Monday, count) for
    each week in that span with any date; weeks without any are left out."""
    counts = Counter(week_start(d) for d in days)
    if not counts:
        return 0, ()
    last = max(counts)
    first = max(min(counts), last - dt.timedelta(weeks=CHART_WEEKS - 1))
    span = (last - first).days // 7 + 1
    return span, tuple(
        ((m - first).days // 7, m, n) for m, n in sorted(counts.items()) if m >= first
    )
