"""Build the template views from the site model: each view once, shared by every page (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from generator.hashing import digest, value_bytes
from generator.site.incremental.lazy import (
    ActorKeys,
    BriefingMark,
    kept_keys,
    profile_key,
)
from generator.site.model.actors import ActorProfile
from generator.site.model.group import SiteModel
from generator.site.views.actors import PAGE_EVENTS, ActorInputs, actor_entry
from generator.site.views.briefings import BriefingViews, build_briefing_views, event_view
from generator.site.views.context import (
    DayView,
    EventView,
    MentionChart,
    StoryView,
    TopicMonthView,
    TopicView,
)
from generator.site.views.entries import ActorEntry
from generator.site.views.extras import (
    build_digest_views,
    build_story_view,
    mention_chart,
    site_graph,
)
from generator.site.views.site_views import Views
from generator.site.views.timeline import timeline_pages
from generator.site.views.topic_pages import topic_pages


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
    events = _index_events(model, first, event_marks or {})
    actors, made = _actor_entries(model, first, events, profiles or {}, last)
    labels = {t.id: t.label for t in model.topics}
    topics, topic_months, list_keys = _topic_views(model, first, events, labels)
    front, months, timeline_keys = timeline_pages(events.days, events.bytes)
    list_keys.update(timeline_keys)
    return Views(
        cards=first.cards,
        briefings=first.briefings,
        topics=topics,
        actors=actors,
        timeline=front,
        months=months,
        topic_months=topic_months,
        stories=_story_views(model, first, events),
        digests=build_digest_views(model.digests, first.cards, labels, first.names),
        site_graph=site_graph(model),
        actor_keys=replace(made, keys={a.slug: a.page.key for a in actors}),
        briefing_marks=first.marks,
        event_marks=dict(zip(events.views, events.bytes, strict=True))
        if event_marks is not None
        else {},
        list_keys=list_keys,
    )


@dataclass(frozen=True)
class _Events:
    """The timeline's event views, indexed by their place in the timeline (hashing
    TimelineEvents as dict keys is slow)."""

    views: list[EventView]
    bytes: list[bytes]
    """Each view serialized (the keys of the pages that list it hash these)."""
    days: tuple[DayView, ...]
    by_actor: dict[str, list[int]]
    """Actor slug -> its newest PAGE_EVENTS events."""
    by_topic: dict[str, list[int]]
    """Topic id -> its newest PAGE_EVENTS events."""
    by_briefing: dict[str, list[int]]


def _index_events(
    model: SiteModel, first: BriefingViews, known: Mapping[EventView, bytes]
) -> _Events:
    """Every timeline event's view and bytes, by day, actor, topic and briefing."""
    topics_of: dict[str, list[str]] = defaultdict(list)
    for t in model.topics:
        for slug in t.briefings:
            topics_of[slug].append(t.id)
    views = [event_view(e, first.cards, first.names) for e in model.timeline]
    event_bytes = [known.get(v) or value_bytes(v) or b"" for v in views]
    days: dict[str, list[EventView]] = {}
    events = _Events(views, event_bytes, (), defaultdict(list), defaultdict(list),
                     defaultdict(list))  # fmt: skip
    for k, e in enumerate(model.timeline):
        days.setdefault(e.date.isoformat(), []).append(views[k])
        events.by_briefing[e.briefing].append(k)
        # Per-actor and per-topic timelines: the newest few, one pass over all events.
        for slug in e.actors:
            if len(events.by_actor[slug]) < PAGE_EVENTS:
                events.by_actor[slug].append(k)
        for tid in topics_of[e.briefing]:
            if len(events.by_topic[tid]) < PAGE_EVENTS:
                events.by_topic[tid].append(k)
    timeline = tuple(DayView(day, evs[0].date_label, tuple(evs)) for day, evs in days.items())
    return replace(events, days=timeline)


def _story_views(model: SiteModel, first: BriefingViews, events: _Events) -> tuple[StoryView, ...]:
    """Every story's view; a story's events read oldest first: how the happening unfolded."""
    return tuple(
        build_story_view(
            s,
            first.cards,
            model.actor_links,
            first.names,
            sorted(
                (events.views[k] for x in s.briefings for k in events.by_briefing.get(x, ())),
                key=lambda v: v.date,
            ),
        )
        for s in model.stories
    )


def _actor_entries(
    model: SiteModel,
    first: BriefingViews,
    events: _Events,
    profiles: Mapping[str, bytes],
    last: ActorKeys | None,
) -> tuple[tuple[ActorEntry, ...], ActorKeys]:
    """Every actor page, with the keys that still hold taken from `last`."""
    card_marks = {
        b.slug: digest(
            first.card_keys[b.slug], *(events.bytes[k] for k in events.by_briefing.get(b.slug, ()))
        )
        for b in model.briefings
    }
    pkeys = {a.slug: profiles.get(a.slug) or profile_key(a) for a in model.actors}
    made = ActorKeys(pkeys, first.names, card_marks, {})
    kept = kept_keys(last, made, model.actor_links, model.actors)
    by_slug = {b.slug: b for b in model.briefings}

    def chart(p: ActorProfile) -> MentionChart | None:
        """An actor's weekly mention chart."""
        return mention_chart(p, by_slug)

    given = ActorInputs(
        first.names, first.cards, first.card_keys, events.views, events.bytes, chart, pkeys
    )
    none: list[int] = []
    actors = tuple(
        actor_entry(a, given, events.by_actor.get(a.slug, none), kept.get(a.slug))
        for a in model.actors
    )
    return actors, made


def _topic_views(
    model: SiteModel, first: BriefingViews, events: _Events, labels: Mapping[str, str]
) -> tuple[tuple[TopicView, ...], tuple[TopicMonthView, ...], dict[str, bytes]]:
    """Every topic's view, the month pages of the big ones, and their list keys."""
    topics: list[TopicView] = []
    topic_months: list[TopicMonthView] = []
    list_keys: dict[str, bytes] = {}
    for t in model.topics:
        newest = events.by_topic.get(t.id, ())
        topic, months_of, keys = topic_pages(
            t,
            labels,
            first.cards,
            first.card_keys,
            tuple(events.views[k] for k in newest),
            [events.bytes[k] for k in newest],
        )
        topics.append(topic)
        topic_months.extend(months_of)
        list_keys.update(keys)
    return tuple(topics), tuple(topic_months), list_keys
