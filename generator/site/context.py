"""The serializable views the templates see, built from the site model (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from generator.model import ACTOR_KINDS, Briefing
from generator.site.group import ActorProfile, SiteModel, TimelineEvent, TopicGroup

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


def _event(
    e: TimelineEvent,
    cards: Mapping[str, BriefingCard],
    names: Mapping[str, str],
    with_briefing: bool = True,
) -> EventView:
    card = cards[e.briefing]
    return EventView(
        date=e.date.isoformat(),
        date_label=date_label(e.date),
        text=e.text,
        briefing=Link(card.title, card.url) if with_briefing else None,
        actors=tuple(Link(names[s], actor_url(s)) for s in e.actors if s in names),
    )


def build_briefing_view(
    b: Briefing,
    card: BriefingCard,
    links: Mapping[str, str],
    names: Mapping[str, str],
    body_html: str,
) -> BriefingView:
    """The page view of one briefing; `links` maps its actor names to profile slugs."""
    actors = tuple(
        ActorRole(a.name, actor_url(links[a.name]), a.kind, a.role)
        for a in sorted(b.actors, key=lambda a: (-a.mentions, a.name))
        if a.name in links
    )
    quotes = tuple(
        QuoteView(
            q.text,
            q.speaker,
            actor_url(links[q.speaker]) if q.speaker and q.speaker in links else None,
            None,
        )
        for q in b.quotes
    )
    events = tuple(
        _event(TimelineEvent(e.date, e.text, b.slug, ()), {b.slug: card}, names, False)
        for e in sorted(b.events, key=lambda e: e.date)
    )
    return BriefingView(
        card=card,
        date_inferred=b.date_inferred,
        source_url=web_url(b.source.url),
        credits=b.credits,
        key_points=b.key_points,
        actors=actors,
        places=tuple(p.name for p in b.places),
        quotes=quotes,
        events=events,
        topics=tuple(Link(t.label, topic_url(t.id)) for t in b.topics),
        tags=b.tags,
        body_html=Markup(body_html),  # safe: markdown-it output with raw HTML disabled
    )


def build_topic_view(
    t: TopicGroup, labels: Mapping[str, str], cards: Mapping[str, BriefingCard]
) -> TopicView:
    """The page view of one topic."""
    return TopicView(
        id=t.id,
        label=t.label,
        url=topic_url(t.id),
        parent=Link(labels[t.parent], topic_url(t.parent)) if t.parent else None,
        children=tuple(Link(labels[c], topic_url(c)) for c in t.children),
        briefings=tuple(cards[s] for s in t.briefings),
    )


def build_actor_view(
    p: ActorProfile, names: Mapping[str, str], cards: Mapping[str, BriefingCard]
) -> ActorView:
    """The profile page view of one actor."""

    def link(slug: str) -> Link:
        return Link(cards[slug].title, cards[slug].url)

    return ActorView(
        slug=p.slug,
        name=p.name,
        kind=p.kind,
        url=actor_url(p.slug),
        roles=tuple(RoleView(r.role, tuple(link(s) for s in r.briefings)) for r in p.roles),
        aliases=p.aliases,
        merged=tuple((m.name, link(m.via) if m.via in cards else None) for m in p.merged),
        quotes=tuple(QuoteView(q.text, p.name, None, link(q.briefing)) for q in p.quotes),
        briefings=tuple(cards[s] for s in p.briefings),
        co_mentioned=tuple(Link(names[s], actor_url(s), n) for s, n in p.co_mentioned),
    )


def build_views(model: SiteModel, render_body: Callable[[str], str]) -> Views:
    """Every view of the site; each briefing body is rendered once."""
    cards = {b.slug: build_card(b) for b in model.briefings}
    names = {a.slug: a.name for a in model.actors}
    labels = {t.id: t.label for t in model.topics}
    briefings = tuple(
        build_briefing_view(
            b, cards[b.slug], model.actor_links.get(b.slug, {}), names, render_body(b.body)
        )
        for b in model.briefings
    )
    days: dict[str, list[EventView]] = {}
    for e in model.timeline:
        days.setdefault(e.date.isoformat(), []).append(_event(e, cards, names))
    timeline = tuple(DayView(day, evs[0].date_label, tuple(evs)) for day, evs in days.items())
    return Views(
        cards=cards,
        briefings=briefings,
        topics=tuple(build_topic_view(t, labels, cards) for t in model.topics),
        actors=tuple(build_actor_view(a, names, cards) for a in model.actors),
        timeline=timeline,
    )


def actors_by_kind(actors: tuple[ActorView, ...]) -> tuple[tuple[str, tuple[Link, ...]], ...]:
    """The actors index: (kind label, actors sorted by name) in the schema's kind order."""
    out = []
    for kind in ACTOR_KINDS:
        members = sorted(
            (Link(a.name, a.url, len(a.briefings)) for a in actors if a.kind == kind),
            key=lambda link: (link.label.casefold(), link.url),
        )
        if members:
            out.append((KIND_LABELS.get(kind, kind), tuple(members)))
    return tuple(out)
