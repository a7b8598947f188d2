"""Name tagger: the shipped CRF model over sentences, then document-level consistency."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from generator.extract.ner_crfsuite import model_attributes
from generator.extract.ner_features import (
    Keep,
    build_doc_cues,
    capitalized,
    caps_sentences,
    doc_label_features,
    encoded_features,
    with_label_features,
)
from generator.extract.ner_gazetteer import Gazetteer, load_gazetteer, load_words, match_phrases
from generator.extract.ner_headline import headline_names
from generator.extract.ner_repair import (
    NameSpan,
    defined_acronyms,
    join_possessive_companies,
    repair,
    surface,
)
from generator.extract.tokens import Token, sentences

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "data" / "ner.crfsuite"
SECOND_PATH = MODEL_PATH.with_name("ner2.crfsuite")
_GZ_LABEL = {"CTRY": "LOC", "CAP": "LOC", "CITY": "LOC", "REGION": "LOC", "SEA": "LOC"}
_GZ_LABEL.update({"ORG": "ORG", "DEM": "MISC"})


@cache
def _tagger(path: Path) -> Any:
    """A CRF tagger, opened once per process (pycrfsuite taggers cannot be pickled)."""
    if not path.exists():
        if path == MODEL_PATH:
            log.warning("no NER model at %s: falling back to gazetteer rules", path)
        return None
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


@cache
def _known_attributes() -> Keep:
    """Attributes either model knows; features outside both are never made (same tags)."""
    first, second = model_attributes(MODEL_PATH), model_attributes(SECOND_PATH)
    if first is None or (second is None and SECOND_PATH.exists()):
        return None
    return first | (second or frozenset())


def _rule_tags(words: Sequence[str], gaz: Gazetteer) -> list[str]:
    """Fallback without a model: gazetteer phrases, then capitalized runs as names."""
    tags = [
        ("B-" if t[0] == "B" else "I-") + _GZ_LABEL[t[2:]] if t else "O"
        for t in match_phrases(words, gaz)
    ]
    i = 0
    while i < len(words):
        if tags[i] == "O" and i > 0 and words[i][:1].isupper() and words[i].isalpha():
            j = i
            while j < len(words) and tags[j] == "O" and words[j][:1].isupper():
                j += 1
            label = "ORG" if words[j - 1].lower() in gaz.org_words else "PER"
            if words[i].lower() in gaz.honorifics:
                i += 1
                continue
            tags[i:j] = ["B-" + label] + ["I-" + label] * (j - i - 1)
            i = j
        else:
            i += 1
    return tags


def tag_tokens(
    text: str, tokens: list[Token], sents: Sequence[tuple[int, int]] | None = None
) -> list[str]:
    """IOB2 tags for every token of `text`, sentence by sentence (`sents`: see `sentences`)."""
    gaz = load_gazetteer()
    sents = list(sentences(text, tokens)) if sents is None else sents
    words = [[t.text for t in tokens[a:b]] for a, b in sents]
    tagger = _tagger(MODEL_PATH)
    if tagger is None:
        return [t for ws in words for t in _rule_tags(ws, gaz)]
    caps = caps_sentences(words)
    cues = build_doc_cues(words, caps)
    # Only the stretch of a sentence around its capitalized words can hold a name; the
    # rest is tagged O without asking the model (it would say so, at a cost).
    common = cues.lower | load_words("function_words.txt")
    capital = capitalized(words)
    spans = [_name_window(ws, idx, common) for ws, idx in zip(words, capital, strict=True)]
    keep = _known_attributes()
    # As UTF-8 bytes: the tagger takes them as they are (text it encodes, every time).
    feats = [
        encoded_features(ws, cues, gaz, cap, sp, keep) if sp else []
        for ws, cap, sp in zip(words, caps, spans, strict=True)
    ]
    first = [_tag(tagger, f, sp, len(ws)) for f, sp, ws in zip(feats, spans, words, strict=True)]
    second = _tagger(SECOND_PATH)
    if second is None:
        return [t for ts in first for t in ts]
    # Second pass: what the first pass said about the same words elsewhere in the article.
    extra = doc_label_features(words, first, capital)
    tags: list[str] = []
    for fs, es, ts, sp in zip(feats, extra, first, spans, strict=True):
        if sp and any(sp[0] <= i < sp[1] for i in es):
            coded = {i: [x.encode() for x in xs] for i, xs in es.items()}
            tags.extend(_tag(second, with_label_features(fs, coded, sp[0]), sp, len(ts)))
        else:
            tags.extend(ts)  # nothing to learn from the rest of the article
    return tags


_MARGIN = 3


def _tag(tagger: Any, feats: list[list[bytes]], span: tuple[int, int] | None, n: int) -> list[str]:
    """Tags of a sentence of `n` tokens whose tokens [span) were featurized (`feats`)."""
    if span is None:
        return ["O"] * n
    lo, hi = span
    return ["O"] * lo + list(tagger.tag(feats)) + ["O"] * (n - hi)


def _name_window(
    words: Sequence[str], capital: Sequence[int], common: frozenset[str]
) -> tuple[int, int] | None:
    """Token range around the sentence's capitalized words (`capital`: their indices) with a
    margin, or None when only a common opening word ("The", "But") is capitalized."""
    first = 1 if capital and capital[0] == 0 and words[0].lower() in common else 0
    if len(capital) <= first:
        return None
    return max(0, capital[first] - _MARGIN), min(len(words), capital[-1] + _MARGIN + 1)


def spans_from_tags(tags: Sequence[str]) -> list[NameSpan]:
    """Name spans from IOB2 tags (a stray I- starts a span)."""
    out: list[NameSpan] = []
    start, typ = -1, ""
    for i, t in enumerate([*tags, "O"]):
        if start >= 0 and (t == "O" or t.startswith("B-") or t[2:] != typ):
            out.append(NameSpan(start, i, typ))
            start = -1
        if t != "O" and start < 0:
            start, typ = i, t[2:]
    return out


def make_consistent(
    tokens: list[Token], spans: list[NameSpan], lower_words: frozenset[str]
) -> list[NameSpan]:
    """One label per surface form (majority vote), and every untagged repeat tagged too."""
    surfaces = [surface(tokens, s.start, s.end) for s in spans]
    votes: dict[tuple[str, ...], Counter[str]] = {}
    for s, key in zip(spans, surfaces, strict=True):
        votes.setdefault(key, Counter())[s.label] += s.end - s.start
    corp = load_words("corp_suffixes.txt")
    gaz = load_gazetteer()
    for s, key in zip(spans, surfaces, strict=True):
        # "Pirelli SpA" says Pirelli is a company wherever else it is named.
        if len(key) > 1 and key[-1].rstrip(".") in corp:
            votes[key] = Counter({"ORG": 1})
            votes.setdefault(key[:-1], Counter())["ORG"] += 100
            first = tokens[s.start].text
            # "Magna International Inc" ... "Magna": the short form is the company too.
            if len(key) > 2 and first[:1].isupper() and first not in gaz.person_names:
                votes.setdefault(key[:1], Counter())["ORG"] += 100
    best = {k: c.most_common(1)[0][0] for k, c in votes.items()}
    for key, label in list(best.items()):
        # "Pirelli Cables" when Pirelli is a company here: a unit of it, not a person.
        if label == "PER" and len(key) > 1 and best.get(key[:1]) == "ORG":
            best[key] = "ORG"
    # Surnames and first names of tagged multi-word persons name the same person alone.
    for key in surfaces:
        if best[key] == "PER" and len(key) > 1:
            for part in (key[-1], key[0]):
                if (part,) not in best and part[:1].isalpha() and part not in lower_words:
                    best[(part,)] = "PER"
    taken = [False] * len(tokens)
    out = [NameSpan(s.start, s.end, best[key]) for s, key in zip(spans, surfaces, strict=True)]
    for s in out:
        for k in range(s.start, s.end):
            taken[k] = True
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in best:
        by_first.setdefault(key[0], []).append(key)
    for keys in by_first.values():
        keys.sort(key=len, reverse=True)
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if taken[i] or not tok.text[:1].isupper():
            i += 1
            continue
        first = tok.text.casefold().replace("’", "'")
        for key in by_first.get(first, ()):
            j = i + len(key)
            if j <= n and not any(taken[i:j]) and surface(tokens, i, j) == key:
                if j < n and tokens[j].text[:1].isupper() and tokens[j].text.isalpha():
                    continue  # part of a longer capitalized name we do not know
                out.append(NameSpan(i, j, best[key]))
                for k in range(i, j):
                    taken[k] = True
                i = j - 1
                break
        i += 1
    out.sort(key=lambda s: s.start)
    return out


def find_names(
    text: str,
    tokens: list[Token],
    sents: Sequence[tuple[int, int]] | None = None,
    title_end: int = 0,
) -> list[NameSpan]:
    """Tag `text` and make the tags consistent across the document (whose headline ends at
    character `title_end`)."""
    sents = list(sentences(text, tokens)) if sents is None else sents
    tags = tag_tokens(text, tokens, sents)
    lower_words = frozenset(filter(str.islower, map(itemgetter(0), tokens)))  # token texts
    gaz = load_gazetteer()
    spans = repair(tokens, spans_from_tags(tags), gaz)
    spans = defined_acronyms(tokens, join_possessive_companies(tokens, spans, gaz))
    spans = headline_names(tokens, spans, sents, gaz, title_end)
    return make_consistent(tokens, spans, lower_words)
