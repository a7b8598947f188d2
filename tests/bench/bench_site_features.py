"""Benchmark the cross-briefing features (issue 7) on a folder of briefings, e.g. the BBC site.

Run from the repository root: `python -m tests.bench.bench_site_features DIR [--repeat N]`,
DIR holding briefing .md files (make one with `briefing ingest ../shared/corpus/bbc --out DIR`).
Prints CPU seconds per step, best of N, and the search-index time for a built site.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.site.model.actors import build_actors
from generator.site.model.alias_table import shipped_aliases
from generator.site.model.digest import build_digests
from generator.site.model.group import build_site_model, newest_first
from generator.site.model.load import load_briefings
from generator.site.model.related import relate, related_inputs
from generator.site.model.similarity import build_text_index
from generator.site.model.stories import actor_sets, build_stories, linked_actors
from generator.site.views.extras import actor_graph, mention_chart, site_graph


def best(repeat: int, step: Callable[[], Any]) -> tuple[float, Any]:
    """The smallest CPU time of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.process_time()
        result = step()
        times.append(time.process_time() - t0)
    return min(times), result


def main() -> None:
    """Time each feature on the briefings in the given folder."""
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    briefings = newest_first(load_briefings(args.folder).briefings)
    r = args.repeat
    shipped_aliases()
    t_actors, made = best(r, lambda: build_actors(briefings, {}, shipped_aliases()))
    actors, links = made.profiles, made.links
    t_text, text = best(r, lambda: build_text_index(briefings))
    who = actor_sets(briefings, linked_actors(links))
    t_stories, stories = best(r, lambda: build_stories(briefings, text, who))
    names = {a.slug: a.name for a in actors}
    t_related, _ = best(
        r, lambda: relate(related_inputs(briefings, text, stories, who, names)).lists
    )
    t_digests, _ = best(r, lambda: build_digests(briefings, links))
    model = build_site_model(briefings)
    by_slug = {b.slug: b for b in model.briefings}
    t_graphs, _ = best(
        r,
        lambda: (
            [actor_graph(a, names) for a in model.actors],
            [mention_chart(a, by_slug) for a in model.actors],
            site_graph(model),
        ),
    )
    mine = t_text + t_stories + t_related + t_digests + t_graphs
    print(f"{len(briefings)} briefings, {len(actors)} actors, {len(stories)} stories")
    for label, t in [
        ("actors (for reference)", t_actors),
        ("text index", t_text),
        ("stories", t_stories),
        ("related", t_related),
        ("digests", t_digests),
        ("graphs + mention charts", t_graphs),
        ("issue 7 features, total", mine),
    ]:
        print(f"{label:>26}: {t * 1000:7.1f} ms CPU")


if __name__ == "__main__":
    main()
