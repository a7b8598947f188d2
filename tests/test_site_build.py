"""Building the fixture site end to end: pages, links, escaping, feeds, rebuilds, overrides."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.config import SiteConfig, load_config
from generator.errors import ConfigError
from generator.site import build_site, check_site
from generator.site.output.check import find_broken_links

FIXTURE = Path(__file__).parent / "fixtures" / "site"
ATOM = "{http://www.w3.org/2005/Atom}"


def make_site(tmp_path: Path, name: str = "root") -> SiteConfig:
    """A private copy of the fixture site (without its golden pages) and its config."""
    root = tmp_path / name
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("golden"))
    return load_config(root)


def tree(out: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


@pytest.fixture
def built(tmp_path: Path) -> SiteConfig:
    config = make_site(tmp_path)
    report = build_site(config)
    assert report.errors == ()
    return config


def test_every_contract_url_is_written(built: SiteConfig) -> None:
    out = built.output_path
    for rel in [
        "index.html",
        "briefings/harbour-levy-talks-open/index.html",
        "topics/index.html",
        "topics/economy-business-and-finance/international-trade/index.html",
        "topics/economy-business-and-finance/index.html",
        "actors/index.html",
        "actors/tomas-brek/index.html",
        "timeline/index.html",
        "search/index.html",
        "feed.xml",
        "feed.json",
        "topics/politics/feed.xml",
        "topics/politics/feed.json",
        "actors/norland/feed.xml",
        "actors/norland/feed.json",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "style.css",
    ]:
        assert (out / rel).is_file(), rel


def test_every_internal_link_resolves(built: SiteConfig) -> None:
    assert find_broken_links(built.output_path) == []
    assert check_site(built) == []


def test_the_link_check_catches_a_broken_link(built: SiteConfig) -> None:
    (built.output_path / "extra.html").write_text('<a href="briefings/nope/">x</a>', "utf-8")
    assert find_broken_links(built.output_path) == ["extra.html: broken link briefings/nope/"]


def test_links_are_relative(built: SiteConfig) -> None:
    page = (built.output_path / "briefings/levy-vote-delayed/index.html").read_text("utf-8")
    assert 'href="../../style.css"' in page
    assert 'href="../../actors/tomas-brek/"' in page
    home = (built.output_path / "index.html").read_text("utf-8")
    assert 'href="./style.css"' in home
    for rel, data in tree(built.output_path).items():
        if rel.endswith(".html") and rel != "404.html":
            assert b'href="/' not in data and b'src="/' not in data, rel


def test_untrusted_text_is_escaped_everywhere(built: SiteConfig) -> None:
    for rel, data in tree(built.output_path).items():
        if rel.endswith((".html", ".xml")):  # JSON Feed text fields are plain text by definition
            text = data.decode("utf-8")
            # The search page's own script (the theme's, which loads Pagefind's) is the only one.
            text = text.replace('<script src="../search.js"></script>', "")
            assert "<script" not in text.lower(), rel
            assert "<img src=x" not in text, rel
            assert 'href="javascript' not in text and 'href="data' not in text, rel
    page = (built.output_path / "briefings/hostile-title/index.html").read_text("utf-8")
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; Harbour {{ 7*7 }} row &amp;" in page
    assert "{{ 7*7 }}" in page and "49" not in page  # template syntax in text stays text
    assert '<a href="https://example.org/ok">good link</a>' in page
    assert "[bad link](javascript:alert(1))" in page  # dropped as a link, kept as text
    assert 'href="javascript' not in page and 'href="data' not in page
    assert "&lt;img src=x onerror=alert(7)&gt;" in page
    feed = (built.output_path / "feed.json").read_text("utf-8")
    assert "javascript:alert(2)" not in feed  # an unsafe source URL is not offered as a link


def test_article_headings_sit_below_the_page_title(built: SiteConfig) -> None:
    page = (built.output_path / "briefings/harbour-levy-talks-open/index.html").read_text("utf-8")
    assert page.count("<h1") == 1
    assert "<h3>Why dredging matters</h3>" in page


def test_briefing_page_links_actors_topics_and_quotes(built: SiteConfig) -> None:
    page = (built.output_path / "briefings/levy-vote-delayed/index.html").read_text("utf-8")
    # "Brek" in this briefing is Tomas Brek's profile; the site alias table maps M. Oyelaran.
    assert (
        '<a href="../../actors/tomas-brek/">Brek</a>, <span class="role">port chief</span>' in page
    )
    assert 'href="../../actors/mara-oyelaran/">M. Oyelaran</a>' in page
    assert 'href="../../topics/politics/government/">government</a>' in page
    assert "A delay costs everyone money." in page


def test_actor_profile_shows_roles_quotes_and_briefings(built: SiteConfig) -> None:
    page = (built.output_path / "actors/tomas-brek/index.html").read_text("utf-8")
    assert "chief executive of the Port Authority of Valmere" in page and "port chief" in page
    assert "Without dredging, the larger ships will simply go elsewhere." in page
    assert page.count('class="card"') == 3
    assert page.index("port chief") < page.index("chief executive of the Port")  # newest first
    index = (built.output_path / "actors/index.html").read_text("utf-8")
    assert index.index(">People<") < index.index(">Organizations<") < index.index(">Countries<")


def test_timeline_links_events_to_briefings(built: SiteConfig) -> None:
    page = (built.output_path / "timeline/index.html").read_text("utf-8")
    assert page.index("10 March 2025") < page.index("4 March 2025") < page.index("27 February 2025")
    assert 'href="../briefings/levy-vote-delayed/"' in page


def test_atom_feeds_parse_with_the_atom_namespace(built: SiteConfig) -> None:
    for rel in ("feed.xml", "topics/politics/feed.xml", "actors/tomas-brek/feed.xml"):
        root = ET.parse(built.output_path / rel).getroot()
        assert root.tag == f"{ATOM}feed"
        for tag in ("id", "title", "updated", "author"):
            assert root.find(f"{ATOM}{tag}") is not None, (rel, tag)
        entries = root.findall(f"{ATOM}entry")
        assert entries
        for e in entries:
            for tag in ("id", "title", "updated", "link"):
                assert e.find(f"{ATOM}{tag}") is not None, (rel, tag)
    site = ET.parse(built.output_path / "feed.xml").getroot()
    assert site.findtext(f"{ATOM}updated") == "2025-03-07T00:00:00Z"  # newest briefing, not now
    titles = [e.findtext(f"{ATOM}title") or "" for e in site.findall(f"{ATOM}entry")]
    assert any(t.startswith("<script>alert(1)</script> Harbour") for t in titles)  # text again


def test_json_feeds_are_json_feed_1_1(built: SiteConfig) -> None:
    data = json.loads((built.output_path / "actors/tomas-brek/feed.json").read_text("utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["url"] for i in data["items"]] == [
        "../../briefings/hostile-title/",
        "../../briefings/levy-vote-delayed/",
        "../../briefings/harbour-levy-talks-open/",
    ]
    for item in data["items"]:
        assert item["id"] and ("content_text" in item or "content_html" in item)


def test_same_inputs_give_byte_identical_output(tmp_path: Path) -> None:
    first, second = make_site(tmp_path, "one"), make_site(tmp_path, "two")
    build_site(first)
    build_site(second, clean=True, jobs=2)
    # Pagefind's filter index is not byte-stable between runs (upstream Pagefind/pagefind#638):
    # the search bundle is the one part of the output outside this guarantee.
    ours = [{k: v for k, v in tree(s.output_path).items() if not k.startswith("pagefind/")}
            for s in (first, second)]  # fmt: skip
    assert ours[0] == ours[1]


def test_rebuild_writes_nothing_and_keeps_mtimes(built: SiteConfig) -> None:
    out = built.output_path
    old = 1_000_000_000
    for p in out.rglob("*"):
        if p.is_file():
            os.utime(p, (old, old))
    report = build_site(built)
    assert (report.pages_written, report.pages_removed) == (0, 0)
    assert report.pages_unchanged > 40
    assert all(p.stat().st_mtime == old for p in out.rglob("*") if p.is_file())


def test_lost_manifest_still_writes_nothing(built: SiteConfig) -> None:
    (built.output_path / ".briefing-manifest.json").unlink()
    assert build_site(built).pages_written == 0


def test_clean_renders_every_file_and_rewrites_only_those_that_differ(
    built: SiteConfig,
) -> None:
    out = built.output_path
    page = out / "briefings/harbour-levy-talks-open/index.html"
    good = page.read_bytes()
    # Same size, other bytes, manifest untouched: only a build that trusts no record sees it.
    page.write_bytes(good.replace(b"<html", b"<HTML", 1))
    stamp = (out / "index.html").stat().st_mtime_ns
    assert build_site(built).pages_written == 0  # (a normal build trusts the manifest)
    report = build_site(built, clean=True)
    assert page.read_bytes() == good
    assert report.pages_written == 1 and report.pages_unchanged > 40
    assert (out / "index.html").stat().st_mtime_ns == stamp  # identical: left alone


def test_deleted_briefing_removes_its_stale_pages(built: SiteConfig) -> None:
    out = built.output_path
    (out / "notes.txt").write_text("mine", "utf-8")
    (built.briefings_path / "fishing-quota-dispute.md").unlink()
    report = build_site(built)
    assert not (out / "briefings/fishing-quota-dispute").exists()
    assert not (out / "actors/ines-palcou").exists()  # only that briefing named her
    assert not (out / "topics/environment").exists()
    assert report.pages_removed == 7  # the briefing; actor and topic pages with their 2 feeds
    assert (out / "notes.txt").read_text("utf-8") == "mine"  # not ours: never touched
    assert find_broken_links(out) == []


def test_a_broken_briefing_is_reported_and_the_rest_builds(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    (config.briefings_path / "zz-broken.md").write_text("---\ntitle: x\n---\n", "utf-8")
    report = build_site(config)
    assert len(report.errors) == 1
    assert report.errors[0].path is not None and report.errors[0].path.endswith("zz-broken.md")
    assert report.briefings == 5
    assert any("zz-broken.md" in p for p in check_site(config))


def test_duplicate_slug_is_published_under_a_suffix(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    src = config.briefings_path / "storm-closes-harbour.md"
    shutil.copy(src, config.briefings_path / "zz-storm-copy.md")
    report = build_site(config)
    assert (config.output_path / "briefings/storm-closes-harbour-2/index.html").is_file()
    assert any("storm-closes-harbour" in w and "zz-storm-copy.md" in w for w in report.warnings)
    assert any("already used" in p for p in check_site(config))


def test_site_theme_overrides_one_template_and_the_stylesheet(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    own = config.themes_path / "default"
    (own / "templates").mkdir(parents=True)
    (own / "static").mkdir()
    (own / "templates" / "topic.html").write_text(
        '{% extends "base.html" %}'
        "{% block main %}<h1>My topic: {{ topic.label }}</h1>{% endblock %}",
        "utf-8",
    )
    (own / "static" / "style.css").write_text("body { color: red; }\n", "utf-8")
    build_site(config)
    out = config.output_path
    assert "<h1>My topic: politics" in (out / "topics/politics/index.html").read_text("utf-8")
    assert "Key points" in (out / "briefings/harbour-levy-talks-open/index.html").read_text("utf-8")
    assert (out / "style.css").read_text("utf-8") == "body { color: red; }\n"


def test_a_broken_template_is_a_config_error_naming_it(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    templates = config.themes_path / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "index.html").write_text("{% block main %}\n{% if %}", "utf-8")
    with pytest.raises(ConfigError) as err:
        build_site(config)
    assert "index.html" in str(err.value)


def test_404_links_work_from_any_depth(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    build_site(config)
    page = (config.output_path / "404.html").read_text("utf-8")
    assert 'href="/style.css"' in page and 'href="/topics/"' in page
    (config.root / "briefing.toml").write_text(
        'base_url = "https://news.example/harbour"\n', "utf-8"
    )
    config = load_config(config.root)
    build_site(config)
    page = (config.output_path / "404.html").read_text("utf-8")
    assert 'href="https://news.example/harbour/style.css"' in page
    sitemap = (config.output_path / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://news.example/harbour/briefings/levy-vote-delayed/</loc>" in sitemap
    robots = (config.output_path / "robots.txt").read_text("utf-8")
    assert "Sitemap: https://news.example/harbour/sitemap.xml" in robots


def test_the_sitemap_is_valid_xml_whatever_the_paths_and_address_hold() -> None:
    """Characters XML must escape or cannot carry, in the address or a page's path."""
    from generator.site.render.pages import SiteMeta
    from generator.site.render.sitemap import SITEMAP_NS, render_sitemap

    site = SiteMeta(title="t", description="", base_url="https://x.example/a&b<c>/", language="")
    pages = [("index.html", None), ("briefings/r&d\x01</index.html", "2025-03-04")]
    root = ET.fromstring(render_sitemap(pages, site))
    ns = {"s": SITEMAP_NS}
    locs = [e.text for e in root.findall("s:url/s:loc", ns)]
    assert locs == ["https://x.example/a&b<c>/", "https://x.example/a&b<c>/briefings/r&d</"]
    assert [e.text for e in root.findall("s:url/s:lastmod", ns)] == ["2025-03-04"]


def test_an_empty_site_builds(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    report = build_site(config)
    assert report.briefings == 0 and report.errors == ()
    assert "No briefings yet" in (config.output_path / "index.html").read_text("utf-8")
    assert find_broken_links(config.output_path) == []


def test_actor_and_topic_pages_have_their_own_timelines(built: SiteConfig) -> None:
    ines = (built.output_path / "actors/ines-palcou/index.html").read_text("utf-8")
    assert "Ines Palcou will meet Norland officials on the quotas." in ines
    politics = (built.output_path / "topics/politics/index.html").read_text("utf-8")
    # Events of the sub-topic's briefings belong to the parent's timeline too.
    assert "Fishing crews protested outside the Valmere City Council chamber." in politics
    assert "Ines Palcou will meet" not in politics
