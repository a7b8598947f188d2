"""The site stage: briefing files -> grouped model -> rendered pages -> output folder.

Every build reuses what the last one left in the cache folder (cache.py): a glance at
stat data ends a build where nothing changed; otherwise only changed briefing files are
parsed, only changed Markdown rendered, and only pages whose inputs changed re-rendered
(outputs.py, run.py). `clean` ignores every cache and rewrites every file.
"""

from __future__ import annotations

import logging
import resource
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
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
    write_cache,
    write_shards,
)
from generator.site.incremental.parallel import job_count
from generator.site.incremental.quick import (
    MARKDOWN_CACHE,
    OUTPUTS_CACHE,
    PARSE_CACHE,
    QUICK_CACHE,
    Checked,
    SiteReport,
    check,
    remember,
)
from generator.site.incremental.run import (
    OUTPUT_MANIFEST,
    OutputState,
    Run,
    build_report,
    open_outputs,
    open_writer,
    write_all,
)
from generator.site.incremental.stages import (
    Saves,
    group_stage,
    load_stage,
    views_stage,
)
from generator.site.output.write import MANIFEST, LinkInOutput, lost

log = logging.getLogger(__name__)


LEGACY_CACHES = ("group", PARSE_CACHE, MARKDOWN_CACHE)
"""Single-file caches of earlier versions (never read: another generator's): removed."""


def stopwatch() -> Callable[[str], None]:
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
    """Load every briefing, group, render and write the site; broken briefings are reported.

    `changed` (from the watcher: paths changed since the last build, None = unknown)
    lets an unchanged briefings folder go unscanned; `checked` is the no-op check when
    the caller already ran it. `jobs` worker processes render big builds (default: CPU
    count); the output never depends on it. `memory` keeps the caches in memory between
    the builds of one preview session (they are still written to disk). `defer` is handed
    the saving of the caches instead of doing it (a preview runs it once the reload is
    pushed); until it runs, the next build finds no caches that vouch for this output.
    Such a build also puts off looking whether the files it keeps are still on disk (a
    stat per file): the put-off work looks, and says True when some were lost meanwhile,
    so that a build right after writes them again.

    Once the briefing pages are written, `superseded` is asked between stages; when it
    says newer changes wait, the build stops (errors.Superseded): the output's record
    (manifest and outputs cache) then holds what it wrote and what it had yet to look at
    as the last build left it, so the next build takes up from there.

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
    """build_site without the retry: every argument as build_site says."""
    checked = checked or check(config, changed, clean, memory)
    if checked.replay is not None:
        log.info("site: nothing changed (%d files)", checked.replay.pages_unchanged)
        return checked.replay
    workers = job_count(jobs)
    # A build that dies half-way must leave no record that could vouch for its output.
    drop_cache(config.cache_path, QUICK_CACHE, memory)
    run = Run(config, clean, memory, workers, progress or NoProgress(), stopwatch(), {})
    loaded = load_stage(run.cached, checked.scan, workers, run.saves)
    run.lap("load")
    digests = loaded.file_hashes()
    grouped, memo = group_stage(run.cached, config, loaded, digests, run.saves)
    run.lap("group")
    viewer = views_stage(run.cached, grouped, digests, memo, run.saves, run.session)
    out = open_outputs(run, grouped.briefings)
    with ThreadPoolExecutor(1) as side:
        try:
            writer = open_writer(run, defer is not None)
            with writer:
                done = write_all(run, out, writer, side, viewer, grouped, digests, superseded)
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
        run.lap("search (the part left once the pages are written; it runs beside them)")
    warnings = [*done.warnings, *writer.notes, *([note] if note else [])]
    report = build_report(loaded, done.model, out.plan, writer, warnings)
    if defer is None:
        remember(config, checked, report, memory)
    else:
        written, unchecked = file_stat(config.output_path / MANIFEST), writer.unchecked
        defer(partial(_save_later, config, run.saves, memory, checked, report, written, unchecked))
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
