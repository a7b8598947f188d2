"""The briefing pages' views: each briefing's card, its page values made on demand, and the
event views the briefing and timeline pages share."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.model import Briefing
from generator.site.incremental.lazy import (
    MISSING,
    BriefingMark,
    briefing_given,
    briefing_key,
    card_key,
    linked_names,
    search_key,
)
from generator.site.model.group import BriefingModel, SiteModel, TimelineEvent, actor_names
from generator.site.render.values import Deferred
from generator.site.views.context import (
    ActorRole,
    BriefingCard,
    BriefingView,
    EventView,
    Link,
    QuoteView,
    RelatedView,
    StoryRef,
    actor_url,
    build_card,
    date_label,
    topic_url,
    web_url,
)
from generator.site.views.entries import BriefingEntry
from generator.site.views.extras import (
    related_views,
    story_refs,
)


def event_view(
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
        event_view(
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
