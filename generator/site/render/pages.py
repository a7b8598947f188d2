"""Jinja2 environment with theme lookup, Markdown for article bodies, HTML pages as bytes."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.config import SiteConfig
from generator.errors import ConfigError
from generator.hashing import digest, value_bytes
from generator.site.render.theme_path import default_theme_path
from generator.site.render.values import Deferred, FromInputs, Values, resolve
from generator.site.views.context import BriefingCard, Link
from generator.site.views.entries import BriefingEntry
from generator.site.views.graph import render_graph_svg


@dataclass(frozen=True)
class SiteMeta:
    """Site-wide values every template sees."""

    title: str
    description: str
    language: str
    base_url: str


@dataclass(frozen=True)
class PageMeta:
    """Per-page values: `root` is the prefix that turns a site-root URL into a relative one."""

    title: str
    path: str
    root: str
    section: str
    description: str = ""
    feeds: tuple[Link, ...] = ()
    canonical: str = ""


def theme_dirs(config: SiteConfig) -> list[Path]:
    """Theme folders, most specific first: the site's own theme, then the default theme."""
    own = config.themes_path / config.theme
    default = default_theme_path()
    if config.theme != "default" and not own.is_dir():
        raise ConfigError(f"theme {config.theme!r} not found in {config.themes_path}")
    dirs = [own] if own.is_dir() and own.resolve() != default.resolve() else []
    return [*dirs, default]


class Memo:
    """`memo(key, macro, *args)` in templates: a macro's output rendered once per key.

    A briefing's card appears on dozens of pages with the same link prefix; rendering it
    once per (card, prefix) keeps big sites fast. Macros imported without context depend
    only on their arguments, so the key must name every argument that changes the output.
    """

    def __init__(self) -> None:
        """An empty memo for one build."""
        self._done: dict[Hashable, Any] = {}

    def __call__(self, key: Hashable, macro: Callable[..., Any], *args: Any) -> Any:
        """The macro's output for `args`, rendered the first time `key` is seen."""
        if key not in self._done:
            self._done[key] = macro(*args)
        return self._done[key]


def make_environment(config: SiteConfig, compiled: Path | None = None) -> jinja2.Environment:
    """One Environment per build: templates compile once; site templates override file by file.

    `compiled` keeps the templates' compiled code between builds (Jinja checks each against
    its template's source): compiling the theme takes longer than rendering a few pages.
    """
    loaders: list[jinja2.BaseLoader] = [
        jinja2.FileSystemLoader(str(d / "templates")) for d in theme_dirs(config)
    ]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(compiled),
    )
    env.globals["memo"] = Memo()
    env.globals["graph_svg"] = render_graph_svg
    return env


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates in `folder` (atomic writes); None without one."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # an unwritable cache folder costs speed, never the build
    return jinja2.FileSystemBytecodeCache(str(folder))


def static_files(config: SiteConfig) -> dict[str, bytes]:
    """Theme static assets by output path; the site's own files replace the default's."""
    files: dict[str, bytes] = {}
    for d in reversed(theme_dirs(config)):
        static = d / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    files[path.relative_to(static).as_posix()] = path.read_bytes()
    return files


def static_outputs(
    files: Mapping[str, bytes], taken: Collection[str]
) -> tuple[dict[str, bytes], list[str]]:
    """The theme's static files that clash with no generated output, and a warning for each
    that does (it is skipped)."""
    kept = {path: data for path, data in files.items() if path not in taken}
    clashes = [path for path in files if path in taken]
    return kept, [f"theme static file {p} clashes with a generated page; skipped" for p in clashes]


def root_prefix(path: str) -> str:
    """Relative prefix from a page to the site root: `briefings/x/index.html` -> `../../`."""
    depth = path.count("/")
    return "../" * depth if depth else "./"


PageSpec = tuple[str, str, PageMeta, Values | Deferred | FromInputs]
"""(output path, template name, page meta, template values or their deferred builder)."""


def feed_links(folder: str) -> tuple[Link, ...]:
    """The Atom and JSON feeds of a section (folder relative to the root, '' for the site)."""
    return (Link("Atom", f"{folder}feed.xml"), Link("JSON Feed", f"{folder}feed.json"))


MetaKey = tuple[str, str, str, str, str | None]
"""A page meta's path, title, section, description and feeds folder (None: no feeds)."""


class Metas:
    """Makes the page metas of one build; in a preview session an unchanged page gets the
    very PageMeta object the last build made, so that its fingerprint can be reused without
    serializing the meta again (incremental/outputs.py)."""

    def __init__(self, site: SiteMeta, last: Metas | None = None) -> None:
        """Metas for `site`, reusing those `last` made for the same site."""
        self.site = site
        self._last = last.made if last is not None and last.site == site else {}
        self.made: dict[MetaKey, PageMeta] = {}

    def __call__(
        self, path: str, title: str, section: str, description: str = "", feeds: str | None = None
    ) -> PageMeta:
        """PageMeta for a page at `path` (with the feeds of folder `feeds`), with its
        canonical address when the site has a base URL."""
        key = (path, title, section, description, feeds)
        found = self._last.get(key)
        if found is None:
            base = self.site.base_url
            canonical = base + path.removesuffix("index.html") if base else ""
            links = feed_links(feeds) if feeds is not None else ()
            found = PageMeta(title, path, root_prefix(path), section, description, links, canonical)
        self.made[key] = found
        return found


def briefing_page_path(card: BriefingCard) -> str:
    """The output path of a briefing's page."""
    return f"{card.url}index.html"


def briefing_page_specs(briefings: Sequence[BriefingEntry], meta: Metas) -> Iterator[PageSpec]:
    """(output path, template, page meta, template values) for every briefing page:
    page_specs lists them first (the search index reads only them)."""
    for b in briefings:
        path = briefing_page_path(b.card)
        yield (
            path,
            "briefing.html",
            meta(path, b.card.title, "briefings", description=b.card.summary),
            b.page,
        )


def render_page(env: jinja2.Environment, spec: PageSpec, site: SiteMeta) -> bytes:
    """One page's bytes."""
    _, name, page, values = spec
    return env.get_template(name).render(site=site, page=page, **resolve(values)).encode("utf-8")


def site_meta(config: SiteConfig) -> SiteMeta:
    """The site-wide template values; base_url always ends with '/' when set."""
    base = config.base_url.strip()
    if base and not base.endswith("/"):
        base += "/"
    return SiteMeta(config.title, config.description, config.language, base)


def files_key(folders: Iterable[Path]) -> bytes:
    """A hash of the names and contents of every file under `folders` (templates)."""
    parts: list[bytes] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [str(path.relative_to(folder)).encode(), path.read_bytes()]
    return digest(*parts)


def site_key(site: SiteMeta, templates: bytes) -> bytes:
    """What every page shares: the site meta and the template set."""
    return digest(value_bytes(site) or b"", templates)
