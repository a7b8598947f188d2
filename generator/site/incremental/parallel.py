"""Worker processes for big builds: parse briefing files and render pages and feeds.

Pools come from generator.pools (forkserver, never a plain fork; workers die with the
build). Results come back in submission order, so the output never depends on --jobs.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, TypeVar

import jinja2

from generator.config import SiteConfig
from generator.model import Briefing
from generator.pools import chunked, make_pool
from generator.site.model.load import Parsed, parse_file
from generator.site.render.feeds import Feed, render_feeds
from generator.site.render.pages import SiteMeta, make_environment, render_page

T = TypeVar("T")
R = TypeVar("R")

PARSE_CHUNK = 64
RENDER_CHUNK = 200
FEED_CHUNK = 400
WINDOW = 3
"""Chunks in flight per worker: keeps both busy while bounding memory on huge sites."""
WORKER_STATE = "workers.pickle"
"""In the cache folder while a build's render workers run."""


def job_count(jobs: int | None) -> int:
    """--jobs, defaulting to the CPU count."""
    return max(1, jobs or os.cpu_count() or 1)


def ordered_map(
    pool: Executor, fn: Callable[[T], R], chunks: Iterable[T], window: int
) -> Iterator[R]:
    """fn over chunks in worker processes, in order, at most `window` chunks in flight."""
    pending: deque[Future[R]] = deque()
    for chunk in chunks:
        pending.append(pool.submit(fn, chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# ---------------------------------------------------------------- parsing


def _parse_chunk(jobs: list[tuple[str, int, int]]) -> list[Parsed]:
    """Parse a chunk of briefing files (in a worker)."""
    return [parse_file(*job) for job in jobs]


def parallel_parser(jobs: int) -> Callable[[list[tuple[str, int, int]]], list[Parsed]]:
    """A load.Parser that spreads many files over `jobs` processes (few stay in-process)."""

    def parse(todo: list[tuple[str, int, int]]) -> list[Parsed]:
        """Parse `todo` in order."""
        if jobs <= 1 or len(todo) < PARSE_CHUNK * 2:
            return _parse_chunk(todo)
        with make_pool(jobs) as pool:
            out: list[Parsed] = []
            for part in ordered_map(pool, _parse_chunk, chunked(todo, PARSE_CHUNK), jobs * 4):
                out.extend(part)
            return out

    return parse


# ---------------------------------------------------------------- rendering


_WORKER: dict[str, tuple[jinja2.Environment, SiteMeta, dict[str, Briefing]]] = {}
"""A worker process's environment, site meta and briefings by slug, set by its initializer.

The one piece of per-process state here: it lives in worker processes only, so each task
does not have to carry the (large) briefing table again.
"""


def _init_worker(state: str) -> None:
    """Read the worker's state once, before its first task."""
    with open(state, "rb") as fh:
        config, site, briefings = pickle.load(fh)
    _WORKER["state"] = (make_environment(config), site, {b.slug: b for b in briefings})


def _render_chunk(specs: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Render (path, pickled (template, page meta, values)) pairs (in a worker)."""
    env, site, _ = _WORKER["state"]
    out = []
    for path, data in specs:
        name, page, values = pickle.loads(data)
        out.append((path, render_page(env, (path, name, page, values), site)))
    return out


def _feed_chunk(feeds: list[tuple[str, str, tuple[str, ...]]]) -> dict[str, bytes]:
    """Render feeds given as (title, folder, entry slugs) (in a worker)."""
    _, site, by_slug = _WORKER["state"]
    return render_feeds(
        (Feed(title, folder, tuple(by_slug[s] for s in slugs)) for title, folder, slugs in feeds),
        site,
    )


def _state_file(cache: Path) -> tuple[Path, BinaryIO]:
    """Where the workers' state goes: one fixed file in the cache folder (a killed build's
    is overwritten by the next), or a temporary file when that folder cannot be written."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        return cache / WORKER_STATE, open(cache / WORKER_STATE, "wb")
    except OSError:
        fd, name = tempfile.mkstemp(prefix="briefing-workers-", suffix=".pickle")
        return Path(name), os.fdopen(fd, "wb")


class RenderPool:
    """Worker processes that render pages and feeds for one build."""

    def __init__(
        self, jobs: int, config: SiteConfig, site: SiteMeta, briefings: Iterable[Briefing]
    ) -> None:
        """Start `jobs` workers; each gets the config and the briefings (bodies left out).

        They come through a file in the cache folder: the pool would keep them as bytes
        (for workers it starts late) all through the build.
        """
        light = tuple(replace(b, body="") for b in briefings)  # feeds never show bodies
        self.state, fh = _state_file(config.cache_path)
        with fh:
            pickle.dump((config, site, light), fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.jobs = jobs
        self.pool = make_pool(jobs, _init_worker, (str(self.state),))

    def pages(self, specs: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
        """(path, bytes) of pickled page specs (path, pickled spec), in order."""
        for out in ordered_map(self.pool, _render_chunk, chunked(specs, RENDER_CHUNK), self.window):
            yield from out

    def feeds(self, feeds: Iterable[Feed]) -> Iterator[tuple[str, bytes]]:
        """(path, bytes) of the feeds' Atom and JSON documents, in order."""
        light = ((f.title, f.folder, tuple(b.slug for b in f.entries)) for f in feeds)
        tasks = chunked(light, FEED_CHUNK)
        for out in ordered_map(self.pool, _feed_chunk, tasks, self.window):
            yield from out.items()

    @property
    def window(self) -> int:
        """Chunks in flight."""
        return self.jobs * WINDOW

    def close(self) -> None:
        """Stop the workers and remove their state file."""
        self.pool.shutdown()
        self.state.unlink(missing_ok=True)
