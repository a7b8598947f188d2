"""sitemap.xml and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from generator.model import Briefing
from generator.site.render.feeds import xml_text
from generator.site.render.pages import SiteMeta

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page_url(path: str) -> str:
    """A page's URL from its output path: `a/b/index.html` -> `a/b/`."""
    return path.removesuffix("index.html")


def page_dates(briefings: Iterable[Briefing]) -> dict[str, str]:
    """Briefing page path -> its date. An undated briefing's page has none: its stand-in
    date is not when the page changed."""
    return {
        f"briefings/{b.slug}/index.html": b.date.isoformat()
        for b in briefings
        if not b.date_inferred
    }


def sitemap_entries(pages: Iterable[str], dates: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """The sitemap's pages (the HTML pages, sorted) with their dates."""
    return [(p, dates.get(p)) for p in sorted(pages) if p.endswith("index.html")]


def render_sitemap(pages: Iterable[tuple[str, str | None]], site: SiteMeta) -> bytes:
    """A sitemap of (output path, last modified ISO date or None), in the given order.

    Sitemaps want absolute URLs: without a base_url the locations stay relative to
    the site root, which crawlers resolve against the sitemap's own address. Written as
    text, not through ElementTree: tens of thousands of pages, and every added briefing
    writes it again.
    """
    parts = [f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP_NS}\">"]
    for path, lastmod in pages:
        loc = escape(xml_text(site.base_url + page_url(path) or "./"), quote=False)
        parts.append(f"\n  <url>\n    <loc>{loc}</loc>")
        if lastmod:
            parts.append(f"\n    <lastmod>{escape(xml_text(lastmod), quote=False)}</lastmod>")
        parts.append("\n  </url>")
    parts.append("\n</urlset>\n")
    return "".join(parts).encode()


def render_robots(site: SiteMeta) -> bytes:
    """robots.txt: everything may be crawled; names the sitemap when the address is known."""
    lines = ["User-agent: *", "Allow: /"]
    if site.base_url:
        lines.append(f"Sitemap: {site.base_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")
