"""A topic's pages: its newest briefings on its own page and, for a big topic, every month
of its briefings on a page of its own.

A page of every card of a topic grows with the site and is rendered again whenever any of
its cards changes; a month page stays small and an edit re-renders its month (and the topic
page while it is among the newest).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.site.incremental.lazy import topic_key, topic_month_key
from generator.site.model.group import TopicGroup
from generator.site.views.context import (
    BriefingCard,
    EventView,
    Link,
    TopicMonthView,
    TopicView,
    topic_url,
)
from generator.site.views.months import by_month

TOPIC_CARDS = 50
"""Briefings on a topic's page, newest first; a topic with more lists every month too."""


def topic_month_url(topic_id: str, key: str) -> str:
    """URL of a month (`2025-03`) of a topic, relative to the site root.

    Under `by-month/`: sub-topics live in their parent's folder and an id segment may be
    any lowercase word, `2025-03` included, but no topic's month folder holds sub-topics.
    """
    return f"{topic_url(topic_id)}by-month/{key}/"


def topic_pages(
    t: TopicGroup,
    labels: Mapping[str, str],
    cards: Mapping[str, BriefingCard],
    card_keys: Mapping[str, bytes],
    events: tuple[EventView, ...],
    event_keys: Sequence[bytes],
) -> tuple[TopicView, tuple[TopicMonthView, ...], dict[str, bytes]]:
    """A topic's page view, its month pages and their keys ('topic:<id>',
    'topic:<id>:<month>'); `event_keys` are the serialized `events`."""
    parent = Link(labels[t.parent], topic_url(t.parent)) if t.parent else None
    shown = t.briefings[:TOPIC_CARDS]
    groups = (
        by_month(t.briefings, lambda s: cards[s].date[:7], lambda k: topic_month_url(t.id, k))
        if len(t.briefings) > TOPIC_CARDS
        else ()
    )
    view = TopicView(
        id=t.id,
        label=t.label,
        url=topic_url(t.id),
        parent=parent,
        children=tuple(Link(labels[c], topic_url(c)) for c in t.children),
        briefings=tuple(cards[s] for s in shown),
        count=len(t.briefings),
        events=events,
        months=tuple(g.link for g in groups),
    )
    keys = {f"topic:{t.id}": topic_key(view, shown, card_keys, event_keys)}
    months = []
    for g in groups:
        month = TopicMonthView(
            t.id,
            g.key,
            Link(t.label, view.url),
            parent,
            g.link.label,
            g.link.url,
            tuple(cards[s] for s in g.items),
            g.newer,
            g.older,
        )
        months.append(month)
        keys[f"topic:{t.id}:{g.key}"] = topic_month_key(month, g.items, card_keys)
    return view, tuple(months), keys
