"""Zero-shot topic assignment: keyword lexicons per topic, weighted, title counting more."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from generator.extract.topic_index import (
    WORD_RE,
    TopicIndex,
    build_index,
    normalize,
    prefix_fits,
)
from generator.extract.vocabulary import Term, Vocabulary, load_vocabulary
from generator.extract.wordlist import Memo, read_lines, read_table
from generator.model import Actor, Topic

__all__ = ["assign_topics", "load_vocabulary", "normalize"]

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
# What joins the parts of one word ("flood-hit", "u.s."): learned evidence is per part.
_JOINED_RE = re.compile(r"[-'’.]")
# An abbreviation written with dots ("N.H.L.", "F.C.C."): the name is the letters.
_DOTTED_RE = re.compile(r"(?:[A-Z]\.){2,}")
# Runs of capitalized words (and "iPod", "eBay"): where the names of data/topic_names.txt are.
# The first character is one class, checked after: the engine skips to such characters.
_CAPS_RE = re.compile(
    r"[A-Z0-9ie](?:(?<=[A-Z0-9])|(?=[A-Z]))[\w&'’.-]*(?: (?:[A-Z0-9]|[ie](?=[A-Z]))[\w&'’.-]*)*"
)


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
def _beats() -> dict[str, tuple[tuple[str, float], ...]]:
    """Topic id -> (subject it yields the lead to, share of its evidence the subject needs),
    from data/topic_beats.tsv ("topic^0.6" sets a share other than BEAT_SHARE)."""
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    for row in read_table("topic_beats.tsv"):
        if len(row) > 1 and ":" not in row[0]:
            cells = (cell.partition("^") for cell in row[1].split())
            out[row[0]] = tuple((s, float(share) if share else BEAT_SHARE) for s, _, share in cells)
    return out


@cache
def _sectors(vocab: Vocabulary) -> tuple[tuple[int, int], ...]:
    """(sector subtopic, the topic whose evidence names it) as term indices, from the
    `sector:` lines of data/topic_beats.tsv."""
    where = {t.id: i for i, t in enumerate(vocab.terms)}
    pairs = [
        (r[0][7:], r[1])
        for r in read_table("topic_beats.tsv")
        if len(r) > 1 and r[0].startswith("sector:")
    ]
    return tuple((where[a], where[b]) for a, b in pairs if a in where and b in where)


def _lead_first(tops: list[int], total: list[float], vocab: Vocabulary, index: TopicIndex) -> None:
    """Put the story's subject first when the strongest topic is only how it is told ("a
    court case" about a sports star, a software maker, a company): the strongest of the
    subjects holding their share of the lead's evidence, in place."""
    lead = total[tops[0]]
    subjects = [
        i
        for subject, share in _beats().get(vocab.terms[tops[0]].id, ())
        if (i := index.tops.get(subject)) is not None and total[i] > 0 and total[i] >= share * lead
    ]
    if subjects:
        best = max(subjects, key=lambda i: total[i])
        tops.remove(best)
        tops.insert(0, best)


Hit = tuple[str, tuple[tuple[int, float], ...]]
"""A keyword met in the text and its (term index, weight) entries."""
MAX_REMEMBERED = 1 << 17  # distinct words whose lone hits an index remembers


def _fold_word(word: str) -> str:
    """normalize(), or #score for a sports result."""
    return _SCORE if _SCORE_RE.fullmatch(word) else normalize(word)


_fold = Memo(_fold_word, 1 << 17).__getitem__
"""_fold_word, remembered: the same words come back in every article."""


def _count(
    index: TopicIndex, words: list[str], weight: float, hits: dict[tuple[int, str], float]
) -> list[str]:
    """Add the keyword hits of one run of words, each weighted by where it stands; returns
    the folded words."""
    folded = list(map(_fold, words))
    n = len(folded)
    phrases, phrase_sizes, stem_sizes = index.phrases, index.phrase_sizes, index.stem_phrase_sizes
    covered = 0  # words before this index belong to a phrase already counted
    for i, word in enumerate(folded):
        # The longest match wins: "video game" is not also a sports "game", "interest rate"
        # not also "rate"; a word inside a counted phrase does not count again on its own.
        found: list[Hit] = []
        if word in phrase_sizes:
            for size in phrase_sizes[word]:
                if i + size <= n and (key := " ".join(folded[i : i + size])) in phrases:
                    found.append((key, phrases[key]))
                    covered = max(covered, i + size)
        if word in stem_sizes:
            for size in stem_sizes[word]:
                if i + size <= n:
                    head = " ".join(folded[i : i + size - 1])
                    for stem, entries in index.stem_phrases.get(head, ()):
                        if words[i + size - 1].startswith(stem):
                            found.append((f"{head} {stem}*", entries))
                            covered = max(covered, i + size)
        if not found and i >= covered:
            raw = words[i]
            alone = index.word_hits.get(raw)
            if alone is None:
                alone = _word_hits(index, raw, word)
                if len(index.word_hits) < MAX_REMEMBERED:
                    index.word_hits[raw] = alone
            found.extend(alone)
        for key, entries in found:
            for term, w in entries:
                hits[(term, key)] = hits.get((term, key), 0.0) + w * weight
    return folded


def _word_hits(index: TopicIndex, raw: str, word: str) -> tuple[Hit, ...]:
    """The keyword hits of one word on its own (`word`: it folded), outside any phrase."""
    found: list[Hit] = []
    phrases = index.phrases
    if word in phrases:
        found.append((word, phrases[word]))
    if raw in index.plurals:
        found.append((raw, index.plurals[raw]))
    parts = [raw]
    if "-" in raw:  # "59-yard", "under-par", "anti-terrorism": the parts count too
        found.extend((p, phrases[p]) for p in map(_fold, raw.split("-")) if p in phrases)
        parts.extend(raw.split("-")[1:])
    for part in parts:
        heads = index.prefix_heads.get(part[:3])
        if heads:
            found.extend(
                (p, index.prefixes[p])
                for p in heads
                if part.startswith(p) and prefix_fits(part, p, index.endings)
            )
    return tuple(found)


def _count_names(
    index: TopicIndex, text: str, weight: float, hits: dict[tuple[int, str], float]
) -> None:
    """Add the hits of names written with their capitals ("the Colts", "Apple")."""
    sizes = index.name_sizes
    for m in _CAPS_RE.finditer(text):
        words = [_bare(w) for w in m.group().split(" ")]
        for i, word in enumerate(words):
            for size in sizes.get(word, ()):
                name = " ".join(words[i : i + size])
                for term, w in index.names.get(name, ()):
                    key = (term, "name:" + name)
                    hits[key] = hits.get(key, 0.0) + w * weight


def _bare(word: str) -> str:
    """A capitalized word without its possessive and trailing punctuation ("Colts'" ->
    "Colts", "Apple's" -> "Apple"; "N.H.L." -> "NHL"); short words keep theirs ("A's")."""
    if _DOTTED_RE.fullmatch(word):
        return word.replace(".", "")  # "N.H.L." is the NHL
    word = word.rstrip(".'’-")
    if len(word) > 3 and word.endswith(("'s", "’s")):
        return word[:-2]
    return word


def _evidence(
    index: TopicIndex,
    title: str,
    body: str,
    actors: Sequence[Actor],
    size: int,
    use_learned: bool = True,
) -> tuple[list[float], list[float]]:
    """(evidence per term, evidence per top-level family): damped keyword counts plus what
    the actors' kinds suggest; a keyword listed under a parent and a child counts once."""
    hits: dict[tuple[int, str], float] = {}
    folded = _count(index, WORD_RE.findall(title.lower()), TITLE_WEIGHT, hits)
    folded += _count(index, WORD_RE.findall(body[:LEAD_CHARS].lower()), LEAD_WEIGHT, hits)
    folded += _count(index, WORD_RE.findall(body[LEAD_CHARS:].lower()), 1.0, hits)
    if index.names:
        _count_names(index, title, TITLE_WEIGHT, hits)
        _count_names(index, body[:LEAD_CHARS], LEAD_WEIGHT, hits)
        _count_names(index, body[LEAD_CHARS:], 1.0, hits)
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
        for word in WORD_RE.findall(actor.name.lower()):
            for term, w in index.org_words.get(word, ()):
                extra[term] += w * min(actor.mentions, 3) * 0.5
    for term, value in enumerate(extra):
        own[term] += value
        total[index.top_of[term]] += value
    if use_learned:
        for top, value in _learned_evidence(index, folded).items():
            total[top] += value
    return own, total


def _learned_evidence(index: TopicIndex, folded: list[str]) -> dict[int, float]:
    """Top-level term index -> evidence from the words learned on unlabelled news."""
    learned = _learned()
    counts: dict[str, int] = {}
    # Each distinct word once, in order of first use: the counts come out in the same order.
    for word, seen in Counter(folded).items():
        if _JOINED_RE.search(word):
            # tools/topic_expand.py learned "flood-hit" and "e.on" as their parts: look them up so.
            for part in _JOINED_RE.split(word):
                if part:
                    part = _fold(part)
                    counts[part] = counts.get(part, 0) + seen
            continue
        counts[word] = counts.get(word, 0) + seen
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
    index = build_index(vocab)
    own, total = _evidence(index, title, body, actors, len(vocab.terms), use_learned)
    tops = sorted((i for i, top in enumerate(index.top_of) if top == i), key=lambda i: -total[i])
    if not tops or total[tops[0]] <= 0:
        return ()
    _lead_first(tops, total, vocab, index)
    for sector, source in _sectors(vocab):
        # A sector subtopic ("computing and information technology" under the economy)
        # is named from its family's evidence (science and technology) when that family is
        # named itself (first or second, with half the lead's evidence) and the term
        # it stands for (technology and engineering, not research or space) holds clear
        # evidence; totals stay as they are.
        family = index.top_of[source]
        if own[source] >= 1.0 and family in tops[:2] and total[family] >= 0.5 * total[tops[0]]:
            own[sector] = max(own[sector], total[family] * min(1.0, own[source] / 2.0))
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
