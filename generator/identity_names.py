"""Names and contexts of the identity join: name shapes, variant keys, short-form referents."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from generator.identity_types import ActorRecord, Rules
from generator.model import ACTOR_KINDS
from generator.slug import slugify

name_slug = lru_cache(maxsize=1 << 16)(slugify)
"""slugify, remembered: the join slugs the same names hundreds of thousands of times."""


@dataclass
class Group:
    """The records sharing one name key, and what their briefings say around them."""

    key: str
    records: list[ActorRecord] = field(default_factory=list)
    forms: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    co: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    lead: Counter[str] = field(default_factory=Counter)
    """How many of its records' briefings have each primary topic."""
    dates: list[dt.date] = field(default_factory=list)

    def add(self, record: ActorRecord, form: str) -> None:
        """Take one record in."""
        self.records.append(record)
        self.forms[form] += 1
        self.kinds[record.kind] += max(record.mentions, 1)
        self.co.update(name_slug(c) for c in record.co_actors)
        self.topics.update(record.topics)
        self.lead.update(record.topics[:1])
        if record.date:
            self.dates.append(record.date)

    @property
    def kind(self) -> str:
        """The kind most mentions gave (ties: the order of ACTOR_KINDS)."""
        return vote(self.kinds)

    @property
    def briefings(self) -> set[str]:
        """The briefings naming this group."""
        return {r.briefing for r in self.records}


def vote(kinds: Mapping[str, int]) -> str:
    """The kind with most votes; ties go to the earlier of ACTOR_KINDS."""
    order = {k: i for i, k in enumerate(ACTOR_KINDS)}
    return min(kinds, key=lambda k: (-kinds[k], order.get(k, len(order)), k))


def words(name: str) -> list[str]:
    """A name's words, dots and commas gone: 'J. Ross' -> ['J', 'Ross']."""
    return name.replace(".", " ").replace(",", " ").split()


def person_core(name: str, rules: Rules) -> tuple[str, bool]:
    """The name as written without leading titles, and whether a title was dropped."""
    ws = name.split()
    cut = 0
    while cut < len(ws) - 1 and ws[cut].rstrip(".").casefold() in rules.titles:
        cut += 1
    return " ".join(ws[cut:]), cut > 0


def org_key(name: str, rules: Rules, *, strict: bool = False) -> str:
    """An organization's variant key: no company suffix; unless `strict` (for a one-word
    key: 'State' is not 'States'), no 'the', 'and', '&', 'of' or plural 's' either."""
    ws = [w.casefold() for w in words(name.replace("&", " and "))]
    if not strict:
        ws = [w for w in ws if w not in ("the", "and", "of")] or ws
    while len(ws) > 1 and ws[-1] in rules.org_suffixes:
        ws.pop()
    if strict:
        return "=" + " ".join(ws)
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and w[-2] != "s" else w for w in ws)


def initials(ws: Sequence[str]) -> bool:
    """'J Ross', 'J R Ross': every word before the surname is one letter."""
    return len(ws) >= 2 and all(len(w) == 1 and w.isalpha() for w in ws[:-1])


@dataclass
class Context:
    """What the briefings of one root name around it."""

    co: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    lead: Counter[str] = field(default_factory=Counter)
    dates: list[dt.date] = field(default_factory=list)
    briefings: set[str] = field(default_factory=set)


def resolve(
    r: ActorRecord,
    cands: Sequence[str],
    ctx: Mapping[str, Context],
    rules: Rules,
    weights: Mapping[str, float],
) -> tuple[str, str] | None:
    """The one plausible referent of a short form in its briefing, and why; else None."""
    if not cands:
        return None
    same = [c for c in cands if r.briefing in ctx[c].briefings]
    if same:
        return (same[0], "named in full in the same briefing") if len(same) == 1 else None
    mine = {name_slug(c) for c in r.co_actors}
    scores = sorted(
        ((sum(weights.get(a, 0.0) for a in mine & ctx[c].co), c) for c in cands), reverse=True
    )
    best = scores[0][0]
    second = scores[1][0] if len(scores) > 1 else 0.0
    if best >= rules.min_shared and best >= 2 * second:
        return scores[0][1], "the one full name sharing its co-actors"
    c = ctx[cands[0]]
    if len(cands) == 1 and set(r.topics) & c.topics and near(r.date, c.dates, rules.window_days):
        return cands[0], "the site's only full name of it, on the same topic"
    dominant = _dominant(r, cands, ctx, rules)
    if dominant and (best < rules.min_shared or scores[0][1] == dominant[0]):
        return dominant
    return None  # two full names compete for it


def _dominant(
    r: ActorRecord, cands: Sequence[str], ctx: Mapping[str, Context], rules: Rules
) -> tuple[str, str] | None:
    """The full name the site names far more than the others, on the record's primary topic."""
    ranked = sorted(cands, key=lambda c: (-len(ctx[c].briefings), c))
    top = ctx[ranked[0]]
    others = sum(len(ctx[c].briefings) for c in ranked[1:])
    leads = {t for t, _ in top.lead.most_common(2)}
    if (
        len(top.briefings) >= rules.dominant_min
        and len(top.briefings) >= rules.dominant_ratio * max(others, 1)
        and r.topics[:1]
        and r.topics[0] in leads
        and near(r.date, top.dates, rules.window_days)
    ):
        return ranked[0], "by far the most named full name of it, on its primary topic"
    return None


def near(date: dt.date | None, dates: Sequence[dt.date], window: int) -> bool:
    """Whether a date is within the window of any of the dates (unknown dates are)."""
    if date is None or not dates:
        return True
    return any(abs((date - d).days) <= window for d in dates)
