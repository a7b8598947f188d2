"""The topic vocabulary: IPTC Media Topics (shipped data) plus or instead of a site's own topics."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from generator.errors import ConfigError
from generator.extract.wordlist import DATA, read_lines
from generator.slug import is_slug

_SPLIT_LABEL_RE = re.compile(r",\s*|\s+and\s+|/")
_PAREN_RE = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True)
class Term:
    """One topic: `id` is a slug path (`parent/child`), `keywords` the evidence for it."""

    id: str
    label: str
    iptc: str | None = None
    parent: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The topics briefings can be filed under, parents before their children.

    Compared by identity: the topic index built for one is cached against it, and hashing
    every term on each lookup would cost more than the lookup saves."""

    terms: tuple[Term, ...]
    credit: str = ""

    def get(self, term_id: str) -> Term | None:
        """The term with this id, if any."""
        return next((t for t in self.terms if t.id == term_id), None)


def _label_keywords(label: str) -> list[str]:
    """Keywords from a label: the whole label and its parts ("economy, business and finance")."""
    clean = _PAREN_RE.sub("", label).lower().strip()
    parts = [p.strip() for p in _SPLIT_LABEL_RE.split(clean) if p.strip()]
    return [clean, *parts] if len(parts) > 1 else [clean]


@cache
def _hand_keywords() -> dict[str, tuple[str, ...]]:
    """topic id -> hand-written keywords (data/topic_keywords.txt; a topic may have several
    lines)."""
    out: dict[str, tuple[str, ...]] = {}
    for line in read_lines("topic_keywords.txt"):
        key, _, words = line.partition(":")
        more = tuple(w.strip().lower() for w in words.split(",") if w.strip())
        out[key.strip()] = out.get(key.strip(), ()) + more
    return out


@cache
def default_vocabulary() -> Vocabulary:
    """The shipped IPTC Media Topics vocabulary with its keywords."""
    data = json.loads((DATA / "iptc_topics.json").read_text("utf-8"))
    hand = _hand_keywords()
    terms = []
    for item in data["terms"]:
        words = _label_keywords(item["label"])
        words += [_PAREN_RE.sub("", k).strip() for k in item["keywords"]]
        own = hand.get(item["id"], ())
        dropped = {w[1:] for w in own if w.startswith("-")}  # "-word": not evidence here
        words = [w for w in words if w not in dropped]
        words += [w for w in own if not w.startswith("-")]
        terms.append(
            Term(
                item["id"], item["label"], item["iptc"], item["parent"], tuple(dict.fromkeys(words))
            )
        )
    return Vocabulary(tuple(terms), data.get("credit", ""))


def _valid_id(term_id: str) -> bool:
    """Whether every segment of a topic id is a slug."""
    return bool(term_id) and all(is_slug(seg) for seg in term_id.split("/"))


def _site_term(raw: Mapping[str, Any]) -> Term:
    """A Term from one briefing.toml [[topics.add]] table: {id, label, parent?, keywords?}."""
    term_id, label = str(raw.get("id", "")), str(raw.get("label", ""))
    parent = raw.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise ConfigError(f"topic '{term_id}': parent must be a topic id")
    if parent and "/" not in term_id:
        term_id = f"{parent}/{term_id}"
    if not _valid_id(term_id) or not label:
        raise ConfigError(f"topic '{term_id}': id must be a slug (a-z, 0-9, -) and label non-empty")
    keywords = raw.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise ConfigError(f"topic '{term_id}': keywords must be a list of strings")
    words = _label_keywords(label) + [k.strip().lower() for k in keywords if k.strip()]
    return Term(term_id, label, raw.get("iptc"), parent or None, tuple(dict.fromkeys(words)))


def load_vocabulary(extra: Sequence[Mapping[str, Any]] = (), replace: bool = False) -> Vocabulary:
    """The IPTC vocabulary extended by a site's topics, or only the site's topics if `replace`.

    The same configuration gives the same (cached) Vocabulary, so its index is built once."""
    if not extra and not replace:
        return default_vocabulary()
    try:
        key = json.dumps(list(extra), sort_keys=True)
    except (TypeError, ValueError):
        return _build(extra, replace)
    return _cached(key, replace)


@lru_cache(maxsize=16)
def _cached(key: str, replace: bool) -> Vocabulary:
    """load_vocabulary for a configuration given as JSON."""
    return _build(json.loads(key), replace)


def _build(extra: Sequence[Mapping[str, Any]], replace: bool) -> Vocabulary:
    """A vocabulary from the shipped one (unless `replace`) and a site's topics."""
    base = Vocabulary((), "") if replace else default_vocabulary()
    terms = {t.id: t for t in base.terms}
    for raw in extra:
        term = _site_term(raw)
        old = terms.get(term.id)
        if old is not None:  # a site refines a shipped topic: its label, more keywords
            term = Term(old.id, term.label, old.iptc, old.parent,
                        tuple(dict.fromkeys(old.keywords + term.keywords)))  # fmt: skip
        terms[term.id] = term
    for term in terms.values():
        if term.parent is not None and term.parent not in terms:
            raise ConfigError(f"topic '{term.id}': unknown parent '{term.parent}'")
    ordered = sorted(terms.values(), key=lambda t: (t.parent or t.id, t.parent is not None))
    return Vocabulary(tuple(ordered), base.credit)
