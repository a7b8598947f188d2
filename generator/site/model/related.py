"""Related briefings: shared actors, key phrases, text and story, with a short reason (pure).

Candidates come only from inverted lists (briefings sharing a rarely named actor or key
phrase, text neighbours, story mates), so the cost grows with the number of briefings
times a bounded list length, never with the number of pairs.
"""

from __future__ import annotations

import heapq
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.model import Briefing, fast_pickling
from generator.site.model.neighbours import Near
from generator.site.model.similarity import TextIndex
from generator.site.model.stories import Story

RELATED = 5
MAX_STORY_MATES = 2
"""Story mates are listed under "also covered by"; related shows at most this many of them."""
LIST_FLOOR = 12
"""An actor or key phrase in more than max(LIST_FLOOR, sqrt(n) / 2) briefings is too common
to suggest a briefing by itself (it still counts in the reason)."""
SHORTLIST = 10
W_STORY = 3.0
W_ACTOR = 1.0
W_PHRASE = 1.0
W_TEXT = 4.0
W_TOPIC = 0.5


@dataclass(frozen=True, slots=True)
class Related:
    """A briefing related to another, and why in a few words."""

    briefing: str
    reason: str


fast_pickling(Related)  # cached by the thousand: pickled as tuples, several times faster


@dataclass(frozen=True)
class RelatedInputs:
    """What the related lists read, per briefing (in site order): an update compares them."""

    slugs: tuple[str, ...]
    who: tuple[frozenset[str], ...]
    """Actor slugs each briefing names."""
    phrases: tuple[frozenset[str], ...]
    topic: tuple[str, ...]
    """Primary topic id ('' for none)."""
    label: tuple[str, ...]
    fingerprints: tuple[str, ...]
    neighbours: tuple[Near, ...]
    mates: tuple[frozenset[int], ...]
    """Indexes of the briefings in the same story (empty when in none)."""
    names: Mapping[str, str]
    """Actor slug -> name (said in reasons)."""


@dataclass(frozen=True)
class RelatedState:
    """A build's related lists and what they were made from."""

    inputs: RelatedInputs
    lists: dict[str, tuple[Related, ...]]
    scorer: _Scorer | None = field(default=None, compare=False, repr=False)
    """The scorer that made them, for the next build to reuse its inverted lists; not
    pickled (remade when missing)."""

    def __getstate__(self) -> dict[str, object]:
        """The state as pickled: without its scorer."""
        return {k: v for k, v in self.__dict__.items() if k != "scorer"}

    def __setstate__(self, state: dict[str, object]) -> None:
        """The state as unpickled: its scorer is made again when needed."""
        self.__dict__.update(state, scorer=None)


def related_inputs(
    briefings: Sequence[Briefing],
    text: TextIndex,
    stories: Sequence[Story],
    who: Sequence[frozenset[str]],
    names: Mapping[str, str],
) -> RelatedInputs:
    """The inputs of the related lists; `who` holds the actor slugs each briefing names
    (stories.actor_sets), `names` maps actor slug -> name."""
    index = {b.slug: i for i, b in enumerate(briefings)}
    mates: list[frozenset[int]] = [frozenset()] * len(briefings)
    for s in stories:
        members = frozenset(index[x] for x in s.briefings)
        for i in members:
            mates[i] = members
    return RelatedInputs(
        slugs=tuple(b.slug for b in briefings),
        who=tuple(who),
        phrases=tuple(frozenset(t.casefold() for t in b.tags) for b in briefings),
        topic=tuple(b.topics[0].id if b.topics else "" for b in briefings),
        label=tuple(b.topics[0].label if b.topics else "" for b in briefings),
        fingerprints=text.fingerprints,
        neighbours=text.neighbours,
        mates=tuple(mates),
        names=names,
    )


def _members(keys: Sequence[frozenset[str]]) -> dict[str, list[int]]:
    """Inverted lists key -> briefing indexes."""
    lists: dict[str, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in ks:
            lists[k].append(i)
    return lists


def _reason(story: bool, actors: int, one_actor: str, phrase: str, cos: float, topic: str) -> str:
    """The strongest reason, in words."""
    if story:
        return "same story"
    if actors >= 2:
        return f"{actors} shared actors"
    if cos >= 0.3:
        return "similar wording"
    if actors == 1:
        return f"also about {one_actor}"
    if phrase:
        return f"shared key phrase: {phrase}"
    if topic:
        return f"shared topic: {topic}"
    return "similar wording"


@dataclass(frozen=True)
class _Inverted:
    """What a scorer looks candidates up in, made from the actors, key phrases and topics."""

    who: tuple[frozenset[str], ...]
    phrases: tuple[frozenset[str], ...]
    topic: tuple[str, ...]
    by_actor: dict[str, list[int]]
    by_phrase: dict[str, list[int]]
    worth: dict[str, float]
    """What one shared actor is worth: less when it is named by more than `cap` briefings."""
    lists: tuple[dict[str, list[int]], dict[str, list[int]]]
    """The actors' and key phrases' lists short enough to suggest a briefing by themselves."""
    by_topic: dict[str, list[int]]


def _inverted(inputs: RelatedInputs) -> _Inverted:
    """Inverted lists of actors, key phrases and topics, and the actors' weights."""
    cap = max(LIST_FLOOR, math.isqrt(len(inputs.slugs)) // 2)
    by_actor = _members(inputs.who)
    by_phrase = _members(inputs.phrases)
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(inputs.topic):
        if t:
            by_topic[t].append(i)
    return _Inverted(
        inputs.who,
        inputs.phrases,
        inputs.topic,
        by_actor,
        by_phrase,
        {a: min(1.0, cap / len(m)) for a, m in by_actor.items()},
        # Rough score: one point per rarely named actor or key phrase in common.
        (
            {k: m for k, m in by_actor.items() if 1 < len(m) <= cap},
            {k: m for k, m in by_phrase.items() if 1 < len(m) <= cap},
        ),
        by_topic,
    )


class _Scorer:
    """Scores the related list of one briefing at a time, over inverted lists of the site."""

    def __init__(self, inputs: RelatedInputs, last: _Scorer | None = None) -> None:
        """A scorer of `inputs`, with `last`'s inverted lists (a scorer of earlier inputs)
        when they were made from the same actors, key phrases and topics (an edit of the
        wording leaves them as they were)."""
        self.inputs = inputs
        kept: _Inverted | None = last.index if last is not None else None
        if kept is None or (kept.who, kept.phrases, kept.topic) != (
            inputs.who,
            inputs.phrases,
            inputs.topic,
        ):
            kept = _inverted(inputs)
        self.index: _Inverted = kept

    def fill(self, topic: str) -> list[int]:
        """The briefings a list short of candidates takes from its topic."""
        return self.index.by_topic.get(topic, [])[: RELATED + 1]

    def related(self, i: int) -> tuple[Related, ...]:
        """Up to RELATED briefings related to briefing i, best first."""
        inp = self.inputs
        who, phrases, topic = inp.who, inp.phrases, inp.topic
        # Counter.update counts a whole inverted list in C, which keeps this cheap.
        shared_keys: Counter[int] = Counter()
        short = self.index.lists
        for keys, lists in ((who[i], short[0]), (phrases[i], short[1])):
            for k in keys:
                members = lists.get(k)
                if members is not None:
                    shared_keys.update(members)
        row: dict[int, float] = dict(shared_keys)
        row.pop(i, None)
        near = dict(inp.neighbours[i])
        for j, cos in near.items():
            row[j] = row.get(j, 0.0) + W_TEXT * cos
        mates = inp.mates[i]
        for j in mates:
            if j != i:
                row[j] = row.get(j, 0.0) + W_STORY
        if len(row) < RELATED and topic[i]:
            # Too little in common with anything: the same topic's newest briefings fill in.
            for j in self.fill(topic[i]):
                if j != i:
                    row.setdefault(j, 0.0)
        # The rough score picks a shortlist; the exact one (every shared actor, however
        # common, and the topic) orders it and gives the reason.
        shortlist = heapq.nlargest(SHORTLIST, row.items(), key=lambda jv: (jv[1], -jv[0]))
        ranked = []
        for j, _rough in shortlist:
            # Sorted: a float sum in set order would depend on the hash seed, and ties with it.
            shared = sorted(who[i] & who[j])
            common = phrases[i] & phrases[j]
            cos = near.get(j, 0.0)
            same_topic = bool(topic[i]) and topic[i] == topic[j]
            in_story = j in mates
            score = (
                W_STORY * in_story
                + W_ACTOR * sum([self.index.worth[a] for a in shared])
                + W_PHRASE * len(common)
                + W_TEXT * cos
                + W_TOPIC * same_topic
            )
            ranked.append((-score, inp.slugs[j], j, in_story, shared, common, cos, same_topic))
        ranked.sort(key=lambda r: r[:3])
        picked: list[Related] = []
        seen = {inp.fingerprints[i]}
        story_count = 0
        for _neg, slug, j, in_story, shared, common, cos, same_topic in ranked:
            if inp.fingerprints[j] in seen:
                continue  # the same article twice is worth one line
            seen.add(inp.fingerprints[j])
            if in_story:
                if story_count >= MAX_STORY_MATES:
                    continue
                story_count += 1
            # The reason, in words, only for the briefings listed.
            one = inp.names.get(shared[0], "") if len(shared) == 1 else ""
            label = inp.label[i] if same_topic else ""
            reason = _reason(in_story, len(shared), one, min(common, default=""), cos, label)
            picked.append(Related(slug, sys.intern(reason)))  # a few hundred reasons, reused
            if len(picked) == RELATED:
                break
        return tuple(picked)


def relate(inputs: RelatedInputs, last: RelatedState | None = None) -> RelatedState:
    """The related list of every briefing; with `last` (the previous build's), only the
    lists an edit can have changed are scored again, and the result is the same."""
    scorer = _Scorer(inputs, last.scorer if last is not None else None)
    redo = _stale(inputs, last, scorer) if last is not None else None
    if redo is None or last is None:
        lists = {slug: scorer.related(i) for i, slug in enumerate(inputs.slugs)}
    else:
        lists = {
            slug: scorer.related(i) if i in redo else last.lists[slug]
            for i, slug in enumerate(inputs.slugs)
        }
    return RelatedState(inputs, lists, scorer)


def _stale(inputs: RelatedInputs, last: RelatedState, scorer: _Scorer) -> set[int] | None:
    """The briefings whose related list may differ from the last build's; None: all of them.

    A list reads its own briefing, its candidates (briefings sharing an actor or key
    phrase, text neighbours, story mates, its topic's newest) and the weights of its
    actors (how many briefings name them). So when a briefing's own inputs changed, every
    briefing that shares anything with it, before or after, is scored again.
    """
    old = last.inputs
    n = len(inputs.slugs)
    if old.slugs != inputs.slugs:
        return None  # added, removed or reordered: every index moved
    own = (inputs.who, inputs.phrases, inputs.topic, inputs.label, inputs.fingerprints)
    was = (old.who, old.phrases, old.topic, old.label, old.fingerprints)
    changed = {
        i
        for new, before in zip(own, was, strict=True)
        if new != before  # one comparison in C: most columns are as they were
        for i, (a, b) in enumerate(zip(new, before, strict=True))
        if a != b
    }
    stale = set(changed)
    for rows, before_rows in ((inputs.neighbours, old.neighbours), (inputs.mates, old.mates)):
        if rows != before_rows:
            stale.update(
                x for x, (a, b) in enumerate(zip(rows, before_rows, strict=True)) if a != b
            )
    near_of: dict[int, list[int]] = defaultdict(list)
    if changed:  # whose neighbour lists name a changed briefing
        for x in range(n):
            for j, _ in inputs.neighbours[x]:
                near_of[j].append(x)
    topics: set[str] = set()
    for i in changed:
        # Who shares an actor or key phrase with it now; those who did before share one
        # with it still or are among `changed` themselves (only they changed).
        for k in inputs.who[i] | old.who[i]:
            stale.update(scorer.index.by_actor.get(k, ()))
        for k in inputs.phrases[i] | old.phrases[i]:
            stale.update(scorer.index.by_phrase.get(k, ()))
        stale.update(near_of[i])
        stale.update(inputs.mates[i])
        topics.update((inputs.topic[i], old.topic[i]))
    # A topic whose newest briefings (the fill of short lists) changed: all its members.
    old_fill: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(old.topic):
        if t in topics and len(old_fill[t]) <= RELATED:
            old_fill[t].append(i)
    for t in topics - {""}:
        if scorer.fill(t) != old_fill[t] or any(i in changed for i in scorer.fill(t)):
            stale.update(scorer.index.by_topic.get(t, ()))
    same = inputs.names is old.names or inputs.names == old.names  # one C comparison
    renamed = () if same else {a for a, name in inputs.names.items() if old.names.get(a) != name}
    for a in renamed:
        stale.update(scorer.index.by_actor.get(a, ()))
    return stale if len(stale) * 2 <= n else None
