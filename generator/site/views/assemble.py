"""Build the template views from the site model: each view once, shared by every page (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup

from generator.hashing import digest, value_bytes
from generator.model import Briefing
from generator.site.incremental.lazy import (
    MISSING,
    ActorKeys,
    BriefingMark,
    actor_key,
    briefing_given,
    briefing_key,
    card_key,
    kept_keys,
    linked_names,
    profile_key,
    search_key,
)
from generator.site.model.actors import ActorProfile
from generator.site.model.group import BriefingModel, SiteModel, TimelineEvent, actor_names
from generator.site.render.values import Deferred
from generator.site.views.context import (
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
    TopicMonthView,
    TopicView,
    Views,
    actor_url,
    build_card,
    date_label,
    topic_url,
    web_url,
)
from generator.site.views.entries import ActorEntry, BriefingEntry
from generator.site.views.extras import (
    actor_graph,
    build_digest_views,
    build_story_view,
    mention_chart,
    related_views,
    site_graph,
    story_refs,
)
from generator.site.views.timeline import timeline_pages
from generator.site.views.topic_pages import topic_pages

PAGE_EVENTS = 50
"""Events shown on one actor's or topic's page (newest first); the timeline has all, by month."""


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
        inferred=e.inferred,
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
        _event(
            TimelineEvent(e.date, e.text, b.slug, (), e.date_inferred), {b.slug: card}, names, False
        )
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


def briefing_entry(
    b: Briefing,
    card: BriefingCard,
    model: BriefingModel | SiteModel,
    names: Mapping[str, str],
    render_body: Callable[[str], str],
    refs: Mapping[str, StoryRef],
    cards: Mapping[str, BriefingCard],
    card_keys: Mapping[str, bytes],
    file_digest: str | None = None,
    marks: Mapping[str, BriefingMark] | None = None,
) -> tuple[BriefingEntry, BriefingMark | None]:
    """A briefing page whose view is built on demand, its key hashing what the view reads.

    With `marks` (the last build's, build_views) and the file's hash, also the mark of it:
    the one in `marks` when all its keys were made from is unchanged (its keys reused).
    """
    links = model.actor_links.get(b.slug, {})
    related = model.related.get(b.slug, ())
    story = refs.get(b.slug)

    def build() -> dict[str, Any]:
        """The page's values."""
        view = build_briefing_view(
            b, card, links, names, render_body(b.body), story, related_views(related, cards)
        )
        return {"briefing": view}

    def keys() -> tuple[bytes, bytes]:
        """The page key and search key, made anew."""
        given, linked = briefing_given(b, file_digest), linked_names(links, names)
        return briefing_key(given, linked, story, related, card_keys), search_key(given, linked)

    if marks is None or file_digest is None:
        key, search = keys()
        return BriefingEntry(card, Deferred(key, build), search), None
    shown = tuple(names.get(s) for s in links.values())
    near = tuple(card_keys.get(r.briefing, MISSING) for r in related)
    last = marks.get(b.slug)
    made_from = (file_digest, links, shown, story, related, near)
    if last is not None and made_from == (
        last.file, last.links, last.names, last.story, last.related, last.cards
    ):  # fmt: skip
        return BriefingEntry(card, Deferred(last.key, build), last.search), last
    key, search = keys()
    mark = BriefingMark(
        file_digest, card, card_keys[b.slug], links, shown, story, related, near, key, search
    )
    return BriefingEntry(card, Deferred(key, build), search), mark


@dataclass(frozen=True)
class ActorInputs:
    """What every actor page reads besides its profile: made once per build."""

    names: Mapping[str, str]
    cards: Mapping[str, BriefingCard]
    card_keys: Mapping[str, bytes]
    events: Sequence[EventView]
    """The timeline's event views, in its order."""
    event_keys: Sequence[bytes]
    """Those views serialized, in the same order."""
    chart: Callable[[ActorProfile], MentionChart | None]
    profiles: Mapping[str, bytes]
    """Actor slug -> profile_key."""


def actor_entry(
    p: ActorProfile, given: ActorInputs, shown: Sequence[int], kept: bytes | None = None
) -> ActorEntry:
    """An actor page whose view is built on demand; its key hashes what the view reads
    (`shown`: the places of its events in the timeline; `kept`: the key, known to still
    hold from the last build, so nothing is hashed)."""

    def build() -> dict[str, Any]:
        """The page's values."""
        events = tuple(given.events[k] for k in shown)
        return {"actor": build_actor_view(p, given.names, given.cards, events, given.chart(p))}

    key = kept or actor_key(
        p,
        given.profiles[p.slug],
        given.names,
        given.card_keys,
        [given.event_keys[k] for k in shown],
    )
    return ActorEntry(
        p.slug, p.name, p.kind, actor_url(p.slug), len(p.briefings), Deferred(key, build)
    )


@dataclass(frozen=True)
class BriefingViews:
    """The views of the briefing pages, made before the others: a build writes those pages
    (the ones an edit is about, and the ones the search index reads) first."""

    cards: dict[str, BriefingCard]
    card_keys: dict[str, bytes]
    """Briefing slug -> card_key of its card."""
    names: dict[str, str]
    """Actor slug -> name."""
    refs: dict[str, StoryRef]
    """Briefing slug -> its story (extras.story_refs)."""
    briefings: tuple[BriefingEntry, ...]
    """In the model's order; those of `only` (build_briefing_views) alone when it was given."""
    marks: dict[str, BriefingMark]
    """The marks for the next build (Views.briefing_marks)."""


def build_briefing_views(
    model: BriefingModel | SiteModel,
    render_body: Callable[[str], str],
    digests: Mapping[str, str] | None = None,
    marks: Mapping[str, BriefingMark] | None = None,
    only: Collection[str] | None = None,
    before: BriefingViews | None = None,
) -> BriefingViews:
    """The briefing pages' views (see build_views for the arguments): of the briefings in
    `only` (slugs) when given, so that their pages are written before the others are made;
    `before` is what an earlier call made for the same build (its entries are kept)."""
    digests = digests or {}
    if before is not None:
        cards, card_keys, names, refs = before.cards, before.card_keys, before.names, before.refs
    else:
        cards, card_keys = {}, {}
        for b in model.briefings:
            mark = marks.get(b.slug) if marks is not None else None
            if mark is not None and mark.file == digests.get(b.slug):
                cards[b.slug], card_keys[b.slug] = mark.card, mark.card_key
            else:
                card = cards[b.slug] = build_card(b)
                card_keys[b.slug] = card_key(card)
        names = model.names if isinstance(model, BriefingModel) else actor_names(model.actors)
        refs = story_refs(model.stories, cards)
    made = {e.card.slug: e for e in before.briefings} if before is not None else {}
    new_marks = dict(before.marks) if before is not None else {}
    entries = []
    for b in model.briefings:
        entry = made.get(b.slug)
        if entry is None and (only is None or b.slug in only):
            entry, mark = briefing_entry(
                b, cards[b.slug], model, names, render_body, refs, cards, card_keys,
                digests.get(b.slug), marks,
            )  # fmt: skip
            if mark is not None:
                new_marks[b.slug] = mark
        if entry is not None:
            entries.append(entry)
    return BriefingViews(cards, card_keys, names, refs, tuple(entries), new_marks)


def build_views(
    model: SiteModel,
    render_body: Callable[[str], str],
    digests: Mapping[str, str] | None = None,
    profiles: Mapping[str, bytes] | None = None,
    last: ActorKeys | None = None,
    marks: Mapping[str, BriefingMark] | None = None,
    event_marks: Mapping[EventView, bytes] | None = None,
    first: BriefingViews | None = None,
) -> Views:
    """Every view of the site; briefing and actor pages build theirs only when rendered.

    `digests` (briefing slug -> its file's hash) and `profiles` (actor slug -> profile_key,
    from the grouping memo) make page keys cheaper; any missing one is computed. `last`
    (the last build's Views.actor_keys) lets the actor page keys that still hold be
    reused, `marks` (the last build's Views.briefing_marks; given, even empty, the views
    keep marks for the next build) the briefing cards and page keys, and `event_marks`
    (Views.event_marks, likewise) the timeline events' bytes. `first` is what
    build_briefing_views made of the same arguments, when it ran already.
    """
    first = first or build_briefing_views(model, render_body, digests, marks)
    profiles = profiles or {}
    cards, card_keys, names = first.cards, first.card_keys, first.names
    labels = {t.id: t.label for t in model.topics}
    topics_of: dict[str, list[str]] = defaultdict(list)
    for t in model.topics:
        for slug in t.briefings:
            topics_of[slug].append(t.id)
    # Events by their place in the timeline: hashing TimelineEvents as dict keys is slow.
    event_views = [_event(e, cards, names) for e in model.timeline]
    known = event_marks or {}
    event_bytes = [known.get(v) or value_bytes(v) or b"" for v in event_views]
    days: dict[str, list[EventView]] = {}
    by_actor: dict[str, list[int]] = defaultdict(list)
    by_topic: dict[str, list[int]] = defaultdict(list)
    by_briefing: dict[str, list[int]] = defaultdict(list)
    for k, e in enumerate(model.timeline):
        view = event_views[k]
        days.setdefault(e.date.isoformat(), []).append(view)
        by_briefing[e.briefing].append(k)
        # Per-actor and per-topic timelines: the newest few, one pass over all events.
        for slug in e.actors:
            if len(by_actor[slug]) < PAGE_EVENTS:
                by_actor[slug].append(k)
        for tid in topics_of[e.briefing]:
            if len(by_topic[tid]) < PAGE_EVENTS:
                by_topic[tid].append(k)
    timeline = tuple(DayView(day, evs[0].date_label, tuple(evs)) for day, evs in days.items())
    by_slug = {b.slug: b for b in model.briefings}
    stories = tuple(
        build_story_view(
            s,
            cards,
            model.actor_links,
            names,
            # A story's events read oldest first: how the happening unfolded.
            sorted(
                (event_views[k] for x in s.briefings for k in by_briefing.get(x, ())),
                key=lambda v: v.date,
            ),
        )
        for s in model.stories
    )

    card_marks = {
        b.slug: digest(card_keys[b.slug], *(event_bytes[k] for k in by_briefing.get(b.slug, ())))
        for b in model.briefings
    }
    pkeys = {a.slug: profiles.get(a.slug) or profile_key(a) for a in model.actors}
    made = ActorKeys(pkeys, names, card_marks, {})
    kept = kept_keys(last, made, model.actor_links, model.actors)

    def chart(p: ActorProfile) -> MentionChart | None:
        """An actor's weekly mention chart."""
        return mention_chart(p, by_slug)

    given = ActorInputs(names, cards, card_keys, event_views, event_bytes, chart, pkeys)
    none: list[int] = []
    actors = tuple(
        actor_entry(a, given, by_actor.get(a.slug, none), kept.get(a.slug)) for a in model.actors
    )
    topics: list[TopicView] = []
    topic_months: list[TopicMonthView] = []
    list_keys: dict[str, bytes] = {}
    for t in model.topics:
        newest = by_topic.get(t.id, ())
        topic, months_of, keys = topic_pages(
            t,
            labels,
            cards,
            card_keys,
            tuple(event_views[k] for k in newest),
            [event_bytes[k] for k in newest],
        )
        topics.append(topic)
        topic_months.extend(months_of)
        list_keys.update(keys)
    front, months, timeline_keys = timeline_pages(timeline, event_bytes)
    list_keys.update(timeline_keys)
    return Views(
        cards=cards,
        briefings=first.briefings,
        topics=tuple(topics),
        actors=actors,
        timeline=front,
        months=months,
        topic_months=tuple(topic_months),
        stories=stories,
        digests=build_digest_views(model.digests, cards, labels, names),
        site_graph=site_graph(model),
        actor_keys=replace(made, keys={a.slug: a.page.key for a in actors}),
        briefing_marks=first.marks,
        event_marks=dict(zip(event_views, event_bytes, strict=True))
        if event_marks is not None
        else {},
        list_keys=list_keys,
    )
