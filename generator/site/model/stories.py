"""Story clusters: briefings about the same happening, from different outlets or days (pure).

Two briefings are one story when they are the same article (equal text or input hash),
near-duplicates (high text cosine at any date), or the same event: fair text cosine,
dates a few days apart and at least one actor in common. Edges are joined strongest
first, and a story stops growing at MAX_STORY briefings, so a busy week of loosely
similar news cannot chain into one giant cluster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.model import Briefing
from generator.site.model.similarity import TextIndex

NEAR_DUPLICATE = 0.75
"""Text cosine above which two briefings tell the same story whatever their dates."""
SAME_EVENT = 0.4
"""Text cosine above which briefings close in time and sharing an actor are one story."""
EVENT_DAYS = 3
MAX_STORY = 12


@dataclass(frozen=True)
class Story:
    """One happening and the briefings that cover it, oldest first."""

    slug: str
    """The slug of its first briefing: unique, and stable while that briefing exists."""
    title: str
    briefings: tuple[str, ...]
    duplicates: frozenset[str]
    """Briefings that are the same article as an earlier one in the story."""


class _Sets:
    """Union-find over briefing indexes, with the size of each set."""

    def __init__(self, n: int) -> None:
        """n singleton sets."""
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, i: int) -> int:
        """The set's representative, halving paths on the way."""
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, i: int, j: int, limit: int) -> bool:
        """Merge the sets of i and j unless the result would exceed `limit`."""
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        if self.size[a] + self.size[b] > limit:
            return False
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]
        return True


def _same_article(briefings: Sequence[Briefing], text: TextIndex) -> list[tuple[int, int]]:
    """Pairs (first seen, later) of briefings with the same text or the same input bytes."""
    by_text: dict[str, int] = {}
    by_source: dict[str, int] = {}
    pairs = []
    for i, (b, fp) in enumerate(zip(briefings, text.fingerprints, strict=True)):
        sha = b.source.sha256
        owner = by_text.get(fp)
        if owner is None and sha:
            owner = by_source.get(sha)
        if owner is not None:
            pairs.append((owner, i))
        by_text.setdefault(fp, i if owner is None else owner)
        if sha:
            by_source.setdefault(sha, i if owner is None else owner)
    return pairs


def linked_actors(links: Mapping[str, Mapping[str, str]]) -> dict[str, frozenset[str]]:
    """Briefing slug -> the actor slugs it names (`links`: briefing slug -> {name: actor})."""
    return {slug: frozenset(named.values()) for slug, named in links.items()}


def actor_sets(
    briefings: Sequence[Briefing], sets: Mapping[str, frozenset[str]]
) -> tuple[frozenset[str], ...]:
    """The actor slugs each briefing names, in order (`sets`: linked_actors)."""
    none: frozenset[str] = frozenset()
    return tuple(sets.get(b.slug, none) for b in briefings)


def build_stories(
    briefings: Sequence[Briefing], text: TextIndex, who: Sequence[frozenset[str]]
) -> tuple[Story, ...]:
    """Stories of two or more briefings, newest first; `who`: the actor slugs each names
    (actor_sets)."""
    n = len(briefings)
    sets = _Sets(n)
    dup_of: dict[int, int] = {}
    for owner, i in _same_article(briefings, text):
        # The same article twice is always one story, whatever the size limit.
        sets.join(owner, i, n)
        dup_of[i] = owner
    edges = []
    for i, near in enumerate(text.neighbours):
        for j, score in near:
            if score < SAME_EVENT:
                break  # most similar first: the rest are weaker still
            if j <= i:
                continue
            if score < NEAR_DUPLICATE:
                days = abs((briefings[i].date - briefings[j].date).days)
                if days > EVENT_DAYS or not (who[i] & who[j]):
                    continue
            edges.append((-score, i, j))
    edges.sort()
    for _score, i, j in edges:
        sets.join(i, j, MAX_STORY)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[sets.find(i)].append(i)
    stories: list[tuple[int, Story]] = []
    for group in members.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda i: (briefings[i].date, briefings[i].slug))
        first = briefings[group[0]]
        latest = max(briefings[i].date for i in group).toordinal()
        stories.append(
            (
                -latest,
                Story(
                    slug=first.slug,
                    title=first.title,
                    briefings=tuple(briefings[i].slug for i in group),
                    duplicates=frozenset(briefings[i].slug for i in group if i in dup_of),
                ),
            )
        )
    stories.sort(key=lambda ks: (ks[0], ks[1].slug))
    return tuple(s for _, s in stories)
