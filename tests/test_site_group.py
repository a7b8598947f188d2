"""Grouping briefings into topics, actor profiles and a timeline (pure functions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.briefing_md import render_briefing
from generator.model import Actor, Briefing, Event, Quote, Source, Topic
from generator.site.group import build_site_model
from generator.site.load import load_briefings


def brief(slug: str, day: int, **kw: object) -> Briefing:
    """A minimal briefing dated March `day`, 2025."""
    return Briefing(
        title=slug.replace("-", " "),
        slug=slug,
        date=dt.date(2025, 3, day),
        date_inferred=False,
        source=Source(),
        **kw,
    )  # type: ignore[arg-type]


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


def test_duplicate_slugs_both_named_neither_lost(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(render_briefing(brief("same", 1)), encoding="utf-8")
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    result = load_briefings(tmp_path)
    assert [b.slug for b in result.briefings] == ["same", "same-2"]
    assert len(result.duplicates) == 1
    assert "a.md" in result.duplicates[0] and "b.md" in result.duplicates[0]
    assert len(result.errors) == 1 and result.errors[0].path.endswith("broken.md")


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
