"""The actor pages' views: what an actor page shows, made only when the page is rendered."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.site.incremental.lazy import (
    actor_key,
)
from generator.site.model.actors import ActorProfile
from generator.site.render.values import Deferred
from generator.site.views.context import (
    ActorView,
    BriefingCard,
    EventView,
    Link,
    MentionChart,
    QuoteView,
    RoleView,
    actor_url,
)
from generator.site.views.entries import ActorEntry
from generator.site.views.extras import (
    actor_graph,
)

PAGE_EVENTS = 50
"""Events shown on one actor's or topic's page (newest first); the timeline has all, by month."""


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
