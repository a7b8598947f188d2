"""What a changed path is (article, briefing, template, static file, config) and what to watch."""

from __future__ import annotations

import enum
import functools
import logging
import os
from pathlib import Path

from generator.config import CONFIG_FILE, SiteConfig

log = logging.getLogger(__name__)

IGNORED_NAMES = frozenset({"4913", "__pycache__"})
"""Vim's write-permission probe file and Python's byte-code folder."""
IGNORED_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".bak", "~")
"""Editor swap, backup and temp files."""


class ChangeKind(enum.Enum):
    """What a changed path is, which decides what a rebuild must redo."""

    ARTICLE = "article"
    BRIEFING = "briefing"
    TEMPLATE = "template"
    STATIC = "static"
    CONFIG = "config"


@functools.cache
def theme_source_dir() -> Path | None:
    """The default theme folder when running from a source checkout (developing it), else None."""
    checkout = Path(__file__).resolve().parents[2]
    theme = checkout / "themes" / "default"
    return theme if (checkout / "pyproject.toml").is_file() and theme.is_dir() else None


def is_ignored_name(name: str) -> bool:
    """True for dotfiles, editor swap/backup/temp files and byte-code folders."""
    return (
        name.startswith(".")
        or name in IGNORED_NAMES
        or name.endswith(IGNORED_SUFFIXES)
        or (name.startswith("#") and name.endswith("#"))
    )


def _theme_dirs(config: SiteConfig) -> tuple[Path, ...]:
    source = theme_source_dir()
    return (config.themes_path,) if source is None else (config.themes_path, source)


def classify_path(path: Path, config: SiteConfig) -> ChangeKind | None:
    """What kind of input a changed path is, or None when a rebuild must ignore it."""
    path = Path(os.path.abspath(path))
    if path.is_relative_to(config.output_path) or path.is_relative_to(config.cache_path):
        return None
    if path == config.root / CONFIG_FILE:
        return ChangeKind.CONFIG
    areas: list[tuple[Path, ChangeKind]] = [
        (config.briefings_path, ChangeKind.BRIEFING),
        (config.articles_path, ChangeKind.ARTICLE),
        *((theme, ChangeKind.TEMPLATE) for theme in _theme_dirs(config)),
    ]
    # The deepest folder wins when one holds another (articles inside content/, say).
    for area, kind in sorted(areas, key=lambda a: len(a[0].parts), reverse=True):
        if not path.is_relative_to(area):
            continue
        rel = path.relative_to(area).parts
        if any(is_ignored_name(part) for part in rel):
            return None
        if kind is ChangeKind.BRIEFING and path.suffix != ".md" and path != area:
            return None
        if kind is ChangeKind.TEMPLATE and "static" in rel:
            return ChangeKind.STATIC
        return kind
    return None


def watch_targets(config: SiteConfig) -> list[tuple[Path, bool]]:
    """Existing folders to watch and whether recursively; the root only for briefing.toml."""
    wanted = [config.articles_path, config.briefings_path, *_theme_dirs(config)]
    targets: list[tuple[Path, bool]] = [(config.root, False)]
    for folder in sorted(set(wanted), key=lambda p: len(p.parts)):
        if not folder.is_dir():
            log.info("not watching %s: no such folder", folder)
        elif not any(folder.is_relative_to(t) for t, rec in targets if rec):
            targets.append((folder, True))
    return targets
