"""Token features for the CRF tagger: word shape, affixes, context, gazetteers, document cues."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.extract.ner_gazetteer import Gazetteer, load_gazetteer, match_phrases

_SHAPE_SUBS = (
    (re.compile(r"[A-ZÀ-Þ]+"), "X"),
    (re.compile(r"[a-zß-ÿ]+"), "x"),
    (re.compile(r"[0-9]+"), "d"),
)


@dataclass(frozen=True)
class DocCues:
    """What the whole document says about words: seen lower-case, seen capitalized mid-sentence."""

    lower: frozenset[str]
    capitalized: frozenset[str]


def _is_caps_sentence(words: Sequence[str]) -> bool:
    """A headline or table line written in capitals: case says little there."""
    letters = [w for w in words if any(c.isalpha() for c in w)]
    upper = sum(1 for w in letters if w.isupper())
    return len(letters) >= 2 and upper >= 0.8 * len(letters)


def build_doc_cues(sentences: Sequence[Sequence[str]]) -> DocCues:
    """Collect document-wide case evidence for each word (case-folded)."""
    lower: set[str] = set()
    cap: set[str] = set()
    for words in sentences:
        if _is_caps_sentence(words):
            continue
        for i, w in enumerate(words):
            if w.islower():
                lower.add(w)
            elif i > 0 and w[:1].isupper() and not w.isupper() and words[i - 1] not in ('"', "“"):
                cap.add(w.lower())
    return DocCues(frozenset(lower), frozenset(cap))


def shape(word: str) -> str:
    """Compressed word shape: 'Xx', 'X.X.', 'd-d', 'x'."""
    s = word
    for rx, rep in _SHAPE_SUBS:
        s = rx.sub(rep, s)
    return s[:6]


@lru_cache(maxsize=200_000)
def _word_features(word: str) -> tuple[str, ...]:
    """Features of a word on its own (cached: words repeat across a corpus)."""
    gaz = load_gazetteer()
    low = word.lower().replace("’", "'")
    f = ["w=" + low, "sh=" + shape(word), "p3=" + low[:3], "s3=" + low[-3:], "s2=" + low[-2:]]
    if len(low) > 4:
        f.append("s4=" + low[-4:])
        f.append("p4=" + low[:4])
    if word[:1].isupper():
        f.append("T")
        if word.isupper():
            f.append("U")
    if word in gaz.person_names or word.title() in gaz.person_names:
        f.append("g:pn")
    if low in gaz.org_words:
        f.append("g:ow")
    if low.rstrip(".") in gaz.honorifics:
        f.append("g:hon")
    return tuple(f)


def _ctx(word: str) -> str:
    """Short description of a neighbouring word: its lower form."""
    return word.lower().replace("’", "'")


def sentence_features(
    words: Sequence[str], cues: DocCues, gaz: Gazetteer | None = None
) -> list[list[str]]:
    """One feature list per token of a sentence."""
    gaz = gaz or load_gazetteer()
    n = len(words)
    caps = _is_caps_sentence(words)
    gz = match_phrases(words, gaz)
    lows = [_ctx(w) for w in words]
    shapes = [shape(w) for w in words]
    out: list[list[str]] = []
    for i, w in enumerate(words):
        f = list(_word_features(w))
        if caps:
            f.append("caps")
        if i == 0:
            f.append("first")
        if gz[i]:
            f.append("gz=" + gz[i])
        if w[:1].isupper() and (caps or i == 0):
            # Case is uninformative here: borrow the document's evidence.
            lw = lows[i]
            if lw in cues.capitalized:
                f.append("doc:cap")
            elif lw in cues.lower:
                f.append("doc:low")
        if i > 0:
            f.append("w-1=" + lows[i - 1])
            f.append("sh-1=" + shapes[i - 1])
            f.append("bi-=" + lows[i - 1] + "|" + lows[i])
            if gz[i - 1]:
                f.append("gz-1=" + gz[i - 1])
        else:
            f.append("BOS")
        if i > 1:
            f.append("w-2=" + lows[i - 2])
        if i < n - 1:
            f.append("w+1=" + lows[i + 1])
            f.append("sh+1=" + shapes[i + 1])
            f.append("bi+=" + lows[i] + "|" + lows[i + 1])
            if gz[i + 1]:
                f.append("gz+1=" + gz[i + 1])
        else:
            f.append("EOS")
        if i < n - 2:
            f.append("w+2=" + lows[i + 2])
        out.append(f)
    return out
