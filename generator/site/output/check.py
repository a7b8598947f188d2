"""`briefing check` for the site: schema errors, duplicate slugs, broken internal links."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.config import SiteConfig
from generator.site.model.load import load_briefings

# Our templates and markdown-it always quote attributes with double quotes.
_LINK_RE = re.compile(r'\s(?:href|src)="([^"]*)"')
# What no page should hold: control characters but tab and line breaks (the briefing loader
# removes them; a page holding one was made or edited by something else).
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _target(out: Path, page: Path, url: str) -> Path | None:
    """The file an internal link points to, or None for external and in-page links."""
    parts = urlsplit(html.unescape(url))
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    base = out if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def find_broken_links(out: Path) -> list[str]:
    """Every relative href/src in the built HTML that does not resolve to a file in `out`,
    and every page holding a control character."""
    out = out.resolve()
    problems = []
    for page in sorted(out.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        control = _CONTROL_RE.search(text)
        if control is not None:
            problems.append(f"{page.relative_to(out)}: control character U+{ord(control[0]):04X}")
        for url in sorted(set(_LINK_RE.findall(text))):
            target = _target(out, page, url)
            if target is None:
                continue
            if not target.is_relative_to(out) or not target.is_file():
                problems.append(f"{page.relative_to(out)}: broken link {url}")
    return problems


def check_site(config: SiteConfig) -> list[str]:
    """Problems in the content (schema errors, duplicate slugs) and in the built site's links."""
    loaded = load_briefings(config.briefings_path, config.root)
    problems = [str(err) for err in loaded.errors]
    problems.extend(loaded.duplicates)
    if config.output_path.is_dir():
        problems.extend(find_broken_links(config.output_path))
    return problems
