"""The lookups topics.py matches words against, built once per vocabulary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from generator.extract.vocabulary import Vocabulary
from generator.extract.wordlist import read_lines

WORD_RE = re.compile(r"[a-z0-9][a-z0-9&]*(?:[-'’.][a-z0-9&]+)*")
# A keyword prefix this short ("tax*", "euro*") takes only the endings of
# data/topic_endings.txt: short stems begin too many unrelated words ("Europe", "taxi").
SHORT_PREFIX = 5


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
class TopicIndex:
    """Keyword lookups for one vocabulary: phrase -> [(term index, weight)]."""

    phrases: dict[str, tuple[tuple[int, float], ...]]
    plurals: dict[str, tuple[tuple[int, float], ...]]
    """Keywords that match only as written, in the plural ("generals", "futures")."""
    prefixes: dict[str, tuple[tuple[int, float], ...]]
    prefix_heads: dict[str, tuple[str, ...]]
    """First three letters -> the prefixes starting with them."""
    phrase_sizes: dict[str, tuple[int, ...]]
    """First word -> the lengths (in words, > 1) of the phrases starting with it."""
    stem_phrases: dict[str, tuple[tuple[str, tuple[tuple[int, float], ...]], ...]]
    """Phrases ending in a prefix ("car bomb*"): folded head words -> ((last-word prefix,
    [(term index, weight)]), ...)."""
    stem_phrase_sizes: dict[str, tuple[int, ...]]
    """First word -> the lengths (in words) of the prefix phrases starting with it."""
    org_words: dict[str, tuple[tuple[int, float], ...]]
    country_terms: tuple[int, ...]
    top_of: tuple[int, ...]
    """Index of each term's top-level term (itself for a top-level term)."""
    tops: dict[str, int]
    """Top-level term id -> its index."""
    names: dict[str, tuple[tuple[int, float], ...]]
    """A name as written ("Red Sox", "Apple") -> [(term index, weight)]."""
    name_sizes: dict[str, tuple[int, ...]]
    """First word of each name -> the name lengths (in words) that start with it."""
    endings: frozenset[str]
    """What may follow a short prefix (data/topic_endings.txt)."""
    word_hits: dict[str, tuple[tuple[str, tuple[tuple[int, float], ...]], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Words as written -> their keyword hits on their own: filled by topics.py as words
    are met (the same words come back in every article)."""


def prefix_fits(word: str, prefix: str, endings: frozenset[str]) -> bool:
    """Whether a word starting with a keyword prefix is a form of it: always for a long
    prefix; for a short one the prefix alone, a hyphenated compound or the prefix with an
    ending, maybe after a doubled last letter ("chipped")."""
    if len(prefix) > SHORT_PREFIX:
        return True
    rest = word[len(prefix) :]
    return (
        not rest
        or rest[0] == "-"
        or rest in endings
        or (rest[0] == prefix[-1] and rest[1:] in endings)
    )


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
def _names() -> dict[str, tuple[tuple[str, float], ...]]:
    """Name as written -> ((topic id, weight), ...) from data/topic_names.txt."""
    out: dict[str, list[tuple[str, float]]] = {}
    for line in read_lines("topic_names.txt"):
        topic, _, names = line.partition(":")
        for raw in names.split(","):
            name, _, weight_text = raw.strip().partition("^")
            if name:
                out.setdefault(name, []).append((topic.strip(), _weight(weight_text)))
    return {k: tuple(v) for k, v in out.items()}


def _name_lookups(
    vocab: Vocabulary,
) -> tuple[dict[str, tuple[tuple[int, float], ...]], dict[str, tuple[int, ...]]]:
    """The shipped names of the topics this vocabulary has, and their lengths by first word."""
    where = {t.id: i for i, t in enumerate(vocab.terms)}
    names: dict[str, tuple[tuple[int, float], ...]] = {}
    sizes: dict[str, set[int]] = {}
    for name, pairs in _names().items():
        found = tuple((where[topic], w) for topic, w in pairs if topic in where)
        if found:
            names[name] = found
            words = name.split()
            sizes.setdefault(words[0], set()).add(len(words))
    return names, {k: tuple(sorted(v)) for k, v in sizes.items()}


@cache
def build_index(vocab: Vocabulary) -> TopicIndex:
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
    stems: dict[str, dict[str, list[tuple[int, float]]]] = {}
    plurals: dict[str, list[tuple[int, float]]] = {}
    countries: list[int] = []
    for (key, i), given in entries.items():
        weight = given / len(spread[key])
        if key == "@country":
            countries.append(i)
        elif key.startswith("@"):
            orgs.setdefault(key[1:].rstrip("*"), []).append((i, weight))
        elif key.endswith("*") and " " in key.strip():
            *head, last = WORD_RE.findall(key[:-1])
            stems.setdefault(" ".join(normalize(w) for w in head), {}).setdefault(last, []).append(
                (i, weight)
            )
        elif key.endswith("*"):
            prefixes.setdefault(key[:-1], []).append((i, weight))
        elif key.startswith("#"):
            phrases.setdefault(key, []).append((i, weight))  # a pattern such as #score
        elif key.isalpha() and normalize(key) != key:
            # A keyword written in the plural ("generals", "futures", "shares") means the
            # plural: folded, it would also match the common singular ("general", "future").
            # Where the singular is listed too, the folded singular covers both forms unless
            # the plural weighs more.
            if entries.get((normalize(key), i), -1.0) < given:
                plurals.setdefault(key, []).append((i, weight))
        else:
            folded = " ".join(normalize(w) for w in WORD_RE.findall(key))
            if folded:
                phrases.setdefault(folded, []).append((i, weight))
    names, name_sizes = _name_lookups(vocab)
    return TopicIndex(
        phrases={k: _strongest(v) for k, v in phrases.items()},
        plurals={k: _strongest(v) for k, v in plurals.items()},
        prefixes={k: _strongest(v) for k, v in prefixes.items()},
        prefix_heads=_group(prefixes),
        phrase_sizes=_sizes(phrases),
        stem_phrases={
            head: tuple((last, _strongest(v)) for last, v in lasts.items())
            for head, lasts in stems.items()
        },
        stem_phrase_sizes=_sizes({f"{head} x": [] for head in stems}),
        org_words={k: tuple(v) for k, v in orgs.items()},
        country_terms=tuple(countries),
        top_of=top_of,
        tops={t.id: i for i, t in enumerate(vocab.terms) if top_of[i] == i},
        names=names,
        name_sizes=name_sizes,
        endings=frozenset(read_lines("topic_endings.txt")),
    )
