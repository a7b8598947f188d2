"""The data of the site-level identity join: its rules, input records and identities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

CO_ACTORS = 15
"""A briefing's most-mentioned actors count as each other's co-actors."""


@dataclass(frozen=True, slots=True)
class Rules:
    """The word lists and limits the join reads."""

    titles: frozenset[str] = frozenset()
    """Courtesy titles and honorifics, lower case, no dot: 'mr', 'president'."""
    org_suffixes: frozenset[str] = frozenset()
    """Company suffixes a variant may drop: 'plc', 'ltd'."""
    org_tails: frozenset[str] = frozenset()
    one_word_tails: frozenset[str] = frozenset()
    """The tails a one-word organization name may leave off ('Labour' for 'Labour Party')."""
    function_words: frozenset[str] = frozenset()
    """Words that open sentences ('my', 'oh'): never a given name."""
    """Trailing words a short organization name may leave out: 'cinema', 'group'."""
    min_shared: float = 3.0
    """Co-actors a short form must share with a full name, each weighing log(briefings /
    briefings naming it): one actor named in a fiftieth of the briefings is enough."""
    dominant_min: int = 10
    """A full name named in at least this many briefings may dominate its competitors..."""
    dominant_ratio: int = 5
    """...when named in this many times as many briefings as all of them together."""
    window_days: int = 730
    """Briefings further apart than this share no context through their topics alone."""


@dataclass(frozen=True, slots=True)
class ActorRecord:
    """One actor as one briefing gives it."""

    name: str
    kind: str
    briefing: str
    aliases: tuple[str, ...] = ()
    mentions: int = 1
    co_actors: tuple[str, ...] = ()
    """Names of the briefing's other leading actors."""
    topics: tuple[str, ...] = ()
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Alias:
    """A name joined to an identity and why."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Identity:
    """One real actor across the site."""

    slug: str
    name: str
    kind: str
    aliases: tuple[Alias, ...]
    briefings: tuple[str, ...]
    """Briefing slugs, sorted."""
    kinds: tuple[tuple[str, int], ...] = ()
    """The kind votes (mentions per kind), most first."""


@dataclass(frozen=True)
class Join:
    """The identities and, per (briefing slug, actor name), the identity slug it links to."""

    identities: tuple[Identity, ...]
    links: dict[tuple[str, str], str] = field(default_factory=dict)
