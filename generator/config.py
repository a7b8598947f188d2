"""SiteConfig: briefing.toml + defaults + command-line overrides."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.errors import ConfigError
from generator.fetch.settings import FetchSettings, SourceSpec, parse_fetch_settings, parse_sources

CONFIG_FILE = "briefing.toml"
SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"
"""The variable Dask's own tools read for the scheduler's address."""


@dataclass(frozen=True)
class SiteConfig:
    """Everything a build needs to know about one site."""

    root: Path
    """The site root: the folder holding briefing.toml."""
    title: str = "Briefing"
    description: str = "Briefings built from news articles."
    base_url: str = ""
    """Absolute address the site is published at (feeds, sitemap); empty = unknown."""
    language: str = "en"
    articles_dir: Path = Path("content/articles")
    briefings_dir: Path = Path("content/briefings")
    output_dir: Path = Path("site")
    theme: str = "default"
    source: str | None = None
    """Default outlet name for articles that do not give one."""
    topics: tuple[dict[str, Any], ...] = ()
    """Topic vocabulary additions: {id, label, parent?, keywords?}."""
    replace_topics: bool = False
    """When true, `topics` replaces the IPTC vocabulary instead of extending it."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Actor alias overrides: surface form -> canonical name, across the whole site."""
    sources: tuple[SourceSpec, ...] = ()
    """Feeds and pages `briefing fetch` follows ([[sources]])."""
    fetch: FetchSettings = field(default_factory=FetchSettings)
    """How politely and patiently addresses are fetched ([fetch])."""
    scheduler: str | None = None
    """A Dask scheduler's address ([cluster] scheduler, DASK_SCHEDULER_ADDRESS, --scheduler):
    extraction runs on its workers; None = local processes."""

    @property
    def articles_path(self) -> Path:
        return self.root / self.articles_dir

    @property
    def briefings_path(self) -> Path:
        return self.root / self.briefings_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def themes_path(self) -> Path:
        """The site's own theme folder: its files override the default theme's."""
        return self.root / "themes"

    @property
    def cache_path(self) -> Path:
        return self.root / ".briefing-cache"


def _text(data: dict[str, Any], key: str, path: Path) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"'{key}' must be a string", path)
    return value


def _inside(root: Path, rel: str, key: str, path: Path) -> Path:
    candidate = Path(rel)
    resolved = (root / candidate).resolve()
    if candidate.is_absolute() or not resolved.is_relative_to(root.resolve()):
        raise ConfigError(f"folder '{key}' must be inside the site root: {rel}", path)
    return candidate


def parse_config(root: Path, data: dict[str, Any], path: Path) -> SiteConfig:
    """A SiteConfig from briefing.toml's parsed data (pure: no I/O)."""
    cfg = SiteConfig(root=root)
    updates: dict[str, Any] = {}
    for key in ("title", "description", "base_url", "language", "theme", "source"):
        value = _text(data, key, path)
        if value is not None:
            updates[key] = value
    folders = data.get("folders", {})
    if not isinstance(folders, dict):
        raise ConfigError("[folders] must be a table", path)
    for key, attr in (("articles", "articles_dir"), ("briefings", "briefings_dir"),
                      ("output", "output_dir")):  # fmt: skip
        value = _text(folders, key, path)
        if value is not None:
            updates[attr] = _inside(root, value, key, path)
    aliases = data.get("aliases", {})
    if not isinstance(aliases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()
    ):
        raise ConfigError('[aliases] must map names to names: "Mr X" = "Full Name"', path)
    updates["aliases"] = dict(aliases)
    topics = data.get("topics", {})
    if not isinstance(topics, dict):
        raise ConfigError("[topics] must be a table (replace = false, [[topics.add]] ...)", path)
    added = topics.get("add", [])
    if not isinstance(added, list) or not all(
        isinstance(t, dict) and isinstance(t.get("id"), str) and isinstance(t.get("label"), str)
        for t in added
    ):
        raise ConfigError("each [[topics.add]] needs an 'id' and a 'label'", path)
    updates["topics"] = tuple(added)
    replace_topics = topics.get("replace", False)
    if not isinstance(replace_topics, bool):
        raise ConfigError("topics.replace must be true or false", path)
    updates["replace_topics"] = replace_topics
    updates["sources"] = parse_sources(data.get("sources"), path)
    updates["fetch"] = parse_fetch_settings(data.get("fetch"), path)
    cluster = data.get("cluster", {})
    if not isinstance(cluster, dict):
        raise ConfigError('[cluster] must be a table: scheduler = "tcp://host:8786"', path)
    updates["scheduler"] = _text(cluster, "scheduler", path) or None
    return replace(cfg, **updates)


def load_config(
    root: Path, overrides: dict[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> SiteConfig:
    """Read root/briefing.toml (defaults when absent), then the environment's settings
    (`environ`, default os.environ), then command-line overrides: each wins over the last."""
    root = root.resolve()
    if not root.is_dir():
        raise ConfigError(f"site root is not a folder: {root}")
    path = root / CONFIG_FILE
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"not valid TOML: {exc}", path) from None
    cfg = parse_config(root, data, path)
    scheduler = (os.environ if environ is None else environ).get(SCHEDULER_VARIABLE)
    if scheduler:
        cfg = replace(cfg, scheduler=scheduler)
    clean = {k: v for k, v in (overrides or {}).items() if v is not None}
    if "output_dir" in clean:
        out = Path(clean["output_dir"])
        clean["output_dir"] = out if out.is_absolute() else Path.cwd() / out
    return replace(cfg, **clean)
