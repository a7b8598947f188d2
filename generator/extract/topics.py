"""Zero-shot topic assignment: keyword lexicons per topic, weighted, title counting more."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from generator.extract.vocabulary import Term, Vocabulary, load_vocabulary
from generator.extract.wordlist import read_lines, read_table
from generator.model import Actor, Topic

__all__ = ["assign_topics", "load_vocabulary"]

TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
LEAD_CHARS = 400
COUNTRY_WEIGHT = 0.3
LEARNED_WEIGHT = 0.25  # learned word evidence, relative to the lexicons
MAX_TOPICS = 4
BEAT_SHARE = 0.5  # a subject leads over a way of telling (data/topic_beats.tsv) from this share
CHILD_SHARE = 0.25  # a subtopic is named when it holds this share of its parent's evidence
_SCALE = 4.0  # raw evidence -> score in [0, 1): s / (s + _SCALE)
# A sports result ("7-0", "97-76") stands as the pseudo-word #score in the lexicons.
_SCORE = "#score"
_SCORE_RE = re.compile(r"\d{1,3}-\d{1,3}")
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9&]*(?:[-'’.][a-z0-9&]+)*")


def normalize(word: str) -> str:
    """A word folded for matching: possessive dropped, plural to singular (roughly)."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class _Index:
    """Keyword lookups for one vocabulary: phrase -> [(term index, weight)]."""

    phrases: dict[str, tuple[tuple[int, float], ...]]
    prefixes: dict[str, tuple[tuple[int, float], ...]]
    prefix_heads: dict[str, tuple[str, ...]]
    """First three letters -> the prefixes starting with them."""
    phrase_sizes: dict[str, tuple[int, ...]]
    """First word -> the lengths (in words, > 1) of the phrases starting with it."""
    org_words: dict[str, tuple[tuple[int, float], ...]]
    country_terms: tuple[int, ...]
    top_of: tuple[int, ...]
    """Index of each term's top-level term (itself for a top-level term)."""
    tops: dict[str, int]
    """Top-level term id -> its index."""


def _families(vocab: Vocabulary) -> tuple[int, ...]:
    """For each term, the index of its top-level ancestor."""
    index = {t.id: i for i, t in enumerate(vocab.terms)}
    out = []
    for t in vocab.terms:
        i = index[t.id]
        seen = set()
        while vocab.terms[i].parent in index and i not in seen:
            seen.add(i)
            i = index[vocab.terms[i].parent]  # type: ignore[index]
        out.append(i)
    return tuple(out)


@cache
def _learned() -> dict[str, tuple[tuple[str, float], ...]]:
    """word -> ((top-level topic id, log ratio), ...) from data/topic_learned.tsv."""
    topics: list[str] = []
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    for line in read_lines("topic_learned.tsv"):
        word, _, cells = line.partition("\t")
        if word == "@topics":
            topics = cells.split("\t")
            continue
        pairs = (cell.split(":") for cell in cells.split())
        out[word] = tuple((topics[int(n)], float(r)) for n, r in pairs)
    return out


@cache
def _beats() -> dict[str, tuple[str, ...]]:
    """Topic id -> the subjects it yields the lead to (data/topic_beats.tsv)."""
    return {row[0]: tuple(row[1].split()) for row in read_table("topic_beats.tsv") if len(row) > 1}


def _lead_first(tops: list[int], total: list[float], vocab: Vocabulary, index: _Index) -> None:
    """Put the story's subject first when the strongest topic is only how it is told ("a
    court case" about a sports star, a software maker, a company): in place."""
    yields = _beats().get(vocab.terms[tops[0]].id, ())
    floor = BEAT_SHARE * total[tops[0]]
    for subject in yields:
        i = index.tops.get(subject)
        if i is not None and total[i] > 0 and total[i] >= floor:
            tops.remove(i)
            tops.insert(0, i)
            return


def _group(prefixes: dict[str, list[tuple[int, float]]]) -> dict[str, tuple[str, ...]]:
    """Prefixes grouped by their first three letters (a quick first test per word)."""
    out: dict[str, list[str]] = {}
    for prefix in prefixes:
        out.setdefault(prefix[:3], []).append(prefix)
    return {k: tuple(v) for k, v in out.items()}


def _sizes(phrases: dict[str, list[tuple[int, float]]]) -> dict[str, tuple[int, ...]]:
    """First word of each multi-word phrase -> the phrase lengths that start with it."""
    out: dict[str, set[int]] = {}
    for phrase in phrases:
        words = phrase.split(" ")
        if len(words) > 1:
            out.setdefault(words[0], set()).add(len(words))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _strongest(entries: list[tuple[int, float]]) -> tuple[tuple[int, float], ...]:
    """One entry per term ("car" and "cars" fold together): the highest weight wins."""
    best: dict[int, float] = {}
    for term, weight in entries:
        best[term] = max(best.get(term, 0.0), weight)
    return tuple(best.items())


def _weight(text: str) -> float:
    """A keyword's weight from its "^0.5" suffix (1 when absent or unreadable)."""
    try:
        return float(text) if text else 1.0
    except ValueError:
        return 1.0


@cache
def _index(vocab: Vocabulary) -> _Index:
    """Build the lookups; a keyword used by several top-level families weighs less in each."""
    top_of = _families(vocab)
    entries: dict[tuple[str, int], float] = {}
    for i, term in enumerate(vocab.terms):
        for keyword in term.keywords:
            key, _, weight_text = keyword.partition("^")
            entries[(key.strip(), i)] = _weight(weight_text)
    spread: dict[str, set[int]] = {}
    for key, i in entries:
        spread.setdefault(key, set()).add(top_of[i])
    phrases: dict[str, list[tuple[int, float]]] = {}
    prefixes: dict[str, list[tuple[int, float]]] = {}
    orgs: dict[str, list[tuple[int, float]]] = {}
    countries: list[int] = []
    for (key, i), given in entries.items():
        weight = given / len(spread[key])
        if key == "@country":
            countries.append(i)
        elif key.startswith("@"):
            orgs.setdefault(key[1:].rstrip("*"), []).append((i, weight))
        elif key.endswith("*"):
            prefixes.setdefault(key[:-1], []).append((i, weight))
        elif key.startswith("#"):
            phrases.setdefault(key, []).append((i, weight))  # a pattern such as #score
        else:
            folded = " ".join(normalize(w) for w in _WORD_RE.findall(key))
            if folded:
                phrases.setdefault(folded, []).append((i, weight))
    return _Index(
        phrases={k: _strongest(v) for k, v in phrases.items()},
        prefixes={k: _strongest(v) for k, v in prefixes.items()},
        prefix_heads=_group(prefixes),
        phrase_sizes=_sizes(phrases),
        org_words={k: tuple(v) for k, v in orgs.items()},
        country_terms=tuple(countries),
        top_of=top_of,
        tops={t.id: i for i, t in enumerate(vocab.terms) if top_of[i] == i},
    )


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    """normalize(), remembered: the same words come back in every article."""
    return _SCORE if _SCORE_RE.fullmatch(word) else normalize(word)


def _count(
    index: _Index, words: list[str], weight: float, hits: dict[tuple[int, str], float]
) -> list[str]:
    """Add the keyword hits of one run of words, each weighted by where it stands; returns
    the folded words."""
    folded = [_fold(w) for w in words]
    n = len(folded)
    phrases = index.phrases
    for i, word in enumerate(folded):
        keys = [word]
        for size in index.phrase_sizes.get(word, ()):
            if i + size <= n:
                keys.append(" ".join(folded[i : i + size]))
        raw = words[i]
        if "-" in raw:  # "59-yard", "under-par": the parts count too
            keys.extend(_fold(part) for part in raw.split("-"))
        for key in keys:
            for term, w in phrases.get(key, ()):
                hits[(term, key)] = hits.get((term, key), 0.0) + w * weight
        for prefix in index.prefix_heads.get(raw[:3], ()):
            if raw.startswith(prefix):
                for term, w in index.prefixes[prefix]:
                    hits[(term, prefix)] = hits.get((term, prefix), 0.0) + w * weight
    return folded


def _evidence(
    index: _Index,
    title: str,
    body: str,
    actors: Sequence[Actor],
    size: int,
    use_learned: bool = True,
) -> tuple[list[float], list[float]]:
    """(evidence per term, evidence per top-level family): damped keyword counts plus what
    the actors' kinds suggest; a keyword listed under a parent and a child counts once."""
    hits: dict[tuple[int, str], float] = {}
    folded = _count(index, _WORD_RE.findall(title.lower()), TITLE_WEIGHT, hits)
    folded += _count(index, _WORD_RE.findall(body[:LEAD_CHARS].lower()), LEAD_WEIGHT, hits)
    folded += _count(index, _WORD_RE.findall(body[LEAD_CHARS:].lower()), 1.0, hits)
    own = [0.0] * size
    family: dict[tuple[int, str], float] = {}
    for (term, key), value in hits.items():
        own[term] += math.log1p(value)  # repeating one word is weak evidence
        fam = (index.top_of[term], key)
        family[fam] = max(family.get(fam, 0.0), value)
    total = [0.0] * size
    for (top, _), value in family.items():
        total[top] += math.log1p(value)
    extra = [0.0] * size
    countries = sum(1 for a in actors if a.kind == "country")
    for term in index.country_terms:
        extra[term] = max(extra[term], COUNTRY_WEIGHT * min(countries, 3))
    for actor in actors:
        if actor.kind != "organization":
            continue
        for word in _WORD_RE.findall(actor.name.lower()):
            for term, w in index.org_words.get(word, ()):
                extra[term] += w * min(actor.mentions, 3) * 0.5
    for term, value in enumerate(extra):
        own[term] += value
        total[index.top_of[term]] += value
    if use_learned:
        for top, value in _learned_evidence(index, folded).items():
            total[top] += value
    return own, total


def _learned_evidence(index: _Index, folded: list[str]) -> dict[int, float]:
    """Top-level term index -> evidence from the words learned on unlabelled news."""
    learned = _learned()
    counts: dict[str, int] = {}
    for word in folded:
        counts[word] = counts.get(word, 0) + 1
    out: dict[int, float] = {}
    for word, n in counts.items():
        for topic, ratio in learned.get(word, ()):
            top = index.tops.get(topic)
            if top is not None:
                out[top] = out.get(top, 0.0) + LEARNED_WEIGHT * ratio * min(n, 2)
    return out


def _topic(term: Term, raw: float) -> Topic:
    """A Topic with its raw evidence squashed into [0, 1]."""
    return Topic(id=term.id, label=term.label, iptc=term.iptc, score=round(raw / (raw + _SCALE), 2))


def assign_topics(
    title: str,
    body: str,
    actors: Sequence[Actor],
    vocab: Vocabulary,
    use_learned: bool = True,
) -> tuple[Topic, ...]:
    """1-4 topics, best first: the primary top-level topic, a subtopic when the evidence is
    there, and other top-level topics with at least half the primary's evidence.
    `use_learned=False` leaves out the word evidence learned from unlabelled news."""
    if not vocab.terms:
        return ()
    index = _index(vocab)
    own, total = _evidence(index, title, body, actors, len(vocab.terms), use_learned)
    tops = sorted((i for i, top in enumerate(index.top_of) if top == i), key=lambda i: -total[i])
    if not tops or total[tops[0]] <= 0:
        return ()
    _lead_first(tops, total, vocab, index)
    out: list[Topic] = []
    best = total[tops[0]]
    for rank, top in enumerate(tops[:3]):
        if rank and total[top] < 0.5 * best:
            break
        out.append(_topic(vocab.terms[top], total[top]))
        children = sorted(
            (i for i, t in enumerate(index.top_of) if t == top and i != top), key=lambda i: -own[i]
        )
        if children and own[children[0]] >= 1.0:
            runner_up = own[children[1]] if len(children) > 1 else 0.0
            # A subtopic is named when it holds a fair share of its parent's evidence or
            # clearly beats its siblings.
            if own[children[0]] >= min(CHILD_SHARE * total[top], 2.0 * runner_up):
                out.append(_topic(vocab.terms[children[0]], own[children[0]]))
        if len(out) >= MAX_TOPICS:
            break
    return tuple(out[:MAX_TOPICS])
