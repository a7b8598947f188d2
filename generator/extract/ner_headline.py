"""Names in a title-case headline ("Rival Buys Chip Maker"): only the words the article
vouches for. Every word there is capitalized, so the tagger glues verbs and nouns to the
names around them; the body (or the gazetteer) says which words belong to a name."""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.extract.ner_gazetteer import Gazetteer, load_words, match_phrases
from generator.extract.ner_repair import NameSpan, surface
from generator.extract.tokens import Token

_CLOSING = frozenset(".?!…")
_SCORE = re.compile(r"\d+[-–:]\d+")


def is_title_case(words: Sequence[str]) -> bool:
    """A headline in title case: no closing stop, capitals on at least two words after the
    first, and no lower-case word but function words ("Bank of England Raises Rates"). Not
    a result ("Leyton Orient 2-1 Hull"): names and a score, nothing else."""
    if not words or words[-1] in _CLOSING or any(map(_SCORE.fullmatch, words)):
        return False
    function = load_words("function_words.txt")
    capitals = 0
    for w in words[1:]:
        if w.islower():
            if w not in function:
                return False
        elif w[:1].isupper() and not w.isupper():
            capitals += 1
    return capitals >= 2


def _vouched(
    tokens: Sequence[Token], a: int, b: int, known: frozenset[str], gaz: Gazetteer
) -> list[bool]:
    """For tokens [a, b) of a headline: whether each is part of a name elsewhere in the
    article or of a gazetteer name (not a demonym: "Swedish"), or a given name before such
    a word ("Bill" in "Bill Clinton Backs ...", never "Will" alone)."""
    words = [t.text for t in tokens[a:b]]
    phrases = match_phrases(words, gaz)
    ok = [
        w.casefold() in known or (bool(phrases[i]) and not phrases[i].endswith("DEM"))
        for i, w in enumerate(words)
    ]
    for i in range(len(words) - 2, -1, -1):
        if not ok[i] and ok[i + 1] and words[i] in gaz.person_names:
            ok[i] = True
    return ok


def _runs(s: NameSpan, ok: Sequence[bool], tokens: Sequence[Token], offset: int) -> list[NameSpan]:
    """The stretches of `s` made of vouched words (a lower-case connector between two of
    them stays: "Bank of England")."""
    out: list[NameSpan] = []
    start: int | None = None
    for k in range(s.start, s.end):
        good = ok[k - offset]
        inner = (
            start is not None
            and tokens[k].text.islower()
            and k + 1 < s.end
            and ok[k + 1 - offset]
            and tokens[k + 1].text[:1].isupper()
        )
        word = tokens[k].text
        if (good and word[:1].isalnum() and not word.islower()) or inner:
            start = k if start is None else start
        elif start is not None:
            out.append(NameSpan(start, k, s.label))
            start = None
    if start is not None:
        out.append(NameSpan(start, s.end, s.label))
    return out


def headline_names(
    tokens: Sequence[Token],
    spans: list[NameSpan],
    sents: Sequence[tuple[int, int]],
    gaz: Gazetteer,
    title_end: int,
) -> list[NameSpan]:
    """`spans`, those in a title-case headline (sentences ending by character `title_end`)
    cut down to the words the article vouches for. Only the headline: elsewhere a line of
    capitalized words is more often a table of names and results.

    A headline with no name in the body keeps only what the gazetteer vouches for: a name
    glued to four headline words is worse than none.
    """
    titled = [
        (a, b)
        for a, b in sents
        if b > a and tokens[b - 1].end <= title_end and is_title_case([t.text for t in tokens[a:b]])
    ]
    if not titled:
        return spans

    def inside(s: NameSpan) -> tuple[int, int] | None:
        """The title-case sentence holding span s, if any."""
        return next(((a, b) for a, b in titled if a <= s.start and s.end <= b), None)

    places = [inside(s) for s in spans]
    rest = [s for s, where in zip(spans, places, strict=True) if where is None]
    known = frozenset(tokens[k].text.casefold() for s in rest for k in range(s.start, s.end))
    # What the rest of the article calls the same words ("a Swedish submarine": no actor).
    labels = {surface(tokens, s.start, s.end): s.label for s in rest}
    flags = {(a, b): _vouched(tokens, a, b, known, gaz) for a, b in titled}
    out: list[NameSpan] = []
    for s, where in zip(spans, places, strict=True):
        if where is None:
            out.append(s)
            continue
        for run in _runs(s, flags[where], tokens, where[0]):
            label = labels.get(surface(tokens, run.start, run.end), run.label)
            out.append(NameSpan(run.start, run.end, label))
    return out
