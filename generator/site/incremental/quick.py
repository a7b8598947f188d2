"""The no-op check: has anything a site build reads changed since the last build?

Kept free of the rendering stack (Jinja2, Markdown, YAML) so that a build with nothing to
do costs a scan of stat data and one small cache file, not the imports of a full build.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from generator.config import SiteConfig
from generator.errors import InputError
from generator.fileio import Stamp, file_stat
from generator.hashing import digest
from generator.site.incremental.cache import (
    Memory,
    code_key,
    read_cache,
    tree_stats,
    write_cache,
)
from generator.site.model.load import RACY_NS, Scan, scan_briefings
from generator.site.output.write import MANIFEST
from generator.site.render.theme_path import default_theme_path

QUICK_CACHE = "quick"
PARSE_CACHE = "briefings"
MARKDOWN_CACHE = "markdown"
OUTPUTS_CACHE = "outputs"
ACTORS_CACHE = "actors"
TEXT_CACHE = "text"
RELATED_CACHE = "related"
ACTOR_KEYS_CACHE = "actor-keys"
TEMPLATES_CACHE = "templates"
"""A folder, not a pickle: Jinja's compiled templates."""


@dataclass(frozen=True)
class SiteReport:
    """What a site build did, for the CLI's summary and exit code."""

    briefings: int
    pages_written: int
    pages_unchanged: int
    pages_removed: int
    errors: tuple[InputError, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Quick:
    """What the last build read and reported, to replay when nothing changed.

    `inputs` hashes everything a site build reads (config, theme files' stat data, the
    briefing files' stat data); `manifest` is the stat of the output manifest the build
    left, so a removed or rebuilt output folder is noticed.
    """

    inputs: bytes
    scan: Scan
    manifest: Stamp | None
    briefings: int
    files: int
    errors: tuple[tuple[str, str | None, int | None], ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Checked:
    """The inputs as scanned now, and the last build's report when nothing changed."""

    scan: Scan
    inputs: bytes
    replay: SiteReport | None


def _theme_folders(config: SiteConfig) -> list[Path]:
    """Every folder a theme file can come from: the site's themes and the default theme."""
    return [config.themes_path, default_theme_path()]


def _rescan(previous: Scan, changed: Collection[Path], folder: Path) -> Scan | None:
    """The previous scan updated for the changed paths; None when only a full scan will do.

    Paths outside the briefings folder do not matter here (themes are always looked at,
    raw articles are ingest's). A folder, a symlink or anything unclear means a full scan.
    """
    files = {path: (size, mtime) for path, size, mtime in previous.files}
    for path in changed:
        if not path.is_relative_to(folder):
            if folder.is_relative_to(path):
                return None  # the briefings folder itself (or a parent) moved
            continue
        if path.suffix != ".md" or path.is_symlink() or path.is_dir():
            return None
        try:
            st = path.stat()
        except OSError:
            files.pop(str(path), None)
            continue
        files[str(path)] = (st.st_size, st.st_mtime_ns)
    started = time.time_ns()
    items = tuple((p, s, m) for p, (s, m) in sorted(files.items(), key=_relative(folder)))
    return Scan(items, previous.refused, started)


def _relative(folder: Path) -> Callable[[tuple[str, tuple[int, int]]], str]:
    """Sort key: a file's path relative to `folder`, as a full scan orders them."""
    cut = len(str(folder)) + 1
    return lambda item: item[0][cut:].replace(os.sep, "/")


def check(
    config: SiteConfig,
    changed: Collection[Path] | None,
    clean: bool,
    memory: Memory | None = None,
    scan: Scan | None = None,
) -> Checked:
    """Scan what the build reads; replay the last report when none of it changed.

    `scan` is the briefings folder as just scanned (by ingest), when there is one.
    """
    quick = None if clean else read_cache(config.cache_path, QUICK_CACHE, memory)
    quick = quick if isinstance(quick, Quick) else None
    folder = config.briefings_path
    if scan is None and quick is not None and changed is not None:
        scan = _rescan(quick.scan, changed, folder) if changed else quick.scan
    if scan is None:
        scan = scan_briefings(folder, config.root)
    themes = tree_stats(_theme_folders(config))
    inputs = digest(
        code_key().encode(),
        pickle.dumps(config, protocol=5),
        pickle.dumps(themes, protocol=5),
        pickle.dumps((scan.files, scan.refused), protocol=5),
    )
    replay = None
    # Files changed within RACY_NS of this look may change again with the same stat data.
    settled = scan.settled() and all(m < scan.started_ns - RACY_NS for _, _, m in themes)
    if (
        quick is not None
        and settled
        and quick.inputs == inputs
        and quick.manifest is not None
        and quick.manifest == file_stat(config.output_path / MANIFEST)
    ):
        errors = tuple(InputError(m, p, line) for m, p, line in quick.errors)
        replay = SiteReport(quick.briefings, 0, quick.files, 0, errors, quick.warnings)
    return Checked(scan, inputs, replay)


def remember(
    config: SiteConfig,
    checked: Checked,
    report: SiteReport,
    memory: Memory | None = None,
    replay: bool = True,
) -> None:
    """Store what this build read and reported, for the next build's check (without
    `replay`, only its scan: a build whose kept files were not looked at must not be
    replayed)."""
    quick = Quick(
        inputs=checked.inputs,
        scan=checked.scan,
        manifest=file_stat(config.output_path / MANIFEST) if replay else None,
        briefings=report.briefings,
        files=report.pages_written + report.pages_unchanged,
        errors=tuple((e.message, e.path, e.line) for e in report.errors),
        warnings=report.warnings,
    )
    write_cache(config.cache_path, QUICK_CACHE, quick, memory)
