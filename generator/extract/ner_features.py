"""Token features for the CRF tagger: word shape, affixes, context, gazetteers, document cues."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import TypeVar, cast

from generator.extract.ner_gazetteer import Gazetteer, load_gazetteer, match_phrases
from generator.extract.wordlist import Memo

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
    # Lower-case words hold letters and are not capitals: when more than a fifth of the
    # words are lower-case the line cannot be 80% capitals, and most lines stop here.
    if sum(map(str.islower, words)) * 5 > len(words):
        return False
    letters = [w for w in words if any(c.isalpha() for c in w)]
    upper = sum(1 for w in letters if w.isupper())
    return len(letters) >= 2 and upper >= 0.8 * len(letters)


def caps_sentences(sentences: Sequence[Sequence[str]]) -> list[bool]:
    """For each sentence, whether it is written in capitals (a headline, a table line)."""
    return [_is_caps_sentence(ws) for ws in sentences]


def build_doc_cues(
    sentences: Sequence[Sequence[str]], caps: Sequence[bool] | None = None
) -> DocCues:
    """Collect document-wide case evidence for each word (case-folded)."""
    lower: set[str] = set()
    cap: set[str] = set()
    caps = caps if caps is not None else caps_sentences(sentences)
    for words, in_caps in zip(sentences, caps, strict=True):
        if in_caps:
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


def _word_features(word: str, low: str, sh: str) -> list[str]:
    """Features of a word on its own (`low`, `sh`: its lower form and shape)."""
    gaz = load_gazetteer()
    f = ["w=" + low, "sh=" + sh, "p3=" + low[:3], "s3=" + low[-3:], "s2=" + low[-2:]]
    if len(low) > 4:
        f.append("s4=" + low[-4:])
        f.append("p4=" + low[:4])
    if word[:1].isupper():
        f.append("T")
        if word.isupper():
            f.append("U")
        elif any(c.isupper() for c in word[1:]):
            f.append("MC")  # NationsBank, McDonald
    if len(low) > 5:
        f.append("s5=" + low[-5:])
    if "-" in word:
        f.append("hy=" + low.rsplit("-", 1)[-1])
    if word in gaz.person_names or word.title() in gaz.person_names:
        f.append("g:pn")
    if low in gaz.org_words:
        f.append("g:ow")
    if low.rstrip(".") in gaz.honorifics:
        f.append("g:hon")
    return f


Attr = str | bytes
"""A feature as text, or as its UTF-8 bytes: what a tagger takes without converting it."""
A = TypeVar("A", str, bytes)
"""Features as text or as bytes, the same throughout one sentence."""


@cache
def _attr(name: str, encode: bool) -> Attr:
    """A feature of few values ("caps", "rl=2", "gz=B-ORG"), as text or UTF-8 bytes."""
    return name.encode() if encode else name


@cache
def _fixed(encode: bool) -> tuple[Attr, ...]:
    """caps, doc:cap, doc:low, BOS, first, EOS, r:ow, rpos=B, rpos=I, rpos=E, rl=0 ... rl=4."""
    names = ("caps", "doc:cap", "doc:low", "BOS", "first", "EOS", "r:ow", "rpos=B", "rpos=I")
    return tuple(_attr(a, encode) for a in (*names, "rpos=E", *(f"rl={k}" for k in range(5))))


def _run_features(
    words: Sequence[str], lows: Sequence[str], gaz: Gazetteer, encode: bool = False
) -> list[Sequence[Attr]]:
    """Features of the run of capitalized words a token sits in ("Northwind Shipping Ltd")."""
    n = len(words)
    out: list[Sequence[Attr]] = [()] * n  # most tokens are in no run
    fixed = _fixed(encode)
    org, begin, inside, end, rl = fixed[6], fixed[7], fixed[8], fixed[9], fixed[10:]
    i = 0
    while i < n:
        if not words[i][:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < n and words[j][:1].isupper():
            j += 1
        feats = [rl[min(j - i, 4)]]
        if lows[j - 1] in gaz.org_words:
            feats.append(org)
        for k in range(i, j):
            out[k] = [*feats, begin if k == i else end if k == j - 1 else inside]
        i = j
    return out


Keep = frozenset[str] | None
"""The attributes a model knows (others it ignores, so they need not be made), or None: all."""

_Word = tuple[
    str, tuple[Attr, ...], tuple[Attr, ...], tuple[Attr, ...], tuple[Attr, ...], tuple[Attr, ...]
]
"""A word's lower form, its own features, and its features as the word before, after, two
before and two after a token (a plain tuple: read once per token, indexing is cheapest)."""


_MAX_WORDS = 200_000


def _kept(feats: Sequence[str], keep: Keep, encode: bool) -> tuple[Attr, ...]:
    """The features `keep` holds (all with None), as UTF-8 bytes with `encode`."""
    out = tuple(feats) if keep is None else tuple(filter(keep.__contains__, feats))
    return tuple(map(str.encode, out)) if encode else out


def _word_info(keep: Keep, encode: bool, word: str) -> _Word:
    """A word's lower form and its features on its own and as a neighbour (_Word)."""
    low = word.lower().replace("’", "'")
    sh = shape(word)
    return (
        low,
        _kept(_word_features(word, low, sh), keep, encode),
        _kept(("w-1=" + low, "sh-1=" + sh), keep, encode),
        _kept(("w+1=" + low, "sh+1=" + sh), keep, encode),
        _kept(("w-2=" + low,), keep, encode),
        _kept(("w+2=" + low,), keep, encode),
    )


@cache
def _word_table(keep: Keep, encode: bool = False) -> Memo[_Word]:
    """Word -> its _Word for one `keep` and `encode`, made when first asked for (words
    repeat: a dict lookup is the cheapest cache there is); one per process."""
    return Memo(partial(_word_info, keep, encode), _MAX_WORDS)


def sentence_features(
    words: Sequence[str],
    cues: DocCues,
    gaz: Gazetteer | None = None,
    caps: bool | None = None,
    span: tuple[int, int] | None = None,
    keep: Keep = None,
) -> list[list[str]]:
    """One feature list per token of a sentence, or of its tokens [span) only, seen in the
    context of the whole sentence (`caps`: see `caps_sentences`); with `keep`, only the
    attributes it holds (a tagger ignores the rest, and passing them costs time)."""
    return cast(list[list[str]], _features(words, cues, gaz, caps, span, keep, False))


def encoded_features(
    words: Sequence[str],
    cues: DocCues,
    gaz: Gazetteer | None = None,
    caps: bool | None = None,
    span: tuple[int, int] | None = None,
    keep: Keep = None,
) -> list[list[bytes]]:
    """sentence_features as UTF-8 bytes: a tagger takes those as they are (text it encodes,
    every time: a sixth of what tagging costs)."""
    return cast(list[list[bytes]], _features(words, cues, gaz, caps, span, keep, True))


def _features(
    words: Sequence[str],
    cues: DocCues,
    gaz: Gazetteer | None,
    caps: bool | None,
    span: tuple[int, int] | None,
    keep: Keep,
    encode: bool,
) -> list[list[Attr]]:
    """sentence_features, as text or (`encode`) as UTF-8 bytes."""
    gaz = gaz or load_gazetteer()
    n = len(words)
    caps = _is_caps_sentence(words) if caps is None else caps
    gz = match_phrases(words, gaz)
    ctx = list(map(_word_table(keep, encode).__getitem__, words))
    lows = [c[0] for c in ctx]
    runs = _run_features(words, lows, gaz, encode)
    caps_f, doc_cap, doc_low, bos, first, eos = _fixed(encode)[:6]
    out: list[list[Attr]] = []
    lo, hi = span if span is not None else (0, n)
    for i in range(lo, hi):
        w = words[i]
        f = [*ctx[i][1], *runs[i]]
        if caps:
            f.append(caps_f)
        if gz[i]:
            f.append(_attr("gz=" + gz[i], encode))
        if (caps or i == 0) and w[:1].isupper():
            # Case is uninformative here: borrow the document's evidence.
            lw = lows[i]
            if lw in cues.capitalized:
                f.append(doc_cap)
            elif lw in cues.lower:
                f.append(doc_low)
        if i > 0:
            f += ctx[i - 1][2]
            bigram = "bi-=" + lows[i - 1] + "|" + lows[i]
            if keep is None or bigram in keep:
                f.append(bigram.encode() if encode else bigram)
            if gz[i - 1]:
                f.append(_attr("gz-1=" + gz[i - 1], encode))
            if i > 1:
                f += ctx[i - 2][4]
        else:
            f += (bos, first)
        if i < n - 1:
            f += ctx[i + 1][3]
            bigram = "bi+=" + lows[i] + "|" + lows[i + 1]
            if keep is None or bigram in keep:
                f.append(bigram.encode() if encode else bigram)
            if gz[i + 1]:
                f.append(_attr("gz+1=" + gz[i + 1], encode))
            if i < n - 2:
                f += ctx[i + 2][5]
        else:
            f.append(eos)
        out.append(f)
    return out


def capitalized(sentences: Sequence[Sequence[str]]) -> list[list[int]]:
    """For each sentence, the indices of its words that start with a capital."""
    return [[i for i, w in enumerate(ws) if w[:1].isupper()] for ws in sentences]


def doc_label_features(
    words: Sequence[Sequence[str]],
    tags: Sequence[Sequence[str]],
    caps: Sequence[Sequence[int]] | None = None,
) -> list[dict[int, list[str]]]:
    """Per sentence, token index -> the label a first tagging pass gave the same word
    elsewhere in the document (`caps`: see `capitalized`).

    This is how a name typed once ("Pirelli SpA" is a company) informs its other mentions.
    Only words the first pass took for a name somewhere get a feature: the rest keep their tags.
    """
    caps = capitalized(words) if caps is None else caps
    counts: dict[str, dict[str, int]] = {}
    for ws, ts, idx in zip(words, tags, caps, strict=True):
        for i in idx:
            c = counts.setdefault(ws[i].lower(), {})
            t = ts[i]
            lab = t[2:] if t != "O" else "O"
            c[lab] = c.get(lab, 0) + 1
    named = {w for w, c in counts.items() if len(c) > ("O" in c)}
    out: list[dict[int, list[str]]] = []
    for ws, ts, idx in zip(words, tags, caps, strict=True):
        sent: dict[int, list[str]] = {}
        for i in idx:
            low = ws[i].lower()
            if low not in named:
                continue
            c = dict(counts[low])
            own = ts[i][2:] if ts[i] != "O" else "O"
            c[own] -= 1
            others = {k: v for k, v in c.items() if v > 0}
            if others:
                best = max(others, key=lambda k: (others[k], k))
                sent[i] = ["d:" + best, "d:mixed"] if len(others) > 1 else ["d:" + best]
        out.append(sent)
    return out


def with_label_features(
    feats: Sequence[list[A]], extra: dict[int, list[A]], lo: int = 0
) -> list[list[A]]:
    """A sentence's features for tokens lo, lo+1, ... with `doc_label_features` added."""
    return [f + extra[i] if i in extra else f for i, f in enumerate(feats, lo)]
