"""Page values built only when a page must be rendered, and the keys that stand for them.

A big site has tens of thousands of briefing and actor pages and an edit changes a few.
Building every view and hashing it to find those few costs more than the pages; instead each
such page gets a key hashed from the (much smaller) inputs of its view, and the view is
built only for a page whose key changed. A key must cover everything its view reads: what a
view builder reads and what its key function hashes sit side by side (views/assemble.py,
views/timeline.py, views/topic_pages.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.hashing import digest, value_bytes
from generator.model import Briefing
from generator.site.model.actors import ActorProfile
from generator.site.model.related import Related
from generator.site.views.context import BriefingCard, DayView, StoryRef, TopicMonthView, TopicView

MISSING = b"\x00missing"


def card_key(card: BriefingCard) -> bytes:
    """A card's hash, made once per card: most keys include the cards of the briefings a page
    lists (a hash, not the serialized card, keeps an actor named in 500 briefings cheap)."""
    return digest(value_bytes(card) or MISSING)


def _cards(slugs: Iterable[str], cards: Mapping[str, bytes]) -> list[bytes]:
    """The serialized cards of `slugs` (a marker where a slug has no card), in order."""
    return [cards.get(s, MISSING) for s in slugs]


def _text(*values: object) -> bytes:
    """Small plain values (strings, tuples of strings) as bytes."""
    return repr(values).encode("utf-8")


def briefing_given(b: Briefing, file_digest: str | None) -> bytes:
    """What a briefing page shows of the briefing itself, as bytes.

    A briefing is given by its file's hash and its published slug (load.py makes it from
    nothing else), far cheaper to hash than the parsed briefing; without the file's hash
    the briefing itself is serialized.
    """
    given = f"{b.slug}\0{file_digest}".encode() if file_digest else value_bytes(b)
    return given or MISSING


def linked_names(links: Mapping[str, str], names: Mapping[str, str]) -> bytes:
    """A briefing's name -> profile links and those profiles' names, as bytes."""
    targets = sorted(links.items())
    return _text(targets, [names.get(s) for _, s in targets])


def briefing_key(
    given: bytes,
    linked: bytes,
    story: StoryRef | None,
    related: Sequence[Related],
    cards: Mapping[str, bytes],
) -> bytes:
    """The key of a briefing page (see views.briefing_entry for what the view reads), from
    briefing_given and linked_names."""
    return digest(
        given,
        linked,
        value_bytes(story) or MISSING,
        _text([(r.briefing, r.reason) for r in related]),
        *_cards((r.briefing for r in related), cards),
    )


@dataclass(frozen=True, slots=True)
class BriefingMark:
    """A briefing's card and page keys with all they were made from (views.briefing_entry),
    for the next build: the card stands while the file's hash does, the keys while all of
    it does. Comparing these values costs far less than hashing them again."""

    file: str
    """The briefing file's hash (with its slug, the mark's key: all the briefing is)."""
    card: BriefingCard
    card_key: bytes
    links: Mapping[str, str]
    names: tuple[str | None, ...]
    """The names of the profiles `links` points to, in its order."""
    story: StoryRef | None
    related: tuple[Related, ...]
    cards: tuple[bytes, ...]
    """The card keys of the related briefings."""
    key: bytes
    search: bytes


def search_key(given: bytes, linked: bytes) -> bytes:
    """What the indexed part of a briefing page shows (data-pagefind-body in the theme):
    the briefing itself and the names of the profiles it links (briefing_given,
    linked_names); not the related lists and story links, which sit outside it."""
    return digest(given, linked)


def topic_key(
    view: TopicView, slugs: Sequence[str], cards: Mapping[str, bytes], events: Sequence[bytes]
) -> bytes:
    """The key of a topic page's values (topic_pages.topic_pages): its place in the tree,
    its count and month links, the cards it shows (`slugs`) and its events (serialized)."""
    return digest(
        _text(view.id, view.label, view.url, view.parent, view.children, view.count, view.months),
        *_cards(slugs, cards),
        *events,
    )


def topic_month_key(
    month: TopicMonthView, slugs: Sequence[str], cards: Mapping[str, bytes]
) -> bytes:
    """The key of a topic's month page: its topic, label and links (small values) and the
    cards of its briefings (`slugs`)."""
    m = month
    return digest(
        _text(m.id, m.key, m.topic, m.parent, m.label, m.url, m.newer, m.older),
        *_cards(slugs, cards),
    )


def timeline_key(days: Sequence[DayView], events: Sequence[bytes], *links: object) -> bytes:
    """The key of a timeline page's values: its days, each of their events (serialized, in
    the days' order) and its links to other months (small values)."""
    return digest(
        _text([(d.date, d.date_label, len(d.events)) for d in days]), _text(*links), *events
    )


def profile_key(p: ActorProfile) -> bytes:
    """A short hash of an actor profile (the grouping memo keeps them between builds)."""
    return digest(value_bytes(p) or MISSING)


def actor_key(
    p: ActorProfile,
    profile: bytes,
    names: Mapping[str, str],
    cards: Mapping[str, bytes],
    events: Sequence[bytes],
) -> bytes:
    """The key of an actor page (see views.actor_entry for what the view reads); `profile`
    is the profile_key of `p`."""
    shown = [
        *p.briefings,
        *(s for r in p.roles for s in r.briefings),
        *(q.briefing for q in p.quotes),
        *(m.via for m in p.merged),
    ]
    return digest(
        profile,
        _text([names.get(s) for s, _ in p.co_mentioned]),
        *_cards(shown, cards),
        *events,
    )


@dataclass(frozen=True)
class ActorKeys:
    """The last build's actor page keys and what decides whether each still holds.

    Keying every actor page hashes the cards of all its briefings (thousands of pages),
    yet an edit, even one that adds a briefing or changes names, changes
    the pages of few actors: an actor's key stands while its profile, the names of the
    actors it is seen with and the cards and events of its briefings
    (`marks`) are the ones it was made from.
    """

    profiles: Mapping[str, bytes]
    """Actor slug -> the profile_key its page key was made with."""
    names: Mapping[str, str]
    """Actor slug -> name (a page names the actors seen with its own)."""
    marks: dict[str, bytes]
    """Briefing slug -> hash of its card and the views of its timeline events."""
    keys: dict[str, bytes]
    """Actor slug -> its page key."""


def kept_keys(
    old: ActorKeys | None,
    now: ActorKeys,
    links: Mapping[str, Mapping[str, str]],
    actors: Sequence[ActorProfile],
) -> dict[str, bytes]:
    """The keys of `old` that still hold for the actors of `now` (whose `keys` are not
    read): all but those of an actor whose profile changed, who is seen with an actor
    whose name changed, or who is named by a briefing whose card or events changed.

    An actor page reads only its profile, its co-mentioned actors' names, and the
    cards and events of the briefings naming it (roles, quotes and merges all come from
    those). A briefing added or removed changes the profiles of the actors it names.
    """
    if old is None:
        return {}
    stale: set[str] = set()
    for slug, mark in now.marks.items():
        if old.marks.get(slug) != mark:
            stale.update(links.get(slug, {}).values())
    renamed = {a for a, name in old.names.items() if now.names.get(a) != name}
    # Who is seen with a renamed actor (rare: only then are the profiles looked into).
    seen = (
        {p.slug for p in actors if any(c in renamed for c, _ in p.co_mentioned)}
        if renamed
        else set()
    )
    keys = {}
    for actor, key in old.keys.items():
        profile = now.profiles.get(actor)
        if actor in stale or actor in seen or profile is None or profile != old.profiles.get(actor):
            continue
        keys[actor] = key
    return keys
