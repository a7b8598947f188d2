"""The serializable views the templates see, and the site's URL scheme (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from generator.model import Briefing

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
KIND_LABELS = {"person": "People", "organization": "Organizations", "country": "Countries"}


@dataclass(frozen=True)
class Link:
    """A label and a URL relative to the site root (templates prefix the page's root)."""

    label: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class BriefingCard:
    """What a list of briefings shows for one briefing."""

    slug: str
    url: str
    title: str
    date: str
    date_label: str
    source: str | None
    summary: str
    topic: Link | None


@dataclass(frozen=True)
class ActorRole:
    """An actor as one briefing shows it: linked to the profile, with the role it gave."""

    name: str
    url: str
    kind: str
    role: str | None


@dataclass(frozen=True)
class QuoteView:
    """A quote with its speaker (linked when known) and the briefing it is from."""

    text: str
    speaker: str | None
    speaker_url: str | None
    briefing: Link | None


@dataclass(frozen=True)
class EventView:
    """A dated event, linked to its briefing and the actors it names."""

    date: str
    date_label: str
    text: str
    briefing: Link | None
    actors: tuple[Link, ...]


@dataclass(frozen=True)
class BriefingView:
    """Everything a briefing page shows."""

    card: BriefingCard
    date_inferred: bool
    source_url: str | None
    credits: tuple[str, ...]
    key_points: tuple[str, ...]
    actors: tuple[ActorRole, ...]
    places: tuple[str, ...]
    quotes: tuple[QuoteView, ...]
    events: tuple[EventView, ...]
    topics: tuple[Link, ...]
    tags: tuple[str, ...]
    body_html: Markup


@dataclass(frozen=True)
class TopicView:
    """A topic page: its place in the tree and its briefings."""

    id: str
    label: str
    url: str
    parent: Link | None
    children: tuple[Link, ...]
    briefings: tuple[BriefingCard, ...]
    events: tuple[EventView, ...] = ()
    """The newest events of the topic's briefings."""


@dataclass(frozen=True)
class RoleView:
    """A role and the briefings that gave it."""

    role: str
    briefings: tuple[Link, ...]


@dataclass(frozen=True)
class ActorView:
    """An actor profile page."""

    slug: str
    name: str
    kind: str
    url: str
    roles: tuple[RoleView, ...]
    aliases: tuple[str, ...]
    merged: tuple[tuple[str, Link | None], ...]
    """(name, the briefing whose alias merged it, or None for the site's alias table)."""
    quotes: tuple[QuoteView, ...]
    briefings: tuple[BriefingCard, ...]
    co_mentioned: tuple[Link, ...]
    events: tuple[EventView, ...] = ()
    """The newest events whose text names the actor."""


@dataclass(frozen=True)
class DayView:
    """The timeline's events of one day."""

    date: str
    date_label: str
    events: tuple[EventView, ...]


def date_label(d: dt.date) -> str:
    """`4 November 2025`: locale-free so output never depends on the machine."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def web_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address, else None: a source URL is untrusted text."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def briefing_url(slug: str) -> str:
    """URL of a briefing page, relative to the site root."""
    return f"briefings/{slug}/"


def topic_url(topic_id: str) -> str:
    """URL of a topic page, relative to the site root."""
    return f"topics/{topic_id}/"


def actor_url(slug: str) -> str:
    """URL of an actor profile, relative to the site root."""
    return f"actors/{slug}/"


def build_card(b: Briefing) -> BriefingCard:
    """The list entry of a briefing."""
    primary = b.topics[0] if b.topics else None
    return BriefingCard(
        slug=b.slug,
        url=briefing_url(b.slug),
        title=b.title,
        date=b.date.isoformat(),
        date_label=date_label(b.date),
        source=b.source.name,
        summary=b.summary,
        topic=Link(primary.label, topic_url(primary.id)) if primary else None,
    )


@dataclass(frozen=True)
class Views:
    """All the views of one site, each built once and shared by the pages that list it."""

    cards: dict[str, BriefingCard]
    briefings: tuple[BriefingView, ...]
    topics: tuple[TopicView, ...]
    actors: tuple[ActorView, ...]
    timeline: tuple[DayView, ...]
