"""The briefing and actor pages as lists show them: what a list needs, and the page's
values made only when the page is rendered (there are thousands of both)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.site.render.values import Deferred
from generator.site.views.context import BriefingCard


@dataclass(frozen=True)
class BriefingEntry:
    """A briefing page: its card (lists need only that) and its deferred values."""

    card: BriefingCard
    page: Deferred
    search: bytes
    """The page's search key (incremental.lazy.search_key)."""


@dataclass(frozen=True)
class ActorEntry:
    """An actor page: what the indexes show of the actor, and its deferred values."""

    slug: str
    name: str
    kind: str
    url: str
    count: int
    """Briefings naming the actor."""
    page: Deferred
