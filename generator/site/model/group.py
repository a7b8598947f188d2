"""Pure grouping of briefings into topics, actor profiles and a timeline; terms point to slugs."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.model import Briefing
from generator.site.model.actors import ActorProfile, build_actors
from generator.site.model.alias_table import shipped_aliases
from generator.site.model.digest import Digest, build_digests
from generator.site.model.related import Related, RelatedState, relate, related_inputs
from generator.site.model.similarity import TextIndex, build_text_index
from generator.site.model.stories import Story, actor_sets, build_stories, linked_actors

__all__ = [
    "ActorProfile",
    "BriefingModel",
    "Digest",
    "Related",
    "SiteModel",
    "Story",
    "TimelineEvent",
    "TopicGroup",
    "build_site_model",
]


@dataclass(frozen=True)
class TopicGroup:
    """One topic and the briefings under it (its own and its sub-topics'), newest first."""

    id: str
    label: str
    parent: str | None
    children: tuple[str, ...]
    briefings: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEvent:
    """A dated event from a briefing, with the actors its text names."""

    date: dt.date
    text: str
    briefing: str
    actors: tuple[str, ...]
    inferred: bool = False
    """Dated from an undated briefing's stand-in date: shown on its page, not as a fact."""


@dataclass(frozen=True)
class BriefingModel:
    """What the briefing pages read of the site model: made first, so that a build writes
    those pages before it groups topics, the timeline and the digests."""

    briefings: tuple[Briefing, ...]
    """Newest first (date, then slug)."""
    actors: tuple[ActorProfile, ...]
    """Sorted by slug."""
    actor_links: dict[str, dict[str, str]]
    """Briefing slug -> {name or alias used in it -> actor slug}."""
    stories: tuple[Story, ...]
    """Briefings about the same happening (two or more each), newest first."""
    related: dict[str, tuple[Related, ...]]
    """Briefing slug -> related briefings, best first."""
    names: dict[str, str]
    """Actor slug -> name."""


@dataclass(frozen=True)
class SiteModel:
    """Everything the pages show; taxonomies point to briefings by slug."""

    briefings: tuple[Briefing, ...]
    """Newest first (date, then slug)."""
    topics: tuple[TopicGroup, ...]
    """Sorted by id."""
    actors: tuple[ActorProfile, ...]
    """Sorted by slug."""
    timeline: tuple[TimelineEvent, ...]
    """Newest first."""
    actor_links: dict[str, dict[str, str]] = field(default_factory=dict)
    """Briefing slug -> {name or alias used in it -> actor slug}."""
    stories: tuple[Story, ...] = ()
    """Briefings about the same happening (two or more each), newest first."""
    related: dict[str, tuple[Related, ...]] = field(default_factory=dict)
    """Briefing slug -> related briefings, best first."""
    digests: tuple[Digest, ...] = ()
    """One per ISO week with briefings, newest first."""


def newest_first(briefings: Iterable[Briefing]) -> tuple[Briefing, ...]:
    """Briefings sorted newest first, ties by slug, so every list has one order."""
    return tuple(sorted(briefings, key=lambda b: (-b.date.toordinal(), b.slug)))


def topic_ancestors(topic_id: str) -> list[str]:
    """`a/b/c` -> [`a/b/c`, `a/b`, `a`]."""
    parts = topic_id.split("/")
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]


def build_topics(
    ordered: tuple[Briefing, ...], labels: Mapping[str, str] | None = None
) -> tuple[TopicGroup, ...]:
    """Each topic with its briefings; a briefing is listed under its topic and every ancestor."""
    given: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[str]] = defaultdict(list)
    for b in ordered:
        seen: set[str] = set()
        for t in b.topics:
            given[t.id][t.label] += 1
            for tid in topic_ancestors(t.id):
                if tid not in seen:
                    seen.add(tid)
                    members[tid].append(b.slug)
    # The site's labels win; else the label most briefings give (ties: the newest briefing's).
    known: dict[str, str] = {tid: c.most_common(1)[0][0] for tid, c in given.items()}
    known.update(labels or {})
    children: dict[str, list[str]] = defaultdict(list)
    for tid in members:
        if "/" in tid:
            children[tid.rsplit("/", 1)[0]].append(tid)
    return tuple(
        TopicGroup(
            id=tid,
            label=known.get(tid) or tid.rsplit("/", 1)[-1].replace("-", " "),
            parent=tid.rsplit("/", 1)[0] if "/" in tid else None,
            children=tuple(sorted(children.get(tid, ()))),
            briefings=tuple(members[tid]),
        )
        for tid in sorted(members)
    )


def _names_in(text: str, forms: Mapping[str, str]) -> tuple[str, ...]:
    """Actor slugs whose name or alias appears in `text` as whole words."""
    found: dict[str, None] = {}
    for form, slug in forms.items():
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            if not before.isalnum() and not after.isalnum():
                found[slug] = None
                break
            start = text.find(form, start + 1)
    return tuple(sorted(found))


EventsMemo = dict[str, tuple[Briefing, Mapping[str, str], tuple[TimelineEvent, ...]]]
"""Briefing slug -> the briefing and name links its timeline events were made from, and
those events: the next build reuses them while both are the same."""


def build_timeline(
    ordered: tuple[Briefing, ...],
    links: Mapping[str, Mapping[str, str]],
    last: EventsMemo | None = None,
) -> tuple[tuple[TimelineEvent, ...], EventsMemo]:
    """Every briefing's events, newest first; ties keep briefing order, then article order.
    An event dated from an undated briefing's stand-in date is no fact: it is left out.
    Also the memo of each briefing's events (those of `last` are reused where they hold:
    finding the names in every event's text is the costly part)."""
    last = last or {}
    memo: EventsMemo = {}
    events: list[tuple[int, int, int, TimelineEvent]] = []
    for i, b in enumerate(ordered):
        forms = links.get(b.slug, {})
        kept = last.get(b.slug)
        if kept is not None and kept[0] is b and (kept[1] is forms or kept[1] == forms):
            made = kept[2]
        else:
            made = tuple(
                TimelineEvent(e.date, e.text, b.slug, _names_in(e.text, forms))
                for e in b.events
                if not e.date_inferred
            )
        memo[b.slug] = (b, forms, made)
        events.extend((-e.date.toordinal(), i, j, e) for j, e in enumerate(made))
    events.sort(key=lambda t: t[:3])
    return tuple(t[3] for t in events), memo


def build_site_model(
    briefings: Iterable[Briefing],
    aliases: Mapping[str, str] | None = None,
    topic_labels: Mapping[str, str] | None = None,
) -> SiteModel:
    """Group briefings into the site's taxonomies, stories, related lists and weekly digests.

    Pure; every part runs over inverted lists, never over all pairs of briefings.
    """
    ordered = newest_first(briefings)
    actors = build_actors(ordered, aliases, shipped_aliases())
    text = build_text_index(ordered)
    first = group_briefings(ordered, actors.profiles, actors.links, text)[0]
    return complete_model(first, topic_labels)[0]


def group_briefings(
    ordered: tuple[Briefing, ...],
    actors: tuple[ActorProfile, ...],
    links: dict[str, dict[str, str]],
    text: TextIndex,
    last_related: RelatedState | None = None,
    names: dict[str, str] | None = None,
    sets: Mapping[str, frozenset[str]] | None = None,
) -> tuple[BriefingModel, RelatedState]:
    """The briefing pages' part of the model from the briefings (newest first), their
    actors and their text index, and its related lists' state (with `last_related`, the
    lists an edit cannot have changed are taken from it). `names` (actor_names) and
    `sets` (stories.linked_actors) are made when not given."""
    who = actor_sets(ordered, linked_actors(links) if sets is None else sets)
    stories = build_stories(ordered, text, who)
    names = actor_names(actors) if names is None else names
    related = relate(related_inputs(ordered, text, stories, who, names), last_related)
    return BriefingModel(ordered, actors, links, stories, related.lists, names), related


def actor_names(actors: Iterable[ActorProfile]) -> dict[str, str]:
    """Actor slug -> name."""
    return {a.slug: a.name for a in actors}


def complete_model(
    first: BriefingModel,
    topic_labels: Mapping[str, str] | None = None,
    last_events: EventsMemo | None = None,
) -> tuple[SiteModel, EventsMemo]:
    """The whole site model: `first` with the topics, timeline and digests, and the
    timeline's memo (`last_events`: the last one)."""
    ordered, links = first.briefings, first.actor_links
    timeline, events = build_timeline(ordered, links, last_events)
    model = SiteModel(
        briefings=ordered,
        topics=build_topics(ordered, topic_labels),
        actors=first.actors,
        timeline=timeline,
        actor_links=links,
        stories=first.stories,
        related=first.related,
        digests=build_digests(ordered, links),
    )
    return model, events
