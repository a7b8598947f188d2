"""The steps of the identity join: name groups, briefing aliases, variants, short forms."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from generator.identity_names import (
    Context,
    Group,
    initials,
    name_slug,
    org_key,
    person_core,
    resolve,
    words,
)
from generator.identity_types import ActorRecord, Alias, Identity, Join, Rules
from generator.model import ACTOR_KINDS


class JoinState:
    """The join in progress: name groups, the joins between them, per-record joins."""

    def __init__(self, rules: Rules, overrides: Mapping[str, str]) -> None:
        """Start empty with the rules and the user's overrides (case-folded name -> name)."""
        self.rules = rules
        self.overrides = overrides
        self.groups: dict[str, Group] = {}
        self.placed: list[tuple[ActorRecord, str, str | None]] = []
        self.parent: dict[str, tuple[str, str]] = {}
        self.moved: dict[int, tuple[str, str]] = {}

    def group(self, records: Sequence[ActorRecord]) -> None:
        """Group the records by name key: a person's leading titles dropped ('Mr Blair')."""
        for r in records:
            name = self.overrides.get(r.name.casefold(), r.name)
            reason = "the site's aliases" if name != r.name else None
            form = name
            if r.kind == "person":
                form, titled = person_core(name, self.rules)
                reason = reason or ("title form" if titled else None)
            key = name_slug(form)
            self.groups.setdefault(key, Group(key)).add(r, form)
            self.placed.append((r, key, reason))

    def find(self, key: str) -> str:
        """The root a group key is joined to."""
        while key in self.parent:
            key = self.parent[key][0]
        return key

    def _union(self, key: str, into: str, reason: str) -> None:
        """Join group `key` (by its root) to `into`'s root."""
        a, b = self.find(key), self.find(into)
        if a != b:
            self.parent[a] = (b, reason)

    def join_briefing_aliases(self) -> None:
        """A name a briefing gave as an alias of exactly one longer name joins it."""
        owners: dict[str, set[str]] = defaultdict(set)
        for r, key, _ in self.placed:
            for alias in r.aliases:
                akey = name_slug(alias)
                if akey != key and akey in self.groups:
                    owners[akey].add(key)
        for akey, keys in sorted(owners.items()):
            if len(keys) == 1:
                (owner,) = keys
                if (len(owner), owner) > (len(akey), akey):
                    self._union(akey, owner, "alias in a briefing")

    def join_org_variants(self) -> None:
        """Organization names equal but for plurals, articles, suffixes, or one tail word."""
        orgs = {k: g for k, g in self.groups.items() if g.kind == "organization"}
        by_variant: dict[str, list[str]] = defaultdict(list)
        for k, g in orgs.items():
            form = g.forms.most_common(1)[0][0]
            key = org_key(form, self.rules)
            by_variant[key if " " in key else org_key(form, self.rules, strict=True)].append(k)
        for keys in by_variant.values():
            target = max(keys, key=lambda k: (sum(orgs[k].kinds.values()), len(k), k))
            for k in keys:
                self._union(k, target, "organization variant")
        longer: dict[str, list[str]] = defaultdict(list)
        for k, g in orgs.items():
            ws = words(g.forms.most_common(1)[0][0])
            tails = self.rules.org_tails if len(ws) > 2 else self.rules.one_word_tails
            if len(ws) >= 2 and ws[-1].casefold() in tails:
                longer[name_slug(" ".join(ws[:-1]))].append(k)
        for short, keys in sorted(longer.items()):
            roots = {self.find(k) for k in keys}
            if short in orgs and len(roots) == 1:
                self._union(short, keys[0], "short form of the organization's name")

    def join_middle_initials(self) -> None:
        """'George Bush' joins 'George W Bush' when the site holds one such fuller name."""
        fuller: dict[str, set[str]] = defaultdict(set)
        for k, g in self.groups.items():
            ws = words(g.forms.most_common(1)[0][0])
            if g.kind == "person" and len(ws) >= 3 and initials(ws[1:]) and len(ws[0]) > 1:
                fuller[name_slug(f"{ws[0]} {ws[-1]}")].add(self.find(k))
        for short, roots in sorted(fuller.items()):
            if short in self.groups and len(roots) == 1 and self.groups[short].kind == "person":
                self._union(short, next(iter(roots)), "middle initial left out")

    def _weights(self) -> dict[str, float]:
        """Each actor slug's weight as a co-actor: log(briefings / briefings naming it)."""
        named: dict[str, set[str]] = defaultdict(set)
        for r, key, _ in self.placed:
            named[key].add(r.briefing)
        total = len({r.briefing for r, _, _ in self.placed}) or 1
        return {k: math.log(total / len(b)) for k, b in named.items()}

    def _contexts(self) -> dict[str, Context]:
        """Each root's context, over the groups joined to it."""
        out: dict[str, Context] = defaultdict(Context)
        for k, g in self.groups.items():
            c = out[self.find(k)]
            c.co |= g.co
            c.topics |= g.topics
            c.lead += g.lead
            c.dates += g.dates
            c.briefings |= g.briefings
        return out

    def _full_name(self, ws: list[str]) -> bool:
        """A person's full name: a given name ('Tony', not 'U2', 'J'), no function word ('Oh
        My God'), and a surname."""
        first = ws[0]
        return (
            len(ws) >= 2
            and not initials(ws)
            and first[:1].isupper()
            and first.replace("-", "").replace("'", "").isalpha()
            and not any(w.casefold() in self.rules.function_words for w in ws[:-1])
            and "year-old" not in first.casefold()
        )

    def join_short_forms(self) -> None:
        """Initial forms, bare surnames and title forms of a person, record by record."""
        ctx = self._contexts()
        weights = self._weights()
        full: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for k, g in self.groups.items():
            ws = words(g.forms.most_common(1)[0][0])
            if self.find(k) == k and g.kind == "person" and self._full_name(ws):
                full[name_slug(ws[-1])].append((k, ws[0][0].casefold()))
        for i, (r, key, _) in enumerate(self.placed):
            g = self.groups[key]
            ws = words(g.forms.most_common(1)[0][0])
            if self.find(key) != key or g.kind != "person" or not (len(ws) == 1 or initials(ws)):
                continue
            cands = [
                k
                for k, first in full.get(name_slug(ws[-1]), [])
                if len(ws) == 1 or first == ws[0][0].casefold()
            ]
            got = resolve(r, cands, ctx, self.rules, weights)
            if got:
                shape = "initial form" if len(ws) > 1 else "surname"
                self.moved[i] = (got[0], f"{shape}: {got[1]}")

    def _hop_reason(self, key: str) -> str | None:
        """Why a group was joined to its root: the first join on its way there."""
        return self.parent[key][1] if key in self.parent else None

    def result(self) -> Join:
        """The identities, one per root, and each record's link."""
        members: dict[str, list[tuple[ActorRecord, str, str | None]]] = defaultdict(list)
        for i, (r, key, reason) in enumerate(self.placed):
            if i in self.moved:
                root, why = self.moved[i]
                members[self.find(root)].append(
                    (r, self.groups[key].forms.most_common(1)[0][0], why)
                )
            else:
                form = self.groups[key].forms.most_common(1)[0][0]
                members[self.find(key)].append((r, form, reason or self._hop_reason(key)))
        taken: set[str] = set()
        identities: list[Identity] = []
        links: dict[tuple[str, str], str] = {}
        for root in sorted(members):
            ident = self._identity(root, members[root], taken)
            identities.append(ident)
            for r, _, _ in members[root]:
                links[(r.briefing, r.name)] = ident.slug
        return Join(tuple(identities), links)

    def _identity(
        self, root: str, rows: list[tuple[ActorRecord, str, str | None]], taken: set[str]
    ) -> Identity:
        """One identity from its records: a name by count, a kind by vote, aliases with why."""
        own = Counter(form for r, form, why in rows if name_slug(form) == root) or Counter(
            form for _, form, _ in rows
        )
        name = min(own, key=lambda f: (-own[f], -len(f), f))
        kinds: Counter[str] = Counter()
        for r, _, _ in rows:
            kinds[r.kind] += max(r.mentions, 1)
        seen = {name.casefold()}
        aliases: list[Alias] = []
        for r, form, why in sorted(rows, key=lambda row: row[2] is None):
            for alias, reason in ((form, why), (r.name, why or "the briefing's own form")):
                if alias.casefold() not in seen:
                    seen.add(alias.casefold())
                    aliases.append(Alias(alias, reason or "the same name"))
        for r, _, _ in rows:
            for alias in r.aliases:
                if alias.casefold() not in seen:
                    seen.add(alias.casefold())
                    aliases.append(Alias(alias, "alias in a briefing"))
        slug = base = name_slug(name)
        n = 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        order = {k: i for i, k in enumerate(ACTOR_KINDS)}
        votes = tuple(sorted(kinds.items(), key=lambda kv: (-kv[1], order.get(kv[0], 9), kv[0])))
        return Identity(
            slug=slug,
            name=name,
            kind=votes[0][0],
            aliases=tuple(aliases),
            briefings=tuple(sorted({r.briefing for r, _, _ in rows})),
            kinds=votes,
        )
