"""The build stage: ingest new or changed raw articles, then render the site.

A build where nothing changed stops after a scan of stat data (site/incremental/quick.py)
and never imports the rendering stack; otherwise the site stage reuses what it can
(site/incremental/build.py).
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.commands.ingest import IngestOptions, IngestResult, ingest
from generator.config import SiteConfig
from generator.errors import BriefingError
from generator.lock import site_lock
from generator.progress import Progress
from generator.site.incremental.cache import Memory
from generator.site.incremental.quick import SiteReport, check


@dataclass(frozen=True)
class BuildReport:
    """What a build did: the ingest part, the site part, and how long it took."""

    ingest: IngestResult
    site: SiteReport
    seconds: float
    warnings: tuple[str, ...] = field(default=())
    pending: Callable[[bool], bool] | None = field(default=None, compare=False, repr=False)
    """Work the build put off until its result is published (a preview's cache saves);
    True when the output needs another build (files were lost meanwhile). Its argument
    says another build follows at once (site.incremental.build._save_later)."""

    @property
    def errors(self) -> list[BriefingError]:
        return [*self.ingest.errors, *self.site.errors]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def wrote(self) -> bool:
        """Whether the build wrote or removed any output file."""
        return bool(self.site.pages_written or self.site.pages_removed)


def _articles_changed(config: SiteConfig, changed: Collection[Path]) -> bool:
    """True when a changed path may be a raw article (or a folder holding some)."""
    articles = config.articles_path
    return any(p == articles or p.is_relative_to(articles) for p in changed)


@contextlib.contextmanager
def full_collections_paused() -> Iterator[None]:
    """No full runs of Python's cyclic garbage collector during a build.

    A site build holds millions of long-lived objects (the caches it loads, the model), and
    every full collection walks them all, a good part of an edit's rebuild. Young objects
    are still collected, so peak memory stays the same.
    """
    was = gc.get_threshold()
    # Only full collections are put off: young cycles (template contexts) are still freed.
    gc.set_threshold(was[0], was[1], 1 << 30)
    try:
        yield
    finally:
        gc.set_threshold(*was)


def build(
    config: SiteConfig,
    *,
    clean: bool = False,
    jobs: int | None = None,
    changed: set[Path] | None = None,
    progress: Progress | None = None,
    memory: Memory | None = None,
    defer: Callable[[Callable[[bool], bool]], None] | None = None,
    superseded: Callable[[], bool] | None = None,
) -> BuildReport:
    """Ingest what is new in the articles folder, then render the site.

    `changed` (from the watcher) names the paths that changed since the last
    build; None means unknown, so everything is checked. `memory` (a preview session's)
    keeps the site caches in memory between builds; `defer` takes the saving of the site
    caches, for after the result is published; `superseded` lets a preview build stop
    early for newer changes (see site.incremental.build.build_site).
    """
    started = time.perf_counter()
    # The whole build, checks included: a preview's in-memory caches make the heap big
    # before the site stage starts.
    with site_lock(config.root), full_collections_paused():
        ingested = IngestResult()
        if config.articles_path.is_dir() and (
            changed is None or _articles_changed(config, changed)
        ):
            ingested = ingest(config, [config.articles_path], IngestOptions(jobs=jobs))
        touched = set(changed) if changed is not None else None
        if touched is not None:
            # Briefings ingest just wrote are changes too, though the watcher has not seen them.
            touched.update(config.briefings_path / f"{slug}.md" for slug in ingested.written)
        checked = check(config, touched, clean, memory, ingested.scan)
        if checked.replay is not None:
            site = checked.replay
        else:
            from generator.site.incremental.build import (
                build_site,  # the rendering stack, only when needed
            )

            site = build_site(
                config,
                clean=clean,
                jobs=jobs,
                progress=progress,
                checked=checked,
                memory=memory,
                defer=defer,
                superseded=superseded,
            )
    return BuildReport(ingested, site, time.perf_counter() - started)
