"""`briefing fetch` and `briefing ingest URL` against a local web site (127.0.0.1, started
here): pages, a feed with teasers, robots.txt, redirects, slow and huge answers, 304s.
Any look-up or connection to another address fails the test."""

from __future__ import annotations

import gzip
import html
import itertools
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator import __version__
from generator.cli import cli
from tests.conftest import REPO
from tests.fetch_server import (
    Handler,
    Site,
    big,
    drip,
    guard_network,
    redirect,
    resource,
    slow_headers,
    start_site,
    status,
    stop_site,
)

ARTICLES = sorted((REPO / "content" / "articles").glob("*.txt"))
FAST = "[fetch]\ndelay = 0\ntimeout = 0.5\ndeadline = 1\n"


def page(number: int, outlet: str = "Arvel Herald") -> bytes:
    """An article page made from one of the example articles."""
    lines = [line for line in ARTICLES[number].read_text(encoding="utf-8").splitlines() if line]
    title = html.escape(lines[0])
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in lines[1:] if len(p.split()) > 6)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='{outlet}'></head>"
        f"<body><nav>Home | World</nav><article><h1>{title}</h1>{paras}</article></body></html>"
    ).encode()


def title_of(number: int) -> str:
    return ARTICLES[number].read_text(encoding="utf-8").splitlines()[0]


def feed(site: Site, entries: list[tuple[str, str, str]]) -> bytes:
    """An RSS feed of (title, link, description) entries."""
    items = "".join(
        f"<item><title>{html.escape(t)}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{html.escape(d)}</description></item>"
        for t, link, d in entries
    )
    head = "<?xml version='1.0'?><rss version='2.0'><channel><title>Herald</title>"
    return f"{head}<link>{site.base}/</link>{items}</channel></rss>".encode()


@pytest.fixture
def guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    yield from guard_network(monkeypatch)


@pytest.fixture
def site(guard: list[str]) -> Iterator[Site]:
    s = start_site()
    s.routes["/robots.txt"] = resource(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    yield s
    stop_site(s)


def make_site(tmp_path: Path, toml: str) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "briefing.toml").write_text(toml, encoding="utf-8")
    return root


def sources(*urls: str, extra: str = "") -> str:
    return FAST + "".join(f'[[sources]]\nurl = "{u}"\n{extra}' for u in urls)


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under the site root with its size and modification time."""
    out: dict[str, tuple[int, int]] = {}
    for folder, _, files in os.walk(root):
        for name in files:
            st = (Path(folder) / name).stat()
            out[os.path.relpath(Path(folder) / name, root)] = (st.st_size, st.st_mtime_ns)
    return out


def briefings(root: Path) -> dict[str, str]:
    folder = root / "content" / "briefings"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def titled(made: dict[str, str], words: str) -> str:
    """The briefing whose title holds `words`."""
    [text] = [t for t in made.values() if words in t.split("\n", 2)[1]]
    return text


def test_fetch_follows_a_feed_and_a_page_then_asks_only_conditionally(
    site: Site, tmp_path: Path
) -> None:
    long_text = " ".join(["The river fell again at Port Ardith, the port authority said."] * 20)
    site.routes["/feed.xml"] = resource(
        feed(
            site,
            [
                (title_of(1), "/news/barges.html", "Barges sail lighter."),  # relative link
                (title_of(2), site.url("/news/strike.html"), "Dockworkers vote."),
                ("River keeps falling at Port Ardith", site.url("/news/river"), long_text),
            ],
        ),
        "application/rss+xml",
    )
    site.routes["/news/barges.html"] = resource(page(1))
    site.routes["/news/strike.html"] = resource(page(2), etag=None)  # Last-Modified only
    site.routes["/live"] = redirect("/news/dam.html")
    site.routes["/news/dam.html"] = resource(page(0))
    root = make_site(
        tmp_path,
        sources(site.url("/feed.xml"))
        + f'[[sources]]\nurl = "{site.url("/live")}"\nname = "The Dam Watch"\n'
        'topics = ["environment"]\n',
    )

    first = run(root, "fetch")
    assert first.exit_code == 0, first.output
    assert (
        "fetch: 2 sources fetched (2 pages followed from feeds), 4 new articles, "
        "0 unchanged, 0 failed" in first.output
    )
    asked = ["/robots.txt", "/feed.xml", "/live", "/news/dam.html", "/news/barges.html"]
    assert sorted(site.paths()) == sorted([*asked, "/news/strike.html"])
    assert {s.headers["User-Agent"] for s in site.seen} == {f"briefing/{__version__}"}
    host = f"127.0.0.1_{site.base.rsplit(':', 1)[1]}"
    kept = sorted(p.name for p in (root / "content/articles/fetched" / host).iterdir())
    assert len(kept) == 8 and sum(name.endswith(".fetch") for name in kept) == 4
    record = json.loads(
        next((root / "content/articles/fetched" / host).glob("live-*.fetch")).read_text()
    )
    assert record["url"] == site.url("/live")
    assert record["final_url"] == site.url("/news/dam.html")
    assert record["status"] == 200 and record["etag"] == '"v1"'
    assert record["content_type"] == "text/html; charset=utf-8"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["fetched_at"])

    made = briefings(root)
    assert len(made) == 4
    dam = titled(made, "Tolvane")
    assert f"url: {site.url('/news/dam.html')}" in dam
    assert "name: The Dam Watch" in dam
    assert re.search(r"^topics:\n- id: environment\n", dam, re.M)
    barges = titled(made, title_of(1))
    assert f"url: {site.url('/news/barges.html')}" in barges
    assert "name: Arvel Herald" in barges
    river = titled(made, "River keeps falling")
    assert f"url: {site.url('/news/river')}" in river  # the full entry: from the feed

    # The second run in a row asks only conditionally (robots.txt is kept a day; the
    # pages feed entries led to are not asked again) and writes nothing at all.
    before = tree(root)
    site.seen.clear()
    time.sleep(0.01)
    second = run(root, "fetch")
    assert second.exit_code == 0, second.output
    assert "2 sources fetched (2 pages followed from feeds), 0 new articles, 4 unchanged" in (
        second.output
    )
    assert sorted(site.paths()) == ["/feed.xml", "/live", "/news/dam.html"]
    for seen in site.seen:
        assert seen.headers.get("If-None-Match") == '"v1"', seen
        assert "If-Modified-Since" in seen.headers
    assert tree(root) == before

    # A page that changed is kept and ingested again, over its briefing.
    site.routes["/news/dam.html"] = resource(page(0).replace(b"reservoir", b"lake"), etag='"v2"')
    third = run(root, "fetch")
    assert third.exit_code == 0, third.output
    assert "1 new articles" in third.output
    assert len(briefings(root)) == 4
    assert "lake" in titled(briefings(root), "Tolvane")


def test_failures_are_named_with_why_and_the_rest_goes_on(site: Site, tmp_path: Path) -> None:
    site.routes["/news/dam.html"] = resource(page(0))
    site.routes["/private/secret.html"] = resource(page(1))
    site.routes["/loop/a"] = redirect("/loop/b")
    site.routes["/loop/b"] = redirect("/loop/a")
    site.routes["/far"] = redirect("/hop/1")
    for n in range(1, 10):
        site.routes[f"/hop/{n}"] = redirect(f"/hop/{n + 1}")
    site.routes["/to-file"] = redirect("file:///etc/passwd")
    site.routes["/slow"] = slow_headers(5)
    site.routes["/drip"] = drip(5)
    site.routes["/big"] = big(10 * 1024 * 1024, announce=True)
    site.routes["/big-stream"] = big(40 * 1024 * 1024, announce=False)
    site.routes["/gone"] = status(404)
    site.routes["/broken"] = status(503)
    site.routes["/report.pdf"] = resource(b"%PDF-1.7 ...", "application/pdf")
    expected = {
        "/private/secret.html": "robots.txt forbids fetching\n",
        "/loop/a": "redirect loop",
        "/far": "more than 5 redirects",
        "/to-file": "redirected to file:///etc/passwd: only http and https addresses",
        "/slow": "no answer within 0.5 s",
        "/drip": "took longer than 1 s",
        "/big": "larger than 5.0 MB (10.0 MB announced)",
        "/big-stream": "larger than 5.0 MB; stopped reading",
        "/gone": "HTTP 404",
        "/broken": "HTTP 503",
        "/report.pdf": "not a page or a feed (application/pdf)",
    }
    root = make_site(tmp_path, sources(site.url("/news/dam.html"), *map(site.url, expected)))
    started = time.monotonic()
    result = run(root, "fetch")
    took = time.monotonic() - started
    assert result.exit_code == 1, result.output
    for path, why in expected.items():
        assert f"error: {site.url(path)}: {why}" in result.output, (path, result.output)
    assert f"fetch: 1 sources fetched, 1 new articles, 0 unchanged, {len(expected)} failed" in (
        result.output
    )
    assert "/private/secret.html" not in site.paths()  # robots.txt was asked, and obeyed
    assert site.paths().count("/hop/5") == 1 and "/hop/6" not in site.paths()
    # Cut off past 5 MB: what got out is that and what the loopback's buffers took.
    assert site.sent["/big-stream"] < 20 * 1024 * 1024
    assert took < 8  # the caps hold: nothing waits for the slow answers' full 5 s
    kept = list((root / "content/articles/fetched").rglob("*.html"))
    assert [p.name.split("-")[0] for p in kept] == ["news"]
    assert len(briefings(root)) == 1

    # A failed source is asked again next run; the kept one conditionally.
    site.seen.clear()
    again = run(root, "fetch")
    assert again.exit_code == 1
    assert site.paths().count("/gone") == 1
    dam = next(s for s in site.seen if s.path == "/news/dam.html")
    assert dam.headers.get("If-None-Match") == '"v1"'


def test_one_request_per_host_at_a_time_with_a_delay(site: Site, tmp_path: Path) -> None:
    for n in range(4):
        site.routes[f"/news/{n}.html"] = resource(page(n))
    site.routes["/robots.txt"] = resource(b"User-agent: *\nCrawl-delay: 0.3\n", "text/plain")
    other = start_site()
    try:
        other.routes["/robots.txt"] = status(404)  # no robots.txt: everything allowed
        other.routes["/news/x.html"] = resource(page(5))
        urls = [site.url(f"/news/{n}.html") for n in range(4)] + [other.url("/news/x.html")]
        root = make_site(tmp_path, sources(*urls).replace("delay = 0\n", "delay = 0.1\n"))
        result = run(root, "fetch")
    finally:
        stop_site(other)
    assert result.exit_code == 0, result.output
    assert site.most_busy == 1
    spans = sorted((s.start, s.end) for s in site.seen)
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(spans)]
    assert len(gaps) == 4 and min(gaps) >= 0.28  # robots.txt's Crawl-delay beats delay
    assert other.paths() == ["/robots.txt", "/news/x.html"]
    assert len(briefings(root)) == 5


def test_robots_txt_of_the_host_a_redirect_leads_to_applies(site: Site, tmp_path: Path) -> None:
    other = start_site()
    try:
        other.routes["/robots.txt"] = resource(b"User-agent: briefing\nDisallow: /\n", "text/plain")
        other.routes["/story.html"] = resource(page(3))
        site.routes["/moved"] = redirect(other.url("/story.html"), 301)
        root = make_site(tmp_path, sources(site.url("/moved")))
        result = run(root, "fetch")
    finally:
        stop_site(other)
    assert result.exit_code == 1
    assert f"redirected to {other.url('/story.html')}, which robots.txt forbids" in result.output
    assert other.paths() == ["/robots.txt"]


def test_robots_txt_is_kept_a_day_then_asked_again_conditionally(
    site: Site, tmp_path: Path
) -> None:
    from generator.fetch.robots import FRESH_SECONDS, RobotsStore

    site.routes["/a.html"] = resource(page(0))
    root = make_site(tmp_path, sources(site.url("/a.html")))
    assert run(root, "fetch").exit_code == 0
    assert run(root, "fetch").exit_code == 0
    assert site.paths().count("/robots.txt") == 1
    store = RobotsStore(root / ".briefing-cache")
    [(host, kept)] = store.files.items()
    store.put(host, type(kept)(kept.status, kept.text, kept.fetched - FRESH_SECONDS - 1,
                               kept.etag, kept.last_modified))  # fmt: skip
    store.save()
    site.seen.clear()
    assert run(root, "fetch").exit_code == 0
    robots = next(s for s in site.seen if s.path == "/robots.txt")
    assert robots.headers.get("If-None-Match") == '"v1"'


def test_robots_txt_that_cannot_be_had_forbids_everything(site: Site, tmp_path: Path) -> None:
    site.routes["/robots.txt"] = status(500)
    site.routes["/a.html"] = resource(page(0))
    root = make_site(tmp_path, sources(site.url("/a.html")))
    result = run(root, "fetch")
    assert result.exit_code == 1
    assert f"robots.txt of {site.base} could not be had (HTTP 500" in result.output
    assert site.paths() == ["/robots.txt"]


def test_unchanged_bytes_without_validators_write_nothing(site: Site, tmp_path: Path) -> None:
    site.routes["/plain.html"] = resource(page(4), etag=None, last_modified=None)
    root = make_site(tmp_path, sources(site.url("/plain.html")))
    assert run(root, "fetch").exit_code == 0
    before = tree(root)
    result = run(root, "fetch")
    assert result.exit_code == 0
    assert "0 new articles, 1 unchanged" in result.output
    assert tree(root) == before


def test_ingest_takes_addresses_beside_paths(site: Site, tmp_path: Path) -> None:
    site.routes["/news/regatta.html"] = resource(page(6))
    root = make_site(tmp_path, FAST)
    local = root / "local.txt"
    local.write_text(ARTICLES[7].read_text(encoding="utf-8"), encoding="utf-8")
    result = run(root, "ingest", site.url("/news/regatta.html#top"), str(local))
    assert result.exit_code == 0, result.output
    assert "ingest: 2 written" in result.output
    assert any(f"url: {site.url('/news/regatta.html')}" in t for t in briefings(root).values())
    before = tree(root)
    again = run(root, "ingest", site.url("/news/regatta.html"))
    assert again.exit_code == 0, again.output
    assert "ingest: 0 written, 1 unchanged" in again.output
    assert {k: v for k, v in tree(root).items() if not k.startswith(".briefing")} == {
        k: v for k, v in before.items() if not k.startswith(".briefing")
    }


@pytest.mark.parametrize(
    ("args", "toml", "says"),
    [
        (["ingest", "ftp://example.org/x"], "", "only http and https addresses are fetched"),
        (["ingest", "file:///etc/passwd"], "", "not 'file:'"),
        (["fetch"], "", "no [[sources]] to fetch"),
        (["fetch"], '[[sources]]\nurl = "gopher://x/"\n', "[[sources]] entry 1 (gopher://x/)"),
        (
            ["fetch"],
            '[[sources]]\nurl = "http://127.0.0.1:9/"\ntopics = ["no-such-topic"]\n',
            "unknown topic id(s) no-such-topic",
        ),
    ],
)
def test_usage_and_config_errors_exit_with_2(
    guard: list[str], tmp_path: Path, args: list[str], toml: str, says: str
) -> None:
    root = make_site(tmp_path, toml)
    result = run(root, *args)
    assert result.exit_code == 2, result.output
    assert says in result.output


def test_the_guard_stops_traffic_to_any_other_address(guard: list[str], tmp_path: Path) -> None:
    root = make_site(tmp_path, sources("http://example.org/news"))
    result = run(root, "fetch")
    assert result.exit_code == 1
    assert "error: http://example.org/news: robots.txt of http://example.org:80 could not" in (
        result.output
    )
    assert guard == ["example.org"]
    guard.clear()  # it did its job: nothing left the machine


def test_a_compressed_body_is_capped_as_it_unpacks(site: Site, tmp_path: Path) -> None:
    bomb = gzip.compress(b"<html>" + b" " * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000

    def respond(h: Handler) -> None:
        h.send_body(bomb, "text/html", {"Content-Encoding": "gzip"})

    site.routes["/bomb.html"] = respond
    site.routes["/small.html"] = lambda h: h.send_body(
        gzip.compress(page(3)), "text/html", {"Content-Encoding": "gzip"}
    )
    root = make_site(tmp_path, sources(site.url("/bomb.html"), site.url("/small.html")))
    result = run(root, "fetch")
    assert result.exit_code == 1
    assert f"{site.url('/bomb.html')}: larger than 5.0 MB; stopped reading" in result.output
    assert site.seen[1].headers["Accept-Encoding"] == "gzip"
    [kept] = (root / "content/articles/fetched").rglob("small-*.html")
    assert kept.read_bytes() == page(3)  # kept as served, unpacked


def test_a_teaser_whose_page_cannot_be_had_is_named_with_its_feed(
    site: Site, tmp_path: Path
) -> None:
    site.routes["/feed.xml"] = resource(
        feed(
            site,
            [
                ("Secret talks", "/private/talks.html", "Officials met in secret."),
                ("Bad port", "http://127.0.0.1:99999/x", "A link that cannot be."),
            ],
        ),
        "application/rss+xml",
    )
    root = make_site(tmp_path, sources(site.url("/feed.xml")))
    result = run(root, "fetch")
    assert result.exit_code == 1
    assert (
        f"error: {site.url('/private/talks.html')} (an entry of {site.url('/feed.xml')}): "
        "robots.txt forbids" in result.output
    )
    assert "error: http://127.0.0.1:99999/x (an entry of" in result.output
    assert "invalid port" in result.output
    assert "fetch: 1 sources fetched (2 pages followed from feeds), 0 new articles" in (
        result.output
    )
    assert briefings(root) == {}  # the teaser is not an article


def test_the_user_agent_names_the_tool_its_version_and_a_contact(
    site: Site, tmp_path: Path
) -> None:
    site.routes["/a.html"] = resource(page(0))
    toml = sources(site.url("/a.html")).replace("[fetch]\n", '[fetch]\ncontact = "ops@x.example"\n')
    assert run(make_site(tmp_path, toml), "fetch").exit_code == 0
    assert {s.headers["User-Agent"] for s in site.seen} == {
        f"briefing/{__version__} (+ops@x.example)"
    }


def test_sources_start_host_by_host_in_turn() -> None:
    from generator.commands.fetch import _across_hosts
    from generator.fetch.settings import SourceSpec

    specs = [SourceSpec(f"http://{h}.example/{n}") for h, n in ("a0", "a1", "a2", "b0")]
    order = [s.url.split("//")[1] for s in _across_hosts(specs)]
    assert order == ["a.example/0", "b.example/0", "a.example/1", "a.example/2"]
