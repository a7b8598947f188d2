"""Live reload in a real browser: edits show up by themselves, errors in an overlay."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.config import SiteConfig
from generator.errors import InputError
from generator.preview.serve import DevServer
from generator.preview.watch import Watcher

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 3000

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@dataclass(frozen=True)
class Outcome:
    """What the fake build returns."""

    errors: tuple[InputError, ...] = ()


def fake_build(config: SiteConfig) -> Any:
    """A build rendering the briefing's first line as the page title; `BROKEN` fails it."""

    def build(changed: set[Path] | None) -> Outcome:
        source = config.briefings_path / "a.md"
        title = source.read_text().strip()
        if title.startswith("BROKEN"):
            message = "front matter is not valid YAML: <img src=x onerror=alert(1)>"
            return Outcome((InputError(message, "content/briefings/a.md", 2),))
        out = config.output_path
        out.mkdir(exist_ok=True)
        css = config.themes_path / "static" / "style.css"
        (out / "style.css").write_bytes(css.read_bytes())
        page = (
            f'<!doctype html><html><head><title>{title}</title><link rel="stylesheet" '
            f'href="style.css"></head><body><h1>{title}</h1></body></html>'
        )
        (out / "index.html").write_text(page)
        return Outcome()

    return build


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[SiteConfig, str]]:
    (tmp_path / "content/briefings").mkdir(parents=True)
    (tmp_path / "themes/static").mkdir(parents=True)
    (tmp_path / "themes/static/style.css").write_text("h1 { color: rgb(0, 0, 255); }")
    (tmp_path / "content/briefings/a.md").write_text("Alpha\n")
    config = SiteConfig(root=tmp_path)
    with DevServer(config.output_path, port=0) as dev:
        watcher = Watcher(config, fake_build(config), listeners=[dev.hub.publish])
        with watcher:
            watcher.build_now(None)
            yield config, dev.url


def test_edit_shows_up_without_manual_reload(browser: Any, site: tuple[SiteConfig, str]) -> None:
    config, url = site
    page = browser.new_page()
    page.goto(url)
    expect(page).to_have_title("Alpha")
    (config.briefings_path / "a.md").write_text("Bravo\n")
    expect(page).to_have_title("Bravo", timeout=TIMEOUT_MS)
    page.close()


def test_error_overlay_until_the_fix(browser: Any, site: tuple[SiteConfig, str]) -> None:
    config, url = site
    briefing = config.briefings_path / "a.md"
    page = browser.new_page()
    page.goto(url)
    expect(page).to_have_title("Alpha")

    briefing.write_text("BROKEN: yaml\n")
    overlay = page.locator("#briefing-error-overlay")
    expect(overlay).to_be_visible(timeout=TIMEOUT_MS)
    expect(overlay).to_contain_text("content/briefings/a.md:2")
    # The message is shown as text, never parsed as HTML.
    expect(overlay).to_contain_text("<img src=x onerror=alert(1)>")
    assert overlay.locator("img").count() == 0
    expect(page).to_have_title("Alpha")  # the last good page stays

    briefing.write_text("Charlie\n")
    expect(page).to_have_title("Charlie", timeout=TIMEOUT_MS)
    expect(overlay).to_have_count(0)
    page.close()


def test_stylesheet_change_is_swapped_without_reload(
    browser: Any, site: tuple[SiteConfig, str]
) -> None:
    config, url = site
    page = browser.new_page()
    page.goto(url)
    heading = page.locator("h1")
    expect(heading).to_have_css("color", "rgb(0, 0, 255)")
    page.evaluate("window.__marker = 'still here'")

    (config.themes_path / "static" / "style.css").write_text("h1 { color: rgb(255, 0, 0); }")
    expect(heading).to_have_css("color", "rgb(255, 0, 0)", timeout=TIMEOUT_MS)
    assert page.evaluate("window.__marker") == "still here"
    assert "__lr=" in page.locator("link[rel=stylesheet]").get_attribute("href")
    page.close()
