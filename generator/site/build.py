"""The site stage: briefing files -> grouped model -> rendered pages -> output folder."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import jinja2

from generator.config import SiteConfig
from generator.errors import ConfigError, InputError
from generator.site.context import Views, actor_url, topic_url
from generator.site.feeds import FEED_ENTRIES, Feed, render_feeds
from generator.site.group import SiteModel, build_site_model
from generator.site.load import load_briefings
from generator.site.render import (
    SiteMeta,
    make_environment,
    make_markdown,
    render_pages,
    static_files,
)
from generator.site.search import build_search_index
from generator.site.sitemap import render_robots, render_sitemap
from generator.site.views import build_views
from generator.site.write import write_output

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SiteReport:
    """What a site build did, for the CLI's summary and exit code."""

    briefings: int
    pages_written: int
    pages_unchanged: int
    pages_removed: int
    errors: tuple[InputError, ...]
    warnings: tuple[str, ...]


def site_meta(config: SiteConfig) -> SiteMeta:
    """The site-wide template values; base_url always ends with '/' when set."""
    base = config.base_url.strip()
    if base and not base.endswith("/"):
        base += "/"
    return SiteMeta(config.title, config.description, config.language, base)


def topic_labels(config: SiteConfig) -> dict[str, str]:
    """Labels of the site's own topics (briefing.toml), for parents no briefing names."""
    return {str(t["id"]): str(t["label"]) for t in config.topics}


def site_feeds(model: SiteModel, views: Views, title: str) -> list[Feed]:
    """The site-wide feed, then one per topic and one per actor."""
    by_slug = {b.slug: b for b in model.briefings}
    feeds = [Feed(title, "", model.briefings[:FEED_ENTRIES])]
    for t in model.topics:
        entries = tuple(by_slug[s] for s in t.briefings[:FEED_ENTRIES])
        feeds.append(Feed(f"{t.label} · {title}", topic_url(t.id), entries))
    for a in model.actors:
        entries = tuple(by_slug[s] for s in a.briefings[:FEED_ENTRIES])
        feeds.append(Feed(f"{a.name} · {title}", actor_url(a.slug), entries))
    return feeds


def render_site(config: SiteConfig, model: SiteModel) -> tuple[dict[str, bytes], list[str]]:
    """Every output file by path (pages, feeds, sitemap, static assets) and warnings."""
    site = site_meta(config)
    env = make_environment(config)
    views = build_views(model, make_markdown())
    try:
        files = render_pages(env, views, site)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"template error: {exc.message}", exc.filename, exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise ConfigError(f"template error: {exc}") from None
    files.update(render_feeds(site_feeds(model, views, site.title), site))
    lastmod = {f"{b.card.url}index.html": b.card.date for b in views.briefings}
    pages = [(p, lastmod.get(p)) for p in sorted(files) if p.endswith("index.html")]
    files["sitemap.xml"] = render_sitemap(pages, site)
    files["robots.txt"] = render_robots(site)
    warnings = []
    for path, data in static_files(config).items():
        if path in files:
            warnings.append(f"theme static file {path} clashes with a generated page; skipped")
        else:
            files[path] = data
    return files, warnings


def build_site(config: SiteConfig, *, clean: bool = False, jobs: int | None = None) -> SiteReport:
    """Load every briefing, group, render and write the site; broken briefings are reported.

    `jobs` is accepted for the command line's --jobs; rendering is serial until it pays
    to fan out (issue 5), and the output never depends on it.
    """
    loaded = load_briefings(config.briefings_path, config.root)
    model = build_site_model(loaded.briefings, config.aliases, topic_labels(config))
    files, warnings = render_site(config, model)
    stats = write_output(config.output_path, files, force=clean)
    # Search (issue 7): Pagefind indexes the pages once they are on disk, only when they changed.
    note = build_search_index(config.output_path, changed=bool(stats.written or stats.removed))
    if note:
        warnings.append(note)
    log.info(
        "site: %d briefings, %d files written, %d unchanged, %d removed",
        len(model.briefings),
        stats.written,
        stats.unchanged,
        stats.removed,
    )
    return SiteReport(
        briefings=len(model.briefings),
        pages_written=stats.written,
        pages_unchanged=stats.unchanged,
        pages_removed=stats.removed,
        errors=loaded.errors,
        warnings=(*loaded.warnings, *warnings),
    )
