"""One cached build's work after the views are set up: the rendering, the writing of
every output (briefing pages first), the search index beside it, and the report."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import jinja2

from generator.config import SiteConfig
from generator.errors import Superseded
from generator.model import Briefing
from generator.progress import Progress
from generator.site.incremental.cache import (
    Memory,
    drop_cache,
    keep_for_session,
    read_cache,
    read_shards,
    session_value,
)
from generator.site.incremental.outputs import (
    POOL_MIN_BRIEFINGS,
    Plan,
    open_pool,
    write_feeds,
    write_pages,
    write_sitemap,
    write_static,
)
from generator.site.incremental.quick import (
    MARKDOWN_CACHE,
    OUTPUTS_CACHE,
    PARSE_CACHE,
    TEMPLATES_CACHE,
    SiteReport,
)
from generator.site.incremental.stages import (
    Saves,
    Viewer,
    complete_stage,
)
from generator.site.model.group import BriefingModel, SiteModel
from generator.site.model.load import LoadResult
from generator.site.output.search import build_search_index, search_keys
from generator.site.output.write import Manifest, OutputWriter
from generator.site.render.feeds import site_feeds
from generator.site.render.kinds import Sources, list_page_count, list_page_specs
from generator.site.render.pages import (
    Metas,
    SiteMeta,
    briefing_page_path,
    briefing_page_specs,
    files_key,
    make_environment,
    site_key,
    site_meta,
    static_files,
    theme_dirs,
)
from generator.site.views.briefings import BriefingViews

log = logging.getLogger(__name__)

SHARDED = frozenset({PARSE_CACHE, MARKDOWN_CACHE})
"""Caches keyed by briefing file or body, saved in shards: an edit rewrites one or two."""
PAGE_METAS = "page-metas"
PAGE_HEADS = "page-heads"
"""Kept for the session only: the last build's page metas and page and feed fingerprints
(render.Metas, incremental.Head and FeedHead), so that what an edit left as it was costs a
lookup, not a serialization or hash."""
OUTPUT_MANIFEST = "output-manifest"
"""Kept for the session only: the output manifest as the last build left it
(write.Manifest), not read again while its file is unchanged."""


@dataclass(frozen=True)
class OutputState:
    """The fingerprint and size of every file the last build wrote, and its site key."""

    key: bytes
    files: dict[str, tuple[bytes | None, int]]


@dataclass
class Run:
    """One build's settings and what its stages share."""

    config: SiteConfig
    clean: bool
    memory: Memory | None
    workers: int
    bar: Progress
    lap: Callable[[str], None]
    saves: Saves

    @property
    def session(self) -> Memory | None:
        """What only this preview session keeps (None in a clean build or outside one)."""
        return None if self.clean else self.memory

    def cached(self, name: str) -> object:
        """The last build's cache `name` (None in a clean build)."""
        if self.clean:
            return None
        if name in SHARDED:
            return read_shards(self.config.cache_path, name, self.memory)
        return read_cache(self.config.cache_path, name, self.memory)


@dataclass(frozen=True)
class Outputs:
    """How this build renders: the site meta and templates, their key, the plan (what the
    last build left, worker processes) and the page metas."""

    site: SiteMeta
    env: jinja2.Environment
    key: bytes
    plan: Plan
    metas: Metas


def open_outputs(run: Run, briefings: Sequence[Briefing]) -> Outputs:
    """The rendering set up, with the last build's fingerprints (and in a preview session,
    its page heads and metas); worker processes when every page will be rendered."""
    config = run.config
    site = site_meta(config)
    env = make_environment(config, None if run.clean else config.cache_path / TEMPLATES_CACHE)
    key = site_key(site, files_key(d / "templates" for d in theme_dirs(config)))
    old = run.cached(OUTPUTS_CACHE)
    old = old if isinstance(old, OutputState) else None
    plan = Plan(key, old.files if old is not None else {})
    heads = session_value(run.session, PAGE_HEADS)
    if isinstance(heads, tuple) and heads[0] == key:
        plan.last_heads, plan.last_feeds, plan.last_sitemap = heads[1:]
    last_metas = session_value(run.session, PAGE_METAS)
    metas = Metas(site, last_metas if isinstance(last_metas, Metas) else None)
    many = old is None or old.key != key  # every page will be rendered
    if many and len(briefings) >= POOL_MIN_BRIEFINGS:
        plan.pool = open_pool(config, site, briefings, run.workers)
    drop_cache(config.cache_path, OUTPUTS_CACHE, run.memory)
    return Outputs(site, env, key, plan, metas)


def open_writer(run: Run, look_later: bool) -> OutputWriter:
    """The output writer, with the manifest this preview session's last build left."""
    manifest = session_value(run.session, OUTPUT_MANIFEST)
    last = manifest if isinstance(manifest, Manifest) else None
    return OutputWriter(run.config.output_path, verify=run.clean, look_later=look_later, last=last)


def stop_if(superseded: Callable[[], bool] | None, writer: OutputWriter) -> None:
    """Stop here, the output recorded as it is, when newer changes wait."""
    if superseded is not None and superseded():
        writer.publish_new()
        raise Superseded


@dataclass(frozen=True)
class Done:
    """What writing the outputs made: the whole model, the search index being built, and
    warnings about the theme's static files."""

    model: SiteModel
    search: Future[str | None]
    warnings: list[str]


def write_all(
    run: Run,
    out: Outputs,
    writer: OutputWriter,
    side: ThreadPoolExecutor,
    viewer: Viewer,
    grouped: BriefingModel,
    digests: Mapping[str, str],
    superseded: Callable[[], bool] | None,
) -> Done:
    """Every output: the briefing pages, then (asking `superseded` between stages) the
    search index on a side thread, the other pages, the feeds, the sitemap, static files."""
    first, pages = write_briefings(run, out, writer, viewer, len(grouped.briefings))
    stop_if(superseded, writer)
    # Search (issue 7): Pagefind indexes the briefing pages once on disk; only the shards
    # whose briefings' search keys changed (a clean build: all of them). With a core to
    # spare it runs (its own processes, waited on by a thread) while the other pages and
    # the feeds are written.
    keys = search_keys(first.briefings, out.key)
    output, clean, workers = run.config.output_path, run.clean, run.workers
    search = side.submit(build_search_index, output, keys, force=clean, jobs=workers)
    if workers == 1:
        search.result()
    model = complete_stage(run.config, grouped, run.session)
    views = viewer.views(model, first)
    run.lap("views")
    stop_if(superseded, writer)
    sources = Sources(model, views, out.site)
    run.bar.stage("pages", list_page_count(sources))
    specs = list_page_specs(sources, out.metas)
    pages += write_pages(out.plan, writer, out.env, out.site, specs, run.bar.advance)
    keep_for_session(run.session, PAGE_METAS, out.metas)
    writer.publish_new()
    run.lap("pages")
    stop_if(superseded, writer)
    return Done(model, search, write_rest(run, out, writer, model, pages, digests))


def write_briefings(
    run: Run, out: Outputs, writer: OutputWriter, viewer: Viewer, count: int
) -> tuple[BriefingViews, list[str]]:
    """The briefing pages, listed as they are written, the edited ones before the others
    are made: an edited briefing's page is on disk before the rest of the model and the
    other views are made. Their views, and their paths."""
    plan, env, site, metas, tick = out.plan, out.env, out.site, out.metas, run.bar.advance
    run.bar.stage("briefings", count)
    edited = viewer.briefings(viewer.edited, None)
    write_pages(plan, writer, env, site, briefing_page_specs(edited.briefings, metas), tick)
    writer.publish_new()
    run.lap("edited pages")
    first = viewer.briefings(None, edited)
    rest = [e for e in first.briefings if e.card.slug not in viewer.edited]
    write_pages(plan, writer, env, site, briefing_page_specs(rest, metas), tick)
    writer.publish_new()
    run.lap("briefing pages")
    return first, [briefing_page_path(e.card) for e in first.briefings]


def write_rest(
    run: Run,
    out: Outputs,
    writer: OutputWriter,
    model: SiteModel,
    pages: list[str],
    digests: Mapping[str, str],
) -> list[str]:
    """The feeds, the sitemap, robots.txt and the theme's static files; warnings for the
    static files that clash with a generated page."""
    plan, site = out.plan, out.site
    feeds = site_feeds(model, site.title)
    run.bar.stage("feeds", len(feeds))
    feed_paths = write_feeds(plan, writer, site, feeds, digests, run.bar.advance)
    write_sitemap(plan, writer, site, pages, model.briefings)
    keep_for_session(run.session, PAGE_HEADS, (out.key, plan.heads, plan.feeds, plan.sitemap))
    taken = {*pages, *feed_paths, "sitemap.xml", "robots.txt"}
    warnings = write_static(plan, writer, static_files(run.config), taken)
    run.lap("feeds")
    return warnings


def build_report(
    loaded: LoadResult, model: SiteModel, plan: Plan, writer: OutputWriter, warnings: list[str]
) -> SiteReport:
    """The build's report (and its log line)."""
    stats = writer.stats
    log.info(
        "site: %d briefings, %d files rendered, %d written, %d unchanged, %d removed",
        len(model.briefings),
        plan.rendered,
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
