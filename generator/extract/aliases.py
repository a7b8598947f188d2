"""Canonical names within an article: short forms and the acronyms the article defines merge."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.slug import slugify

# Words an acronym skips ("Securities and Exchange Commission" -> SEC).
_ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "in", "on", "de", "du", "des", "la", "&"})
_WORD_RE = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*\.?")


@dataclass(frozen=True)
class Surface:
    """One mention as alias resolution sees it."""

    text: str
    """The name as written, honorifics removed."""
    kind: str
    """person | organization | country | place."""
    name: str
    """Preferred display name: a gazetteer's canonical name, or the text itself."""


@lru_cache(maxsize=1 << 14)  # asked again for the same names, within and across articles
def _words(text: str) -> tuple[str, ...]:
    """Case-folded words of a name."""
    return tuple(w.casefold().replace("’", "'").rstrip(".") for w in _WORD_RE.findall(text))


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    """True when `short` is a contiguous run of `long`'s words."""
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def acronym_of(name: str) -> str:
    """Initials of a multi-word name, skipping function words ("SEC")."""
    words = [w for w in name.replace("-", " ").split() if w.casefold() not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words if w[:1].isalpha()).upper() if len(words) > 1 else ""


def _display(forms: Sequence[str]) -> str:
    """The fullest form: most words, then mixed case over capitals, then first seen."""

    def rank(f: str) -> tuple[int, bool]:
        return (len(_words(f)), not f.isupper())

    best = max(forms, key=rank)
    return best if not best.isupper() or len(best) <= 5 else best.title()


def _person_groups(surfaces: Sequence[Surface]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Map every person name (as words) to the fullest name that contains it."""
    order: list[tuple[str, ...]] = []
    for s in surfaces:
        w = _words(s.text)
        if s.kind == "person" and w and w not in order:
            order.append(w)
    target: dict[tuple[str, ...], tuple[str, ...]] = {}
    for w in order:
        containers = [o for o in order if len(o) > len(w) and _contains(o, w)]
        if not containers:
            target[w] = w
            continue
        # A surname names the person it ends ("Lebed" -> "Alexander Lebed", not a name
        # glued to the next word); then the longest; then, for brothers, the first seen.
        target[w] = max(containers, key=lambda c: (c[-len(w) :] == w, len(c), -order.index(c)))
    for w in order:  # follow chains: "Ostra" -> "Mira Ostra" -> "Mira Jane Ostra"
        seen = {w}
        while target[target[w]] != target[w] and target[w] not in seen:
            seen.add(target[w])
            target[w] = target[target[w]]
    return target


def fold(text: str) -> str:
    """Spelling-insensitive key: case, accents and punctuation folded ("U.N." == "UN")."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = re.sub(r"[-\u2010-\u2015/]", " ", t)
    t = " ".join(re.sub(r"[^\w\s]", "", t).split())
    return t[4:] if t.startswith("the ") else t


def _org_key(s: Surface, acronyms: Mapping[str, str]) -> str:
    """Grouping key of an organization: the expansion the article gives an acronym, or itself.

    Known aliases from the gazetteer ("UN" = "United Nations") and legal forms ("Nvidia
    Corp") are left to the site level (generator.site.model.alias_table): within one article,
    only what the article itself says merges two names.
    """
    return fold(acronyms.get(s.text, s.text))


def canonical_names(
    surfaces: Sequence[Surface],
    acronyms: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> list[str]:
    """Canonical name of each mention: the fullest form of the entity it names.

    `acronyms` maps an acronym to the expansion the article gives; `overrides`
    (surface form -> canonical, from the site's configuration) wins over everything.
    """
    acronyms = acronyms or {}
    people = _person_groups(surfaces)
    keys: list[tuple[str, str]] = []
    for s in surfaces:
        if s.kind == "person":
            key = " ".join(people.get(_words(s.text), _words(s.text)))
        elif s.kind == "organization":
            key = _org_key(s, acronyms)
        elif s.kind == "country":
            key = s.name.casefold()
        else:
            key = fold(s.text)
        keys.append((s.kind, key))
    forms: dict[tuple[str, str], list[str]] = {}
    for s, k in zip(surfaces, keys, strict=True):
        forms.setdefault(k, []).append(s.name if s.kind == "country" else s.text)
    display = {k: _display(v) for k, v in forms.items()}
    if overrides:
        folded = {k.casefold(): v for k, v in overrides.items()}
        for k, v in forms.items():
            for f in (display[k], *v):
                if f.casefold() in folded:
                    display[k] = folded[f.casefold()]
                    break
    return [display[k] for k in keys]


def one_spelling(names: Sequence[str]) -> list[str]:
    """Names that differ only in accents, hyphens or case ("Pascal Papé", "Pascal Pape",
    "Kilroy-Silk", "Kilroy Silk") as one spelling: the commonest, accented before plain."""
    counts: dict[str, dict[str, int]] = {}
    for n in names:
        forms = counts.setdefault(slugify(n), {})
        forms[n] = forms.get(n, 0) + 1
    best = {
        key: max(forms, key=lambda f: (forms[f], sum(ord(c) > 127 for c in f), f))
        for key, forms in counts.items()
    }
    return [best[slugify(n)] for n in names]
