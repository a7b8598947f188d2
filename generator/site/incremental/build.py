"""The site stage: briefing files -> grouped model -> rendered pages -> output folder.

Every build reuses what the last one left in the cache folder (cache.py): a glance at
stat data ends a build where nothing changed; otherwise only changed briefing files are
parsed, only changed Markdown rendered, and only pages whose inputs changed re-rendered
(incremental.py). `clean` ignores every cache and rewrites every file.
"""

from __future__ import annotations

import logging
import resource
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.config import SiteConfig
from generator.errors import Superseded
from generator.fileio import Stamp, file_stat
from generator.lock import site_lock
from generator.model import Briefing
from generator.progress import NoProgress, Progress
from generator.site.incremental.cache import (
    Memory,
    Sharded,
    drop_cache,
    keep_for_session,
    read_cache,
    read_shards,
    session_value,
    write_cache,
    write_shards,
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
from generator.site.incremental.parallel import job_count
from generator.site.incremental.quick import (
    MARKDOWN_CACHE,
    OUTPUTS_CACHE,
    PARSE_CACHE,
    QUICK_CACHE,
    TEMPLATES_CACHE,
    Checked,
    SiteReport,
    check,
    remember,
)
from generator.site.incremental.stages import (
    Saves,
    Viewer,
    complete_stage,
    group_stage,
    load_stage,
    views_stage,
)
from generator.site.model.group import BriefingModel, SiteModel
from generator.site.model.load import LoadResult
from generator.site.output.search import build_search_index, search_keys
from generator.site.output.write import MANIFEST, LinkInOutput, Manifest, OutputWriter, lost
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
LEGACY_CACHES = ("group", PARSE_CACHE, MARKDOWN_CACHE)
"""Single-file caches of earlier versions (never read: another generator's): removed."""


@dataclass(frozen=True)
class OutputState:
    """The fingerprint and size of every file the last build wrote, and its site key."""

    key: bytes
    files: dict[str, tuple[bytes | None, int]]


def _stopwatch() -> Callable[[str], None]:
    """A function logging (at debug level) the time since its last call, per stage."""
    last = [time.perf_counter(), time.process_time()]

    def lap(stage: str) -> None:
        """Log the stage's time (wall clock and this process's CPU)."""
        now = [time.perf_counter(), time.process_time()]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        log.debug(
            "%s: %.3f s (cpu %.3f s, peak RSS %d MB)",
            stage,
            now[0] - last[0],
            now[1] - last[1],
            peak,
        )
        last[:] = now

    return lap


def build_site(
    config: SiteConfig,
    *,
    clean: bool = False,
    jobs: int | None = None,
    changed: Collection[Path] | None = None,
    progress: Progress | None = None,
    checked: Checked | None = None,
    memory: Memory | None = None,
    defer: Callable[[Callable[[bool], bool]], None] | None = None,
    superseded: Callable[[], bool] | None = None,
) -> SiteReport:
    """Load every briefing, group, render and write the site (see _build_site).

    A build that finds a symlink (or a file) where the output has a folder of its own
    (`site/actors -> /elsewhere`) writes nothing through it: it runs again as a clean build,
    which keeps nothing unseen and replaces the link (each one named in the warnings).
    """
    try:
        return _build_site(
            config,
            clean=clean,
            jobs=jobs,
            changed=changed,
            progress=progress,
            checked=checked,
            memory=memory,
            defer=defer,
            superseded=superseded,
        )
    except LinkInOutput as exc:
        log.info("%s: a symlink in the output folder: building again with --clean", exc)
        return _build_site(
            config,
            clean=True,
            jobs=jobs,
            changed=changed,
            checked=checked,
            memory=memory,
            defer=defer,
        )


def _build_site(
    config: SiteConfig,
    *,
    clean: bool = False,
    jobs: int | None = None,
    changed: Collection[Path] | None = None,
    progress: Progress | None = None,
    checked: Checked | None = None,
    memory: Memory | None = None,
    defer: Callable[[Callable[[bool], bool]], None] | None = None,
    superseded: Callable[[], bool] | None = None,
) -> SiteReport:
    """Load every briefing, group, render and write the site; broken briefings are reported.

    `changed` (from the watcher: paths changed since the last build, None = unknown)
    lets an unchanged briefings folder go unscanned; `checked` is the no-op check when
    the caller already ran it. `jobs` worker processes render big builds (default: CPU
    count); the output never depends on it. `memory` keeps the caches in memory between
    the builds of one preview session (they are still written to disk). `defer` is handed
    the saving of the caches instead of doing it (a preview runs it once the reload is
    pushed); until it runs, the next build finds no caches that vouch for this output.
    Such a build also puts off looking whether the files it keeps are still on disk (a
    stat per file): the put-off work looks, and says
    True when some were lost meanwhile, so that a build right after writes them again.

    Once the briefing pages are written, `superseded` is asked between stages; when it
    says newer changes wait, the build stops (errors.Superseded): the output's record
    (manifest and outputs cache) then holds what it wrote and what it had yet to look at
    as the last build left it, so the next build takes up from there.
    """
    checked = checked or check(config, changed, clean, memory)
    if checked.replay is not None:
        log.info("site: nothing changed (%d files)", checked.replay.pages_unchanged)
        return checked.replay
    workers = job_count(jobs)
    # A build that dies half-way must leave no record that could vouch for its output.
    drop_cache(config.cache_path, QUICK_CACHE, memory)
    run = _Run(config, clean, memory, workers, progress or NoProgress(), _stopwatch(), {})
    loaded = load_stage(run.cached, checked.scan, workers, run.saves)
    run.lap("load")
    digests = loaded.file_hashes()
    grouped, memo = group_stage(run.cached, config, loaded, digests, run.saves)
    run.lap("group")
    viewer = views_stage(run.cached, grouped, digests, memo, run.saves, run.session)
    out = _open_outputs(run, grouped.briefings)
    with ThreadPoolExecutor(1) as side:
        try:
            writer = _writer(run, defer is not None)
            with writer:
                done = _write_all(run, out, writer, side, viewer, grouped, digests, superseded)
        except Superseded:
            # What this build wrote or kept, and the last build's record for the rest: the
            # output as it is (nothing was removed yet), for the next build to go on from.
            state = OutputState(out.key, {**out.plan.old, **out.plan.new})
            write_cache(config.cache_path, OUTPUTS_CACHE, state, memory)
            raise
        finally:
            if out.plan.pool is not None:
                out.plan.pool.close()
            run.bar.close()
        keep_for_session(run.session, OUTPUT_MANIFEST, writer.manifest)
        run.saves[OUTPUTS_CACHE] = OutputState(out.key, out.plan.new)
        if defer is None:
            _save(config, run.saves, memory)
        run.lap("finish")
        note = done.search.result()
    warnings = [*done.warnings, *writer.notes, *([note] if note else [])]
    report = _report(loaded, done.model, out.plan, writer, warnings)
    if defer is None:
        remember(config, checked, report, memory)
    else:
        written = file_stat(config.output_path / MANIFEST)
        unchecked = writer.unchecked
        saves = run.saves
        defer(
            lambda followed: _save_later(
                config, saves, memory, checked, report, written, unchecked, followed
            )
        )
    return report


@dataclass
class _Run:
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
class _Outputs:
    """How this build renders: the site meta and templates, their key, the plan (what the
    last build left, worker processes) and the page metas."""

    site: SiteMeta
    env: jinja2.Environment
    key: bytes
    plan: Plan
    metas: Metas


def _open_outputs(run: _Run, briefings: Sequence[Briefing]) -> _Outputs:
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
    return _Outputs(site, env, key, plan, metas)


def _writer(run: _Run, look_later: bool) -> OutputWriter:
    """The output writer, with the manifest this preview session's last build left."""
    manifest = session_value(run.session, OUTPUT_MANIFEST)
    last = manifest if isinstance(manifest, Manifest) else None
    return OutputWriter(run.config.output_path, verify=run.clean, look_later=look_later, last=last)


def _stop_if(superseded: Callable[[], bool] | None, writer: OutputWriter) -> None:
    """Stop here, the output recorded as it is, when newer changes wait."""
    if superseded is not None and superseded():
        writer.publish_new()
        raise Superseded


@dataclass(frozen=True)
class _Done:
    """What writing the outputs made: the whole model, the search index being built, and
    warnings about the theme's static files."""

    model: SiteModel
    search: Future[str | None]
    warnings: list[str]


def _write_all(
    run: _Run,
    out: _Outputs,
    writer: OutputWriter,
    side: ThreadPoolExecutor,
    viewer: Viewer,
    grouped: BriefingModel,
    digests: Mapping[str, str],
    superseded: Callable[[], bool] | None,
) -> _Done:
    """Every output: the briefing pages, then (asking `superseded` between stages) the
    search index on a side thread, the other pages, the feeds, the sitemap, static files."""
    first, pages = _write_briefings(run, out, writer, viewer, len(grouped.briefings))
    _stop_if(superseded, writer)
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
    _stop_if(superseded, writer)
    sources = Sources(model, views, out.site)
    run.bar.stage("pages", list_page_count(sources))
    specs = list_page_specs(sources, out.metas)
    pages += write_pages(out.plan, writer, out.env, out.site, specs, run.bar.advance)
    keep_for_session(run.session, PAGE_METAS, out.metas)
    writer.publish_new()
    run.lap("pages")
    _stop_if(superseded, writer)
    return _Done(model, search, _write_rest(run, out, writer, model, pages, digests))


def _write_briefings(
    run: _Run, out: _Outputs, writer: OutputWriter, viewer: Viewer, count: int
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


def _write_rest(
    run: _Run,
    out: _Outputs,
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


def _report(
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


def _save(config: SiteConfig, saves: Saves, memory: Memory | None) -> None:
    """Write a build's caches (and drop those of earlier versions)."""
    for name, value in saves.items():
        value = value() if callable(value) else value
        if isinstance(value, Sharded):
            write_shards(config.cache_path, name, value, memory)
        else:
            write_cache(config.cache_path, name, value, memory)
    for name in LEGACY_CACHES:
        drop_cache(config.cache_path, name, memory)


def _save_later(
    config: SiteConfig,
    saves: Saves,
    memory: Memory | None,
    checked: Checked,
    report: SiteReport,
    written: Stamp | None,
    unchecked: Sequence[tuple[str, int]],
    followed: bool = False,
) -> bool:
    """A build's cache saves, put off until its result was published (build_site's
    `defer`): skipped when another build changed the output meanwhile (its caches stand).

    First the files the build kept without a look (`unchecked`) are looked at: those lost
    meanwhile are left out of the outputs cache and True is returned (build again). When
    another build follows at once (`followed`: the next save already waits), the look (a
    stat per file) is left to it: it keeps those files unlooked at
    too, or rewrites them. Until then no record lets a build be skipped (quick.remember).
    """
    with site_lock(config.root):
        if file_stat(config.output_path / MANIFEST) != written:
            log.debug("caches not saved: the output changed since this build")
            return False
        gone = set() if followed else set(lost(config.output_path, unchecked))
        state = saves[OUTPUTS_CACHE]
        if gone and isinstance(state, OutputState):
            log.warning("%d output file(s) changed outside the build: writing them again",
                        len(gone))  # fmt: skip
            files = {path: fp for path, fp in state.files.items() if path not in gone}
            saves[OUTPUTS_CACHE] = OutputState(state.key, files)
        _save(config, saves, memory)
        if gone:
            return True  # and no no-op record: the next build must not be skipped
        remember(config, checked, report, memory, replay=not followed)
        return False
