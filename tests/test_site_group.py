"""Grouping briefings into topics, actor profiles and a timeline (pure functions)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.briefing_md import render_briefing
from generator.model import Actor, Briefing, Event, Quote, Source, Topic
from generator.site.model.actors import build_actors, update_actors
from generator.site.model.group import build_site_model, build_timeline, newest_first
from generator.site.model.load import load_briefings


def brief(slug: str, day: int, **kw: Any) -> Briefing:
    """A minimal briefing dated March `day`, 2025."""
    return Briefing(
        title=slug.replace("-", " "),
        slug=slug,
        date=dt.date(2025, 3, day),
        date_inferred=False,
        source=Source(),
        **kw,
    )


def test_briefings_newest_first_ties_by_slug() -> None:
    model = build_site_model([brief("b", 1), brief("c", 2), brief("a", 2)])
    assert [b.slug for b in model.briefings] == ["a", "c", "b"]


def test_a_briefing_is_listed_under_its_topic_and_the_parent() -> None:
    trade = Topic("economy/trade", "trade")
    model = build_site_model(
        [brief("x", 1, topics=(trade,)), brief("y", 2, topics=(Topic("economy", "economy"),))]
    )
    topics = {t.id: t for t in model.topics}
    assert topics["economy/trade"].briefings == ("x",)
    assert topics["economy"].briefings == ("y", "x")
    assert topics["economy"].children == ("economy/trade",)
    assert topics["economy/trade"].parent == "economy"


def test_parent_label_comes_from_site_labels_or_the_id() -> None:
    model = build_site_model(
        [brief("x", 1, topics=(Topic("sport-news/tennis", "tennis"),))], topic_labels={}
    )
    assert {t.id: t.label for t in model.topics}["sport-news"] == "sport news"
    model = build_site_model(
        [brief("x", 1, topics=(Topic("sport-news/tennis", "tennis"),))],
        topic_labels={"sport-news": "Sport"},
    )
    assert {t.id: t.label for t in model.topics}["sport-news"] == "Sport"


def test_actors_merge_across_briefings_by_alias_and_keep_roles_newest_first() -> None:
    full = Actor("Tomas Brek", "person", "chief executive", ("Brek", "Mr Brek"), 3)
    short = Actor("Mr Brek", "person", "port chief", (), 1)
    model = build_site_model(
        [
            brief("old", 1, actors=(full,), quotes=(Quote("Tomas Brek", "First."),)),
            brief("new", 5, actors=(short,), quotes=(Quote("Mr Brek", "Second."),)),
        ]
    )
    (brek,) = model.actors
    assert brek.slug == "tomas-brek" and brek.name == "Tomas Brek"
    assert [(r.role, r.briefings) for r in brek.roles] == [
        ("port chief", ("new",)),
        ("chief executive", ("old",)),
    ]
    assert [(q.text, q.briefing) for q in brek.quotes] == [("Second.", "new"), ("First.", "old")]
    assert brek.briefings == ("new", "old")
    assert "Mr Brek" in brek.aliases
    assert [m.name for m in brek.merged] == ["Mr Brek"]
    assert model.actor_links["new"]["Mr Brek"] == "tomas-brek"


def test_an_alias_shared_by_two_people_merges_nobody() -> None:
    a = Actor("Li Wei", "person", None, ("Mr Li",), 2)
    b = Actor("Li Qiang", "person", None, ("Mr Li",), 2)
    c = Actor("Mr Li", "person", None, (), 1)
    model = build_site_model(
        [brief("a", 1, actors=(a,)), brief("b", 2, actors=(b,)), brief("c", 3, actors=(c,))]
    )
    assert sorted(p.slug for p in model.actors) == ["li-qiang", "li-wei", "mr-li"]


def test_site_aliases_merge_and_say_so() -> None:
    model = build_site_model(
        [
            brief("a", 1, actors=(Actor("Mara Oyelaran", "person"),)),
            brief("b", 2, actors=(Actor("M. Oyelaran", "person"),)),
        ],
        aliases={"M. Oyelaran": "Mara Oyelaran"},
    )
    (mara,) = model.actors
    assert mara.briefings == ("b", "a")
    assert [m.name for m in mara.merged] == ["M. Oyelaran"]
    assert "site" in mara.merged[0].via


def test_mutual_aliases_do_not_loop() -> None:
    us1 = Actor("United States", "country", None, ("US",), 3)
    us2 = Actor("US", "country", None, ("United States",), 3)
    model = build_site_model([brief("a", 1, actors=(us1,)), brief("b", 2, actors=(us2,))])
    assert [a.slug for a in model.actors] == ["united-states"]


def test_co_mentioned_counts_shared_briefings() -> None:
    x, y, z = (Actor(n, "person") for n in ("Ann Ax", "Bo By", "Cy Cz"))
    model = build_site_model([brief("a", 1, actors=(x, y)), brief("b", 2, actors=(x, y, z))])
    ann = next(a for a in model.actors if a.slug == "ann-ax")
    assert ann.co_mentioned == (("bo-by", 2), ("cy-cz", 1))


def test_timeline_newest_first_with_named_actors() -> None:
    ann = Actor("Ann Ax", "person", None, ("Ax",))
    model = build_site_model(
        [
            brief(
                "a",
                1,
                actors=(ann,),
                events=(
                    Event(dt.date(2025, 2, 1), "Ax signed."),
                    Event(dt.date(2025, 2, 3), "Axle broke."),
                ),
            ),
            brief("b", 2, events=(Event(dt.date(2025, 2, 2), "Rain."),)),
        ]
    )
    assert [(e.date.day, e.briefing) for e in model.timeline] == [(3, "a"), (2, "b"), (1, "a")]
    assert model.timeline[2].actors == ("ann-ax",)
    assert model.timeline[0].actors == ()  # "Axle" is not "Ax"


def test_timeline_events_kept_from_the_last_build_equal_fresh_ones() -> None:
    """A preview reuses a briefing's events while the briefing and its name links are the
    ones they were made from; a new link (an alias elsewhere folds a name into another
    actor) or a new briefing makes them anew."""
    a = brief("a", 1, events=(Event(dt.date(2025, 2, 1), "Ax met Bo."),))
    b = brief("b", 2, events=(Event(dt.date(2025, 2, 2), "Bo left."),))
    links = {"a": {"Ax": "ann-ax", "Bo": "bo"}, "b": {"Bo": "bo"}}
    first, memo = build_timeline((b, a), links)
    again, _ = build_timeline((b, a), dict(links), memo)
    assert all(x is y for x, y in zip(again, first, strict=True))  # nothing made anew
    for now, later in [
        ({"a": {"Ax": "ann-ax", "Bo": "bo-ban"}, "b": {"Bo": "bo"}}, (b, a)),
        (links, (replace(b, events=(Event(dt.date(2025, 2, 2), "Ax left."),)), a)),
        (links, (b, a)),
    ]:
        got, memo = build_timeline(later, now, memo)
        assert got == build_timeline(later, now)[0]


def test_duplicate_slugs_both_named_neither_lost(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(render_briefing(brief("same", 1)), encoding="utf-8")
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    result = load_briefings(tmp_path)
    assert [b.slug for b in result.briefings] == ["same", "same-2"]
    assert len(result.duplicates) == 1
    assert "a.md" in result.duplicates[0] and "b.md" in result.duplicates[0]
    assert len(result.errors) == 1 and str(result.errors[0].path).endswith("broken.md")


def test_a_symlink_leaving_the_root_is_refused_by_name(tmp_path: Path) -> None:
    root = tmp_path / "root"
    folder = root / "content" / "briefings"
    folder.mkdir(parents=True)
    outside = tmp_path / "secret.md"
    outside.write_text(render_briefing(brief("secret", 1)), encoding="utf-8")
    (folder / "leak.md").symlink_to(outside)
    inside = root / "shared.md"
    inside.write_text(render_briefing(brief("shared", 2)), encoding="utf-8")
    (folder / "ok.md").symlink_to(inside)
    result = load_briefings(folder, root)
    assert [b.slug for b in result.briefings] == ["shared"]
    (err,) = result.errors
    assert err.path == str(folder / "leak.md") and "symlink" in err.message


CAST = [
    # Surnames and titles that merge into one person, or nobody once two people share them.
    ("Anna Berg", "person", ("Berg", "Ms Berg")),
    ("Tom Berg", "person", ("Berg",)),
    ("Berg", "person", ()),
    ("Li Wei", "person", ("Li",)),
    ("Li", "person", ()),
    ("Harbour Board", "organization", ("Board",)),
    ("Board", "organization", ()),
    ("France", "country", ()),
    ("Paris", "country", ()),
    ("Quay Trust", "organization", ()),
]


def _random_briefing(rng: random.Random, slug: str, day: int) -> Briefing:
    """A briefing naming a few of the cast, some with roles, quoting one of them."""
    cast = rng.sample(CAST, rng.randint(0, 4))
    actors = tuple(
        Actor(name, kind, role=rng.choice((None, "minister", "chair")),
              aliases=tuple(rng.sample(aliases, rng.randint(0, len(aliases)))),
              mentions=rng.randint(1, 3))
        for name, kind, aliases in cast
    )  # fmt: skip
    speakers = [form for a in actors for form in (a.name, *a.aliases)]
    quotes = tuple(Quote(rng.choice(speakers), f"Said {rng.randint(1, 9)}") for _ in speakers[:2])
    return brief(slug, day, actors=actors, quotes=quotes)


@pytest.mark.parametrize("seed", range(6))
def test_actors_brought_up_to_date_equal_actors_built_anew(seed: int) -> None:
    """Adding, removing and editing briefings one at a time, the profiles, links and merges
    update_actors makes from the last result are build_actors' over all the briefings."""
    rng = random.Random(seed)
    aliases, table = {"Ms Berg": "Anna Berg"}, {"paris": "France"}
    days = {f"b{i}": rng.randint(1, 28) for i in range(40)}
    current = {s: _random_briefing(rng, s, days[s]) for s in list(days)[:12]}
    last = build_actors(newest_first(current.values()), aliases, table)
    updated = 0
    for _ in range(40):
        slug = rng.choice(list(days))
        if slug in current and rng.random() < 0.3:
            del current[slug]
        else:
            current[slug] = _random_briefing(rng, slug, days[slug])
        ordered = newest_first(current.values())
        fresh = build_actors(ordered, aliases, table)
        made = update_actors(last, ordered, {slug}, aliases, table)
        if made is not None:
            assert made == fresh
            updated += 1
        last = fresh
    assert updated >= 20  # most single changes are brought up to date, not rebuilt
