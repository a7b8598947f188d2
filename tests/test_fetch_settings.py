"""What fetching is told and what it keeps: [[sources]] and [fetch] in briefing.toml,
which addresses are fetched, safe file names, and the record the readers take the
source's address and hints from (no network here: see test_fetch.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError
from generator.fetch.address import AddressError, check_address, host_key, store_name
from generator.fetch.settings import FetchSettings, SourceSpec
from generator.ingest import read_articles
from generator.ingest.feed import teaser_links
from generator.ingest.record import FetchRecord, load_record, record_path, render_record

WORDS = " ".join(["The reservoir level fell again this week, officials said."] * 30)


def _toml(tmp_path: Path, text: str) -> Path:
    (tmp_path / "briefing.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_sources_and_fetch_settings_are_read(tmp_path: Path) -> None:
    cfg = load_config(
        _toml(
            tmp_path,
            '[fetch]\ndelay = 0.5\ntimeout = 3\nmax_mb = 1.5\ncontact = "ops@example.org"\n'
            '[[sources]]\nurl = "HTTPS://News.Example.org/feed.xml#top"\n'
            '[[sources]]\nurl = "http://example.org/live"\nname = "Example Times"\n'
            'topics = ["environment", "economy-business-and-finance/international-trade"]\n',
        )
    )
    assert cfg.sources == (
        SourceSpec("https://news.example.org/feed.xml"),
        SourceSpec(
            "http://example.org/live",
            "Example Times",
            ("environment", "economy-business-and-finance/international-trade"),
        ),
    )
    assert cfg.fetch == FetchSettings(delay=0.5, timeout=3, max_mb=1.5, contact="ops@example.org")
    assert load_config(_toml(tmp_path, "")).sources == ()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[[sources]]\nname = "x"', "entry 1: needs a 'url'"),
        ('[[sources]]\nurl = "file:///etc/passwd"', "not 'file:'"),
        ('[[sources]]\nurl = "ftp://example.org/x"', "only http and https"),
        ('[[sources]]\nurl = "http://a.example/"\nfeed = true', "unknown key(s) feed"),
        ('[[sources]]\nurl = "http://a.example/"\ntopics = "x"', "list of topic ids"),
        ('[[sources]]\nurl = "http://a.example/"\ntopics = ["../x"]', "list of topic ids"),
        ('[[sources]]\nurl = "http://a.example/"\nname = 3', "'name' must be"),
        ('[[sources]]\nurl = "http://a/"\n[[sources]]\nurl = "http://a/"', "entry 2 (http"),
        ('sources = "http://a.example/"', "list of [[sources]]"),
        ("[fetch]\ndelay = -1", "'delay' must be a number"),
        ("[fetch]\ntimeout = true", "'timeout' must be a number"),
        ("[fetch]\nmax_redirects = 2.5", "whole number"),
        ("[fetch]\nspeed = 3", "unknown key(s) speed"),
        ('[fetch]\ncontact = "a\\r\\nX-Evil: 1"', "'contact'"),
    ],
)
def test_bad_sources_and_settings_are_config_errors(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_toml(tmp_path, text))
    assert says in str(info.value)
    assert "briefing.toml" in str(info.value)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("file:///etc/passwd", "not 'file:'"),
        ("javascript:alert(1)", "not 'javascript:'"),
        ("//example.org/x", "no scheme"),
        ("http:///x", "no host"),
        ("http://user:secret@example.org/", "user name or password"),
        ("http://example.org:99999/", "invalid port"),
        ("http://example.org/a b", "spaces"),
        ("http://example.org/" + "a" * 3000, "longer than"),
    ],
)
def test_only_plain_http_addresses_are_fetched(url: str, says: str) -> None:
    with pytest.raises(AddressError) as info:
        check_address(url)
    assert says in str(info.value)


def test_addresses_are_normalized_and_keyed_by_host() -> None:
    assert check_address(" HTTP://Example.ORG ") == "http://example.org/"
    assert check_address("https://example.org/a?b=1#c") == "https://example.org/a?b=1"
    assert host_key("https://example.org/x") == "https://example.org:443"
    assert host_key("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/../../etc/passwd",
        "http://example.org/%2e%2e/%2e%2e/x",
        "http://..:80/",
        "http://example.org/" + "x/" * 500,
        "http://EXAMPLE.org:8080/News/Story.html?id=5",
        "http://例え.テスト/記事",
    ],
)
def test_store_names_never_leave_their_folder(url: str, tmp_path: Path) -> None:
    folder, stem = store_name(url)
    for part in (folder, stem):
        assert part and not part.startswith(".") and "/" not in part and "\\" not in part
        assert set(part) <= set("abcdefghijklmnopqrstuvwxyz0123456789._-")
    assert len(stem) <= 80
    assert (tmp_path / folder / stem).resolve().parent.parent == tmp_path.resolve()


def test_store_names_differ_for_different_addresses() -> None:
    assert store_name("http://example.org:8080/a?x=1")[0] == "example.org_8080"
    assert store_name("https://example.org:443/a")[0] == "example.org"
    names = {store_name(f"http://example.org/story?page={n}") for n in range(50)}
    assert len(names) == 50
    assert store_name("http://example.org/")[1].startswith("index-")


def _record(**changes: object) -> FetchRecord:
    base = FetchRecord(
        url="http://example.org/story",
        final_url="https://www.example.org/2025/story",
        status=200,
        content_type="text/html; charset=koi8-r",
        fetched_at="2025-03-05T10:00:00Z",
        sha256="0" * 64,
        etag='"v1"',
        source_name="Example Times",
        topics=("environment",),
    )
    return FetchRecord(**{**base.__dict__, **changes})


def test_a_fetched_page_takes_its_address_charset_and_hints_from_its_record(
    tmp_path: Path,
) -> None:
    body = tmp_path / "story.html"
    text = "Водохранилище на Арвеле мелеет. " * 20
    page = f"<html><head><title>Арвель мелеет</title></head><body><article><p>{text}</p>"
    body.write_bytes((page + "</article></body></html>").encode("koi8-r"))
    record_path(body).write_bytes(render_record(_record()))
    [article] = read_articles(body)
    assert article.url == "https://www.example.org/2025/story"
    assert article.source_name == "Example Times"
    assert article.topics == ("environment",)
    assert "Водохранилище" in article.body
    assert not any("Windows-1252" in w for w in article.warnings)


@pytest.mark.parametrize(
    "broken",
    [
        b"{not json",
        json.dumps({"url": "javascript:x", "final_url": "http://a/", "status": 200}).encode(),
        json.dumps([1, 2]).encode(),
        b"x" * 100_000,
    ],
)
def test_a_broken_record_is_ignored_with_a_warning(tmp_path: Path, broken: bytes) -> None:
    body = tmp_path / "story.html"
    body.write_text(f"<html><title>Dam level falls</title><body><p>{WORDS}</p>", encoding="utf-8")
    record_path(body).write_bytes(broken)
    assert load_record(body)[0] is None
    [article] = read_articles(body)
    assert article.url is None
    assert any("fetch record story.html.fetch" in w for w in article.warnings)


def _feed(entries: list[tuple[str, str, str]]) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{d}</description></item>"
        for t, link, d in entries
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Post</title>'
    return f"{head}{items}</channel></rss>".encode()


def test_teaser_entries_are_followed_and_left_out_of_a_fetched_feed(tmp_path: Path) -> None:
    data = _feed(
        [
            ("Barges cut loads", "/news/barges", "Barges cut their loads as the river falls."),
            ("Dam talks open", "https://other.example/talks", WORDS),
            ("Strike vote", "javascript:alert(1)", "Dockworkers vote."),
        ]
    )
    assert teaser_links(data, "http://example.org/feed.xml") == ["http://example.org/news/barges"]
    feed = tmp_path / "feed.xml"
    feed.write_bytes(data)
    # Saved by hand: every entry is an article, as before.
    everything = ["Barges cut loads", "Dam talks open", "Strike vote"]
    assert [a.title for a in read_articles(feed)] == everything
    # Fetched: the teaser's page is ingested instead; the link-less teaser stays.
    record_path(feed).write_bytes(render_record(_record(final_url="http://example.org/feed.xml")))
    articles = read_articles(feed)
    assert [a.title for a in articles] == ["Dam talks open", "Strike vote"]
    assert articles[0].source_name == "Example Times"
    assert articles[0].topics == ("environment",)


def test_responses_are_never_written_through_a_symlink_out_of_the_articles_folder(
    tmp_path: Path,
) -> None:
    from generator.fetch.store import body_path

    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    path = body_path(articles, "http://example.org/news/a.html", ".html")
    assert path.parent.parent == articles / "fetched"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (articles / "fetched").symlink_to(outside)
    with pytest.raises(ValueError, match="refusing to write outside"):
        body_path(articles, "http://example.org/news/a.html", ".html")
