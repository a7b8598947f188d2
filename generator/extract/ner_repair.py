"""Repairs of tagged spans the CRF glues or cuts wrongly, each a small general rule."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from generator.extract.ner_gazetteer import Gazetteer, load_words, match_phrases
from generator.extract.tokens import Token

_ROMAN = frozenset(
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV"]
)
_PLACE_CATS = frozenset({"CTRY", "CAP", "CITY", "REGION"})
_GZ_LABEL = {"CTRY": "LOC", "CAP": "LOC", "CITY": "LOC", "REGION": "LOC", "SEA": "LOC"}
_GZ_LABEL.update({"ORG": "ORG", "DEM": "MISC"})
_POSSESSIVE = frozenset({"'s", "’s"})


@dataclass(frozen=True)
class NameSpan:
    """A tagged name: token range [start, end) and its CoNLL label (PER, ORG, LOC, MISC)."""

    start: int
    end: int
    label: str


def surface(tokens: Sequence[Token], start: int, end: int) -> tuple[str, ...]:
    """Case-folded texts of tokens [start, end): the key that makes two mentions "the same
    name"."""
    return tuple(t.text.casefold().replace("’", "'") for t in tokens[start:end])


@dataclass(frozen=True)
class _Context:
    """What the whole article's tagging says, for rules that look beyond one span."""

    tokens: Sequence[Token]
    gaz: Gazetteer
    person_words: frozenset[str]
    """Case-folded words of every person span."""
    persons: frozenset[str]
    """Case-folded full text of every person span."""
    labels: dict[str, str]
    """Case-folded text of every span -> its label."""


def _text(ctx: _Context, i: int, j: int) -> str:
    """Case-folded words of tokens [i, j) joined by spaces."""
    return " ".join(t.text for t in ctx.tokens[i:j]).casefold()


def _is_person(ctx: _Context, words: Sequence[str]) -> bool:
    """Words that name a person: tagged so elsewhere, or holding a known given name."""
    return (
        words[0].casefold() in ctx.person_words
        or words[-1].casefold() in ctx.person_words
        or (len(words) > 1 and any(w in ctx.gaz.person_names for w in words))
    )


def _place_then_person(ctx: _Context, s: NameSpan) -> list[NameSpan] | None:
    """ "(Ambassador to) the US Tomas Vale": a country glued before a person's name."""
    if s.label == "PER" or s.end - s.start < 2:
        return None
    words = [t.text for t in ctx.tokens[s.start : s.end]]
    gz = match_phrases(words, ctx.gaz)
    cut = 1
    while cut < len(gz) and gz[cut].startswith("I-"):
        cut += 1
    rest = words[cut:]
    if gz[0][2:] not in ("CTRY", "CAP", "CITY") or not rest or gz[cut]:
        return None
    if not all(w[:1].isupper() for w in rest) or not _is_person(ctx, rest):
        return None
    return [NameSpan(s.start, s.start + cut, "LOC"), NameSpan(s.start + cut, s.end, "PER")]


def _person_then_place(ctx: _Context, s: NameSpan) -> list[NameSpan] | None:
    """ "Lebed Chechnya": a known place glued after a person named alone elsewhere."""
    if s.label != "PER" or s.end - s.start < 2:
        return None
    words = [t.text for t in ctx.tokens[s.start : s.end]]
    gz = match_phrases(words, ctx.gaz)
    cut = next((k for k in range(1, len(gz)) if gz[k].startswith("B-")), 0)
    if (
        cut
        and gz[cut][2:] in _PLACE_CATS
        and all(g.startswith("I-") for g in gz[cut + 1 :])
        and _text(ctx, s.start, s.start + cut) in ctx.persons
    ):
        return [NameSpan(s.start, s.start + cut, "PER"), NameSpan(s.start + cut, s.end, "LOC")]
    return None


def _title_then_person(ctx: _Context, s: NameSpan) -> list[NameSpan] | None:
    """ "Air Traffic Control Administration Director Branko Bilbija": body, title, person."""
    if s.label == "PER" or s.end - s.start < 3:
        return None
    roles = load_words("role_words.txt")
    toks = ctx.tokens
    for k in range(s.start + 1, s.end - 1):
        w = toks[k].text
        if w[:1].isupper() and w.lower() in roles:
            rest = [t.text for t in toks[k + 1 : s.end]]
            # A title inside a name says a person follows; first and last name suffice.
            if all(x[:1].isalpha() and x[:1].isupper() for x in rest) and (
                len(rest) > 1 or _is_person(ctx, rest)
            ):
                return [NameSpan(s.start, k, s.label), NameSpan(k + 1, s.end, "PER")]
    return None


def _possessive(ctx: _Context, s: NameSpan) -> list[NameSpan] | None:
    """ "Suu Kyi's National League for Democracy": a person's name, then what is theirs."""
    if s.label == "PER":
        return None
    for k in range(s.start + 1, s.end - 1):
        if ctx.tokens[k].text in _POSSESSIVE and (
            _text(ctx, s.start, k) in ctx.persons
            or ctx.tokens[k - 1].text.casefold() in ctx.person_words
        ):
            return [NameSpan(s.start, k, "PER"), NameSpan(k + 1, s.end, s.label)]
    return None


def _coordination(ctx: _Context, s: NameSpan) -> list[NameSpan] | None:
    """ "Tuzla and Mahala", "Breisach, Kehl": two names the tagger joined into one."""
    if s.end - s.start < 3:
        return None
    for k in range(s.start + 1, s.end - 1):
        if ctx.tokens[k].text not in ("and", ","):
            continue
        parts = ((s.start, k), (k + 1, s.end))
        labels = [ctx.labels.get(_text(ctx, i, j)) or _gazetteer_label(ctx, i, j) for i, j in parts]
        if all(labels):
            return [
                NameSpan(i, j, lab or s.label) for (i, j), lab in zip(parts, labels, strict=True)
            ]
    return None


def _gazetteer_label(ctx: _Context, i: int, j: int) -> str | None:
    """The label a gazetteer gives exactly tokens [i, j), if any."""
    gz = match_phrases([t.text for t in ctx.tokens[i:j]], ctx.gaz)
    if gz and gz[0].startswith("B-") and all(g.startswith("I-") for g in gz[1:]):
        return _GZ_LABEL.get(gz[0][2:])
    return None


def _brackets(ctx: _Context, s: NameSpan) -> list[NameSpan] | None:
    """ "Hizbollah (Party of God)": a name and its gloss, never one name with a bracket."""
    inside = [k for k in range(s.start, s.end) if ctx.tokens[k].text in ("(", ")")]
    if not inside:
        return None
    if s.label == "PER" and len(inside) == 2 and ctx.tokens[inside[0]].text == "(":
        return None  # a nickname: "James Leander (Leo) Nichols" is one person
    out: list[NameSpan] = []
    i = s.start
    for k in [*inside, s.end]:
        if k > i:
            out.append(NameSpan(i, k, s.label))
        i = k + 1
    return out


def _lowercase_word(ctx: _Context, s: NameSpan) -> list[NameSpan] | None:
    """A name stops at a lower-case content word: "First Union bank in Philadelphia".

    Not applied to people, whose names carry particles of many languages ("Kengo wa Dondo").
    """
    if s.label == "PER":
        return None
    connectors = load_words("name_connectors.txt")
    for k in range(s.start + 1, s.end):
        w = ctx.tokens[k].text
        if w[:1].islower() and w.lower() not in connectors and "-" not in w:
            return [NameSpan(s.start, k, s.label)]
    return None


def _adjective_prefix(ctx: _Context, s: NameSpan) -> list[NameSpan] | None:
    """ "Minneapolis-based First Bank": a hyphenated adjective before a name is not part of it."""
    k = s.start
    while k < s.end and ctx.tokens[k].text.lower().rsplit("-", 1)[-1] in _ADJ_SUFFIXES:
        k += 1
    if k == s.start:
        return None
    return [NameSpan(k, s.end, s.label)] if k < s.end else []


_NUMBER = re.compile(r"\d[\d.,]*")


def _has_letter(word: str) -> bool:
    """Whether `word` holds a letter of any script."""
    return any(ch.isalpha() for ch in word)


def _is_currency(word: str) -> bool:
    """Whether `word` is a currency sign ("£", "$", "€")."""
    return len(word) == 1 and unicodedata.category(word) == "Sc"


def _is_amount(tokens: Sequence[Token], k: int) -> bool:
    """Token k is part of a sum or share: a currency sign, a number after one or before
    "%", a number with a magnitude ("750m", "11.5bn"), or "%" itself. A bare number is not
    ("Channel 4", "Formula 1")."""
    w = tokens[k].text
    if w == "%" or _is_currency(w):
        return True
    m = _NUMBER.match(w)
    if m is None:
        return False
    if m.end() < len(w):
        return w[m.end() :].casefold() in load_words("magnitudes.txt")
    before = tokens[k - 1].text if k > 0 else ""
    after = tokens[k + 1].text if k + 1 < len(tokens) else ""
    return after == "%" or _is_currency(before)


def _amounts(tokens: Sequence[Token], s: NameSpan) -> NameSpan | None:
    """The span without the sums at its edges ("Connaught for £750m" -> "Connaught"); None
    when no name is left (the tagger took "£" or "16%" for a name)."""
    start, end = s.start, s.end
    while start < end and _is_amount(tokens, start):
        start += 1
    cut = end
    while end > start and _is_amount(tokens, end - 1):
        end -= 1
    if end < cut:  # then what joined the sum to the name: "for", "of", a comma
        while end > start and (
            not _has_letter(tokens[end - 1].text) or tokens[end - 1].text[:1].islower()
        ):
            end -= 1
    if not any(_has_letter(t.text) for t in tokens[start:end]):
        return None
    return s if (start, end) == (s.start, s.end) else NameSpan(start, end, s.label)


_ADJ_SUFFIXES = frozenset(
    {"based", "led", "backed", "sponsored", "owned", "run", "funded", "born", "made", "held"}
)
_RULES = (
    _adjective_prefix,
    _lowercase_word,
    _brackets,
    _place_then_person,
    _person_then_place,
    _title_then_person,
    _possessive,
    _coordination,
)


def repair(tokens: Sequence[Token], spans: list[NameSpan], gaz: Gazetteer) -> list[NameSpan]:
    """Fix spans the tagger glues: "Mr Vale" is a person; "the US Tomas Vale" is two names."""
    courtesy = load_words("courtesy.txt")
    ctx = _Context(
        tokens=tokens,
        gaz=gaz,
        person_words=frozenset(
            tokens[k].text.casefold()
            for s in spans
            if s.label == "PER"
            for k in range(s.start, s.end)
        ),
        persons=frozenset(
            " ".join(t.text for t in tokens[s.start : s.end]).casefold()
            for s in spans
            if s.label == "PER"
        ),
        labels={
            " ".join(t.text for t in tokens[s.start : s.end]).casefold(): s.label for s in spans
        },
    )
    out: list[NameSpan] = []
    for tagged in spans:
        stem_free = _without_verb_stem(tokens, tagged)
        s = _amounts(tokens, stem_free) if stem_free is not None else None
        if s is None:
            continue
        if s.end - s.start > 1 and tokens[s.start].text in ("The", "the"):
            s = NameSpan(s.start + 1, s.end, s.label)
        if s.label == "PER" and s.end < len(tokens) and tokens[s.end].text in _ROMAN:
            s = NameSpan(s.start, s.end + 1, s.label)  # "Elizabeth I", "Pope John Paul II"
        if s.end - s.start > 1 and tokens[s.start].text.lower().rstrip(".") in courtesy:
            out.append(NameSpan(s.start + 1, s.end, "PER"))
            continue
        for rule in _RULES:
            fixed = rule(ctx, s)
            if fixed is not None:
                out.extend(fixed)
                break
        else:
            out.append(s)
    return out


def _without_verb_stem(tokens: Sequence[Token], s: NameSpan) -> NameSpan | None:
    """A name never ends in the verb of a split "n't" ("Why Ca|n't", "Do|n't" in a title-case
    headline): the stem and what follows it go."""
    for k in range(s.start, s.end):
        if k + 1 < len(tokens) and tokens[k + 1].text.lower() in _NOT_CLITICS:
            return NameSpan(s.start, k, s.label) if k > s.start else None
    return s


_NOT_CLITICS = frozenset({"n't", "n’t"})


def join_possessive_companies(
    tokens: Sequence[Token], spans: list[NameSpan], gaz: Gazetteer
) -> list[NameSpan]:
    """ "Boatmen's Bancshares Inc.", "Moody's Investors Service": one company, not two names."""
    by_end = {s.end: s for s in spans}
    drop: set[NameSpan] = set()
    out: list[NameSpan] = []
    for s in spans:
        k = s.start
        last = tokens[s.end - 1].text.lower().rstrip(".")
        if (
            s.label == "ORG"
            and k >= 2
            and tokens[k - 1].text in _POSSESSIVE
            and tokens[k - 2].end == tokens[k - 1].start
            and tokens[k - 2].text[:1].isupper()
            and (last in gaz.org_words or last in load_words("corp_suffixes.txt"))
        ):
            before = by_end.get(k - 1)
            if before is not None and before.end - before.start == 1:
                drop.add(before)
            out.append(NameSpan(k - 2, s.end, "ORG"))
        else:
            out.append(s)
    return sorted((s for s in out if s not in drop), key=lambda s: s.start)


def is_acronym_of(acronym: str, words: Sequence[str]) -> bool:
    """Loose check that an acronym abbreviates a name: same first letter, all capitals."""
    content = [w for w in words if w[:1].isupper()]
    return (
        len(acronym) > 1
        and acronym.replace("&", "").isalpha()
        and acronym.isupper()
        and bool(content)
        and acronym[0] == content[0][0].upper()
    )


def defined_acronyms(tokens: Sequence[Token], spans: list[NameSpan]) -> list[NameSpan]:
    """ "Kurdistan Democratic Party (KDP)": the acronym in brackets names the same thing."""
    taken = {k for s in spans for k in range(s.start, s.end)}
    out = list(spans)
    for s in spans:
        e = s.end
        if s.end - s.start < 2 or e + 2 >= len(tokens) or e + 1 in taken:
            continue
        if tokens[e].text == "(" and tokens[e + 2].text == ")":
            words = [t.text for t in tokens[s.start : s.end]]
            if is_acronym_of(tokens[e + 1].text, words):
                out.append(NameSpan(e + 1, e + 2, s.label))
    out.sort(key=lambda s: s.start)
    return out
