"""The build stage: ingest new or changed raw articles, then render the site."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import SiteConfig
from generator.errors import BriefingError
from generator.ingesting import IngestOptions, IngestResult, ingest
from generator.lock import site_lock
from generator.site import SiteReport, build_site


@dataclass(frozen=True)
class BuildReport:
    """What a build did: the ingest part, the site part, and how long it took."""

    ingest: IngestResult
    site: SiteReport
    seconds: float
    warnings: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> list[BriefingError]:
        return [*self.ingest.errors, *self.site.errors]

    @property
    def ok(self) -> bool:
        return not self.errors


def build(
    config: SiteConfig,
    *,
    clean: bool = False,
    jobs: int | None = None,
    changed: set[Path] | None = None,
) -> BuildReport:
    """Ingest what is new in the articles folder, then render the site.

    `changed` (from the watcher) names the paths that changed since the last
    build; None means unknown, so everything is checked.
    """
    started = time.perf_counter()
    with site_lock(config.root):
        if config.articles_path.is_dir():
            ingested = ingest(config, [config.articles_path], IngestOptions(jobs=jobs))
        else:
            ingested = IngestResult()
        site = build_site(config, clean=clean, jobs=jobs)
    return BuildReport(ingested, site, time.perf_counter() - started)
