"""sitemap.xml and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from generator.site.feeds import xml_text
from generator.site.render import SiteMeta

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page_url(path: str) -> str:
    """A page's URL from its output path: `a/b/index.html` -> `a/b/`."""
    return path.removesuffix("index.html")


def render_sitemap(pages: Iterable[tuple[str, str | None]], site: SiteMeta) -> bytes:
    """A sitemap of (output path, last modified ISO date or None), in the given order.

    Sitemaps want absolute URLs: without a base_url the locations stay relative to
    the site root, which crawlers resolve against the sitemap's own address.
    """
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for path, lastmod in pages:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = xml_text(site.base_url + page_url(path) or "./")
        if lastmod:
            ET.SubElement(url, "lastmod").text = lastmod
    ET.indent(root, "  ")
    text = ET.tostring(root, encoding="unicode")
    return f"<?xml version='1.0' encoding='utf-8'?>\n{text}\n".encode()


def render_robots(site: SiteMeta) -> bytes:
    """robots.txt: everything may be crawled; names the sitemap when the address is known."""
    lines = ["User-agent: *", "Allow: /"]
    if site.base_url:
        lines.append(f"Sitemap: {site.base_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")
