"""Cross-briefing features on an invented site of overlapping briefings (tests/fixtures/stories).

The fixture holds a blackout covered by two outlets on different days (one article ingested
twice), a tariff dispute reported from both sides, an older briefing about the same company,
and an unrelated festival. The pages must say what those articles say.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from generator.config import SiteConfig, load_config
from generator.model import Actor, Briefing, Source
from generator.site import build_site
from generator.site.model.digest import week_key, weekly_counts
from generator.site.model.similarity import build_text_index
from generator.site.model.stories import actor_sets, build_stories, linked_actors
from generator.site.output import search
from generator.site.output.check import find_broken_links
from generator.site.output.search import find_pagefind
from generator.site.views.graph import MAX_NEIGHBOURS, build_actor_graph

FIXTURE = Path(__file__).parent / "fixtures" / "stories"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    root = tmp_path_factory.mktemp("stories") / "root"
    shutil.copytree(FIXTURE, root)
    config = load_config(root)
    report = build_site(config)
    assert report.errors == ()
    return config


def page(config: SiteConfig, rel: str) -> str:
    """A built page's HTML."""
    return (config.output_path / rel).read_text("utf-8")


def section(doc: str, label: str) -> str:
    """The HTML of the <section aria-labelledby=label> (sections are not nested)."""
    start = doc.index(f'aria-labelledby="{label}"')
    return doc[start : doc.index("</section>", start)]


def text(fragment: str) -> str:
    """Visible text of an HTML fragment, tags dropped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def items(fragment: str) -> list[str]:
    """The text of each <li> in a fragment."""
    return [text(li) for li in re.findall(r"<li[^>]*>(.*?)</li>", fragment, re.S)]


# Stories ---------------------------------------------------------------------------------


def test_a_story_groups_outlets_and_days_and_one_article_ingested_twice(
    site: SiteConfig,
) -> None:
    story = page(site, "stories/grid-blackout-hits-tarsk/index.html")
    coverage = items(section(story, "coverage"))
    assert coverage == [
        "Blackout hits Tarsk after substation fire The Meridian Post · 2 June 2025",
        "Blackout hits Tarsk after substation fire The Meridian Post · 2 June 2025 · same article",
        "Power back in most of Tarsk as Orlan repairs substation Coastal Herald · 4 June 2025",
    ]
    assert "from The Meridian Post, Coastal Herald" in text(story)
    assert "2 June 2025 to 4 June 2025" in text(story)
    who = items(section(story, "who"))
    assert who[:2] == ["Ilse Varga 3", "Orlan Power 3"]
    # The story's events read oldest first.
    events = text(section(story, "events"))
    assert events.index("A fire broke out") < events.index("restored power to 70,000")


def test_the_two_sides_of_a_dispute_are_one_story(site: SiteConfig) -> None:
    story = page(site, "stories/kestovia-tariff-talks/index.html")
    assert items(section(story, "coverage")) == [
        "Kestovia and Lumeria open talks on steel tariffs Coastal Herald · 3 June 2025",
        "Lumeria defends steel tariff as talks with Kestovia continue Lumeria Today · 5 June 2025",
    ]


def test_only_stories_of_two_or_more_briefings_get_a_page(site: SiteConfig) -> None:
    stories = sorted(p.name for p in (site.output_path / "stories").iterdir())
    assert stories == ["grid-blackout-hits-tarsk", "kestovia-tariff-talks"]


def test_each_briefing_of_a_story_shows_also_covered_by(site: SiteConfig) -> None:
    doc = page(site, "briefings/tarsk-power-restored/index.html")
    also = section(doc, "also")
    assert items(also) == [
        "Blackout hits Tarsk after substation fire The Meridian Post · 2 June 2025",
        "Blackout hits Tarsk after substation fire The Meridian Post · 2 June 2025 · same article",
    ]
    assert 'href="../../stories/grid-blackout-hits-tarsk/"' in also
    alone = page(site, "briefings/orlan-power-profits/index.html")
    assert 'aria-labelledby="also"' not in alone


def brief(slug: str, day: int, body: str, actors: tuple[str, ...] = ()) -> Briefing:
    """A minimal briefing dated June `day`, 2025."""
    return Briefing(
        title=slug,
        slug=slug,
        date=dt.date(2025, 6, day),
        date_inferred=False,
        source=Source(name="Outlet", sha256=slug),
        actors=tuple(Actor(a, "organization") for a in actors),
        body=body,
    )


def words(key: str, n: int = 6) -> str:
    """`n` words no other briefing of a test uses (`key`: letters, as words have no digits)."""
    return " ".join(f"{w}{key}" for w in ("alpha", "bravo", "charlie", "delta", "echo", "fox")[:n])


def test_same_event_needs_close_dates_and_a_shared_actor_but_duplicates_do_not() -> None:
    # Most of each text is shared (cosine about 0.6): the same happening in other words.
    same = "harbour crane collapse injures dockers quay inspectors union safety strike"
    port = ("Port Authority",)
    briefings = [
        brief("a", 1, f"{same} {words('a', 3)}", port),
        brief("b", 3, f"{same} {words('b', 3)}", port),  # two days later: the same event
        brief("c", 28, f"{same} {words('c', 3)}", port),  # weeks later: another event
        brief("d", 2, f"{same} {words('d', 3)}", ("Somebody Else",)),  # nobody in common
        brief("e", 20, f"{same} {words('a', 3)}"),  # a's very words, much later: a duplicate
        *(brief(f"z{i}", 10, words("z" + "q" * i)) for i in range(8)),
    ]
    links = {b.slug: {a.name: a.name.lower() for a in b.actors} for b in briefings}
    who = actor_sets(briefings, linked_actors(links))
    stories = build_stories(briefings, build_text_index(briefings), who)
    assert [sorted(s.briefings) for s in stories] == [["a", "b", "e"]]


def test_identical_articles_are_one_story_even_with_different_slugs() -> None:
    body = "The same article text, ingested twice from two copies of one file. " * 3
    twins = [brief("first", 1, body), brief("second", 9, body)]
    twins[1] = dataclasses.replace(twins[1], source=Source(sha256="other"))
    others = [brief(f"x{i}", 5, words("x" + "q" * i)) for i in range(5)]
    both = [*twins, *others]
    stories = build_stories(both, build_text_index(both), actor_sets(both, {}))
    assert [(s.briefings, sorted(s.duplicates)) for s in stories] == [
        (("first", "second"), ["second"])
    ]


def test_a_text_index_reusing_the_last_ones_parts_equals_a_fresh_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After random rewordings (and a briefing added, removed or copied now and then), the
    index made with the last one's terms, vectors and document frequencies is the fresh
    one, float for float, and reuse happened: of vectors, and of frequencies (adjusted by
    the texts that changed, not counted again)."""
    import random

    from generator.site.model import similarity
    from generator.site.model.similarity import index_text

    counted: list[int] = []
    count = similarity._frequencies

    def spy(terms: list[dict[str, int]]) -> dict[str, int]:
        counted.append(len(terms))
        return count(terms)

    monkeypatch.setattr(similarity, "_frequencies", spy)

    rng = random.Random(7)
    vocab = [f"{a}{b}{c}" for a in "bcdfg" for b in "aeiou" for c in "klmnr"][:90]

    def text() -> str:
        return " ".join(rng.choice(vocab) for _ in range(rng.randint(5, 40)))

    briefings = [brief(f"s{i}", 1 + i % 28, text()) for i in range(40)]
    index, parts = index_text(briefings)
    reused = patched = 0
    for step in range(12):
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(briefings))
            briefings[i] = dataclasses.replace(briefings[i], body=text())
        if step % 4 == 3:
            briefings.append(brief(f"n{step}", 5, text()))
        if step % 4 == 1:  # a copy of another's text (a text counted twice), one removed
            briefings.append(dataclasses.replace(briefings[0], slug=f"c{step}"))
            briefings.pop(rng.randrange(len(briefings) - 1))
        last, last_index = parts, index
        counted.clear()
        index, parts = index_text(briefings, None, last, last_index)
        adjusted = not counted
        fresh, fresh_parts = index_text(briefings)
        assert index == fresh, step
        assert (parts.df, parts.idf) == (fresh_parts.df, fresh_parts.idf), step
        reused += sum(v is last.vectors.get(d) for d, v in parts.vectors.items())
        patched += adjusted
    assert reused > 0 and patched > 0


def test_text_neighbours_are_the_best_pairs_of_a_brute_force_scoring() -> None:
    """Neighbours are scored one briefing at a time with candidate lists cut back as they
    grow; they must be what scoring every pair gives: each briefing's NEIGHBOURS best
    (cosine >= MIN_COSINE, ties by index) over the terms in 2..cap briefings."""
    import math
    import random
    from collections import Counter

    from generator.site.model import neighbours as sim

    rng = random.Random(3)
    # Twelve terms each, each term in about 11 briefings: one shared term makes a neighbour,
    # so briefings have more candidates than a list holds before it is cut back.
    n, vocab = 400, [f"t{k}" for k in range(436)]
    vectors = []
    for _ in range(n):
        # Equal weights: a score is k equal products, the same float in any order, so ties
        # (many) fall to the index on both sides.
        vectors.append(dict.fromkeys(rng.sample(vocab, 12), 1 / math.sqrt(12)))
    df = Counter(t for v in vectors for t in v)
    cap = max(sim.DF_FLOOR, math.isqrt(n) // 2)
    usable = {t for t, d in df.items() if 1 < d <= cap}
    candidates = 0
    for i, (got, vi) in enumerate(zip(sim.find_neighbours(vectors), vectors, strict=True)):
        scores = []
        for j, vj in enumerate(vectors):
            if j != i:
                score = sum(w * vj[t] for t, w in vi.items() if t in vj and t in usable)
                if score >= sim.MIN_COSINE:
                    scores.append((-score, j))
        candidates = max(candidates, len(scores))
        best = sorted(scores)[: sim.NEIGHBOURS]
        assert [j for j, _ in got] == [j for _, j in best], i
        assert all(abs(s + want) < 1e-12 for (_, s), (want, _) in zip(got, best, strict=True))
    assert candidates > sim._CANDIDATES  # the lists were cut back along the way


def test_neighbours_updated_after_changes_are_a_full_scoring_bit_for_bit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After random changes to a few vectors (new words, reweighted, a term's count
    crossing the bound where it stops pairing briefings up, an equal copy), the updated
    neighbour lists equal a full scoring float for float, and the update did not fall back
    to one."""
    import random

    from generator.site.model import neighbours as nb

    rng = random.Random(11)
    # 400 briefings (a term pairs them up while in 2..12), terms in ~4 briefings each:
    # changes push terms across the bound both ways.
    n, vocab = 400, [f"t{k}" for k in range(1000)]

    def vector() -> dict[str, float]:
        terms = rng.sample(vocab, rng.randint(6, 14))
        weights = [rng.random() + 0.05 for _ in terms]
        norm = sum(w * w for w in weights) ** 0.5
        return {t: w / norm for t, w in zip(terms, weights, strict=True)}

    vectors = [vector() for _ in range(n)]
    # A "hot" term joins one briefing a step, then leaves one a step: its count crosses
    # the bound (12 here) up and down, so every pair sharing it starts and stops counting.
    for i in range(8):
        vectors[i] = {**vectors[i], "hot": 0.2}
    near = nb.find_neighbours(vectors)
    postings = nb.postings_of(vectors)
    full = nb.find_neighbours
    fallbacks: list[int] = []

    def counted(v: Any) -> Any:
        fallbacks.append(1)
        return full(v)

    monkeypatch.setattr(nb, "find_neighbours", counted)
    counts = []
    for step in range(40):
        new = list(vectors)
        holders = [i for i, v in enumerate(new) if "hot" in v]
        if step < 20:
            i = rng.choice([i for i in range(n) if i not in holders])
            new[i] = {**new[i], "hot": rng.random() / 3 + 0.05}
        else:
            i = rng.choice(holders)
            new[i] = {t: w for t, w in new[i].items() if t != "hot"}
        counts.append(sum("hot" in v for v in new))
        for _ in range(rng.randint(0, 3)):
            i = rng.randrange(n)
            kind = rng.randrange(3)
            if kind == 0:
                new[i] = vector()
            elif kind == 1:
                new[i] = {t: w * (1 + rng.random() / 10) for t, w in new[i].items()}
            else:
                new[i] = dict(new[i])  # equal, but another object: counts as changed
        # The postings patched from the last ones are the fresh ones; the last stay as they were.
        snapshot = {t: list(p) for t, p in postings.items()}
        patched = nb.patched_postings(new, vectors, postings)
        assert patched is not None and dict(patched) == dict(nb.postings_of(new)), step
        assert {t: list(p) for t, p in postings.items()} == snapshot, step
        updated = nb.update_neighbours(new, vectors, near, patched)
        assert updated == full(new), step
        vectors, near, postings = new, updated, patched
    assert 12 in counts and 13 in counts
    assert len(fallbacks) < 4, len(fallbacks)


# Related ---------------------------------------------------------------------------------


def test_related_briefings_give_a_reason(site: SiteConfig) -> None:
    related = items(section(page(site, "briefings/orlan-power-profits/index.html"), "related"))
    assert sorted(r.split(" · ")[0] for r in related[:2]) == [
        "Blackout hits Tarsk after substation fire 2 shared actors",
        "Power back in most of Tarsk as Orlan repairs substation 2 shared actors",
    ]
    # The article ingested twice is listed once.
    assert sum(r.startswith("Blackout hits Tarsk") for r in related) == 1
    restored = items(section(page(site, "briefings/tarsk-power-restored/index.html"), "related"))
    assert restored[0].startswith("Blackout hits Tarsk") and "same story" in restored[0]


def test_related_never_lists_the_briefing_itself(site: SiteConfig) -> None:
    for path in (site.output_path / "briefings").glob("*/index.html"):
        doc = path.read_text("utf-8")
        if 'aria-labelledby="related"' in doc:
            assert f'href="../../briefings/{path.parent.name}/"' not in section(doc, "related")


# Actor profiles --------------------------------------------------------------------------


def test_profile_merges_names_across_articles_and_says_where_from(site: SiteConfig) -> None:
    doc = page(site, "actors/ilse-varga/index.html")
    assert "<h1>Ilse Varga</h1>" in doc
    roles = items(section(doc, "roles"))
    assert roles[0].startswith("head of Orlan Power : Power back in most of Tarsk")  # newest
    assert any(r.startswith("Orlan Power chief executive : Blackout hits Tarsk") for r in roles)
    names = text(section(doc, "names"))
    assert "Ms Varga" in names
    assert "“Ms Varga” is shown here because Power back in most of Tarsk" in names
    quotes = text(section(doc, "quotes"))
    assert "The Holm substation will be fully repaired by the end of the week." in quotes
    assert "We will put more of these profits into the network" in quotes


def test_shipped_and_site_alias_tables_merge_and_are_named(site: SiteConfig) -> None:
    us = text(section(page(site, "actors/united-states/index.html"), "names"))
    assert "“Washington” is shown here because the shipped alias table says so." in us
    eu = text(section(page(site, "actors/european-union/index.html"), "names"))
    assert "“EU” is shown here because the shipped alias table says so." in eu
    council = text(section(page(site, "actors/tarsk-city-council/index.html"), "names"))
    assert "“Tarsk council” is shown here because the site's aliases (briefing.toml) say" in (
        council.replace("says", "say")
    )
    assert not (site.output_path / "actors/washington").exists()
    assert not (site.output_path / "actors/eu").exists()


def test_profile_shows_a_weekly_mention_chart_linked_to_digests(site: SiteConfig) -> None:
    mentions = section(page(site, "actors/ilse-varga/index.html"), "mentions")
    bars = re.findall(r"<title>(week of [^<]+)</title>", mentions)
    assert bars == ["week of 12 May 2025: 1 briefing", "week of 2 June 2025: 3 briefings"]
    # Four weeks wide, the empty ones left blank.
    assert re.findall(r'<rect x="(\d+)"', mentions) == ["0", "78"]
    assert 'href="../../digest/2025-w23/"' in mentions
    assert 'href="../../digest/2025-w20/"' in mentions


def test_profile_draws_the_co_mention_graph_as_inline_svg(site: SiteConfig) -> None:
    graph = section(page(site, "actors/ilse-varga/index.html"), "with")
    assert "<svg" in graph and "<script" not in graph
    labels = re.findall(r"<text [^>]*>([^<]+)</text>", graph)
    assert labels[-1] == "Ilse Varga"  # the centre is drawn last, on top
    assert labels[0] == "Orlan Power"  # the heaviest neighbour, at the top
    assert set(labels) == {"Ilse Varga", "Orlan Power", "Tarsk City Council", "Kestovia"}
    assert 'href="../../actors/orlan-power/"' in graph


def test_actors_index_draws_the_site_wide_graph(site: SiteConfig) -> None:
    graph = section(page(site, "actors/index.html"), "network")
    labels = set(re.findall(r"<text [^>]*>([^<]+)</text>", graph))
    assert {"Kestovia", "Ilse Varga", "Orlan Power", "Aldo Fenn"} <= labels
    assert len(re.findall(r"<line ", graph)) >= 5


def test_graph_layout_is_deterministic_bounded_and_escaped(tmp_path: Path) -> None:
    neighbours = [(f"Actor number {i} with a very long name indeed", f"a/{i}/", 30 - i)
                  for i in range(40)]  # fmt: skip
    one = build_actor_graph("Centre", "c/", 9, neighbours)
    assert one is not None and one == build_actor_graph("Centre", "c/", 9, neighbours)
    assert len(one.nodes) == MAX_NEIGHBOURS + 1
    assert all(len(n.label) <= 28 for n in one.nodes)
    assert all(0 <= n.x - one.left <= one.width for n in one.nodes)
    assert all(0 <= n.y - one.top <= one.height for n in one.nodes)
    few = [(name, url, 1) for name, url, _ in neighbours]
    assert build_actor_graph("Centre", "c/", 9, few) is None  # one-off co-mentions only
    # Hostile names are text in the SVG, never markup.
    root = tmp_path / "site"
    (root / "content/briefings").mkdir(parents=True)
    for name in ("orlan-power-profits.md", "grid-blackout-hits-tarsk.md"):
        md = root / "content/briefings" / name
        md.write_text(
            (FIXTURE / "content/briefings" / name)
            .read_text("utf-8")
            .replace("name: Orlan Power", 'name: "<script>x</script>"')
        )
    config = load_config(root)
    build_site(config)
    doc = page(config, "actors/index.html")
    assert "&lt;script&gt;x&lt;/script&gt;</text>" in doc and "<script>x" not in doc


# Timelines and digests -------------------------------------------------------------------


def test_timeline_links_events_to_briefings_and_actors(site: SiteConfig) -> None:
    doc = page(site, "timeline/index.html")
    day = section(doc, "d2025-06-03")
    assert "Orlan engineers restored power to 70,000 homes in Tarsk." in text(day)
    assert 'href="../briefings/tarsk-power-restored/"' in day
    assert 'href="../actors/orlan-power/"' in day
    orlan = text(section(page(site, "actors/orlan-power/index.html"), "events"))
    assert "Orlan engineers restored power" in orlan
    energy = text(section(page(site, "topics/economy-business-and-finance/energy/index.html"),
                          "events"))  # fmt: skip
    assert "A fire broke out at the Holm substation" in energy
    assert "steel tariff" not in energy


def test_timeline_front_page_has_the_newest_events_and_each_month_a_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big timeline is not one page: the front page shows the newest events (whole days)
    and lists every month; each month's page has its events and links to its neighbours."""
    from generator.briefing_md import render_briefing
    from generator.model import Event
    from generator.site.views import timeline

    monkeypatch.setattr(timeline, "FRONT_EVENTS", 2)
    root = tmp_path / "root"
    (root / "content" / "briefings").mkdir(parents=True)
    for month in (1, 2, 3):
        b = dataclasses.replace(
            brief(f"month-{month}", 1, words("m" * month)),
            date=dt.date(2025, month, 20),
            events=tuple(
                Event(dt.date(2025, month, d), f"Event on day {d} of {month}") for d in (5, 6)
            ),
        )
        (root / "content" / "briefings" / f"{b.slug}.md").write_text(render_briefing(b), "utf-8")
    config = load_config(root)
    assert build_site(config, jobs=1).errors == ()
    front = page(config, "timeline/index.html")
    shown = front[: front.index('aria-labelledby="by-month"')]
    assert "Event on day 6 of 3" in shown and "Event on day 5 of 3" in shown
    assert " of 2" not in text(shown)  # older events are on their month's page
    assert items(section(front, "by-month")) == [
        "March 2025 2 events",
        "February 2025 2 events",
        "January 2025 2 events",
    ]
    feb = page(config, "timeline/2025-02/index.html")
    assert "<h1>Timeline: February 2025</h1>" in feb
    assert "Event on day 5 of 2" in feb and "Event on day 6 of 2" in feb and " of 3" not in feb
    assert 'href="../../timeline/2025-01/" rel="prev"' in feb
    assert 'href="../../timeline/2025-03/" rel="next"' in feb
    assert find_broken_links(config.output_path) == []


def card_titles(fragment: str) -> list[str]:
    """The titles of the briefing cards in a fragment, in page order."""
    return [text(t) for t in re.findall(r'class="card-title"><a [^>]*>(.*?)</a>', fragment)]


def test_a_big_topic_shows_its_newest_briefings_and_each_month_a_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A topic with more briefings than its page shows lists every month; each month's page
    (under by-month/, apart from the sub-topic folders) has its briefings and a pager."""
    from generator.briefing_md import render_briefing
    from generator.model import Topic
    from generator.site.views import topic_pages

    monkeypatch.setattr(topic_pages, "TOPIC_CARDS", 3)
    root = tmp_path / "root"
    (root / "content" / "briefings").mkdir(parents=True)
    energy = Topic("economy-business-and-finance/energy", "Energy")
    dates = {"jan": (1, (5, 20)), "feb": (2, (3, 14, 27)), "mar": (3, (2, 9))}
    for name, (month, days) in dates.items():
        for day in days:
            b = dataclasses.replace(
                brief(f"{name}-{day}", 1, words(name + "x" * day)),
                title=f"{name} {day} <b>grid</b>",  # untrusted text: shown, never markup
                date=dt.date(2025, month, day),
                topics=(energy,),
            )
            (root / "content" / "briefings" / f"{b.slug}.md").write_text(
                render_briefing(b), "utf-8"
            )
    small = dataclasses.replace(
        brief("vote", 1, words("vote")), date=dt.date(2025, 3, 1), topics=(Topic("politics", "P"),)
    )
    (root / "content" / "briefings" / "vote.md").write_text(render_briefing(small), "utf-8")
    config = load_config(root)
    assert build_site(config, jobs=1).errors == ()
    folder = "topics/economy-business-and-finance/energy/"
    front = page(config, f"{folder}index.html")
    assert card_titles(section(front, "briefings")) == [
        "mar 9 <b>grid</b>",
        "mar 2 <b>grid</b>",
        "feb 27 <b>grid</b>",
    ]
    assert "&lt;b&gt;grid&lt;/b&gt;" in front and "<b>grid" not in front
    assert "7 briefings" in front
    assert items(section(front, "by-month")) == [
        "March 2025 2 briefings",
        "February 2025 3 briefings",
        "January 2025 2 briefings",
    ]
    parent = page(config, "topics/economy-business-and-finance/index.html")
    assert len(card_titles(section(parent, "briefings"))) == 3 and "by-month" in parent
    politics = page(config, "topics/politics/index.html")
    assert card_titles(politics) == ["vote"] and "by-month" not in politics
    assert not (config.output_path / "topics" / "politics" / "by-month").exists()

    root_prefix = "../" * 5
    months = {m: page(config, f"{folder}by-month/2025-{m}/index.html") for m in ("01", "02", "03")}
    feb = months["02"]
    assert "<h1>Energy: February 2025</h1>" in feb
    assert card_titles(feb) == ["feb 27 <b>grid</b>", "feb 14 <b>grid</b>", "feb 3 <b>grid</b>"]
    assert "&lt;b&gt;grid&lt;/b&gt;" in feb and "<b>grid" not in feb
    assert f'href="{root_prefix}{folder}by-month/2025-01/" rel="prev"' in feb
    assert f'href="{root_prefix}{folder}by-month/2025-03/" rel="next"' in feb
    assert f'href="{root_prefix}{folder}#by-month"' in feb
    assert card_titles(months["01"]) == ["jan 20 <b>grid</b>", "jan 5 <b>grid</b>"]
    assert 'rel="prev"' not in months["01"] and 'rel="next"' in months["01"]
    assert 'rel="prev"' in months["03"] and 'rel="next"' not in months["03"]
    assert find_broken_links(config.output_path) == []


def test_weekly_digest_lists_the_week_by_topic_with_most_mentioned_actors(
    site: SiteConfig,
) -> None:
    doc = page(site, "digest/2025-w23/index.html")
    assert "<h1>Week 23, 2025</h1>" in doc
    assert "2 June 2025 to 8 June 2025 · 6 briefings" in text(doc)
    assert items(section(doc, "most"))[0] == "Kestovia 4"
    headings = re.findall(r'<h2 id="t\d+">(.*?)</h2>', doc)
    assert [text(h) for h in headings] == [
        "economy business and finance",
        "arts culture entertainment and media",
    ]
    assert "Tarsk harbour festival draws record crowds" in text(section(doc, "t2"))
    assert 'rel="prev"' in doc and "Week 20, 2025" in doc
    index = page(site, "digest/index.html")
    assert index.index("digest/2025-w23/") < index.index("digest/2025-w20/")
    assert 'href="./digest/2025-w23/"' in page(site, "index.html")


def test_iso_weeks_and_weekly_counts() -> None:
    assert week_key(dt.date(2024, 12, 30)) == "2025-w01"
    assert week_key(dt.date(2021, 1, 3)) == "2020-w53"
    span, counts = weekly_counts([dt.date(2025, 6, 4), dt.date(2025, 5, 12), dt.date(2025, 6, 2)])
    assert span == 4
    assert counts == ((0, dt.date(2025, 5, 12), 1), (3, dt.date(2025, 6, 2), 2))


# Feeds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "folder", ["", "actors/ilse-varga/", "topics/economy-business-and-finance/"]
)
def test_atom_feeds_are_valid_and_hold_the_right_entries(site: SiteConfig, folder: str) -> None:
    root = ET.fromstring((site.output_path / folder / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{required}") or "").strip(), required
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").endswith("/")
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext(f"{ATOM}updated", "")
        )
    if folder == "actors/ilse-varga/":
        titles = [e.findtext(f"{ATOM}title") for e in entries]
        assert titles == [
            "Power back in most of Tarsk as Orlan repairs substation",
            "Blackout hits Tarsk after substation fire",
            "Blackout hits Tarsk after substation fire",
            "Orlan Power profits climb on higher prices",
        ]


@pytest.mark.parametrize(
    "folder", ["", "actors/aldo-fenn/", "topics/economy-business-and-finance/"]
)
def test_json_feeds_are_json_feed_1_1(site: SiteConfig, folder: str) -> None:
    data = json.loads((site.output_path / folder / "feed.json").read_text("utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] and data["items"]
    for item in data["items"]:
        for required in ("id", "url", "title", "date_published"):
            assert item[required], required
        dt.datetime.fromisoformat(item["date_published"].replace("Z", "+00:00"))
    if folder == "actors/aldo-fenn/":
        assert [i["title"] for i in data["items"]] == [
            "Lumeria defends steel tariff as talks with Kestovia continue",
            "Kestovia and Lumeria open talks on steel tariffs",
        ]
        assert data["items"][0]["url"] == "../../briefings/lumeria-defends-steel-tariff/"


# Search and links ------------------------------------------------------------------------


def test_briefing_pages_carry_search_filters_by_profile_name(site: SiteConfig) -> None:
    doc = page(site, "briefings/tarsk-power-restored/index.html")
    actors = re.findall(r'data-pagefind-filter="actor">([^<]+)<', doc)
    assert actors == ["Orlan Power", "Ilse Varga", "Tarsk City Council"]
    assert re.findall(r'data-pagefind-filter="topic">([^<]+)<', doc) == ["energy"]


def test_search_page_reads_without_javascript(site: SiteConfig) -> None:
    doc = page(site, "search/index.html")
    assert "<noscript>" in doc and "needs JavaScript" in doc
    assert 'href="../topics/"' in doc and 'href="../actors/"' in doc


def test_search_index_is_built_and_kept_by_the_writer(site: SiteConfig) -> None:
    if find_pagefind() is None:
        pytest.skip("Pagefind is not installed")
    bundle = site.output_path / "pagefind"
    shards = json.loads((bundle / "shards.json").read_text("utf-8"))["shards"]
    assert shards == ["0/"]  # a small site has one shard
    assert (bundle / "0" / "pagefind-ui.js").is_file() and (bundle / "0" / "pagefind.js").is_file()
    fragments = sorted(p.name for p in (bundle / "0" / "fragment").iterdir())
    assert len(fragments) == 7  # one per briefing; no other page is indexed
    build_site(site)  # nothing changed: the bundle stays as it is
    assert sorted(p.name for p in (bundle / "0" / "fragment").iterdir()) == fragments


def test_every_internal_link_resolves(site: SiteConfig) -> None:
    assert find_broken_links(site.output_path) == []


RELATED_PROBE = """
import datetime as dt, sys
from generator.model import Actor, Briefing, Source
from generator.site.model.group import build_site_model
def brief(slug, names, tags=(), month=6):
    body = " ".join(f"{w}{slug}" for w in ("alpha", "bravo", "charlie", "delta", "echo"))
    return Briefing(title=slug, slug=slug, date=dt.date(2025, month, 1), date_inferred=False,
                    source=Source(name="Outlet", sha256=slug), tags=tags,
                    actors=tuple(Actor(n, "organization") for n in names), body=body)
# A shared key phrase makes Y and Z candidates for X; Y shares the common actors A, B, C
# with X and Z shares D, E, F, named as often: in exact arithmetic the scores tie.
df = {"Aa": 13, "Bb": 14, "Cc": 15, "Dd": 13, "Ee": 14, "Ff": 15}
tag = ("shared thread",)
items = [brief("x", list(df), tag), brief("y", ["Aa", "Bb", "Cc"], tag, 2)]
items.append(brief("z", ["Dd", "Ee", "Ff"], tag, 10))
for name, n in df.items():
    items += [brief(f"{name.lower()}{k}", [name]) for k in range(n - 2)]
related = build_site_model(items).related
sys.stdout.write(repr(related["x"]))
"""


def test_related_lists_updated_after_edits_equal_a_fresh_grouping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over random edits (a word, actors, key phrases, topic, a copy of another article,
    the site's aliases, an actor's name), the grouping that reuses the last build's related
    lists gives the lists a fresh grouping gives, and rescored only some of them."""
    import random

    from generator.model import Topic
    from generator.site.incremental.memo import group_with_memo
    from generator.site.model import related as rel
    from generator.site.model.group import build_site_model

    rng = random.Random(5)
    # Many words and actors, each in a few briefings, as in news: an edit reaches a few.
    vocab = [f"{a}{b}{c}{d}" for a in "bcdfgl" for b in "aeiou" for c in "kmnrst" for d in "aeo"]
    cast = [f"Agency {c}{d}" for c in "ABCDEFGHIJKLMNOPQRST" for d in "xyz"]
    topics = [Topic("politics", "Politics"), Topic("economy", "Economy"), Topic("sport", "Sport")]

    def text() -> str:
        return " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 30)))

    def make(i: int) -> Briefing:
        return dataclasses.replace(
            brief(f"b{i:03d}", 1 + i % 28, text(), tuple(rng.sample(cast, rng.randint(0, 3)))),
            tags=tuple(rng.sample(vocab[:40], rng.randint(0, 2))),
            topics=tuple(rng.sample(topics, rng.randint(0, 1))),
        )

    briefings = [make(i) for i in range(120)]
    model, memo = group_with_memo(briefings, None, None)
    scored: list[int] = []
    real = rel._Scorer.related

    def counted(self: Any, i: int) -> Any:
        scored.append(i)
        return real(self, i)

    monkeypatch.setattr(rel._Scorer, "related", counted)
    aliases: dict[str, str] = {}
    counts: list[tuple[int, int]] = []
    for step in range(40):
        i = rng.randrange(len(briefings))
        b = briefings[i]
        kind = rng.randrange(7)
        if kind == 0:  # a word changed
            body = b.body.split()
            body[rng.randrange(len(body))] = rng.choice(vocab)
            b = dataclasses.replace(b, body=" ".join(body))
        elif kind == 1:
            b = dataclasses.replace(b, actors=brief("x", 1, "", tuple(rng.sample(cast, 2))).actors)
        elif kind == 2:
            b = dataclasses.replace(b, tags=(rng.choice(vocab[:40]),))
        elif kind == 3:
            b = dataclasses.replace(b, topics=(rng.choice(topics),))
        elif kind == 4:
            b = dataclasses.replace(b, body=rng.choice(briefings).body)
        elif kind == 5:
            aliases = {rng.choice(cast): f"The {rng.choice(cast)}"}
        else:  # an actor's name written otherwise everywhere: same actor, new name
            name = rng.choice(cast)
            cast[cast.index(name)] = other = name.swapcase()
            briefings = [
                dataclasses.replace(
                    x, actors=tuple(Actor(other, a.kind) if a.name == name else a for a in x.actors)
                )
                for x in briefings
            ]
            b = briefings[i]
        briefings[i] = b
        scored.clear()
        last = (memo.actors, memo.text, memo.related)
        model, memo = group_with_memo(briefings, aliases, None, last)
        counts.append((kind, len(scored)))
        assert model.related == build_site_model(briefings, aliases).related, step
    assert {kind for kind, _ in counts} == set(range(7))
    # An edit that leaves the text alone (actors, topic) rescored a few lists, not all.
    # (Text edits move the vectors, hence the neighbours, of many briefings on a site this
    # small: their lists are often all redone.)
    few = [c for kind, c in counts if kind in (1, 3)]
    assert few and max(few) <= len(briefings) // 2, counts


def test_related_lists_of_briefings_with_little_in_common_follow_their_topic() -> None:
    """Briefings sharing nothing are filled up with their topic's newest: when the newest
    one leaves the topic, the kept lists of the others change as a fresh grouping's do."""
    from generator.model import Topic
    from generator.site.incremental.memo import group_with_memo
    from generator.site.model.group import build_site_model

    sport = (Topic("sport", "Sport"),)
    briefings = [
        dataclasses.replace(brief(f"s{k}", 20 - k, words("q" * (k + 1))), topics=sport)
        for k in range(9)
    ]
    model, memo = group_with_memo(briefings, None, None)
    assert "s0" in {r.briefing for r in model.related["s5"]}
    briefings[0] = dataclasses.replace(briefings[0], topics=(Topic("economy", "Economy"),))
    model, memo = group_with_memo(briefings, None, None, (memo.actors, memo.text, memo.related))
    assert model.related == build_site_model(briefings).related
    assert "s0" not in {r.briefing for r in model.related["s5"]}


def test_related_lists_do_not_depend_on_the_hash_seed() -> None:
    """Ties between equally related briefings break the same way in every process."""
    outs = {
        subprocess.run(
            [sys.executable, "-c", RELATED_PROBE],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(8)
    }
    assert len(outs) == 1


def test_an_edit_reindexes_only_the_shard_of_the_briefing_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new title shows in other briefings' related lists, which are not indexed: only
    the edited briefing's shard is indexed again."""
    if find_pagefind() is None:
        pytest.skip("Pagefind is not installed")
    monkeypatch.setattr(search, "SHARD_PAGES", 2)
    root = tmp_path / "root"
    shutil.copytree(FIXTURE, root)
    config = load_config(root)
    build_site(config)
    bundle = config.output_path / "pagefind"

    def stamps() -> dict[str, int]:
        """Each shard's entry file's inode: a re-indexed shard is a new folder."""
        names = json.loads((bundle / "shards.json").read_text("utf-8"))["shards"]
        return {n: (bundle / n / "pagefind-entry.json").stat().st_ino for n in names}

    before = stamps()
    path = config.briefings_path / "orlan-power-profits.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("title: ", "title: Renamed ", 1), "utf-8")
    build_site(config)
    after = stamps()
    assert "Renamed Orlan" in page(config, "briefings/tarsk-power-restored/index.html")  # related
    redone = {n for n in after if after[n] != before.get(n)}
    count = search.shard_count(len(list(config.briefings_path.glob("*.md"))))
    assert redone == {f"{search.shard_of('orlan-power-profits', count)}/"}


def test_the_page_count_the_progress_bar_is_given_is_the_number_of_pages(
    site: SiteConfig,
) -> None:
    from generator.site.model.group import build_site_model
    from generator.site.model.load import load_briefings
    from generator.site.render.kinds import Sources, list_page_count, page_specs
    from generator.site.render.pages import site_meta
    from generator.site.views.assemble import build_views

    loaded = load_briefings(site.briefings_path, site.root)
    model = build_site_model(loaded.briefings, site.aliases)
    views = build_views(model, str)
    sources = Sources(model, views, site_meta(site))
    kinds = (views.briefings, views.months, views.stories, views.digests)
    assert all(kinds)  # every kind of page is there to be counted
    html = [*site.output_path.rglob("index.html"), site.output_path / "404.html"]
    count = len(views.briefings) + list_page_count(sources)
    assert count == len(list(page_specs(sources))) == len(html)
