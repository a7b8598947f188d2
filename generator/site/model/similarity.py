"""Text similarity between briefings: TF-IDF cosine over an inverted index of shared terms (pure).

Comparing every pair of briefings is quadratic; instead each briefing keeps only its
strongest terms, and pairs are scored only through terms they share that are rare enough
to mean something: very common terms never pair briefings up.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from generator.extract.wordlist import read_lines
from generator.model import Briefing
from generator.site.model.neighbours import (
    Near,
    Postings,
    find_neighbours,
    patched_postings,
    postings_of,
    update_neighbours,
)

TOP_TERMS = 24
"""Terms kept per briefing: enough to tell stories apart, few enough to stay fast."""
BODY_CHARS = 600
"""The opening of the body is where a news story says what happened (the summary and key
points, taken from the body, carry the rest)."""
_WORD = re.compile(r"[a-z\u00df-\u024f]{3,}")
"""Lower-case words of three letters or more (Latin letters: a fast character class)."""
_TF = tuple(1.0 + math.log(k) if k else 0.0 for k in range(64))
_TF2 = tuple(w * w for w in _TF)


@cache
def _stopwords() -> frozenset[str]:
    """Function words and frequent verbs: the extractor's stop list, shared read-only."""
    return frozenset(w.lower() for w in read_lines("stopwords.txt"))


@dataclass(frozen=True)
class TextIndex:
    """Per briefing (in the order given): its term weights and its most similar briefings."""

    vectors: tuple[dict[str, float], ...]
    """Unit-length TF-IDF weights of each briefing's strongest terms."""
    neighbours: tuple[Near, ...]
    """(index of another briefing, cosine), most similar first (neighbours.py)."""
    fingerprints: tuple[str, ...]
    """Hash of the normalized text: equal fingerprints are the same article ingested twice."""
    postings: Postings | None = field(default=None, compare=False, repr=False)
    """Term -> (briefing index, weight) of `vectors`, for the next index to patch; not
    pickled (they would add a third to every save; they are quick to remake when missing)."""

    def __getstate__(self) -> dict[str, object]:
        """The index as pickled: without its postings."""
        return {k: v for k, v in self.__dict__.items() if k != "postings"}

    def __setstate__(self, state: dict[str, object]) -> None:
        """The index as unpickled: its postings are made again when needed."""
        self.__dict__.update(state, postings=None)


def briefing_text(b: Briefing) -> str:
    """What a briefing is about: headline, summary, key phrases and the body's opening."""
    return " ".join((b.title, b.title, b.summary, *b.tags, b.body[:BODY_CHARS]))


def fingerprint(b: Briefing) -> str:
    """Hash of the article's text (the body, else the title), outer spacing ignored."""
    text = (b.body.strip() or b.title.strip()).encode("utf-8")
    return hashlib.blake2b(text, digest_size=12).hexdigest()


def _terms(text: str, stop: frozenset[str]) -> dict[str, int]:
    """Term counts of a text: lower-case words of three letters or more, stop words dropped."""
    # Interned: the same word in thousands of briefings is then one string in memory.
    counts = Counter(map(sys.intern, _WORD.findall(text.lower())))
    for word in stop.intersection(counts):
        del counts[word]
    # A plain dict (same order): the text memo pickles thousands of these after an edit,
    # and a Counter pickles through Python code, ten times slower.
    return dict(counts)


def _idf(df: Mapping[str, int], n: int) -> tuple[dict[str, float], float]:
    """Inverse document frequency of the terms in two or more of `n` briefings, and the
    squared weight a term of one briefing only would have."""
    # A term in one briefing only pairs nothing up: it is left out of the vectors, but its
    # weight still counts in the length, or two texts sharing a few words and otherwise
    # all their own would look identical.
    idf = {t: _weight(n, d) for t, d in df.items() if d > 1}
    return idf, _weight(n, 1) ** 2


def _weight(n: int, d: int) -> float:
    """The idf weight of a term in `d` of `n` briefings."""
    return math.log((1 + n) / (1 + d)) + 1.0


def _vector(c: Mapping[str, int], idf: Mapping[str, float], unique: float) -> dict[str, float]:
    """A unit TF-IDF vector keeping the briefing's TOP_TERMS strongest terms."""
    weights = [(_TF[min(k, 63)] * idf[t], t) for t, k in c.items() if t in idf]
    top = [(t, w) for w, t in heapq.nlargest(TOP_TERMS, weights)]
    own = sum([_TF2[min(k, 63)] for t, k in c.items() if t not in idf]) * unique
    norm = math.sqrt(sum([w * w for _, w in top]) + own) or 1.0
    return {t: w / norm for t, w in top}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit vectors (iterating the smaller one)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


@dataclass(frozen=True)
class TextParts:
    """What the next text index can reuse, by hash of the indexed text: its term counts and
    its vector (exact while no term of it changed document frequency)."""

    n: int
    df: dict[str, int]
    terms: dict[bytes, dict[str, int]]
    vectors: dict[bytes, dict[str, float]]
    texts: tuple[bytes, ...] = ()
    """Each briefing's text hash, in order: the next index adjusts `df` and `idf` by the
    texts that came and went, not counting every text again."""
    idf: dict[str, float] = field(default_factory=dict)
    """_idf's weights for `df` and `n`."""


def text_digest(b: Briefing) -> bytes:
    """A hash of a briefing's indexed text."""
    return hashlib.blake2b(briefing_text(b).encode(), digest_size=16).digest()


def text_digests(briefings: Sequence[Briefing]) -> list[bytes]:
    """A hash of each briefing's indexed text."""
    return list(map(text_digest, briefings))


def build_text_index(briefings: Sequence[Briefing]) -> TextIndex:
    """TF-IDF vectors, nearest neighbours and fingerprints of the briefings, in their order."""
    return index_text(briefings)[0]


def index_text(
    briefings: Sequence[Briefing],
    texts: Sequence[bytes] | None = None,
    last: TextParts | None = None,
    last_index: TextIndex | None = None,
    fingerprints: Sequence[str] | None = None,
) -> tuple[TextIndex, TextParts]:
    """build_text_index's index, and the parts a later index can reuse.

    `texts` are the briefings' text_digests; `last` the parts of an earlier index: the
    terms of an unchanged text are reused, and so is its vector when the briefing count
    and the document frequency of each of its terms are unchanged (so it is the same
    float for float). With `last_index` (that earlier index) neighbours are updated where
    vectors changed (neighbours.update_neighbours) rather than found anew.
    """
    texts = text_digests(briefings) if texts is None else texts
    stop = _stopwords()
    old_terms = last.terms if last is not None else {}
    terms = [
        old_terms.get(d) or _terms(briefing_text(b), stop)
        for b, d in zip(briefings, texts, strict=True)
    ]
    n = len(terms)
    patched = _patched_frequencies(texts, terms, last)
    old_vectors: Mapping[bytes, dict[str, float]] = {}
    moved: set[str] = set()
    if patched is not None and last is not None and last.n == n:
        df, moved = patched
        idf, unique = _patched_idf(last.idf, df, moved, n)
        old_vectors = last.vectors
    else:
        df = patched[0] if patched is not None else _frequencies(terms)
        idf, unique = _idf(df, n)
        if last is not None and last.n == n:
            old_vectors = last.vectors
            moved = {t for t in df.keys() | last.df.keys() if df.get(t) != last.df.get(t)}
    vectors = []
    for c, d in zip(terms, texts, strict=True):
        old = old_vectors.get(d)
        vectors.append(old if old is not None and moved.isdisjoint(c) else _vector(c, idf, unique))
    if last_index is not None:
        postings = patched_postings(vectors, last_index.vectors, last_index.postings)
        postings = postings or postings_of(vectors)
        near = update_neighbours(vectors, last_index.vectors, last_index.neighbours, postings)
    else:
        postings, near = postings_of(vectors), find_neighbours(vectors)
    fps = tuple(fingerprints) if fingerprints is not None else tuple(map(fingerprint, briefings))
    index = TextIndex(tuple(vectors), near, fps, postings)
    terms_by = dict(zip(texts, terms, strict=True))
    vectors_by = dict(zip(texts, vectors, strict=True))
    return index, TextParts(n, df, terms_by, vectors_by, tuple(texts), idf)


def _frequencies(terms: Sequence[Mapping[str, int]]) -> dict[str, int]:
    """Document frequency of every term."""
    df: Counter[str] = Counter()
    for c in terms:
        df.update(c.keys())
    return dict(df)


_MOST_TEXTS = 16
"""Frequencies are counted anew when more than 1/_MOST_TEXTS of the texts came or went."""


def _patched_frequencies(
    texts: Sequence[bytes], terms: Sequence[Mapping[str, int]], last: TextParts | None
) -> tuple[dict[str, int], set[str]] | None:
    """The document frequencies of `terms` (of `texts`, the text hashes) from the last
    index's, adjusted by the texts that came and went, and the terms whose frequency
    changed; None without a last index to adjust or when most texts changed."""
    if last is None or not last.texts:
        return None
    delta = Counter(texts)
    delta.subtract(last.texts)
    changes = {d: k for d, k in delta.items() if k}
    if len(changes) * _MOST_TEXTS > len(texts):
        return None
    new_terms = {d: c for d, c in zip(texts, terms, strict=True) if changes.get(d, 0) > 0}
    df = dict(last.df)
    touched: set[str] = set()
    for d, k in changes.items():
        for t in new_terms[d] if k > 0 else last.terms[d]:
            df[t] = df.get(t, 0) + k
            touched.add(t)
    for t in touched:
        if not df[t]:
            del df[t]
    return df, {t for t in touched if df.get(t) != last.df.get(t)}


def _patched_idf(
    last: Mapping[str, float], df: Mapping[str, int], moved: set[str], n: int
) -> tuple[dict[str, float], float]:
    """_idf(df, n) from the last index's weights (same n), redoing only the `moved` terms:
    the same floats, computed by the same formula."""
    idf = dict(last)
    for t in moved:
        d = df.get(t, 0)
        if d > 1:
            idf[t] = _weight(n, d)
        else:
            idf.pop(t, None)
    return idf, _weight(n, 1) ** 2
