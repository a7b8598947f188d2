"""Site-level actor benchmark (issue 23's table) over a folder of briefings, before and after
the identity join.

Run from the repository root:
`python -m tests.bench.bench_identity BRIEFINGS_DIR [--sample N] [--json OUT] [--twins N]`.
Make the folder with `briefing ingest ../shared/corpus/bbc --out DIR --date 2005-01-01`.

Measures, per identity ("before": one per name slug, as briefing files name them;
"after": `generator.identity.join_identities`): distinct actors and the share named in one
briefing only; initial-form twins ("J Ross" beside a "Joel Ross" person); surname twins (a
one-word person beside a full-name person with that surname); names given more than one
kind by the briefing files; entity leaks (character references or '¿' left in titles or
names). `--sample N` prints N random identities (seeded) to judge by hand.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.briefing_md import parse_briefing
from generator.identity import ActorRecord, join_identities, records_from_briefings
from generator.identity_rules import default_rules
from generator.model import Briefing
from generator.slug import slugify

LEAK = re.compile(r"&#|&[A-Za-z][A-Za-z0-9]{1,31};|¿")


@dataclass(frozen=True)
class Row:
    """One identity as the benchmark sees it."""

    name: str
    kinds: frozenset[str]
    """Kinds the briefing files gave its records."""
    kind: str
    briefings: int


def load(folder: Path) -> list[Briefing]:
    """Every briefing file in the folder."""
    out = []
    for path in sorted(folder.glob("*.md")):
        briefing, _ = parse_briefing(path.read_text("utf-8"), str(path))
        out.append(briefing)
    return out


def rows_before(records: Sequence[ActorRecord]) -> list[Row]:
    """One row per name slug: what a site keyed by name alone shows."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    briefings: dict[str, set[str]] = defaultdict(set)
    for r in records:
        key = slugify(r.name)
        kinds[key][r.kind] += r.mentions
        names[key][r.name] += 1
        briefings[key].add(r.briefing)
    return [
        Row(names[k].most_common(1)[0][0], frozenset(kinds[k]), kinds[k].most_common(1)[0][0],
            len(briefings[k]))
        for k in kinds
    ]  # fmt: skip


def rows_after(records: Sequence[ActorRecord]) -> list[Row]:
    """One row per identity of the join."""
    join = join_identities(records, default_rules())
    return [
        Row(i.name, frozenset(k for k, _ in i.kinds), i.kind, len(i.briefings))
        for i in join.identities
    ]


def _surname_index(rows: Iterable[Row]) -> dict[str, set[str]]:
    """Surname slug -> first initials of the full-name persons with it."""
    index: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        ws = r.name.replace(".", " ").split()
        if r.kind == "person" and len(ws) >= 2 and len(ws[0]) > 1:
            index[slugify(ws[-1])].add(ws[0][0].casefold())
    return index


def measure(rows: Sequence[Row], leaks: int) -> dict[str, float]:
    """The table's figures for one set of rows."""
    index = _surname_index(rows)
    initial = surname = 0
    for r in rows:
        ws = r.name.replace(".", " ").split()
        if r.kind != "person" or not ws:
            continue
        if len(ws) == 1 and slugify(ws[0]) in index:
            surname += 1
        elif len(ws) >= 2 and all(len(w) == 1 for w in ws[:-1]):
            initial += ws[0].casefold() in index.get(slugify(ws[-1]), set())
    return {
        "distinct actors": len(rows),
        "one briefing only (share)": round(sum(r.briefings == 1 for r in rows) / len(rows), 3),
        "initial-form twins": initial,
        "surname twins": surname,
        "names with more than one kind in the files": sum(len(r.kinds) > 1 for r in rows),
        "entity leaks": leaks,
    }


def count_leaks(briefings: Iterable[Briefing]) -> int:
    """Titles and actor names or aliases holding a character reference or a stray '¿'."""
    texts = (t for b in briefings for a in b.actors for t in (a.name, *a.aliases))
    titles = (b.title for b in briefings)
    return sum(1 for t in (*titles, *texts) if LEAK.search(t))


def main() -> int:
    """Print the table before and after the join; optionally a sample to judge by hand."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--twins", type=int, default=0, help="show this many surname twins")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    briefings = load(args.folder)
    records = records_from_briefings(briefings)
    leaks = count_leaks(briefings)
    after = rows_after(records)
    table = {"before": measure(rows_before(records), leaks), "after": measure(after, leaks)}
    print(f"{len(briefings)} briefings, {len(records)} actor records")
    for key in table["before"]:
        print(f"  {key:45} {table['before'][key]:>10} {table['after'][key]:>10}")
    index = _surname_index(after)
    twins = [
        r.name
        for r in after
        if r.kind == "person" and " " not in r.name and slugify(r.name) in index
    ]
    for name in twins[: args.twins]:
        print("   twin:", name)
    for r in random.Random(23).sample(after, min(args.sample, len(after))):
        print(f"   {r.kind:12} {r.briefings:3} {r.name}")
    if args.json:
        args.json.write_text(json.dumps(table, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
