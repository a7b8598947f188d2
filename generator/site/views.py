"""Build the template views from the site model: each view once, shared by every page (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from markupsafe import Markup

from generator.model import ACTOR_KINDS, Briefing
from generator.site.actors import ActorProfile
from generator.site.context import (
    KIND_LABELS,
    ActorRole,
    ActorView,
    BriefingCard,
    BriefingView,
    DayView,
    EventView,
    Link,
    MentionChart,
    QuoteView,
    RelatedView,
    RoleView,
    StoryRef,
    TopicView,
    Views,
    actor_url,
    build_card,
    date_label,
    topic_url,
    web_url,
)
from generator.site.extras import (
    actor_graph,
    build_digest_views,
    build_story_view,
    mention_chart,
    related_views,
    site_graph,
    story_refs,
)
from generator.site.group import SiteModel, TimelineEvent, TopicGroup

PAGE_EVENTS = 50
"""Events shown on one actor's or topic's page (newest first); the timeline page has all."""


def _event(
    e: TimelineEvent,
    cards: Mapping[str, BriefingCard],
    names: Mapping[str, str],
    with_briefing: bool = True,
) -> EventView:
    """The view of a timeline event: dates as text, actors linked."""
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
    story: StoryRef | None = None,
    related: tuple[RelatedView, ...] = (),
) -> BriefingView:
    """The page view of one briefing; `links` maps its actor names to profile slugs."""
    actors = tuple(
        ActorRole(
            a.name, actor_url(links[a.name]), a.kind, a.role, names.get(links[a.name], a.name)
        )
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
        story=story,
        related=related,
    )


def build_topic_view(
    t: TopicGroup,
    labels: Mapping[str, str],
    cards: Mapping[str, BriefingCard],
    events: tuple[EventView, ...] = (),
) -> TopicView:
    """The page view of one topic."""
    return TopicView(
        id=t.id,
        label=t.label,
        url=topic_url(t.id),
        parent=Link(labels[t.parent], topic_url(t.parent)) if t.parent else None,
        children=tuple(Link(labels[c], topic_url(c)) for c in t.children),
        briefings=tuple(cards[s] for s in t.briefings),
        events=events,
    )


def build_actor_view(
    p: ActorProfile,
    names: Mapping[str, str],
    cards: Mapping[str, BriefingCard],
    events: tuple[EventView, ...] = (),
    chart: MentionChart | None = None,
) -> ActorView:
    """The profile page view of one actor."""

    def link(slug: str) -> Link:
        """A link to a briefing, labelled with its title."""
        return Link(cards[slug].title, cards[slug].url)

    return ActorView(
        slug=p.slug,
        name=p.name,
        kind=p.kind,
        url=actor_url(p.slug),
        roles=tuple(RoleView(r.role, tuple(link(s) for s in r.briefings)) for r in p.roles),
        aliases=p.aliases,
        merged=tuple(
            (m.name, link(m.via), "") if m.via in cards else (m.name, None, m.via) for m in p.merged
        ),
        quotes=tuple(QuoteView(q.text, p.name, None, link(q.briefing)) for q in p.quotes),
        briefings=tuple(cards[s] for s in p.briefings),
        co_mentioned=tuple(Link(names[s], actor_url(s), n) for s, n in p.co_mentioned),
        events=events,
        graph=actor_graph(p, names),
        chart=chart,
    )


def build_views(model: SiteModel, render_body: Callable[[str], str]) -> Views:
    """Every view of the site; each briefing body is rendered once."""
    cards = {b.slug: build_card(b) for b in model.briefings}
    names = {a.slug: a.name for a in model.actors}
    labels = {t.id: t.label for t in model.topics}
    refs = story_refs(model.stories, cards)
    briefings = tuple(
        build_briefing_view(
            b,
            cards[b.slug],
            model.actor_links.get(b.slug, {}),
            names,
            render_body(b.body),
            refs.get(b.slug),
            related_views(model.related.get(b.slug, ()), cards),
        )
        for b in model.briefings
    )
    topics_of: dict[str, list[str]] = defaultdict(list)
    for t in model.topics:
        for slug in t.briefings:
            topics_of[slug].append(t.id)
    days: dict[str, list[EventView]] = {}
    by_actor: dict[str, list[EventView]] = defaultdict(list)
    by_topic: dict[str, list[EventView]] = defaultdict(list)
    by_briefing: dict[str, list[EventView]] = defaultdict(list)
    for e in model.timeline:
        view = _event(e, cards, names)
        days.setdefault(e.date.isoformat(), []).append(view)
        by_briefing[e.briefing].append(view)
        # Per-actor and per-topic timelines: the newest few, one pass over all events.
        for slug in e.actors:
            if len(by_actor[slug]) < PAGE_EVENTS:
                by_actor[slug].append(view)
        for tid in topics_of[e.briefing]:
            if len(by_topic[tid]) < PAGE_EVENTS:
                by_topic[tid].append(view)
    timeline = tuple(DayView(day, evs[0].date_label, tuple(evs)) for day, evs in days.items())
    by_slug = {b.slug: b for b in model.briefings}
    weeks = {d.key for d in model.digests}
    stories = tuple(
        build_story_view(
            s,
            cards,
            model.actor_links,
            names,
            # A story's events read oldest first: how the happening unfolded.
            sorted((v for x in s.briefings for v in by_briefing.get(x, ())), key=lambda v: v.date),
        )
        for s in model.stories
    )
    return Views(
        cards=cards,
        briefings=briefings,
        topics=tuple(
            build_topic_view(t, labels, cards, tuple(by_topic.get(t.id, ()))) for t in model.topics
        ),
        actors=tuple(
            build_actor_view(
                a,
                names,
                cards,
                tuple(by_actor.get(a.slug, ())),
                mention_chart(a, by_slug, weeks),
            )
            for a in model.actors
        ),
        timeline=timeline,
        stories=stories,
        digests=build_digest_views(model.digests, cards, labels, names),
        site_graph=site_graph(model),
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
