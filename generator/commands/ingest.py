"""The ingest stage: raw articles -> briefing files, idempotent and safe for hand edits."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.commands.ingest_inputs import (
    Existing,
    Input,
    QuietRun,
    StatCache,
    find_inputs,
    input_digest,
    load_existing,
    run_key,
    settled,
)
from generator.config import SiteConfig
from generator.errors import BriefingError, InputError
from generator.fileio import replace_file, write_if_changed
from generator.site.incremental.cache import read_cache, write_cache
from generator.site.model.load import Scan, scan_briefings
from generator.slug import slugify, unique_slug

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from distributed import Client

    from generator.extract.vocabulary import Vocabulary
    from generator.model import Article, Briefing, Topic

    Extract = Callable[[Sequence[Article]], list[Briefing | BriefingError]]
    """Extraction of one window of articles, in input order."""

# The model, the readers, the extractor and YAML load only when there is something to
# ingest: a build with no new articles should cost a scan of stat data, not those imports.

log = logging.getLogger(__name__)

# Below this many articles a process pool costs more than it saves.
PARALLEL_THRESHOLD = 24
INGEST_WINDOW = 2_000
"""Inputs read, extracted and written at a time: memory holds one window, not the archive."""
CLUSTER_BATCH = 25
"""Articles per cluster task: under a second of work, enough tasks to spread and to show."""
STAT_CACHE = "ingest"
RUN_CACHE = "ingest-run"


@dataclass(frozen=True)
class IngestOptions:
    """Command-line choices for one ingest run."""

    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    force: bool = False
    jobs: int | None = None


@dataclass
class IngestResult:
    """What one ingest run did, for the user."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    errors: list[BriefingError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the run says besides its summary (how a cluster did)."""
    scan: Scan | None = field(default=None, repr=False, compare=False)
    """The briefings folder as this run found it, when it wrote nothing there: the site
    stage need not scan it again."""


def warm_up(config: SiteConfig) -> None:
    """Import the readers and load the extractor's models and tables now (about a second),
    so that the first article a preview session ingests does not wait for them."""
    try:
        import generator.ingest  # noqa: F401  (the readers)
        from generator.model import Article

        # A small article whose extraction loads every model and table the extractor uses.
        article = Article(
            title="Minister visits port",
            body='Anna Berg, the transport minister, said on Monday: "The port will reopen."',
            file="warm-up.txt",
            sha256="",
        )
        _extract_one(article, IngestOptions(), config)
    except Exception:  # only ever a head start: the real ingest reports real problems
        log.debug("warming the extractor up failed", exc_info=True)


def _extract_one(article: Article, options: IngestOptions, config: SiteConfig) -> Briefing:
    """Extraction for one article (runs in worker processes too)."""
    from generator.extract.pipeline import extract
    from generator.extract.topics import load_vocabulary
    from generator.model import Briefing, Source

    vocabulary = load_vocabulary(extra=config.topics, replace=config.replace_topics)
    ex = extract(article, fallback_date=options.date, vocabulary=vocabulary,
                 aliases=config.aliases, language=site_language(config))  # fmt: skip
    if article.date is not None:
        date, inferred = article.date, False
    elif options.date is not None:
        date, inferred = options.date, False
    else:
        date, inferred = ex.date, ex.date_inferred
    source = Source(
        name=options.source or article.source_name or config.source or ex.source_name,
        url=options.url or article.url,
        file=article.file,
        sha256=article.sha256,
    )
    return Briefing(
        title=article.title,
        slug=slugify(article.title),
        date=date,
        date_inferred=inferred,
        source=source,
        credits=article.credits,
        summary=ex.summary,
        key_points=ex.key_points,
        topics=_with_hints(ex.topics, article.topics, vocabulary),
        actors=ex.actors,
        places=ex.places,
        quotes=ex.quotes,
        events=ex.events,
        tags=ex.tags,
        body=text_to_markdown(article.body),
        language=ex.language,
    )


def site_language(config: SiteConfig) -> str:
    """The site's language as an ISO 639-1 code ("en-GB" -> "en"): an article's when its
    text cannot tell."""
    return config.language.replace("_", "-").split("-")[0].strip().lower() or "en"


def _with_hints(
    found: tuple[Topic, ...], hints: tuple[str, ...], vocabulary: Vocabulary
) -> tuple[Topic, ...]:
    """The topics a source names (those the vocabulary knows) first, then the extracted ones."""
    from generator.model import Topic

    lead: list[Topic] = []
    for term in filter(None, map(vocabulary.get, hints)):
        if all(t.id != term.id for t in lead):
            lead.append(Topic(id=term.id, label=term.label, iptc=term.iptc, score=1.0))
    return (*lead, *(t for t in found if all(t.id != h.id for h in lead)))


@contextmanager
def _extractor(options: IngestOptions, config: SiteConfig, notes: list[str]) -> Iterator[Extract]:
    """Extraction for a run's windows: on the cluster when one is set, else in local worker
    processes once a window is big enough to pay for them, else here. The pool or the
    cluster's client is made at the first window that needs it and kept for the others."""
    with ExitStack() as stack:
        if config.scheduler:
            yield _on_cluster(config.scheduler, options, config, notes, stack)
            return
        jobs = options.jobs or os.cpu_count() or 1
        pools: list[Executor] = []

        def local(articles: Sequence[Article]) -> list[Briefing | BriefingError]:
            if jobs <= 1 or len(articles) < PARALLEL_THRESHOLD:
                return _extract_batch(articles, options, config)
            from generator.pools import chunked, make_pool  # multiprocessing: only when needed

            if not pools:
                # generator.pools: never a plain fork (serve and watch run threads), and the
                # workers die with this process.
                pools.append(stack.enter_context(make_pool(jobs)))
            batches = list(chunked(articles, max(1, len(articles) // (jobs * 4))))
            done = pools[0].map(_extract_batch, batches, [options] * len(batches),
                                [config] * len(batches))  # fmt: skip
            return [made for batch in done for made in batch]

        yield local


def _on_cluster(
    address: str, options: IngestOptions, config: SiteConfig, notes: list[str], stack: ExitStack
) -> Extract:
    """Extraction in batches as Dask tasks, the client connected at the first window; the
    briefings come back here to be written. The cluster's figures go to `notes` at the end."""
    from generator.cluster import ClusterRun, connect, map_batches
    from generator.pools import chunked
    from generator.progress import progress_for

    clients: list[Client] = []
    runs: list[ClusterRun] = []

    def say_total() -> None:
        if runs:
            notes.append(ClusterRun.total(runs).describe("articles"))

    stack.callback(say_total)

    def on_cluster(articles: Sequence[Article]) -> list[Briefing | BriefingError]:
        if not clients:
            clients.append(stack.enter_context(connect(address)))
        batches = list(chunked(articles, CLUSTER_BATCH))
        made, run = map_batches(
            clients[0], _extract_batch, batches, options, config, progress=progress_for()
        )
        runs.append(run)
        return made

    return on_cluster


def _extract_batch(
    articles: Sequence[Article], options: IngestOptions, config: SiteConfig
) -> list[Briefing | BriefingError]:
    """Extract one article after another, the cyclic garbage collector run once per article.

    Extraction builds up long-lived models, tables and word caches; left to itself the
    collector scans them all again and again (a twentieth of a large ingest's time). Here
    each article's survivors are frozen out of its way once its own garbage is collected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        out: list[Briefing | BriefingError] = []
        for article in articles:
            out.append(_safe_extract(article, options, config))
            gc.collect(0)  # everything older is frozen: the youngest generation is the rest
            gc.freeze()
        return out
    finally:
        gc.unfreeze()  # later collections see it all again
        if enabled:
            gc.enable()


def _safe_extract(
    article: Article, options: IngestOptions, config: SiteConfig
) -> Briefing | BriefingError:
    try:
        return _extract_one(article, options, config)
    except BriefingError as exc:
        return exc
    except Exception as exc:
        log.info("extraction failed for %s", article.file, exc_info=True)  # traceback with -v
        return InputError(f"extraction failed: {type(exc).__name__}: {exc}", article.file)


_BLOCK_START_RE = re.compile(r"^(\s*)([#>+*-]|\d+[.)]|[=`~]{3,})", re.M)


def text_to_markdown(body: str) -> str:
    """Plain article paragraphs as Markdown that renders as the same text."""
    body = body.replace("\\", "\\\\")
    body = re.sub(r"([`*_\[\]<>|])", r"\\\1", body)
    return _BLOCK_START_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), body)


def _read_cache(config: SiteConfig) -> StatCache:
    """The stat cache of the last ingest (empty when missing or from another version)."""
    cache = read_cache(config.cache_path, STAT_CACHE)
    return cache if isinstance(cache, StatCache) else StatCache()


def _suffixes() -> tuple[str, ...]:
    """The file endings the readers understand (imports the readers)."""
    from generator.ingest import SUPPORTED_SUFFIXES

    return SUPPORTED_SUFFIXES


def ingest(
    config: SiteConfig,
    paths: Sequence[Path],
    options: IngestOptions,
    out_dir: Path | None = None,
) -> IngestResult:
    """Turn raw articles under `paths` into briefing files in `out_dir`."""
    out = out_dir or config.briefings_path
    own = out == config.briefings_path  # the site's own folder: the caches apply
    quiet = read_cache(config.cache_path, RUN_CACHE) if own else None
    quiet = quiet if isinstance(quiet, QuietRun) else None
    suffixes = quiet.suffixes if quiet is not None else _suffixes()
    now = time.time_ns()
    inputs, errors = find_inputs(paths, config.root, suffixes)
    scan = scan_briefings(out, config.root)
    key = None
    if own and not errors and not options.force and settled(inputs, scan):
        key = run_key(paths, out, inputs, scan)
        if quiet is not None and quiet.key == key:
            return IngestResult(unchanged=list(quiet.unchanged), scan=scan)
    cache = _read_cache(config) if own else StatCache()
    before = (dict(cache.inputs), dict(cache.existing))
    existing = load_existing(scan, out, cache)
    result = IngestResult(errors=list(errors))
    places = _Places.of(existing)
    extracted = False
    with _extractor(options, config, result.notes) as extract:
        # A window at a time: an archive's run holds one window's articles and briefings.
        for start in range(0, len(inputs), INGEST_WINDOW):
            window = inputs[start : start + INGEST_WINDOW]
            todo = _to_extract(window, places.by_source, cache, now, options, result)
            if todo:
                extracted = True
                made = extract([article for article, _ in todo])
                _place_all(todo, made, places, out, options, result)
    if own and before != (cache.inputs, cache.existing):
        write_cache(config.cache_path, STAT_CACHE, cache)
    quiet_run = not (extracted or result.errors or result.warnings or result.kept_edited)
    if key is not None and quiet_run:
        # Read nothing new, wrote nothing: while no file moves, the next run's result is this.
        write_cache(config.cache_path, RUN_CACHE, QuietRun(key, tuple(result.unchanged), suffixes))
    if own and not result.written:
        result.scan = scan
    return result


def _to_extract(
    inputs: Sequence[Input],
    by_source: Mapping[tuple[str | None, str | None], Existing],
    cache: StatCache,
    now: int,
    options: IngestOptions,
    result: IngestResult,
) -> list[tuple[Article, bool]]:
    """The articles of `inputs` that no briefing holds yet, each with whether it is its
    file's only article; those already held are noted in `result` as unchanged."""
    todo: list[tuple[Article, bool]] = []
    for item in inputs:
        path = Path(item.path)
        try:
            # Most inputs hold one article hashed as the whole file: skip reading those unchanged.
            hit = by_source.get((path.name, input_digest(item, cache, now)))
            if hit is not None and not options.force:
                result.unchanged.append(hit.slug)
                continue
            from generator.ingest import read_input

            readout = read_input(path)
        except BriefingError as exc:
            result.errors.append(exc)
            continue
        except OSError as exc:
            result.errors.append(InputError(f"cannot read: {exc.strerror}", path))
            continue
        except Exception as exc:
            # A reader's bug must cost this one input, not the whole build (traceback: -v).
            log.info("reading %s failed", path, exc_info=True)
            result.errors.append(InputError(f"cannot read: {type(exc).__name__}: {exc}", path))
            continue
        result.errors.extend(readout.errors)
        # The file's only article (none of its entries failed): an edit of it replaces its
        # briefing even when the title changed.
        single = len(readout.articles) == 1 and not readout.errors
        for article in readout.articles:
            result.warnings.extend(f"{path}: {w}" for w in article.warnings)
            result.warnings.extend(_long_article(path, article))
            hit = by_source.get((article.file, article.sha256))
            if hit is not None and not options.force:
                result.unchanged.append(hit.slug)
            else:
                todo.append((article, single))
    return todo


@dataclass
class _Places:
    """Where a run's briefings go: the briefing of each input version, the briefings of each
    input file, the slugs taken; kept across the run's windows."""

    by_source: dict[tuple[str | None, str | None], Existing]
    by_file: dict[str, list[Existing]]
    taken: set[str]

    @classmethod
    def of(cls, existing: dict[str, Existing]) -> _Places:
        """The places the briefings already in the folder hold."""
        by_file: dict[str, list[Existing]] = {}
        for e in existing.values():
            by_file.setdefault(e.source_file or "", []).append(e)
        by_source = {(e.source_file, e.source_sha256): e for e in existing.values()}
        return cls(by_source, by_file, set(existing))


def _place_all(
    todo: Sequence[tuple[Article, bool]],
    made_all: Sequence[Briefing | BriefingError],
    places: _Places,
    out: Path,
    options: IngestOptions,
    result: IngestResult,
) -> None:
    """Write the briefings extracted from `todo`, in input order (errors noted in `result`)."""
    for (article, single), made in zip(todo, made_all, strict=True):
        if isinstance(made, BriefingError):
            result.errors.append(made)
            continue
        _place(made, article, single, out, places.by_file, places.taken, options, result)


def _long_article(path: Path, article: Article) -> list[str]:
    """A warning when only the start of a very long article is analysed."""
    from generator.extract.pipeline import MAX_ANALYSED_CHARS

    if len(article.body) <= MAX_ANALYSED_CHARS:
        return []
    return [
        f"{path}: very long article ({len(article.body):,} characters): actors, "
        f"quotes and topics come from its first {MAX_ANALYSED_CHARS:,}"
    ]


def _previous(article: Article, base_slug: str, same_file: list[Existing],
              single: bool) -> Existing | None:  # fmt: skip
    """The briefing an earlier version of this input wrote, if any."""
    for e in same_file:
        if e.source_sha256 == article.sha256:
            return e
    for e in same_file:
        if e.slug == base_slug:
            return e
    return same_file[0] if single and len(same_file) == 1 else None


def _place(
    b: Briefing,
    article: Article,
    single: bool,
    out: Path,
    by_file: dict[str, list[Existing]],
    taken: set[str],
    options: IngestOptions,
    result: IngestResult,
) -> None:
    """Write one briefing: over its earlier version (unless edited by hand) or at a new slug."""
    from generator.briefing_md import is_hand_edited, parse_briefing, stamp

    same_file = by_file.setdefault(article.file, [])
    previous = _previous(article, b.slug, same_file, single)
    if previous is not None:
        slug = previous.slug
        text = previous.path.read_text(encoding="utf-8", errors="replace")
        try:
            edited = is_hand_edited(text, parse_briefing(text, str(previous.path))[0])
        except BriefingError:
            edited = True
        if edited and not options.force:
            result.kept_edited.append(slug)
            result.warnings.append(
                f"{previous.path}: edited by hand; kept (re-ingest {article.file} with --force)"
            )
            return
        if edited:
            backup = previous.path.with_name(previous.path.name + ".bak")
            replace_file(backup, previous.path.read_bytes())
            result.warnings.append(f"{previous.path}: edited by hand; saved as {backup.name}")
        same_file.remove(previous)
    else:
        slug = unique_slug(b.slug, taken)
        if slug != b.slug:
            result.warnings.append(f"{article.file}: slug '{b.slug}' already taken; using '{slug}'")
    taken.add(slug)
    _, text = stamp(replace(b, slug=slug), __version__)
    target = out / f"{slug}.md"
    if write_if_changed(target, text.encode("utf-8")):
        result.written.append(slug)
    else:
        result.unchanged.append(slug)
    same_file.append(Existing(str(target), slug, article.file, article.sha256))
