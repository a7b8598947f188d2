"""Each briefing's most similar others by cosine of their term vectors, found through shared
rare terms; after an edit, only the rows the changed vectors can reach are scored anew (pure).

A pair's score is summed over the terms of its earlier briefing (lower index), in that
vector's order, so the same pair is the same float whichever way it is found: a list
updated after an edit is the list a full scoring gives, bit for bit.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import islice

DF_FLOOR = 12
"""A term in more than max(DF_FLOOR, sqrt(n) / 2) briefings does not pair briefings up: the
pairs one term makes grow with the square of its document count."""
MIN_COSINE = 0.08
NEIGHBOURS = 12
_CANDIDATES = 64
"""A briefing's candidate list is cut back to its NEIGHBOURS best past this length."""
_MOST_ROWS = 4
"""An update scoring more than 1/_MOST_ROWS of the rows anew does a full scoring instead
(scoring a row alone costs about twice its share of a full scoring)."""

Vector = dict[str, float]
Near = tuple[tuple[int, float], ...]
"""(index of another briefing, cosine), most similar first, cosine >= MIN_COSINE."""
Postings = dict[str, list[tuple[int, float]]]


def postings_of(vectors: Sequence[Vector]) -> Postings:
    """Term -> (briefing index, weight), in index order."""
    postings: Postings = defaultdict(list)
    for i, vec in enumerate(vectors):
        for t, w in vec.items():
            postings[t].append((i, w))
    return postings


def patched_postings(
    vectors: Sequence[Vector], old_vectors: Sequence[Vector], old: Postings | None
) -> Postings | None:
    """postings_of(vectors), from `old` (those of `old_vectors`, left as they are) by moving
    only the changed vectors' entries; None when there is nothing to patch or most changed."""
    n = len(vectors)
    if old is None or len(old_vectors) != n:
        return None
    changed = [i for i in range(n) if vectors[i] is not old_vectors[i]]
    if len(changed) * _MOST_ROWS > n:
        return None
    postings: Postings = defaultdict(list, old)
    copied: set[str] = set()  # lists copied for this patch: the old ones stay as they were

    def own(t: str) -> list[tuple[int, float]]:
        """The list of term t, copied once before it is changed."""
        if t not in copied:
            copied.add(t)
            postings[t] = list(postings.get(t, ()))
        return postings[t]

    for i in changed:
        for t in old_vectors[i]:
            plist = own(t)
            plist[:] = [p for p in plist if p[0] != i]
        for t, w in vectors[i].items():
            plist = own(t)
            plist.insert(bisect.bisect_left(plist, i, key=lambda p: p[0]), (i, w))
    for t in copied:
        if not postings[t]:
            del postings[t]
    return postings


def _usable(n: int) -> Callable[[int], bool]:
    """Whether a term in `count` of n briefings pairs briefings up."""
    cap = max(DF_FLOOR, math.isqrt(n) // 2)
    return lambda count: 1 < count <= cap


def _best(scores: list[tuple[float, int]]) -> Near:
    """The NEIGHBOURS best of (-score, index) pairs, as (index, score)."""
    return tuple((j, -s) for s, j in sorted(scores)[:NEIGHBOURS])


def find_neighbours(vectors: Sequence[Vector]) -> tuple[Near, ...]:
    """Every briefing's NEIGHBOURS most similar others (cosine >= MIN_COSINE).

    Pairs are scored one briefing at a time against the later ones, and each briefing keeps
    only its NEIGHBOURS best so far: memory stays linear in the briefing count, never a
    table of all pairs.
    """
    n = len(vectors)
    postings: Postings = defaultdict(list)
    # Per briefing, per term: where the briefing's own posting is (the later ones follow).
    places: list[list[tuple[list[tuple[int, float]], int, float]]] = []
    for i, vec in enumerate(vectors):
        own = []
        for t, w in vec.items():
            plist = postings[t]
            own.append((plist, len(plist), w))
            plist.append((i, w))
        places.append(own)
    usable = _usable(n)
    # Per briefing its candidates as (-cosine, index): best first once sorted; cut back to
    # the NEIGHBOURS best whenever a list grows long, so none holds more than _CANDIDATES.
    near: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    for i in range(n):
        acc: dict[int, float] = {}
        get = acc.get
        for plist, k, wi in places[i]:
            if usable(len(plist)):
                for j, wj in islice(plist, k + 1, None):
                    acc[j] = get(j, 0.0) + wi * wj
        mine = near[i]
        for j, score in acc.items():
            if score >= MIN_COSINE:
                mine.append((-score, j))
                theirs = near[j]
                theirs.append((-score, i))
                if len(theirs) > _CANDIDATES:
                    near[j] = sorted(theirs)[:NEIGHBOURS]
        if len(mine) > _CANDIDATES:
            near[i] = sorted(mine)[:NEIGHBOURS]
    return tuple(_best(f) for f in near)


def _row(
    i: int, vectors: Sequence[Vector], postings: Postings, usable: Callable[[int], bool]
) -> dict[int, float]:
    """Briefing i's score with every briefing sharing a usable term, each pair summed as
    find_neighbours sums it (over the earlier briefing's terms, in its order)."""
    vi = vectors[i]
    acc: dict[int, float] = {}
    get = acc.get
    earlier: set[int] = set()
    for t, wi in vi.items():
        plist = postings[t]
        if usable(len(plist)):
            for j, wj in plist:
                if j > i:
                    acc[j] = get(j, 0.0) + wi * wj
                elif j < i:
                    earlier.add(j)
    for j in earlier:
        score = 0.0
        for t, wj in vectors[j].items():
            if t in vi and usable(len(postings[t])):
                score = score + wj * vi[t]
        acc[j] = score
    return acc


def update_neighbours(
    vectors: Sequence[Vector],
    old_vectors: Sequence[Vector],
    old: Sequence[Near],
    postings: Postings | None = None,
) -> tuple[Near, ...]:
    """find_neighbours(vectors), given the lists `old` of `old_vectors`: the same result.

    A vector that is not the very object at its index before is changed. A pair's score
    moves only when one of its briefings changed or a term they share started or stopped
    pairing briefings up (its count crossed a bound): those (touched) briefings' rows are
    scored anew. Every other list keeps its scores with untouched briefings and takes the
    touched ones' new scores; only a full list that lost a place to a touched briefing and
    whose new last entry would rank below its old one is scored anew (a briefing it had cut
    might belong there). A different count, or too much changed: a full scoring.
    `postings` are those of `vectors` when known (patched_postings).
    """
    n = len(vectors)
    if len(old_vectors) != n or len(old) != n:
        return find_neighbours(vectors)
    changed = [i for i in range(n) if vectors[i] is not old_vectors[i]]
    if not changed:
        return tuple(old)
    if len(changed) * _MOST_ROWS > n:
        return find_neighbours(vectors)
    postings = postings if postings is not None else postings_of(vectors)
    usable = _usable(n)
    moved: dict[str, int] = defaultdict(int)  # term -> count now minus count before
    for i in changed:
        for t in vectors[i]:
            moved[t] += 1
        for t in old_vectors[i]:
            moved[t] -= 1
    touched = set(changed)
    for t, d in moved.items():
        now = len(postings.get(t, ()))
        if d and usable(now) != usable(now - d):  # every pair sharing t moves
            touched.update(j for j, _ in postings.get(t, ()))
    if len(touched) * _MOST_ROWS > n:
        return find_neighbours(vectors)
    rows = {j: _row(j, vectors, postings, usable) for j in sorted(touched)}
    # The touched briefings' new scores, as candidates of the other lists.
    gained: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for j, row in rows.items():
        for i, score in row.items():
            if i not in touched and score >= MIN_COSINE:
                gained[i].append((-score, j))
    out: list[Near] = []
    for i in range(n):
        mine = old[i]
        if i in touched:
            out.append(_best([(-s, j) for j, s in rows[i].items() if s >= MIN_COSINE]))
            continue
        lost = any(j in touched for j, _ in mine)
        if not lost and i not in gained:
            out.append(mine)
            continue
        known = sorted([(-s, j) for j, s in mine if j not in touched] + gained.get(i, []))
        best = known[:NEIGHBOURS]
        # Past a full list's last entry lie the candidates it cut, unknown here.
        cut = (-mine[-1][1], mine[-1][0]) if len(mine) == NEIGHBOURS else None
        if lost and cut is not None and (len(best) < NEIGHBOURS or best[-1] > cut):
            row = _row(i, vectors, postings, usable)
            best = [(-s, j) for j, s in row.items() if s >= MIN_COSINE]
        out.append(_best(best))
    return tuple(out)
