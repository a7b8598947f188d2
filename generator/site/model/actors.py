"""Actor profiles across briefings: names merged by aliases and the site's alias table (pure)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from generator.model import ACTOR_KINDS, Briefing, fast_pickling
from generator.slug import slugify

MAX_CO_MENTIONED = 25
CO_MENTION_ACTORS = 15
"""Only a briefing's most-mentioned actors count as co-mentioned: keeps the pair count O(n)."""
SITE_ALIASES = "the site's aliases (briefing.toml)"
SHIPPED_ALIASES = "the shipped alias table"


@dataclass(frozen=True, slots=True)
class RoleCredit:
    """A role an actor was given and the briefings that gave it, newest first."""

    role: str
    briefings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuoteCredit:
    """A quote by an actor and the briefing it is in."""

    text: str
    briefing: str


@dataclass(frozen=True, slots=True)
class Merge:
    """A name folded into a profile and why, so a reader can see where a merge came from."""

    name: str
    via: str


@dataclass(frozen=True, slots=True)
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


# Profiles are cached (tens of thousands of these objects): pickled as tuples, they load
# faster than through the dataclasses' own state methods.
for _cls in (RoleCredit, QuoteCredit, Merge, ActorProfile):
    fast_pickling(_cls)


def _folded(aliases: Mapping[str, str]) -> dict[str, str]:
    """Site aliases keyed case-insensitively."""
    return {k.casefold(): v for k, v in aliases.items()}


class _SlugMemo(dict[str, str]):
    """slugify, remembered: the same names recur across thousands of briefings."""

    def __missing__(self, name: str) -> str:
        """Slugify a name seen for the first time."""
        slug = self[name] = slugify(name)
        return slug


def _resolve(
    name: str, kind: str, site: Mapping[str, str], table: Mapping[str, str]
) -> tuple[str, str | None]:
    """The canonical name for `name` and which table gave it (None: the name itself).

    The site's aliases apply to every actor; the shipped table (country names, capitals,
    organization short forms) never to a person: "Jordan" the footballer stays himself.
    """
    folded = name.casefold()
    if folded in site:
        return site[folded], SITE_ALIASES
    if kind != "person" and folded in table:
        return table[folded], SHIPPED_ALIASES
    return name, None


def _merge_targets(
    ordered: tuple[Briefing, ...],
    site: dict[str, str],
    table: Mapping[str, str],
    slugs: _SlugMemo,
) -> dict[str, str]:
    """Slug -> slug it merges into: a name that is an alias of exactly one fuller name."""
    owners: dict[str, set[str]] = defaultdict(set)
    names: set[str] = set()
    for b in ordered:
        for a in b.actors:
            key = slugs[_resolve(a.name, a.kind, site, table)[0]]
            names.add(key)
            for alias in a.aliases:
                akey = slugs[_resolve(alias, a.kind, site, table)[0]]
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
    """The slug a name finally merges into (targets only point to longer names)."""
    while key in target:
        key = target[key]
    return key


def _pick(counter: Counter[str], order: Mapping[str, int] | None = None) -> str:
    """Most common value; ties by the given order, then longest, then alphabetical."""
    rank = order or {}
    return min(counter, key=lambda v: (-counter[v], rank.get(v, 0), -len(v), v))


Links = dict[str, dict[str, str]]
"""Briefing slug -> {name form: actor slug} for the names it mentions."""


@dataclass(frozen=True)
class Actors:
    """Actor profiles merged across briefings, the names each briefing links, and the merge
    map they came from (name slug -> the fuller name's slug it merges into)."""

    profiles: tuple[ActorProfile, ...]
    links: Links
    target: dict[str, str]


def build_actors(
    ordered: tuple[Briefing, ...],
    aliases: Mapping[str, str] | None = None,
    table: Mapping[str, str] | None = None,
) -> Actors:
    """Actor profiles merged across briefings, and per briefing which name links to which slug.

    `aliases` are the site's own (briefing.toml, any actor); `table` is the shipped alias
    table, case-folded form -> canonical name, for organizations and countries only.
    """
    site = _folded(aliases or {})
    shipped = table or {}
    slugs = _SlugMemo()
    target = _merge_targets(ordered, site, shipped, slugs)
    profiles, links = _accumulate(ordered, site, shipped, slugs, target)
    return Actors(tuple(profiles[slug] for slug in sorted(profiles)), links, target)


def update_actors(
    last: Actors,
    ordered: tuple[Briefing, ...],
    changed: set[str],
    aliases: Mapping[str, str] | None = None,
    table: Mapping[str, str] | None = None,
) -> Actors | None:
    """build_actors(ordered, ...) from the last build's result, when only the briefings in
    `changed` (slugs: added, removed, or with other actors or quotes) differ from the
    briefings it was made from, in the same order, with the same alias tables.

    A profile is made from exactly the briefings that name its actor, so only the profiles
    of actors those briefings name (before or after) are made again, from their briefings.
    None when a merge moved for a name an unchanged briefing may use: then only a full
    build_actors will do.
    """
    site = _folded(aliases or {})
    shipped = table or {}
    slugs = _SlugMemo()
    target = _merge_targets(ordered, site, shipped, slugs)
    old = {p.slug: p for p in last.profiles}
    touched = {slug for b in changed for slug in last.links.get(b, {}).values()}
    for key in target.keys() | last.target.keys():
        # A merge that moved: the briefings naming the old profile may link this name
        # elsewhere now; unless all of them changed (their actors are touched below), only
        # a full build will do.
        before = _root(key, last.target)
        moved = before != _root(key, target) and before in old
        if moved and any(b not in changed for b in old[before].briefings):
            return None
    for b in ordered:
        if b.slug in changed:
            touched.update(
                _root(slugs[_resolve(a.name, a.kind, site, shipped)[0]], target) for a in b.actors
            )
    involved = {b for slug in touched if slug in old for b in old[slug].briefings} | changed
    subset = tuple(b for b in ordered if b.slug in involved)
    made, made_links = _accumulate(subset, site, shipped, slugs, target)
    profiles = {slug: p for slug, p in old.items() if slug not in touched}
    profiles.update((slug, p) for slug, p in made.items() if slug in touched)
    links = {
        b.slug: made_links[b.slug] if b.slug in changed else last.links[b.slug] for b in ordered
    }
    return Actors(tuple(profiles[slug] for slug in sorted(profiles)), links, target)


def _accumulate(
    ordered: tuple[Briefing, ...],
    site: Mapping[str, str],
    shipped: Mapping[str, str],
    slugs: _SlugMemo,
    target: Mapping[str, str],
) -> tuple[dict[str, ActorProfile], Links]:
    """The profiles of every actor `ordered` names, from those briefings only, and their links."""
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
            resolved, via = _resolve(a.name, a.kind, site, shipped)
            key = slugs[resolved]
            slug = _root(key, target)
            if via and resolved != a.name:
                merged[slug].setdefault(a.name.casefold(), f"{a.name}|{via}")
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
    profiles: dict[str, ActorProfile] = {}
    for slug in briefings:
        name_counts = Counter({n: c for n, c in names[slug].items() if n})
        name = _pick(name_counts) if name_counts else _pick(Counter(alias_sets[slug].values()))
        notes = []
        for folded, note in sorted(merged[slug].items()):
            merged_name, via = note.split("|", 1)
            if folded != name.casefold():
                notes.append(Merge(merged_name, via))
        profiles[slug] = ActorProfile(
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
    return profiles, links
