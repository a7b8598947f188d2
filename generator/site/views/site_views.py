"""Views: every view of one site, the one value the page kinds read (render/kinds.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.site.views.context import (
    BriefingCard,
    DayView,
    DigestView,
    EventView,
    StoryView,
    TopicMonthView,
    TopicView,
)
from generator.site.views.entries import ActorEntry, BriefingEntry
from generator.site.views.graph import GraphView
from generator.site.views.months import MonthGroup

if TYPE_CHECKING:
    from generator.site.incremental.lazy import ActorKeys, BriefingMark


@dataclass(frozen=True)
class Views:
    """All the views of one site, each built once and shared by the pages that list it."""

    cards: dict[str, BriefingCard]
    briefings: tuple[BriefingEntry, ...]
    topics: tuple[TopicView, ...]
    actors: tuple[ActorEntry, ...]
    timeline: tuple[DayView, ...]
    """The timeline page's days: the newest (timeline.py); the rest are on `months`."""
    months: tuple[MonthGroup[DayView], ...] = ()
    topic_months: tuple[TopicMonthView, ...] = ()
    """The month pages of the topics too big for one page (topic_pages.py)."""
    stories: tuple[StoryView, ...] = ()
    digests: tuple[DigestView, ...] = ()
    site_graph: GraphView | None = None
    actor_keys: ActorKeys | None = None
    """The actor page keys and what they were made from, for the next build to reuse."""
    briefing_marks: Mapping[str, BriefingMark] = field(default_factory=dict)
    """Briefing slug -> its card and page keys and what they were made from (likewise)."""
    event_marks: Mapping[EventView, bytes] = field(default_factory=dict)
    """Each timeline event's view -> its serialization (likewise: pickling thousands of
    views costs more than looking them up)."""
    list_keys: Mapping[str, bytes] = field(default_factory=dict)
    """Keys standing for the values of list pages ('topic:<id>', 'topic:<id>:<month>',
    'timeline', 'timeline:<month>'), hashed from the card and event hashes they show:
    cheaper than serializing thousands of cards."""
