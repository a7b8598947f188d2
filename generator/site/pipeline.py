"""The site stage as a plain pipeline: load -> model -> views -> pages -> write -> search.

Nothing here reuses an earlier build's work. incremental/build.py runs the same steps with
the last build's caches, session memos, stopping and worker processes around them; its
output is byte for byte this one's (tests/test_site_pipeline.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import jinja2

from generator.config import SiteConfig
from generator.errors import InputError
from generator.site.model.group import build_site_model
from generator.site.model.load import load_briefings
from generator.site.output.search import build_search_index, search_keys
from generator.site.output.write import OutputWriter
from generator.site.render.feeds import Feed, render_feeds, site_feeds
from generator.site.render.kinds import Sources, page_specs
from generator.site.render.markdown import make_markdown
from generator.site.render.pages import (
    PageSpec,
    SiteMeta,
    files_key,
    make_environment,
    render_page,
    site_key,
    site_meta,
    static_files,
    static_outputs,
    theme_dirs,
)
from generator.site.render.sitemap import page_dates, render_robots, render_sitemap, sitemap_entries
from generator.site.views.assemble import build_views


@dataclass(frozen=True)
class Built:
    """What a plain build made: how many briefings, and the problems it met."""

    briefings: int
    errors: tuple[InputError, ...]
    warnings: tuple[str, ...]


def topic_labels(config: SiteConfig) -> dict[str, str]:
    """Labels of the site's own topics (briefing.toml), for parents no briefing names."""
    return {str(t["id"]): str(t["label"]) for t in config.topics}


def build_plain(config: SiteConfig) -> Built:
    """Build the whole site from its briefing files, nothing reused."""
    loaded = load_briefings(config.briefings_path, config.root)
    model = build_site_model(loaded.briefings, config.aliases, topic_labels(config))
    views = build_views(model, make_markdown(), loaded.file_hashes())
    site = site_meta(config)
    env = make_environment(config)
    with OutputWriter(config.output_path, verify=True) as writer:
        pages = write_pages(writer, env, site, page_specs(Sources(model, views, site)))
        feeds = write_feeds(writer, site, site_feeds(model, site.title))
        dates = page_dates(model.briefings)
        writer.put("sitemap.xml", render_sitemap(sitemap_entries(pages, dates), site))
        writer.put("robots.txt", render_robots(site))
        taken = {*pages, *feeds, "sitemap.xml", "robots.txt"}
        static, clashes = static_outputs(static_files(config), taken)
        for path, data in static.items():
            writer.put(path, data)
    key = site_key(site, files_key(d / "templates" for d in theme_dirs(config)))
    note = build_search_index(config.output_path, search_keys(views.briefings, key), force=True)
    warnings = (*loaded.warnings, *clashes, *writer.notes, *([note] if note else []))
    return Built(len(model.briefings), loaded.errors, warnings)


def write_pages(
    writer: OutputWriter, env: jinja2.Environment, site: SiteMeta, specs: Iterable[PageSpec]
) -> list[str]:
    """Render and write every page; their paths."""
    paths = []
    for spec in specs:
        writer.put(spec[0], render_page(env, spec, site))
        paths.append(spec[0])
    return paths


def write_feeds(writer: OutputWriter, site: SiteMeta, feeds: Iterable[Feed]) -> list[str]:
    """Render and write every feed (Atom and JSON Feed); their paths."""
    rendered = render_feeds(list(feeds), site)
    for path, data in rendered.items():
        writer.put(path, data)
    return list(rendered)
