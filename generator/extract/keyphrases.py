"""Key phrases (tags): frequent lower-case noun-like phrases, the title's counting more."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from generator.extract.wordlist import Memo, read_lines

MIN_TAGS, MAX_TAGS = 3, 8
MAX_WORDS = 3
TITLE_BONUS = 2.0
# Words and runs of words, split at punctuation (a phrase never spans a comma or a quote).
_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d[\w.%-]*|[|.,;:!?()\[\]\"“”—–\n]")
# Patterns that start with a character, not a look-behind, let the engine skip straight to
# the characters that can start a match: "(?<!\w.)" right after the first character says
# what "(?<!\w)" right before it would.
_QUOTE_MARK_RE = re.compile(r"['‘’](?:(?<!\w.)|(?!\w))")  # a quote mark at a word's edge
_CAPITAL_RE = re.compile(r"([A-Z](?<=[a-z,;] .)[a-z]+)")  # after "word " / ", " / "; "
_LOWER_RE = re.compile(r"[a-z](?<!\w.)[a-z]*\b")  # a whole lower-case word
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d[\w.%-]*")


@cache
def stop_words() -> frozenset[str]:
    """Function words and frequent verbs from data/stopwords.txt."""
    return frozenset(w.lower() for w in read_lines("stopwords.txt"))


def _verbish(word: str) -> bool:
    """Words that end a phrase badly or start one badly ("reaching", "agreed")."""
    return word.endswith(("ing", "ed", "ly")) and len(word) > 5


def _candidates(text: str, banned: frozenset[str]) -> list[tuple[str, ...]]:
    """Runs of content words between stop words and punctuation, trimmed of verb-like edges."""
    out: list[tuple[str, ...]] = []
    stops = stop_words()
    run: list[str] = []
    # One pass over words and breaks (punctuation, quote marks): faster than chunking first.
    for raw in [*_TOKEN_RE.findall(_QUOTE_MARK_RE.sub("|", text)), "|"]:
        word = raw.lower()
        content = len(word) > 2 and word.isalpha() and word not in stops
        if content and word not in banned and not raw.isupper():  # ALL CAPS: acronyms
            run.append(word)
            continue
        if not run:
            continue
        while run and _verbish(run[0]):
            run.pop(0)
        while run and _verbish(run[-1]):
            run.pop()
        for size in range(1, min(MAX_WORDS, len(run)) + 1):
            out.extend(tuple(run[i : i + size]) for i in range(len(run) - size + 1))
        run = []
    return out


def _banned(names: Iterable[str]) -> frozenset[str]:
    """Lower-case words of actors' and places' names: tags never name them."""
    return frozenset(w.lower() for name in names for w in _WORD_RE.findall(name))


@cache
def _date_words() -> frozenset[str]:
    """Month and weekday names and abbreviations: dates are no tags."""
    return frozenset(
        row.split("\t")[1].lower()
        for row in read_lines("dates.tsv")
        if row.startswith(("month\t", "weekday\t"))
    )


def _proper(body: str) -> frozenset[str]:
    """Words written capitalized inside sentences and never in lower case: names, not tags."""
    capital = {w.lower() for w in _CAPITAL_RE.findall(body)}
    lower = set(_LOWER_RE.findall(body))
    return frozenset(capital - lower)


def _singular_of(word: str) -> str:
    """A rough singular, so "car makers" and "car maker" count as one phrase."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_singular = Memo(_singular_of, 1 << 17).__getitem__
"""_singular_of, remembered: the same words come back in every article."""


def _key(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """The phrase with its head (last word) made singular."""
    return (*phrase[:-1], _singular(phrase[-1]))


def extract_keyphrases(title: str, body: str, names: Iterable[str] = ()) -> tuple[str, ...]:
    """3-8 key phrases, best first; multi-word phrases and the title's phrases preferred."""
    banned = _banned(names) | _date_words() | _proper(body)
    counts: dict[tuple[str, ...], float] = {}
    surface: dict[tuple[str, ...], dict[str, int]] = {}
    for phrase in _candidates(body, banned):
        key = _key(phrase)
        counts[key] = counts.get(key, 0.0) + 1.0
        forms = surface.setdefault(key, {})
        form = " ".join(phrase)
        forms[form] = forms.get(form, 0) + 1
    in_title: set[tuple[str, ...]] = set()
    for phrase in _candidates(title, banned):
        in_title.add(_key(phrase))
        surface.setdefault(_key(phrase), {" ".join(phrase): 0})
    word_freq = {k[0]: n for k, n in counts.items() if len(k) == 1}

    def score(key: tuple[str, ...]) -> float:
        n = counts.get(key, 0.0) + (TITLE_BONUS if key in in_title else 0.0)
        support = sum(word_freq.get(w, 0.0) for w in key) / len(key)
        return n + 1.5 * (len(key) - 1) + 0.2 * support

    def strong(key: tuple[str, ...]) -> bool:
        # A lone word needs to recur; a phrase needs to recur or stand in the title.
        n = counts.get(key, 0.0) + (TITLE_BONUS if key in in_title else 0.0)
        return n >= (3.5 if len(key) == 1 else 2.0)

    keys = set(counts) | in_title
    strict = [(score(k), k) for k in keys if strong(k)]
    chosen = _choose(sorted(strict, key=lambda x: (-x[0], x[1])), [])
    if len(chosen) < MIN_TAGS:  # a short text: weaker phrases fill up to the minimum
        loose = [(score(k), k) for k in keys if not strong(k)]
        chosen = _choose(sorted(loose, key=lambda x: (-x[0], x[1])), chosen, MIN_TAGS)
    return tuple(max(surface[k], key=lambda f: (surface[k][f], f)) for k in chosen)


def _choose(
    scored: list[tuple[float, tuple[str, ...]]],
    chosen: list[tuple[str, ...]],
    limit: int = MAX_TAGS,
) -> list[tuple[str, ...]]:
    """Add the best phrases to `chosen` up to `limit`, skipping parts of longer phrases."""
    out = list(chosen)
    longer = [(score, f" {' '.join(k)} ") for score, k in scored if len(k) > 1]
    for score, key in scored:
        text = f" {' '.join(key)} "
        if len(key) == 1 and any(text in q and s2 >= 0.5 * score for s2, q in longer):
            continue  # a word that mostly appears inside a longer phrase gives way to it
        if any(text in f" {' '.join(c)} " or f" {' '.join(c)} " in text for c in out):
            continue  # "trade" adds nothing next to "trade truce"
        out.append(key)
        if len(out) >= limit:
            break
    return out
