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
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.config import SiteConfig
from generator.errors import Superseded
from generator.fileio import Stamp, file_stat
from generator.lock import site_lock
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
    complete_stage,
    group_stage,
    load_stage,
    views_stage,
)
from generator.site.output.search import build_search_index, search_keys
from generator.site.output.write import MANIFEST, LinkInOutput, Manifest, OutputWriter, lost
from generator.site.render.feeds import site_feeds
from generator.site.render.kinds import Sources, list_page_count, list_page_specs
from generator.site.render.pages import (
    Metas,
    briefing_page_path,
    briefing_page_specs,
    files_key,
    make_environment,
    site_key,
    site_meta,
    static_files,
    theme_dirs,
)

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
    bar = progress or NoProgress()
    workers = job_count(jobs)
    # A build that dies half-way must leave no record that could vouch for its output.
    drop_cache(config.cache_path, QUICK_CACHE, memory)
    lap = _stopwatch()
    saves: Saves = {}

    def cached(name: str) -> object:
        """The last build's cache `name` (None in a clean build)."""
        if clean:
            return None
        if name in SHARDED:
            return read_shards(config.cache_path, name, memory)
        return read_cache(config.cache_path, name, memory)

    loaded = load_stage(cached, checked.scan, workers, saves)
    lap("load")
    digests = loaded.file_hashes()
    session = None if clean else memory  # what only this preview session keeps
    grouped, memo = group_stage(cached, config, loaded, digests, saves)
    lap("group")
    viewer = views_stage(cached, grouped, digests, memo, saves, session)
    site = site_meta(config)
    env = make_environment(config, None if clean else config.cache_path / TEMPLATES_CACHE)
    key = site_key(site, files_key(d / "templates" for d in theme_dirs(config)))
    old = cached(OUTPUTS_CACHE)
    old = old if isinstance(old, OutputState) else None
    plan = Plan(key, old.files if old is not None else {})
    heads = session_value(session, PAGE_HEADS)
    if isinstance(heads, tuple) and heads[0] == key:
        plan.last_heads, plan.last_feeds, plan.last_sitemap = heads[1:]
    last_metas = session_value(session, PAGE_METAS)
    metas = Metas(site, last_metas if isinstance(last_metas, Metas) else None)
    many = old is None or old.key != key  # every page will be rendered
    if many and len(grouped.briefings) >= POOL_MIN_BRIEFINGS:
        plan.pool = open_pool(config, site, grouped.briefings, workers)
    drop_cache(config.cache_path, OUTPUTS_CACHE, memory)
    with ThreadPoolExecutor(1) as side:
        try:
            look_later = defer is not None
            manifest = session_value(session, OUTPUT_MANIFEST)
            last_manifest = manifest if isinstance(manifest, Manifest) else None
            out = config.output_path
            writer = OutputWriter(out, verify=clean, look_later=look_later, last=last_manifest)

            def stop_if_superseded() -> None:
                """Stop here, the output recorded as it is, when newer changes wait."""
                if superseded is not None and superseded():
                    writer.publish_new()
                    raise Superseded

            with writer:
                # Briefing pages first, listed as they are written, the edited ones before
                # the others are made: an edited briefing's page is on disk before the
                # rest of the model and the other views are made.
                bar.stage("briefings", len(grouped.briefings))
                edited = viewer.briefings(viewer.edited, None)
                specs = briefing_page_specs(edited.briefings, metas)
                write_pages(plan, writer, env, site, specs, bar.advance)
                writer.publish_new()
                lap("edited pages")
                first = viewer.briefings(None, edited)
                rest = [e for e in first.briefings if e.card.slug not in viewer.edited]
                write_pages(plan, writer, env, site, briefing_page_specs(rest, metas), bar.advance)
                pages = [briefing_page_path(e.card) for e in first.briefings]
                writer.publish_new()
                lap("briefing pages")
                stop_if_superseded()
                # Search (issue 7): Pagefind indexes the briefing pages once on disk; only
                # the shards whose briefings' search keys changed (a clean build: all of
                # them). With a core to spare it runs (its own processes, waited on by a
                # thread) while the other pages and the feeds are written.
                keys = search_keys(first.briefings, key)
                search = side.submit(build_search_index, out, keys, force=clean, jobs=workers)
                if workers == 1:
                    search.result()
                model = complete_stage(config, grouped, session)
                views = viewer.views(model, first)
                lap("views")
                stop_if_superseded()
                sources = Sources(model, views, site)
                bar.stage("pages", list_page_count(sources))
                specs = list_page_specs(sources, metas)
                pages += write_pages(plan, writer, env, site, specs, bar.advance)
                keep_for_session(session, PAGE_METAS, metas)
                writer.publish_new()
                lap("pages")
                stop_if_superseded()
                feeds = site_feeds(model, site.title)
                bar.stage("feeds", len(feeds))
                feed_paths = write_feeds(plan, writer, site, feeds, digests, bar.advance)
                write_sitemap(plan, writer, site, pages, model.briefings)
                made = (key, plan.heads, plan.feeds, plan.sitemap)
                keep_for_session(session, PAGE_HEADS, made)
                taken = {*pages, *feed_paths, "sitemap.xml", "robots.txt"}
                warnings = write_static(plan, writer, static_files(config), taken)
                lap("feeds")
        except Superseded:
            # What this build wrote or kept, and the last build's record for the rest: the
            # output as it is (nothing was removed yet), for the next build to go on from.
            state = OutputState(key, {**plan.old, **plan.new})
            write_cache(config.cache_path, OUTPUTS_CACHE, state, memory)
            raise
        finally:
            if plan.pool is not None:
                plan.pool.close()
            bar.close()
        stats = writer.stats
        keep_for_session(session, OUTPUT_MANIFEST, writer.manifest)
        saves[OUTPUTS_CACHE] = OutputState(key, plan.new)
        if defer is None:
            _save(config, saves, memory)
        lap("finish")
        note = search.result()
    warnings.extend(writer.notes)
    if note:
        warnings.append(note)
    log.info(
        "site: %d briefings, %d files rendered, %d written, %d unchanged, %d removed",
        len(model.briefings),
        plan.rendered,
        stats.written,
        stats.unchanged,
        stats.removed,
    )
    report = SiteReport(
        briefings=len(model.briefings),
        pages_written=stats.written,
        pages_unchanged=stats.unchanged,
        pages_removed=stats.removed,
        errors=loaded.errors,
        warnings=(*loaded.warnings, *warnings),
    )
    if defer is None:
        remember(config, checked, report, memory)
    else:
        written = file_stat(config.output_path / MANIFEST)
        unchecked = writer.unchecked
        defer(
            lambda followed: _save_later(
                config, saves, memory, checked, report, written, unchecked, followed
            )
        )
    return report


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
