"""One kind per actor in an article: every mention votes, and events or groups are no actors.

Votes: the tagger's label of each mention; a courtesy title, honorific or role before it
(person); an organization word in the name, "the" before it, a word after it that makes it
a body ("X boss", "X shares") or a plural verb (organization). Word lists: data/kind_cues.txt
and the recognizer's lists.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from generator.extract.ner_gazetteer import load_gazetteer, load_words
from generator.extract.tokens import Token
from generator.extract.wordlist import read_sections

VOTE_KINDS = ("person", "organization")
WORK = "work"
"""The kind of a name that is a work of art or a product: no actor."""
TAGGER = 0.5
TITLE = 3.0
ROLE = 2.0
ORG_WORD = 3.0
THE = 1.5
AFTER = 2.0
PLURAL = 1.0
_NUMERAL = re.compile(r"(?:[IVXLC]+|\d+)")


@cache
def _cues() -> dict[str, frozenset[str]]:
    """The sections of data/kind_cues.txt as sets of lower-case words."""
    return {k: frozenset(v) for k, v in read_sections("kind_cues.txt").items()}


def not_an_actor(name: str) -> bool:
    """An event, work, prize or holiday ("Super Bowl LIII"), or a group ("Young People")."""
    words = name.split()
    while len(words) > 1 and _NUMERAL.fullmatch(words[-1]):
        words.pop()
    low = [w.casefold() for w in words]
    cues = _cues()
    if low[-1] in cues["event_words"] or " ".join(low[-2:]) in cues["event_words"]:
        body = load_words("org_words.txt") - cues["event_words"]
        return name.casefold() not in load_gazetteer().organizations and not body & set(low)
    if len(low) == 2 and low[-1] in cues["group_heads"]:
        return name.casefold() not in load_gazetteer().organizations
    return False


def _mention_votes(tokens: Sequence[Token], first: int, end: int, kind: str) -> dict[str, float]:
    """What one mention, tokens [first, end), and its neighbours say about its kind."""
    votes: dict[str, float] = defaultdict(float)
    votes[kind] += TAGGER
    cues = _cues()
    prev = tokens[first - 1].text if first > 0 else ""
    low = prev.lower().rstrip(".")
    before = tokens[first - 2].text.lower() if first > 1 and prev in (",", "in") else low
    if (before if prev == "," else low) in cues["work_before"] or (
        prev == "in" and before in cues["work_in"]
    ):
        votes[WORK] += TITLE
    elif prev[:1].isupper() and low in load_words("courtesy.txt") | load_gazetteer().honorifics:
        votes["person"] += TITLE
    elif low in load_words("role_words.txt"):
        votes["person"] += ROLE
    elif low in cues["org_before"]:
        votes["organization"] += AFTER
    nxt = tokens[end].text if end < len(tokens) else ""
    ends_phrase = not (nxt.isalpha() and nxt.islower()) or nxt in cues["after_the"]
    if prev == "the" and not tokens[first].text.startswith("The") and ends_phrase:
        votes["organization"] += THE
    last = tokens[end - 1].text.lower()
    given = end - first == 2 and tokens[first].text in load_gazetteer().person_names
    if not given and (
        last in load_words("org_words.txt") or (end - first > 1 and last in cues["outlet_words"])
    ):
        votes["organization"] += ORG_WORD  # not 'Nathalie Press': a given name and a surname
    if nxt.lower() == nxt and nxt in cues["org_after"]:
        votes["organization"] += AFTER
    elif nxt in cues["plural_verbs"]:
        votes["organization"] += PLURAL
    elif nxt in cues["person_after"]:
        votes["person"] += ROLE
    return votes


def _a_place(name: str, votes: dict[str, float]) -> bool:
    """A 'person' that ends in a place word ('Tiananmen Square'), or that the place
    gazetteer knows and no title or role vouches for ('Omdurman' said nothing)."""
    if name.split()[-1].casefold() in _cues()["place_words"]:
        return True
    gaz = load_gazetteer()
    return name.casefold() in gaz.places and votes.get("person", 0.0) <= TAGGER * 4


def vote_kinds(
    tokens: Sequence[Token], spans: Sequence[tuple[int, int, str]], names: Sequence[str]
) -> list[str]:
    """Each mention's kind after its actor's mentions voted: (first, end, kind) per mention
    with its canonical name. Countries and places keep theirs; a name any mention gives as a
    country is a country throughout; WORK for a work of art or a product."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    country: set[str] = set()
    for (first, end, kind), name in zip(spans, names, strict=True):
        if kind == "country":
            country.add(name)
        if kind in VOTE_KINDS:
            for k, v in _mention_votes(tokens, first, end, kind).items():
                totals[name][k] += v
    out: list[str] = []
    for (_, _, kind), name in zip(spans, names, strict=True):
        if kind not in VOTE_KINDS:
            out.append(kind)
        elif name in country:
            out.append("country")
        else:
            t = totals[name]
            won = max((*VOTE_KINDS, WORK), key=lambda k: (t.get(k, 0.0), k == kind))
            out.append("place" if won == "person" and _a_place(name, t) else won)
    return out
