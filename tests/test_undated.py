"""An undated briefing (no publication date found) is shown as undated, and dates worked out
from its stand-in date never reach the timeline, the digests or the mention charts as facts."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from generator.briefing_md import render_briefing
from generator.config import SiteConfig, load_config
from generator.model import Actor, Briefing, Event, Source
from generator.site import build_site

ATOM = "{http://www.w3.org/2005/Atom}"


def _briefing(slug: str, day: dt.date, inferred: bool, events: tuple[Event, ...]) -> Briefing:
    return Briefing(
        title=f"Harbour story {slug}",
        slug=slug,
        date=day,
        date_inferred=inferred,
        source=Source(name="Ledger", file=f"{slug}.txt", sha256=slug),
        summary=f"Summary of {slug}.",
        actors=(Actor("Mara Quill", "person", mentions=2),),
        events=events,
        body=f"Mara Quill spoke about the harbour in {slug}.",
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    root = tmp_path_factory.mktemp("undated")
    (root / "briefing.toml").write_text('title = "Harbour"\n')
    folder = root / "content" / "briefings"
    folder.mkdir(parents=True)
    dated = [
        _briefing(f"dated-{n}", dt.date(2025, 3, 3 + n), False,
                  (Event(dt.date(2025, 3, 2 + n), f"The dated council met for round {n}."),))
        for n in (1, 2)
    ]  # fmt: skip
    undated = _briefing(
        "undated",
        dt.date(2026, 12, 7),  # the copy's file time: no publication date was found
        True,
        (
            Event(dt.date(2026, 12, 6), "The undated crews protested at the gates.", True),
            Event(dt.date(2024, 5, 3), "The undated treaty was signed in the capital."),
        ),
    )
    for b in [*dated, undated]:
        (folder / f"{b.slug}.md").write_text(render_briefing(b), "utf-8")
    config = load_config(root)
    assert build_site(config).errors == ()
    return config


def _page(site: SiteConfig, rel: str) -> str:
    return (site.output_path / rel).read_text("utf-8")


def test_cards_show_an_undated_briefing_as_undated(site: SiteConfig) -> None:
    home = _page(site, "index.html")
    card = home[home.index('href="./briefings/undated/"') :].split("</li>")[0]
    assert '<span class="undated">undated</span>' in card
    assert "<time" not in card and "2026" not in card
    page = _page(site, "briefings/undated/index.html")
    assert "Undated" in page and 'datetime="2026-12-07"' not in page
    assert 'data-pagefind-meta="date">undated<' in page  # what search results show


def test_inferred_events_stay_off_the_timeline_but_show_on_their_page(site: SiteConfig) -> None:
    timeline = "".join(
        p.read_text("utf-8") for p in (site.output_path / "timeline").rglob("*.html")
    )
    assert "The undated crews protested" not in timeline
    assert "The undated treaty was signed" in timeline  # its own date, a fact
    assert "The dated council met for round 1" in timeline
    page = _page(site, "briefings/undated/index.html")
    assert "6 December 2026 (inferred from an undated copy)" in page
    assert '<time datetime="2024-05-03">' in page


def test_digests_and_mention_charts_count_dated_briefings_only(site: SiteConfig) -> None:
    digests = sorted(p.name for p in (site.output_path / "digest").iterdir() if p.is_dir())
    assert digests == ["2025-w10"]  # none for the undated briefing's stand-in week
    assert "undated" not in _page(site, "digest/2025-w10/index.html")
    actor = _page(site, "actors/mara-quill/index.html")
    assert "at most 2 in one week" in actor and "2026" not in actor.split("<svg")[1]


def test_feeds_claim_no_publication_date_for_an_undated_briefing(site: SiteConfig) -> None:
    import xml.etree.ElementTree as ET

    atom = ET.fromstring(_page(site, "feed.xml"))
    entries = {e.findtext(f"{ATOM}title"): e for e in atom.iter(f"{ATOM}entry")}
    undated = entries["Harbour story undated"]
    assert undated.find(f"{ATOM}published") is None
    assert undated.findtext(f"{ATOM}updated") == "2026-12-07T00:00:00Z"  # required by Atom
    assert entries["Harbour story dated-1"].findtext(f"{ATOM}published") == "2025-03-04T00:00:00Z"
    items = {i["title"]: i for i in json.loads(_page(site, "feed.json"))["items"]}
    assert "date_published" not in items["Harbour story undated"]
    assert items["Harbour story undated"]["date_modified"] == "2026-12-07T00:00:00Z"
    assert items["Harbour story dated-2"]["date_published"] == "2025-03-05T00:00:00Z"


def test_the_sitemap_gives_an_undated_page_no_date(site: SiteConfig) -> None:
    sitemap = _page(site, "sitemap.xml")
    entry = sitemap[sitemap.index("briefings/undated/") :].split("</url>")[0]
    assert "<lastmod>" not in entry
    dated = sitemap[sitemap.index("briefings/dated-1/") :].split("</url>")[0]
    assert "<lastmod>2025-03-04</lastmod>" in dated


def test_no_time_element_anywhere_claims_the_stand_in_date(site: SiteConfig) -> None:
    pages = [p.read_text("utf-8") for p in Path(site.output_path).rglob("*.html")]
    assert not any(re.search(r'<time datetime="2026-12-0[67]"', p) for p in pages)
