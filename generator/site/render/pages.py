"""Jinja2 environment with theme lookup, Markdown for article bodies, HTML pages as bytes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.config import SiteConfig
from generator.errors import ConfigError
from generator.site.incremental.lazy import BriefingEntry, Deferred, actors_index_key, resolve
from generator.site.render.theme_path import default_theme_path
from generator.site.views.assemble import actors_by_kind
from generator.site.views.context import BriefingCard, Link, TopicView, Views
from generator.site.views.graph import render_graph_svg

HOME_BRIEFINGS = 20
HOME_TOPICS = 12
HOME_ACTORS = 16
HOME_DIGESTS = 4
HOME_STORIES = 5


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


def root_prefix(path: str) -> str:
    """Relative prefix from a page to the site root: `briefings/x/index.html` -> `../../`."""
    depth = path.count("/")
    return "../" * depth if depth else "./"


PageSpec = tuple[str, str, PageMeta, dict[str, Any] | Deferred]
"""(output path, template name, page meta, template values or their deferred builder)."""


def feed_links(folder: str) -> tuple[Link, ...]:
    """The Atom and JSON feeds of a section (folder relative to the root, '' for the site)."""
    return (Link("Atom", f"{folder}feed.xml"), Link("JSON Feed", f"{folder}feed.json"))


def _count(t: TopicView) -> Link:
    """A topic as the topics index shows it: its label, link and number of briefings."""
    return Link(t.label, t.url, t.count)


def _keyed(views: Views, name: str, values: dict[str, Any]) -> dict[str, Any] | Deferred:
    """A list page's values, standing for their key when build_views made one."""
    key = views.list_keys.get(name)
    return values if key is None else Deferred(key, lambda: values)


MetaKey = tuple[str, str, str, str, str | None]
"""A page meta's path, title, section, description and feeds folder (None: no feeds)."""


class Metas:
    """Makes the page metas of one build; in a preview session an unchanged page gets the
    very PageMeta object the last build made, so that its fingerprint can be reused without
    serializing the meta again (incremental.py)."""

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


def list_page_specs(views: Views, site: SiteMeta, meta: Metas) -> Iterator[PageSpec]:
    """The same for the other HTML pages: home, topics, actors, timeline, digests, ..."""
    topics = sorted(views.topics, key=lambda t: (-t.count, t.id))
    actors = sorted(views.actors, key=lambda a: (-a.count, a.slug))
    yield (
        "index.html",
        "index.html",
        meta("index.html", site.title, "home", description=site.description, feeds=""),
        {
            "briefings": tuple(b.card for b in views.briefings[:HOME_BRIEFINGS]),
            "topics": tuple(_count(t) for t in topics[:HOME_TOPICS]),
            "actors": tuple(Link(a.name, a.url, a.count) for a in actors[:HOME_ACTORS]),
            "digests": tuple(Link(d.title, d.url, d.count) for d in views.digests[:HOME_DIGESTS]),
            "stories": views.stories[:HOME_STORIES],
        },
    )
    top = tuple(t for t in views.topics if "/" not in t.id)
    by_url = {t.url: t for t in views.topics}
    yield (
        "topics/index.html",
        "topics.html",
        meta("topics/index.html", "Topics", "topics"),
        # Labels and counts only: the cards of every topic would make each edit re-render it.
        {
            "topics": tuple(
                (_count(t), tuple(_count(by_url[c.url]) for c in t.children)) for t in top
            )
        },
    )
    for t in views.topics:
        path = f"{t.url}index.html"
        yield (
            path,
            "topic.html",
            meta(path, t.label, "topics", feeds=t.url),
            _keyed(views, f"topic:{t.id}", {"topic": t}),
        )
    for mo in views.topic_months:
        path = f"{mo.url}index.html"
        yield (
            path,
            "topic_month.html",
            meta(path, f"{mo.topic.label}: {mo.label}", "topics"),
            _keyed(views, f"topic:{mo.id}:{mo.key}", {"month": mo}),
        )
    yield (
        "actors/index.html",
        "actors.html",
        meta("actors/index.html", "Actors", "actors"),
        Deferred(
            actors_index_key(views.actors, views.site_graph),
            lambda: {"groups": actors_by_kind(views.actors), "graph": views.site_graph},
        ),
    )
    for a in views.actors:
        path = f"{a.url}index.html"
        yield (
            path,
            "actor.html",
            meta(path, a.name, "actors", feeds=a.url),
            a.page,
        )
    yield (
        "timeline/index.html",
        "timeline.html",
        meta("timeline/index.html", "Timeline", "timeline"),
        _keyed(
            views,
            "timeline",
            {
                "days": views.timeline,
                "months": tuple(m.link for m in views.months),
                "month": None,
            },
        ),
    )
    for m in views.months:
        path = f"{m.link.url}index.html"
        yield (
            path,
            "timeline.html",
            meta(path, f"Timeline: {m.link.label}", "timeline"),
            _keyed(views, f"timeline:{m.key}", {"days": m.items, "months": (), "month": m}),
        )
    for s in views.stories:
        path = f"{s.url}index.html"
        yield path, "story.html", meta(path, s.title, "stories"), {"story": s}
    yield (
        "digest/index.html",
        "digests.html",
        meta("digest/index.html", "Weekly digests", "digest"),
        # Without their cards (the index lists weeks): an edit re-renders it only when a
        # week's count, span or top actors change.
        {"digests": tuple(dataclasses.replace(d, topics=()) for d in views.digests)},
    )
    for d in views.digests:
        path = f"{d.url}index.html"
        yield path, "digest.html", meta(path, d.title, "digest"), {"digest": d}
    yield "search/index.html", "search.html", meta("search/index.html", "Search", "search"), {}
    # The 404 page is served at whatever depth was requested: links from the site root.
    root = site.base_url or "/"
    yield "404.html", "404.html", PageMeta("Page not found", "404.html", root, "404"), {}


def page_specs(views: Views, site: SiteMeta, metas: Metas | None = None) -> Iterator[PageSpec]:
    """Every HTML page of the site, 404 included: the one list incremental builds pick from.

    A new page kind joins the site by being yielded by list_page_specs (and counted by
    list_page_count, which a test holds to it); its values must depend only on
    the views and the site meta (the build fingerprints them to skip unchanged pages).
    `metas` makes the pages' metas (by default, anew).
    """
    metas = metas or Metas(site)
    yield from briefing_page_specs(views.briefings, metas)
    yield from list_page_specs(views, site, metas)


def list_page_count(views: Views) -> int:
    """How many pages list_page_specs yields (for the progress bar, which is told before
    they are listed: they are listed as they are written)."""
    singles = 7  # home, the topic, actor, timeline and digest indexes, search and the 404
    listed = (views.topics, views.topic_months, views.actors, views.months, views.stories,
              views.digests)  # fmt: skip
    return singles + sum(map(len, listed))


def render_page(env: jinja2.Environment, spec: PageSpec, site: SiteMeta) -> bytes:
    """One page's bytes."""
    _, name, page, values = spec
    return env.get_template(name).render(site=site, page=page, **resolve(values)).encode("utf-8")
