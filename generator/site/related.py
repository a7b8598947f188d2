"""Related briefings: shared actors, key phrases, text and story, with a short reason (pure).

Candidates come only from inverted lists (briefings sharing a rarely named actor or key
phrase, text neighbours, story mates), so the cost grows with the number of briefings
times a bounded list length, never with the number of pairs.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.model import Briefing
from generator.site.similarity import TextIndex
from generator.site.stories import Story

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


@dataclass(frozen=True)
class Related:
    """A briefing related to another, and why in a few words."""

    briefing: str
    reason: str


def _lists(keys: Sequence[frozenset[str]], cap: int) -> dict[str, list[int]]:
    """Inverted lists key -> briefing indexes, keeping keys shared by 2..cap briefings."""
    lists: dict[str, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in ks:
            lists[k].append(i)
    return {k: v for k, v in lists.items() if 1 < len(v) <= cap}


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


def build_related(
    briefings: Sequence[Briefing],
    text: TextIndex,
    stories: Sequence[Story],
    actors: Mapping[str, Mapping[str, str]],
    names: Mapping[str, str],
) -> dict[str, tuple[Related, ...]]:
    """Up to RELATED related briefings per briefing slug, best first.

    `actors` maps briefing slug -> {name used: actor slug}; `names` actor slug -> name.
    """
    n = len(briefings)
    cap = max(LIST_FLOOR, math.isqrt(n) // 2)
    who = [frozenset(actors.get(b.slug, {}).values()) for b in briefings]
    phrases = [frozenset(t.casefold() for t in b.tags) for b in briefings]
    topic = [b.topics[0].id if b.topics else "" for b in briefings]
    index = {b.slug: i for i, b in enumerate(briefings)}
    df: Counter[str] = Counter()
    for w in who:
        df.update(w)
    # What one shared actor is worth: less when it is named by more than `cap` briefings.
    worth = {a: min(1.0, cap / d) for a, d in df.items()}
    story_of: dict[int, frozenset[int]] = {}
    for s in stories:
        members = frozenset(index[x] for x in s.briefings)
        for i in members:
            story_of[i] = members
    # Rough score: one point per rarely named actor or key phrase in common. Counter.update
    # counts a whole inverted list in C, which keeps this cheap on big sites.
    shared_keys: list[Counter[int]] = [Counter() for _ in range(n)]
    for keys in (who, phrases):
        for members_list in _lists(keys, cap).values():
            for a in members_list:
                shared_keys[a].update(members_list)
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(topic):
        if t:
            by_topic[t].append(i)
    out: dict[str, tuple[Related, ...]] = {}
    for i, b in enumerate(briefings):
        row: dict[int, float] = dict(shared_keys[i])
        row.pop(i, None)
        near = dict(text.neighbours[i])
        for j, cos in near.items():
            row[j] = row.get(j, 0.0) + W_TEXT * cos
        mates = story_of.get(i, frozenset())
        for j in mates:
            if j != i:
                row[j] = row.get(j, 0.0) + W_STORY
        if len(row) < RELATED and topic[i]:
            # Too little in common with anything: the same topic's newest briefings fill in.
            for j in by_topic[topic[i]][: RELATED + 1]:
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
                + W_ACTOR * sum([worth[a] for a in shared])
                + W_PHRASE * len(common)
                + W_TEXT * cos
                + W_TOPIC * same_topic
            )
            ranked.append((-score, briefings[j].slug, j, in_story, shared, common, cos, same_topic))
        ranked.sort(key=lambda r: r[:3])
        picked: list[Related] = []
        seen = {text.fingerprints[i]}
        story_count = 0
        for _neg, slug, j, in_story, shared, common, cos, same_topic in ranked:
            if text.fingerprints[j] in seen:
                continue  # the same article twice is worth one line
            seen.add(text.fingerprints[j])
            if in_story:
                if story_count >= MAX_STORY_MATES:
                    continue
                story_count += 1
            # The reason, in words, only for the briefings listed.
            one = names.get(shared[0], "") if len(shared) == 1 else ""
            label = b.topics[0].label if same_topic else ""
            reason = _reason(in_story, len(shared), one, min(common, default=""), cos, label)
            picked.append(Related(slug, reason))
            if len(picked) == RELATED:
                break
        out[b.slug] = tuple(picked)
    return out
