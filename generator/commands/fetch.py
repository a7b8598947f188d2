"""The fetch stage: pull sources (feeds and pages) politely, keep their responses under
content/articles/fetched/, follow feed teasers to their pages, then ingest what is new.

Sources are pulled a few at a time (`WORKERS` threads); the client keeps each host to
one request at a time. A source that fails is reported with its reason and, as nothing
of it was kept, asked again next run; the others go on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from generator.commands.ingest import IngestOptions, IngestResult, ingest
from generator.config import SiteConfig
from generator.errors import ConfigError
from generator.fetch.address import AddressError, check_address, host_key
from generator.fetch.client import Client
from generator.fetch.response import FetchError, Response
from generator.fetch.robots import RobotsStore
from generator.fetch.settings import SourceSpec
from generator.fetch.store import FEED, PAGE, keep_response, kind_of, load_kept
from generator.lock import site_lock
from generator.progress import NoProgress, Progress

log = logging.getLogger(__name__)

WORKERS = 4
"""Sources pulled at once (each host still sees one request at a time)."""
NEW, CHANGED, UNCHANGED, KEPT, FAILED = "new", "changed", "unchanged", "kept", "failed"


@dataclass(frozen=True)
class Pulled:
    """What became of one address: a source's, or a page a feed entry links to."""

    url: str
    state: str
    """NEW, CHANGED, UNCHANGED (asked: 304 or the same bytes), KEPT (kept earlier, not
    asked again) or FAILED."""
    body: Path | None = None
    """The kept body, unless it failed."""
    reason: str = ""
    """Why it failed."""
    source: str = ""
    """The source it came through (its own address for a source)."""


@dataclass
class FetchReport:
    """What one fetch run did, for the user."""

    sources: list[Pulled] = field(default_factory=list)
    pages: list[Pulled] = field(default_factory=list)
    """Pages feed entries led to."""
    ingest: IngestResult | None = None

    @property
    def everything(self) -> list[Pulled]:
        return [*self.sources, *self.pages]

    @property
    def failed(self) -> list[Pulled]:
        return [p for p in self.everything if p.state == FAILED]

    def count(self, *states: str) -> int:
        return sum(p.state in states for p in self.everything)


def fetch_sources(
    config: SiteConfig, sources: Sequence[SourceSpec], progress: Progress | None = None
) -> FetchReport:
    """Pull every source and the pages its feed's teasers lead to; keep what changed."""
    bar = progress or NoProgress()
    report = FetchReport()
    if not sources:
        return report
    _check_topic_hints(config, sources)
    client = Client(config.fetch, RobotsStore(config.cache_path))
    stop = threading.Event()
    bar.stage("fetch", len(sources))
    pool = ThreadPoolExecutor(max_workers=min(WORKERS, len(sources)))
    try:
        # Started host by host in turn, so the workers wait on different hosts' turns.
        futures = {
            pool.submit(_pull_source, client, config, spec, stop): spec
            for spec in _across_hosts(sources)
        }
        done: dict[SourceSpec, tuple[Pulled, list[Pulled]]] = {}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            bar.advance()
        for spec in sources:
            report.sources.append(done[spec][0])
            report.pages.extend(done[spec][1])
    finally:
        # Stopped (Ctrl-C): no new source or page is started; those under way end within
        # their deadline, and what they kept stays (the next run picks it up).
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
        client.close()
    return report


def _across_hosts(sources: Sequence[SourceSpec]) -> list[SourceSpec]:
    """The sources in round-robin order of their hosts: one from each host, then again."""
    by_host: dict[str, list[SourceSpec]] = {}
    for spec in sources:
        by_host.setdefault(host_key(spec.url), []).append(spec)
    queues = list(by_host.values())
    return [q[i] for i in range(max(map(len, queues))) for q in queues if i < len(q)]


def fetch_and_ingest(
    config: SiteConfig,
    sources: Sequence[SourceSpec],
    options: IngestOptions,
    out_dir: Path | None = None,
    progress: Progress | None = None,
    *,
    paths: Sequence[Path] = (),
    every_kept: bool = False,
) -> FetchReport:
    """Fetch `sources`, then ingest what they brought (with `paths`, for `ingest`).

    `briefing fetch` ingests only what is new or changed, so a run that found nothing new
    writes nothing; `briefing ingest URL` (`every_kept`) ingests what each address keeps,
    changed or not, as it ingests a file it is given."""
    report = fetch_sources(config, sources, progress)
    wanted = (NEW, CHANGED, UNCHANGED, KEPT) if every_kept else (NEW, CHANGED)
    bodies = [p.body for p in report.everything if p.state in wanted and p.body is not None]
    targets = [*paths, *dict.fromkeys(bodies)]
    if targets:
        # The build's lock, for ingest only: fetching writes only under content/articles/,
        # atomically, and must not hold up builds while it waits on the network.
        with site_lock(config.root):
            report.ingest = ingest(config, targets, options, out_dir)
    return report


def _check_topic_hints(config: SiteConfig, sources: Sequence[SourceSpec]) -> None:
    """Refuse a source's topic hint the site's vocabulary does not know (exit code 2)."""
    if not any(s.topics for s in sources):
        return
    from generator.extract.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(extra=config.topics, replace=config.replace_topics)
    for number, spec in enumerate(sources, start=1):
        unknown = [t for t in spec.topics if vocabulary.get(t) is None]
        if unknown:
            raise ConfigError(
                f"[[sources]] entry {number} ({spec.url}): unknown topic id(s) "
                f"{', '.join(unknown)} (ids as in the topic pages' addresses, "
                "e.g. environment or economy-business-and-finance)",
                config.root / "briefing.toml",
            )


def _pull_source(
    client: Client, config: SiteConfig, spec: SourceSpec, stop: threading.Event
) -> tuple[Pulled, list[Pulled]]:
    """One source, and for a feed the pages its teaser entries lead to."""
    articles = config.articles_path
    if stop.is_set():
        return Pulled(spec.url, FAILED, reason="stopped before it was fetched", source=spec.url), []
    try:
        pulled, data, suffix, final = _pull(client, articles, spec.url, spec, allowed=(PAGE, FEED))
    except FetchError as exc:
        log.info("%s failed: %s", spec.url, exc.reason)
        return Pulled(spec.url, FAILED, reason=exc.reason, source=spec.url), []
    except Exception as exc:  # a bug or a disk error must cost this source, not the run
        log.info("fetching %s failed", spec.url, exc_info=True)
        reason = f"{type(exc).__name__}: {exc}"
        return Pulled(spec.url, FAILED, reason=reason, source=spec.url), []
    log.info("%s: %s", spec.url, pulled.state)
    if suffix != FEED:
        return pulled, []
    try:
        return pulled, _follow(client, articles, spec, data, final, stop)
    except Exception as exc:  # as above: the source's own result stands
        log.info("following the entries of %s failed", spec.url, exc_info=True)
        reason = f"following its entries failed: {type(exc).__name__}: {exc}"
        return pulled, [Pulled(spec.url, FAILED, reason=reason, source=spec.url)]


def _pull(
    client: Client, articles: Path, url: str, spec: SourceSpec, allowed: tuple[str, ...]
) -> tuple[Pulled, bytes, str, str]:
    """Fetch one address (conditionally when kept) and keep it: (what became of it, its
    body, PAGE or FEED, the address that answered)."""
    try:
        url = check_address(url)
    except AddressError as exc:
        raise FetchError(url, str(exc)) from None
    kept = load_kept(articles, url)
    response: Response = client.get(url, kept.validators if kept else None)
    if response.status == 304 and kept is not None:
        data = kept.body.read_bytes()
        pulled = Pulled(url, UNCHANGED, kept.body, source=spec.url)
        return pulled, data, kept.body.suffix, kept.record.final_url
    suffix = kind_of(response.content_type, response.body)
    if suffix not in allowed:
        what = "an article page" if allowed == (PAGE,) else "a page or a feed"
        shown = response.content_type or "no content type"
        raise FetchError(url, f"not {what} ({shown})")
    body, state = keep_response(articles, response, suffix, spec)
    return Pulled(url, state, body, source=spec.url), response.body, suffix, response.final_url


def _follow(
    client: Client,
    articles: Path,
    spec: SourceSpec,
    data: bytes,
    base: str,
    stop: threading.Event,
) -> list[Pulled]:
    """The pages of a feed's teaser entries: kept ones are not asked again."""
    from generator.ingest.feed import teaser_links

    try:
        links = teaser_links(data, base)
    except Exception as exc:  # the feed's own ingest reports what is wrong with it
        log.info("cannot read the entries of %s: %s", spec.url, exc)
        return []
    out: list[Pulled] = []
    for raw in links:
        if stop.is_set():
            break
        try:
            link = check_address(raw)
        except AddressError as exc:
            out.append(Pulled(raw, FAILED, reason=str(exc), source=spec.url))
            continue
        kept = load_kept(articles, link)
        if kept is not None:
            out.append(Pulled(link, KEPT, kept.body, source=spec.url))
            continue
        try:
            pulled, *_ = _pull(client, articles, link, spec, allowed=(PAGE,))
        except FetchError as exc:
            log.info("%s (from %s) failed: %s", link, spec.url, exc.reason)
            pulled = Pulled(link, FAILED, reason=exc.reason, source=spec.url)
        except Exception as exc:
            log.info("fetching %s failed", link, exc_info=True)
            pulled = Pulled(link, FAILED, reason=f"{type(exc).__name__}: {exc}", source=spec.url)
        out.append(pulled)
    return out
