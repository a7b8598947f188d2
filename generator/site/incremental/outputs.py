"""Render and write only what changed: pages and feeds whose fingerprint differs, or are gone.

Each output's fingerprint (deps.py) is compared with the one the last build stored; a
match whose file is still on disk with the same size is kept without rendering. Big
renders fan out over worker processes (parallel.py); the bytes never depend on that.
"""

from __future__ import annotations

import logging
import operator
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import jinja2

from generator.config import SiteConfig
from generator.errors import ConfigError
from generator.hashing import digest
from generator.model import Briefing
from generator.pools import chunked
from generator.site.incremental.deps import feed_fingerprint, page_fingerprint
from generator.site.incremental.parallel import RenderPool
from generator.site.output.write import OutputWriter
from generator.site.render.feeds import Feed, render_feeds
from generator.site.render.pages import PageMeta, PageSpec, SiteMeta, render_page, static_outputs
from generator.site.render.sitemap import (
    page_dates,
    render_robots,
    render_sitemap,
    sitemap_entries,
)
from generator.site.render.values import Deferred, resolve

log = logging.getLogger(__name__)

Outputs = dict[str, tuple[bytes | None, int]]
"""Output path -> (fingerprint or None for 'always render', size in bytes)."""
Head = tuple[PageMeta, str, bytes, bytes | None]
"""A deferred page's meta, template name and values key, and the fingerprint they gave."""
FeedHead = tuple[str, tuple[Briefing, ...], bytes]
"""A feed's title and entries, and the fingerprint they gave."""
SitemapHead = tuple[list[str], dict[str, str], bytes]
"""The page paths and briefing page dates of the sitemap, and the fingerprint they gave."""
Tick = Callable[[int], None]
FEED_BATCH = 500
POOL_MIN_BRIEFINGS = 300
"""Below this a full render is quicker in-process than starting worker processes."""


@dataclass
class Plan:
    """How one build renders: worker processes or not, and what the last build left."""

    key: bytes
    """Site meta + templates: part of every fingerprint."""
    old: Mapping[str, tuple[bytes | None, int]]
    pool: RenderPool | None = None
    new: Outputs = field(default_factory=dict)
    rendered: int = 0
    last_heads: Mapping[str, Head] = field(default_factory=dict)
    """The last build's `heads`, when it had the same key (a preview session)."""
    heads: dict[str, Head] = field(default_factory=dict)
    """Each deferred page's Head: an unchanged page (the same PageMeta object, template and
    values key) is not serialized and hashed again."""
    last_feeds: Mapping[str, FeedHead] = field(default_factory=dict)
    """The last build's `feeds`, when it had the same key."""
    feeds: dict[str, FeedHead] = field(default_factory=dict)
    """Each feed's FeedHead by its folder: a feed of the same title and the very same
    Briefing objects (a briefing is parsed anew when its file changes) is not hashed again."""
    last_sitemap: SitemapHead | None = None
    """The last build's `sitemap`, when it had the same key."""
    sitemap: SitemapHead | None = None
    """The page list and dates the sitemap was made from, and its fingerprint."""


def _keep(plan: Plan, writer: OutputWriter, path: str, fp: bytes | None) -> bool:
    """True when the output is unchanged and still on disk as the last build left it."""
    old = plan.old.get(path)
    if fp is None or old is None or old[0] != fp or not writer.keep(path, old[1]):
        return False
    plan.new[path] = old
    return True


def _put(plan: Plan, writer: OutputWriter, path: str, fp: bytes | None, data: bytes) -> None:
    """Write a rendered output and remember its fingerprint."""
    writer.put(path, data)
    plan.new[path] = (fp, len(data))
    plan.rendered += 1


def _fingerprint(plan: Plan, spec: PageSpec) -> tuple[bytes | None, bytes | None]:
    """page_fingerprint of a page; a deferred page's is reused from the last build's heads
    while its meta (the same object), template and values key are the ones it had."""
    path, template, meta, values = spec
    if not isinstance(values, Deferred):
        return page_fingerprint(plan.key, spec)
    head = plan.last_heads.get(path)
    if head is not None and head[0] is meta and head[2] == values.key and head[1] == template:
        fp, blob = head[3], None
    else:
        fp, blob = page_fingerprint(plan.key, spec)
    plan.heads[path] = (meta, template, values.key, fp)
    return fp, blob


def _feed_fingerprint(plan: Plan, feed: Feed, digests: Mapping[str, str]) -> bytes:
    """feed_fingerprint of a feed, reused from the last build's while its title and entries
    (the same objects) are the ones it had."""
    head = plan.last_feeds.get(feed.folder)
    entries = feed.entries
    if (
        head is not None
        and head[0] == feed.title
        and len(head[1]) == len(entries)
        and all(map(operator.is_, head[1], entries))
    ):
        fp = head[2]
    else:
        fp = feed_fingerprint(plan.key, feed, digests)
    plan.feeds[feed.folder] = (feed.title, entries, fp)
    return fp


def _template_error(exc: jinja2.TemplateError) -> ConfigError:
    """A template problem as the user's error, with file and line when known."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return ConfigError(f"template error: {exc.message}", exc.filename, exc.lineno)
    return ConfigError(f"template error: {exc}")


def write_pages(
    plan: Plan,
    writer: OutputWriter,
    env: jinja2.Environment,
    site: SiteMeta,
    specs: Iterable[PageSpec],
    tick: Tick,
) -> list[str]:
    """Render and write the pages whose fingerprint changed; returns every page's path."""
    paths: list[str] = []
    fps: dict[str, bytes | None] = {}

    def dirty() -> Iterator[tuple[str, bytes | None, PageSpec]]:
        """(path, pickled values, spec) of each page that must be rendered."""
        for spec in specs:
            path = spec[0]
            paths.append(path)
            fp, blob = _fingerprint(plan, spec)
            if _keep(plan, writer, path, fp):
                tick(1)
                continue
            fps[path] = fp
            yield path, blob, (path, spec[1], spec[2], resolve(spec[3]))

    try:
        if plan.pool is not None:
            for name in env.list_templates(extensions=["html", "xml", "txt"]):
                env.get_template(name)  # syntax errors surface here, with file and line
            work = ((p, b if b is not None else pickle.dumps(s[1:])) for p, b, s in dirty())
            for path, data in plan.pool.pages(work):
                _put(plan, writer, path, fps[path], data)
                tick(1)
        else:
            for path, _, spec in dirty():
                _put(plan, writer, path, fps[path], render_page(env, spec, site))
                tick(1)
    except jinja2.TemplateError as exc:
        raise _template_error(exc) from None
    return paths


def write_feeds(
    plan: Plan,
    writer: OutputWriter,
    site: SiteMeta,
    feeds: Iterable[Feed],
    digests: Mapping[str, str],
    tick: Tick,
) -> list[str]:
    """Render and write the feeds whose entries changed; returns every feed file's path."""
    paths: list[str] = []
    fps: dict[str, bytes] = {}

    def dirty() -> Iterator[Feed]:
        """The feeds that must be rendered."""
        for feed in feeds:
            fp = _feed_fingerprint(plan, feed, digests)
            names = (f"{feed.folder}feed.xml", f"{feed.folder}feed.json")
            paths.extend(names)
            kept = [_keep(plan, writer, name, fp) for name in names]
            if all(kept):
                tick(1)
                continue
            fps.update(dict.fromkeys(names, fp))
            yield feed

    if plan.pool is not None:
        rendered: Iterable[tuple[str, bytes]] = plan.pool.feeds(dirty())
    else:
        # In batches: render_feeds shares each entry's XML between the feeds of one call.
        rendered = (
            item
            for batch in chunked(dirty(), FEED_BATCH)
            for item in render_feeds(batch, site).items()
        )
    for path, data in rendered:
        _put(plan, writer, path, fps[path], data)
        if path.endswith(".json"):
            tick(1)
    return paths


def write_sitemap(
    plan: Plan,
    writer: OutputWriter,
    site: SiteMeta,
    pages: list[str],
    briefings: Iterable[Briefing],
) -> None:
    """sitemap.xml (only when its page list or dates changed) and robots.txt."""
    lastmod = page_dates(briefings)

    def entries() -> list[tuple[str, str | None]]:
        """The sitemap's pages, sorted, with their dates."""
        return sitemap_entries(pages, lastmod)

    last = plan.last_sitemap
    same = last is not None and last[0] == pages and last[1] == lastmod
    fp = last[2] if last is not None and same else digest(plan.key, repr(entries()).encode())
    plan.sitemap = (pages, lastmod, fp)
    if not _keep(plan, writer, "sitemap.xml", fp):
        _put(plan, writer, "sitemap.xml", fp, render_sitemap(entries(), site))
    _put(plan, writer, "robots.txt", None, render_robots(site))


def write_static(
    plan: Plan, writer: OutputWriter, files: Mapping[str, bytes], taken: set[str]
) -> list[str]:
    """Theme static assets (the writer skips identical bytes); warnings for clashes."""
    kept, warnings = static_outputs(files, taken)
    for path, data in kept.items():
        _put(plan, writer, path, None, data)
    return warnings


def open_pool(
    config: SiteConfig, site: SiteMeta, briefings: Iterable[Briefing], jobs: int
) -> RenderPool | None:
    """Worker processes to render every page when there is more than one job, else None."""
    if jobs <= 1:
        return None
    log.debug("rendering with %d worker processes", jobs)
    return RenderPool(jobs, config, site, briefings)
