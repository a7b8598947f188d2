"""Pure grouping of briefings into topics, actor profiles and a timeline; terms point to slugs."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.model import ACTOR_KINDS, Briefing
from generator.slug import slugify

MAX_CO_MENTIONED = 25
CO_MENTION_ACTORS = 15
"""Only a briefing's most-mentioned actors count as co-mentioned: keeps the pair count O(n)."""
SITE_ALIASES = "the site's aliases (briefing.toml)"


@dataclass(frozen=True)
class TopicGroup:
    """One topic and the briefings under it (its own and its sub-topics'), newest first."""

    id: str
    label: str
    parent: str | None
    children: tuple[str, ...]
    briefings: tuple[str, ...]


@dataclass(frozen=True)
class RoleCredit:
    """A role an actor was given and the briefings that gave it, newest first."""

    role: str
    briefings: tuple[str, ...]


@dataclass(frozen=True)
class QuoteCredit:
    """A quote by an actor and the briefing it is in."""

    text: str
    briefing: str


@dataclass(frozen=True)
class Merge:
    """A name folded into a profile and why, so a reader can see where a merge came from."""

    name: str
    via: str


@dataclass(frozen=True)
class ActorProfile:
    """One actor across the whole site, keyed by its slug."""

    slug: str
    name: str
    kind: str
    roles: tuple[RoleCredit, ...]
    aliases: tuple[str, ...]
    quotes: tuple[QuoteCredit, ...]
    briefings: tuple[str, ...]
    """Newest first."""
    co_mentioned: tuple[tuple[str, int], ...]
    """(actor slug, briefings shared), most shared first."""
    mentions: int
    merged: tuple[Merge, ...]


@dataclass(frozen=True)
class TimelineEvent:
    """A dated event from a briefing, with the actors its text names."""

    date: dt.date
    text: str
    briefing: str
    actors: tuple[str, ...]


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


def _folded(aliases: Mapping[str, str]) -> dict[str, str]:
    return {k.casefold(): v for k, v in aliases.items()}


class _SlugMemo(dict[str, str]):
    """slugify, remembered: the same names recur across thousands of briefings."""

    def __missing__(self, name: str) -> str:
        slug = self[name] = slugify(name)
        return slug


def _merge_targets(
    ordered: tuple[Briefing, ...], site: dict[str, str], slugs: _SlugMemo
) -> dict[str, str]:
    """Slug -> slug it merges into: a name that is an alias of exactly one fuller name."""
    owners: dict[str, set[str]] = defaultdict(set)
    names: set[str] = set()
    for b in ordered:
        for a in b.actors:
            key = slugs[site.get(a.name.casefold(), a.name)]
            names.add(key)
            for alias in a.aliases:
                akey = slugs[site.get(alias.casefold(), alias)]
                if akey != key:
                    owners[akey].add(key)
    target: dict[str, str] = {}
    for key in names:
        cands = owners.get(key, set())
        if len(cands) == 1:
            (owner,) = cands
            # Merge towards the longer name only, so chains end and mutual aliases do not loop.
            if (len(owner), owner) > (len(key), key):
                target[key] = owner
    return target


def _root(key: str, target: Mapping[str, str]) -> str:
    while key in target:
        key = target[key]
    return key


def _pick(counter: Counter[str], order: Mapping[str, int] | None = None) -> str:
    """Most common value; ties by the given order, then longest, then alphabetical."""
    rank = order or {}
    return min(counter, key=lambda v: (-counter[v], rank.get(v, 0), -len(v), v))


def build_actors(
    ordered: tuple[Briefing, ...], aliases: Mapping[str, str] | None = None
) -> tuple[tuple[ActorProfile, ...], dict[str, dict[str, str]]]:
    """Actor profiles merged across briefings, and per briefing which name links to which slug."""
    site = _folded(aliases or {})
    slugs = _SlugMemo()
    target = _merge_targets(ordered, site, slugs)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    mentions: Counter[str] = Counter()
    roles: dict[str, dict[str, tuple[str, list[str]]]] = defaultdict(dict)
    alias_sets: dict[str, dict[str, str]] = defaultdict(dict)
    merged: dict[str, dict[str, str]] = defaultdict(dict)
    briefings: dict[str, list[str]] = defaultdict(list)
    quotes: dict[str, list[QuoteCredit]] = defaultdict(list)
    co: dict[str, Counter[str]] = defaultdict(Counter)
    links: dict[str, dict[str, str]] = {}
    for b in ordered:
        local: dict[str, str] = {}
        weight: Counter[str] = Counter()
        for a in b.actors:
            resolved = site.get(a.name.casefold(), a.name)
            key = slugs[resolved]
            slug = _root(key, target)
            if resolved != a.name:
                merged[slug].setdefault(a.name.casefold(), f"{a.name}|{SITE_ALIASES}")
            if slug != key:
                merged[slug].setdefault(resolved.casefold(), f"{resolved}|{b.slug}")
            names[slug][resolved if slug == key else ""] += 1
            kinds[slug][a.kind] += a.mentions
            mentions[slug] += a.mentions
            weight[slug] += a.mentions
            for form in (a.name, resolved, *a.aliases):
                local.setdefault(form, slug)
                alias_sets[slug].setdefault(form.casefold(), form)
            role = (a.role or "").strip()
            if role:
                _form, given = roles[slug].setdefault(role.casefold(), (role, []))
                if not given or given[-1] != b.slug:
                    given.append(b.slug)
        links[b.slug] = local
        for slug in weight:
            briefings[slug].append(b.slug)
        top = [s for s, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))]
        top = top[:CO_MENTION_ACTORS]
        for slug in top:
            co[slug].update(s for s in top if s != slug)
        for q in b.quotes:
            speaker = q.speaker or ""
            who = local.get(speaker) or local.get(site.get(speaker.casefold(), speaker))
            if who:
                quotes[who].append(QuoteCredit(q.text, b.slug))
    kind_rank = {k: i for i, k in enumerate(ACTOR_KINDS)}
    profiles = []
    for slug in sorted(briefings):
        name_counts = Counter({n: c for n, c in names[slug].items() if n})
        name = _pick(name_counts) if name_counts else _pick(Counter(alias_sets[slug].values()))
        notes = []
        for folded, note in sorted(merged[slug].items()):
            merged_name, via = note.split("|", 1)
            if folded != name.casefold():
                notes.append(Merge(merged_name, via))
        profiles.append(
            ActorProfile(
                slug=slug,
                name=name,
                kind=_pick(kinds[slug], kind_rank),
                roles=tuple(RoleCredit(r, tuple(bs)) for r, bs in roles[slug].values()),
                aliases=tuple(
                    sorted(
                        (f for k, f in alias_sets[slug].items() if k != name.casefold()),
                        key=lambda f: (f.casefold(), f),
                    )
                ),
                quotes=tuple(quotes[slug]),
                briefings=tuple(briefings[slug]),
                co_mentioned=tuple(
                    sorted(co[slug].items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CO_MENTIONED]
                ),
                mentions=mentions[slug],
                merged=tuple(notes),
            )
        )
    return tuple(profiles), links


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


def build_timeline(
    ordered: tuple[Briefing, ...], links: Mapping[str, Mapping[str, str]]
) -> tuple[TimelineEvent, ...]:
    """Every briefing's events, newest first; ties keep briefing order, then article order."""
    events = []
    for i, b in enumerate(ordered):
        forms = links.get(b.slug, {})
        for j, e in enumerate(b.events):
            events.append(
                (
                    -e.date.toordinal(),
                    i,
                    j,
                    TimelineEvent(e.date, e.text, b.slug, _names_in(e.text, forms)),
                )
            )
    events.sort(key=lambda t: t[:3])
    return tuple(t[3] for t in events)


def build_site_model(
    briefings: Iterable[Briefing],
    aliases: Mapping[str, str] | None = None,
    topic_labels: Mapping[str, str] | None = None,
) -> SiteModel:
    """Group briefings into the site's taxonomies (pure; O(total actors + topics + events))."""
    ordered = newest_first(briefings)
    actors, links = build_actors(ordered, aliases)
    return SiteModel(
        briefings=ordered,
        topics=build_topics(ordered, topic_labels),
        actors=actors,
        timeline=build_timeline(ordered, links),
        actor_links=links,
    )
