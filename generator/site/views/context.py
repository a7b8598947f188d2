"""The serializable views the templates see, and the site's URL scheme (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from generator.model import Briefing
from generator.site.views.graph import GraphView

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
UNDATED = "undated"
"""What a list shows for a briefing whose publication date was not found."""
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
    undated: bool = False
    """No publication date was found: `date` is only the one it is filed by (the copy's),
    `date_label` says "undated"."""


@dataclass(frozen=True)
class ActorRole:
    """An actor as one briefing shows it: linked to the profile, with the role it gave."""

    name: str
    url: str
    kind: str
    role: str | None
    profile: str = ""
    """The profile's name (the same actor across briefings), for search filters."""


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
    inferred: bool = False
    """The date was worked out from an undated briefing's stand-in date ("on Sunday")."""


@dataclass(frozen=True)
class Coverage:
    """One briefing of a story as a list shows it: where and when it was published."""

    title: str
    url: str
    source: str | None
    date: str
    date_label: str
    same_article: bool = False
    """The same article as another briefing of the story (ingested twice)."""
    undated: bool = False


@dataclass(frozen=True)
class StoryRef:
    """On a briefing page: its story and the other briefings that cover it."""

    url: str
    title: str
    others: tuple[Coverage, ...]


@dataclass(frozen=True)
class RelatedView:
    """A related briefing and why it is related."""

    title: str
    url: str
    reason: str
    date: str
    date_label: str
    source: str | None
    undated: bool = False


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
    story: StoryRef | None = None
    related: tuple[RelatedView, ...] = ()


@dataclass(frozen=True)
class TopicView:
    """A topic page: its place in the tree and its newest briefings."""

    id: str
    label: str
    url: str
    parent: Link | None
    children: tuple[Link, ...]
    briefings: tuple[BriefingCard, ...]
    """The newest (topic_pages.TOPIC_CARDS); a bigger topic lists the rest by month."""
    count: int
    """Briefings in the topic."""
    events: tuple[EventView, ...] = ()
    """The newest events of the topic's briefings."""
    months: tuple[Link, ...] = ()
    """Every month with briefings in the topic, newest first: only when not all are shown."""


@dataclass(frozen=True)
class TopicMonthView:
    """A month of a big topic's briefings, on a page of its own."""

    id: str
    """The topic's."""
    key: str
    """`2025-03`."""
    topic: Link
    parent: Link | None
    label: str
    """`March 2025`."""
    url: str
    briefings: tuple[BriefingCard, ...]
    newer: Link | None = None
    older: Link | None = None


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
    merged: tuple[tuple[str, Link | None, str], ...]
    """(name, the briefing whose alias merged it or None, else the alias table that did)."""
    quotes: tuple[QuoteView, ...]
    briefings: tuple[BriefingCard, ...]
    co_mentioned: tuple[Link, ...]
    events: tuple[EventView, ...] = ()
    """The newest events whose text names the actor."""
    graph: GraphView | None = None
    chart: MentionChart | None = None
    """Briefings naming the actor per week."""


@dataclass(frozen=True)
class WeekCount:
    """Briefings in one ISO week (`index` weeks after the chart's first), and its digest."""

    index: int
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class MentionChart:
    """Briefings per week over `span` weeks; only weeks with briefings are listed."""

    span: int
    first: str
    last: str
    top: int
    weeks: tuple[WeekCount, ...]


@dataclass(frozen=True)
class StoryView:
    """A story page: one happening and every briefing about it, oldest first."""

    slug: str
    url: str
    title: str
    first: str
    last: str
    coverage: tuple[Coverage, ...]
    sources: tuple[str, ...]
    actors: tuple[Link, ...]
    """Actors named by more than one of its briefings, most named first."""
    events: tuple[EventView, ...] = ()


@dataclass(frozen=True)
class DigestView:
    """A week's digest: its briefings by top-level topic and the most-mentioned actors."""

    key: str
    url: str
    title: str
    span: str
    count: int
    topics: tuple[tuple[Link | None, tuple[BriefingCard, ...]], ...]
    actors: tuple[Link, ...]
    newer: Link | None = None
    older: Link | None = None


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


def story_url(slug: str) -> str:
    """URL of a story page, relative to the site root."""
    return f"stories/{slug}/"


def digest_url(key: str) -> str:
    """URL of a week's digest (`2025-w45`), relative to the site root."""
    return f"digest/{key}/"


def build_card(b: Briefing) -> BriefingCard:
    """The list entry of a briefing."""
    primary = b.topics[0] if b.topics else None
    return BriefingCard(
        slug=b.slug,
        url=briefing_url(b.slug),
        title=b.title,
        date=b.date.isoformat(),
        date_label=UNDATED if b.date_inferred else date_label(b.date),
        source=b.source.name,
        summary=b.summary,
        topic=Link(primary.label, topic_url(primary.id)) if primary else None,
        undated=b.date_inferred,
    )
