"""People, organizations, countries and places of an article, with canonical names and roles."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from generator.extract.aliases import Surface, canonical_names, one_spelling
from generator.extract.capitals import capital_is_government
from generator.extract.kinds import WORK, not_an_actor, vote_kinds
from generator.extract.ner import find_names
from generator.extract.ner_gazetteer import Gazetteer, load_gazetteer, load_words
from generator.extract.ner_repair import NameSpan, is_acronym_of
from generator.extract.roles import RoleCandidate, best_role, role_candidates
from generator.extract.tokens import Token, sentences, tokenize
from generator.model import Actor, Place

_KIND_OF_LABEL = {"PER": "person", "ORG": "organization", "LOC": "place"}
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")
"""'PCs', 'MPs', 'SUVs': a class of things or people, never one actor."""


@dataclass(frozen=True)
class Mention:
    """One mention of a name in `f"{title}\\n\\n{body}"`."""

    start: int
    end: int
    text: str
    """Surface form as in the text."""
    kind: str
    """person | organization | country | place."""
    canonical: str
    """Canonical name of the entity it refers to."""


@dataclass(frozen=True)
class EntityAnalysis:
    """Actors (ordered by mentions, then first appearance), places and every mention."""

    actors: tuple[Actor, ...]
    places: tuple[Place, ...]
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class _Raw:
    """A mention before alias resolution: token range (honorific included) and kind."""

    first: int
    """First token, including a courtesy title or a title before a lone surname."""
    name_first: int
    """First token of the name proper."""
    end: int
    kind: str
    surface: Surface


def _text(text: str, tokens: Sequence[Token], i: int, j: int) -> str:
    """The source text of tokens [i, j)."""
    return text[tokens[i].start : tokens[j - 1].end]


def _acronyms(text: str, tokens: Sequence[Token], spans: Sequence[NameSpan]) -> dict[str, str]:
    """Acronyms the article defines: "Securities and Exchange Commission (SEC)"."""
    out: dict[str, str] = {}
    n = len(tokens)
    for s in spans:
        e = s.end
        if s.label != "ORG" or s.end - s.start < 2 or e + 2 >= n:
            continue
        acr = tokens[e + 1].text
        words = [t.text for t in tokens[s.start : s.end]]
        if tokens[e].text == "(" and tokens[e + 2].text == ")" and is_acronym_of(acr, words):
            out[acr] = _text(text, tokens, s.start, s.end)
    return out


def _classify(
    text: str, tokens: Sequence[Token], span: NameSpan, gaz: Gazetteer
) -> tuple[str, str] | None:
    """(kind, preferred display name) of a tagged span, or None when it is no actor or place."""
    name = _text(text, tokens, span.start, span.end)
    folded = name.casefold().replace("’", "'")
    if span.label not in _KIND_OF_LABEL or folded in load_words("not_names.txt"):
        return None
    if name.lower() == name != name.upper():  # "of", "pop-punk": cased letters, no capital
        return None
    if _ACRONYM_PLURAL.fullmatch(name):
        return None
    if span.label == "ORG":
        if span.end - span.start == 1 and folded in load_words("generic_org_words.txt"):
            return None  # "the Commission" alone names no particular body
        return "organization", gaz.organizations.get(folded, name)
    if span.label == "PER":
        # A company the gazetteer knows, tagged as a person ("Goldman Sachs"), unless a
        # courtesy title says otherwise ("Mr Ford").
        prev = tokens[span.start - 1].text.lower().rstrip(".") if span.start > 0 else ""
        if folded in gaz.organizations and prev not in gaz.honorifics:
            return "organization", gaz.organizations[folded]
        return "person", name
    if folded in gaz.countries:
        return "country", gaz.countries[folded].name
    if folded in gaz.capitals and capital_is_government(tokens, span.start, span.end):
        return "country", gaz.capitals[folded].name  # "Beijing said": the government
    return "place", name


def _in_title(tokens: Sequence[Token], span: NameSpan, person_starts: set[int]) -> bool:
    """ "Interior Secretary Jane Doe": a portfolio inside a person's title is part of the
    role, not an actor of its own."""
    e = span.end
    return (
        e == span.start + 1
        and tokens[span.start].text.lower() in load_words("portfolios.txt")
        and e + 1 < len(tokens)
        and tokens[e].text[:1].isupper()
        and tokens[e].text.lower() in load_words("role_words.txt")
        and e + 1 in person_starts
    )


def _products(text: str, tokens: Sequence[Token], spans: Sequence[NameSpan]) -> set[str]:
    """Names used only before a product noun ("the Orion chip"): a product, no actor.

    A name the gazetteer knows as an organization, or the article uses alone, is kept.
    """
    nouns = load_words("product_nouns.txt")
    gaz = load_gazetteer()
    before: set[str] = set()
    alone: set[str] = set()
    for s in spans:
        name = _text(text, tokens, s.start, s.end).casefold()
        nxt = tokens[s.end].text if s.end < len(tokens) else ""
        (before if nxt in nouns else alone).add(name)
    return {n for n in before - alone if n not in gaz.organizations}


def _raw_mentions(text: str, tokens: Sequence[Token], spans: Sequence[NameSpan]) -> list[_Raw]:
    """Classified mentions; a person's courtesy title or a title before a lone surname joins it."""
    gaz = load_gazetteer()
    person_starts = {s.start for s in spans if s.label == "PER"}
    products = _products(text, tokens, spans)
    courtesy = load_words("courtesy.txt")
    skip = gaz.honorifics | load_words("role_words.txt") | load_words("affiliations.txt")
    skip |= gaz.demonyms
    post = load_words("post_nominals.txt")
    out: list[_Raw] = []
    for s in spans:
        start = s.start
        if s.label == "PER":  # the tagger may include "Mr" or "Midfielder": the name follows
            while start < s.end - 1 and tokens[start].text.lower().rstrip(".") in skip:
                start += 1
        end = s.end
        if s.label == "PER":  # "Ben Emmerson QC": post-nominal letters are not the name
            while end > start + 1 and tokens[end - 1].text.lower().rstrip(".") in post:
                end -= 1
        if s.label in ("ORG", "MISC") and (
            _in_title(tokens, s, person_starts)
            or _text(text, tokens, start, end).casefold() in products
        ):
            continue
        got = _classify(text, tokens, NameSpan(start, end, s.label), gaz)
        if got is None:
            continue
        kind, name = got
        first = start
        if kind == "person" and start > 0:
            prev = tokens[start - 1].text
            low = prev.lower().rstrip(".")
            if prev[:1].isupper() and (
                low in courtesy or (low in gaz.honorifics and end - start == 1)
            ):
                first = start - 1
        surface = Surface(_text(text, tokens, start, end), kind, name)
        out.append(_Raw(first, start, end, kind, surface))
    return out


def _openers_dropped(
    raws: list[_Raw], tokens: Sequence[Token], sents: Sequence[tuple[int, int]], title_end: int
) -> list[_Raw]:
    """Without a function word the tagger took for a name where every sentence capitalizes
    it ("However, ...", "Do you ..."): such a word is a name ("The Who", the retailer
    "Next") only when the article capitalizes it mid-sentence somewhere (in the body)."""
    function = load_words("function_words.txt")
    starts = {a for a, _ in sents}

    def word(r: _Raw) -> str | None:
        """The mention's one word, case-folded, when it is a function word."""
        w = tokens[r.name_first].text.casefold()
        return w if r.end - r.name_first == 1 and w in function else None

    words = [word(r) for r in raws]
    named = {
        w
        for r, w in zip(raws, words, strict=True)
        if w and r.first not in starts and tokens[r.first].start > title_end
    }
    return [r for r, w in zip(raws, words, strict=True) if w is None or w in named]


def _places(raws: Sequence[_Raw], names: Sequence[str]) -> tuple[Place, ...]:
    """Distinct places, most mentioned first, with the gazetteer's kind where known."""
    gaz = load_gazetteer()
    counts: dict[str, int] = {}
    for r, name in zip(raws, names, strict=True):
        if r.kind == "place":
            counts[name] = counts.get(name, 0) + 1
    order = sorted(counts, key=lambda k: -counts[k])  # sorted() is stable: ties keep text order
    return tuple(Place(name, gaz.places.get(name.casefold(), "place")) for name in order)


def _voted(
    tokens: Sequence[Token], raws: list[_Raw], names: list[str]
) -> tuple[list[_Raw], list[str]]:
    """Mentions with the kind their actor's mentions vote for, events and groups left out."""
    kinds = vote_kinds(tokens, [(r.name_first, r.end, r.kind) for r in raws], names)
    pairs = [
        (replace(r, kind=k) if k != r.kind else r, n)
        for r, k, n in zip(raws, kinds, names, strict=True)
        if k == "place" or (k != WORK and not not_an_actor(n))
    ]
    return [r for r, _ in pairs], [n for _, n in pairs]


def extract_entities(
    title: str, body: str, aliases: Mapping[str, str] | None = None
) -> EntityAnalysis:
    """Find who and where an article is about; `aliases` (surface -> canonical) overrides."""
    text = f"{title}\n\n{body}"
    tokens = tokenize(text)
    sents = list(sentences(text, tokens))
    spans = find_names(text, tokens, sents, len(title))
    raws = _openers_dropped(_raw_mentions(text, tokens, spans), tokens, sents, len(title))
    names = canonical_names([r.surface for r in raws], _acronyms(text, tokens, spans), aliases)
    raws, names = _voted(tokens, raws, one_spelling(names))
    # Role phrases stop at another person's name and at the end of the previous sentence.
    stops = {k for r in raws if r.kind == "person" for k in range(r.first, r.end)}
    stops.update(j - 1 for _, j in sents)
    mentions: list[Mention] = []
    groups: dict[tuple[str, str], list[int]] = {}
    for idx, (r, name) in enumerate(zip(raws, names, strict=True)):
        s, e = tokens[r.first].start, tokens[r.end - 1].end
        mentions.append(Mention(s, e, text[s:e], r.kind, name))
        if r.kind != "place":
            groups.setdefault((r.kind, name), []).append(idx)
    actors: list[tuple[int, int, Actor]] = []
    for (kind, name), idxs in groups.items():
        forms: list[str] = []
        roles: list[RoleCandidate] = []
        for i in idxs:
            for form in (raws[i].surface.text, mentions[i].text):
                if form != name and form not in forms:
                    forms.append(form)
            if kind == "person":
                roles += role_candidates(tokens, raws[i].name_first, raws[i].end, stops)
        role = best_role(roles)
        actor = Actor(name=name, kind=kind, role=role, aliases=tuple(forms), mentions=len(idxs))
        actors.append((-len(idxs), raws[idxs[0]].first, actor))
    actors.sort(key=lambda a: (a[0], a[1]))
    return EntityAnalysis(
        actors=tuple(a for _, _, a in actors),
        places=_places(raws, names),
        mentions=tuple(sorted(mentions, key=lambda m: (m.start, m.end))),
    )
