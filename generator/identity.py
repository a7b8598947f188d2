"""One identity per real actor across a site: short forms and variants joined to a full name (pure).

Input: every briefing's actors as `ActorRecord`s (`records_from_briefings` makes them).
`join_identities` groups records by name, then joins

- names a briefing gave as aliases of exactly one fuller name ("alias in a briefing"),
- organization variants that differ only in plurals, "the", "and"/"&" or a company suffix
  ("Trade Unions Congress" / "Trades Union Congress"), or by one trailing organization word
  when exactly one longer name fits ("New Line" / "New Line Cinema"),
- person short forms, per briefing: an initial form ("J Ross"), a bare surname ("Blair") or
  a title form ("Mr Blair") to the one full name the site holds for it in a compatible
  context (named in the same briefing, sharing co-actors, or the only candidate and sharing a
  topic within `Rules.window_days`); two competing referents keep the short form apart.

Each identity takes one kind by a vote of its records' mentions; every joined name is kept
with why it was joined. No I/O: word lists come in `Rules` (`identity_rules.default_rules`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from generator.identity_steps import JoinState
from generator.identity_types import CO_ACTORS, ActorRecord, Alias, Identity, Join, Rules
from generator.model import Briefing

__all__ = [
    "ActorRecord",
    "Alias",
    "Identity",
    "Join",
    "Rules",
    "actors_json",
    "join_identities",
    "records_from_briefings",
]


def records_from_briefings(briefings: Iterable[Briefing]) -> list[ActorRecord]:
    """Every actor of every briefing as a record with its briefing's context."""
    out: list[ActorRecord] = []
    for b in briefings:
        lead = [a.name for a in sorted(b.actors, key=lambda a: -a.mentions)[:CO_ACTORS]]
        topics = tuple(t.id.split("/")[0] for t in b.topics)
        for a in b.actors:
            co = tuple(n for n in lead if n != a.name)
            out.append(
                ActorRecord(a.name, a.kind, b.slug, a.aliases, a.mentions, co, topics, b.date)
            )
    return out


def join_identities(
    records: Sequence[ActorRecord],
    rules: Rules,
    overrides: Mapping[str, str] | None = None,
) -> Join:
    """The site's identities from every briefing's actor records (see the module's doc)."""
    state = JoinState(rules, {k.casefold(): v for k, v in (overrides or {}).items()})
    state.group(records)
    state.join_briefing_aliases()
    state.join_org_variants()
    state.join_middle_initials()
    state.join_short_forms()
    return state.result()


def actors_json(identities: Iterable[Identity]) -> str:
    """`actors.json`: a list of {slug, name, kind, aliases, briefings}, sorted by slug."""
    rows = [
        {
            "slug": i.slug,
            "name": i.name,
            "kind": i.kind,
            "aliases": [{"name": a.name, "reason": a.reason} for a in i.aliases],
            "briefings": list(i.briefings),
        }
        for i in sorted(identities, key=lambda i: i.slug)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
