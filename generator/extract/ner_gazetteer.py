"""Gazetteers shipped in data/: countries, places, organizations, name parts, honorifics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.extract.tokens import tokenize

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Country:
    """A country: canonical name, other names, demonyms and capital cities."""

    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    """Every word list the extractor uses, read once from the data files."""

    countries: dict[str, Country]
    """Case-folded name or alias -> country."""
    capitals: dict[str, Country]
    """Case-folded capital city -> its country."""
    demonyms: frozenset[str]
    """Case-folded demonyms and adjectives of nationality ("chinese", "britons")."""
    places: dict[str, str]
    """Case-folded place name -> kind (city, region, sea)."""
    organizations: dict[str, str]
    """Case-folded organization name or alias -> canonical name."""
    org_words: frozenset[str]
    """Lower-case words that head or end organization names (ministry, inc)."""
    honorifics: frozenset[str]
    """Lower-case words before a name that are not part of it (mr, president)."""
    person_names: frozenset[str]
    """Common given and family names, as written."""
    phrases: dict[tuple[str, ...], str]
    """Lower-cased token sequence -> category (CTRY, CAP, CITY, REGION, SEA, ORG, DEM)."""
    max_phrase: dict[str, int]
    """First word of a phrase -> length of the longest phrase it opens."""


def _lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a data file."""
    text = (DATA_DIR / name).read_text("utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _split(field: str) -> tuple[str, ...]:
    """A `|`-separated field as a tuple of stripped non-empty strings."""
    return tuple(x.strip() for x in field.split("|") if x.strip())


def _key(tokens: Sequence[str]) -> tuple[str, ...]:
    """Phrase key: lower-cased tokens, curly apostrophes straightened."""
    return tuple(t.lower().replace("’", "'") for t in tokens)


@cache
def load_gazetteer() -> Gazetteer:
    """Read every gazetteer file once per process."""
    countries: dict[str, Country] = {}
    capitals: dict[str, Country] = {}
    demonyms: set[str] = set()
    phrases: dict[tuple[str, ...], str] = {}

    def add_phrase(text: str, cat: str) -> None:
        key = _key([t.text for t in tokenize(text)])
        if key and key not in phrases:
            phrases[key] = cat

    for line in _lines("countries.tsv"):
        cols = [*line.split("\t"), "", "", ""][:4]
        c = Country(cols[0].strip(), _split(cols[1]), _split(cols[2]), _split(cols[3]))
        for n in (c.name, *c.aliases):
            countries.setdefault(n.casefold(), c)
            add_phrase(n, "CTRY")
        for d in c.demonyms:
            demonyms.add(d.casefold())
            add_phrase(d, "DEM")
    for line in _lines("countries.tsv"):
        cols = [*line.split("\t"), "", "", ""][:4]
        c = countries[cols[0].strip().casefold()]
        for cap in _split(cols[3]):
            # A capital that is also a country name (Singapore) stays the country.
            if cap.casefold() not in countries:
                capitals.setdefault(cap.casefold(), c)
                add_phrase(cap, "CAP")
    places: dict[str, str] = {cap: "city" for cap in capitals}
    for line in _lines("places.tsv"):
        name, _, kind = line.partition("\t")
        places.setdefault(name.strip().casefold(), kind.strip() or "place")
        add_phrase(name.strip(), {"city": "CITY", "sea": "SEA"}.get(kind.strip(), "REGION"))
    organizations: dict[str, str] = {}
    for line in _lines("organizations.tsv"):
        cols = line.split("\t")
        canon = cols[0].strip()
        for n in (canon, *(_split(cols[1]) if len(cols) > 1 else ())):
            organizations.setdefault(n.casefold(), canon)
            add_phrase(n, "ORG")
    return Gazetteer(
        countries=countries,
        capitals=capitals,
        demonyms=frozenset(demonyms),
        places=places,
        organizations=organizations,
        org_words=frozenset(w.strip().lower() for w in _lines("org_words.txt")),
        honorifics=frozenset(w.strip().lower() for w in _lines("honorifics.txt")),
        person_names=frozenset(w.strip() for w in _lines("person_names.txt")),
        phrases=phrases,
        max_phrase=_longest_by_first(phrases),
    )


def _longest_by_first(phrases: dict[tuple[str, ...], str]) -> dict[str, int]:
    """For each word that opens a phrase, the length of the longest such phrase."""
    out: dict[str, int] = {}
    for key in phrases:
        out[key[0]] = max(out.get(key[0], 0), len(key))
    return out


def match_phrases(words: Sequence[str], gaz: Gazetteer) -> list[str]:
    """Per token, 'B-CAT'/'I-CAT' for the longest gazetteer phrase covering it, else ''."""
    n = len(words)
    out = [""] * n
    i = 0
    while i < n:
        w = words[i]
        if not w[:1].isupper():
            i += 1
            continue
        # Fold only where a phrase may start: most words are lower-case or open none.
        longest = min(gaz.max_phrase.get(w.lower().replace("’", "'"), 0), n - i)
        if not longest:
            i += 1
            continue
        low = _key(words[i : i + longest])
        hit = 0
        cat = ""
        for length in range(longest, 0, -1):
            c = gaz.phrases.get(low[:length])
            # Phrases must end on a capitalized word ("Gulf of Mexico", not "Bank of").
            if c is not None and words[i + length - 1][:1].isupper():
                hit, cat = length, c
                break
        if hit:
            out[i] = "B-" + cat
            for k in range(i + 1, i + hit):
                out[k] = "I-" + cat
            i += hit
        else:
            i += 1
    return out


@cache
def load_words(name: str) -> frozenset[str]:
    """A one-word-per-line data file as a set of lower-case words."""
    return frozenset(w.strip().lower() for w in _lines(name))
