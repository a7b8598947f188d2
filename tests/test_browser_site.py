"""The built site in a real browser: search with filters, no console errors, accessibility.

Serves the fixture site of overlapping briefings (tests/fixtures/stories) with a stdlib HTTP
server, drives Debian's chromium with Playwright, injects axe-core (from npm) and saves
screenshots at phone and desktop widths to test-artifacts/.

axe-core is looked up at $AXE_CORE_JS, then tests/.node/node_modules/axe-core/axe.min.js,
where it is installed with npm when missing (`npm install --no-save --prefix tests/.node
axe-core@4`, which `.ci/run` can run beforehand); without npm the axe tests skip.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.config import SiteConfig, load_config
from generator.site import build_site
from generator.site.output import search
from generator.site.output.search import find_pagefind

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "stories"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 5000
PAGES = {
    "home": "",
    "briefing": "briefings/tarsk-power-restored/",
    "actor": "actors/ilse-varga/",
    "actors": "actors/",
    "story": "stories/grid-blackout-hits-tarsk/",
    "digest": "digest/2025-w23/",
    "search": "search/",
}
AXE_PAGES = ("home", "briefing", "actor", "search")
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
if find_pagefind() is None:
    pytest.skip(
        "needs the Pagefind binary (pip install pagefind[extended])", allow_module_level=True
    )


NODE = REPO / "tests" / ".node"
AXE = NODE / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe.min.js: $AXE_CORE_JS, else tests/.node (installed there with npm if need be)."""
    given = os.environ.get("AXE_CORE_JS")
    if given and Path(given).is_file():
        return Path(given)
    npm = shutil.which("npm")
    if not AXE.is_file() and npm:
        command = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(NODE)]
        subprocess.run([*command, "axe-core@4"], capture_output=True, timeout=300, check=False)
    if not AXE.is_file():
        pytest.skip("axe-core not installed: npm install --no-save --prefix tests/.node axe-core@4")
    return AXE


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        """Silence."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    root = tmp_path_factory.mktemp("browser") / "root"
    shutil.copytree(FIXTURE, root)
    config = load_config(root)
    # Shards of two briefings: the search page must merge them as it does on big sites.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", 2)
        report = build_site(config)
    assert report.errors == () and report.warnings == ()
    shards = json.loads((config.output_path / "pagefind" / "shards.json").read_text())["shards"]
    assert len(shards) > 2
    return config


@pytest.fixture(scope="module")
def base_url(built: SiteConfig) -> Iterator[str]:
    # Served under a sub-path, as a static host would: every link must be relative.
    served = built.output_path.parent / "served"
    served.mkdir(exist_ok=True)
    link = served / "news"
    if not link.exists():
        link.symlink_to(built.output_path, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/news/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.errors = errors
    yield tab
    context.close()


def result_titles(page: Any) -> list[str]:
    """Titles of the search results shown, once they have loaded (not placeholders)."""
    sync_api.expect(page.locator(".pagefind-ui__result-title").first).to_be_visible()
    sync_api.expect(page.locator(".pagefind-ui__loading")).to_have_count(0)
    return sorted(page.locator(".pagefind-ui__result-title").all_inner_texts())


def test_search_finds_briefings_by_an_actors_name(page: Any, base_url: str) -> None:
    page.goto(base_url + "search/")
    page.locator(".pagefind-ui__search-input").fill("Varga")
    results = page.locator(".pagefind-ui__result-title")
    sync_api.expect(results).to_have_count(4)
    assert "Orlan Power profits climb on higher prices" in result_titles(page)
    link = page.locator(".pagefind-ui__result-link").first.get_attribute("href") or ""
    assert link.startswith("/news/briefings/"), link  # relative to where the site is served
    assert page.errors == []


def test_filters_narrow_the_results(page: Any, base_url: str) -> None:
    page.goto(base_url + "search/")
    page.locator(".pagefind-ui__search-input").fill("Tarsk")
    results = page.locator(".pagefind-ui__result-title")
    sync_api.expect(results.first).to_be_visible()
    before = results.count()
    # The actor filter: only briefings naming Aldo Fenn, none of the blackout's.
    page.locator(".pagefind-ui__filter-name", has_text="actor").click()
    page.get_by_label("Ilse Varga").check()
    sync_api.expect(results).not_to_have_count(before)
    narrowed = result_titles(page)
    assert narrowed and "Tarsk harbour festival draws record crowds" not in narrowed
    assert all("Tarsk" in t or "Orlan" in t for t in narrowed)
    assert page.errors == []


def test_a_query_in_the_address_starts_the_search(page: Any, base_url: str) -> None:
    page.goto(base_url + "search/?q=steel")
    sync_api.expect(page.locator(".pagefind-ui__result-title")).to_have_count(2)


def test_pages_show_no_console_errors_and_follow_links(page: Any, base_url: str) -> None:
    for path in PAGES.values():
        page.goto(base_url + path)
        assert page.locator("h1").count() == 1, path
    page.goto(base_url + PAGES["briefing"])
    page.get_by_role(
        "link", name="The whole story: Blackout hits Tarsk after substation fire"
    ).click()
    sync_api.expect(page.locator("h1")).to_have_text("Blackout hits Tarsk after substation fire")
    page.goto(base_url + PAGES["actor"])
    page.locator("svg.graph-svg a", has_text="Orlan Power").click()
    sync_api.expect(page.locator("h1")).to_have_text("Orlan Power")
    assert page.errors == []


def test_the_site_reads_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base_url + "search/")
    # (Chromium with scripts disabled by the driver still parses <noscript> as if scripts ran,
    # so its text is checked in the markup; what a reader without scripts sees is checked here.)
    assert "needs JavaScript" in tab.locator("noscript").inner_html()
    sync_api.expect(tab.get_by_role("link", name="by who is involved")).to_be_visible()
    assert tab.locator(".pagefind-ui__search-input").count() == 0
    tab.goto(base_url + PAGES["briefing"])
    sync_api.expect(tab.get_by_role("heading", name="Also covered by")).to_be_visible()
    context.close()


@pytest.mark.parametrize("name", AXE_PAGES)
def test_no_serious_accessibility_violations(
    page: Any, base_url: str, name: str, axe_script: Path
) -> None:
    page.goto(base_url + PAGES[name])
    if name == "search":
        page.locator(".pagefind-ui__search-input").fill("Varga")
        sync_api.expect(page.locator(".pagefind-ui__result-title").first).to_be_visible()
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_at_phone_and_desktop_widths(browser: Any, base_url: str, width: str) -> None:
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    tab = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    for name in ("home", "briefing", "actor", "search"):
        tab.goto(base_url + PAGES[name])
        if name == "search":
            tab.locator(".pagefind-ui__search-input").fill("Varga")
            sync_api.expect(tab.locator(".pagefind-ui__result-title").first).to_be_visible()
        # Nothing sticks out sideways except the graph, which scrolls inside its own box.
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is wider than the {width} screen"
        shot = ARTIFACTS / f"site-{name}-{width}.png"
        tab.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 1000
    context.close()
