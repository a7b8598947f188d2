"""The ingest stage: raw articles -> briefing files, idempotent and safe for hand edits."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import __version__
from generator.config import SiteConfig
from generator.errors import BriefingError, InputError
from generator.fileio import write_if_changed
from generator.model import Article, Briefing, Source
from generator.site.cache import read_cache, write_cache
from generator.slug import slugify, unique_slug

# The readers, the extractor and YAML load only when there is something to ingest: a
# build with no new articles should cost a scan of stat data, not those imports.

log = logging.getLogger(__name__)

# Below this many articles a process pool costs more than it saves.
PARALLEL_THRESHOLD = 24
STAT_CACHE = "ingest"
RACY_NS = 1_000_000_000
"""A file changed this close to when it was looked at may change again unseen: hash it."""


@dataclass(frozen=True)
class _Seen:
    """A file as last looked at: its stat data, when, and what ingest took from it."""

    size: int
    mtime_ns: int
    seen_ns: int
    sha256: str = ""
    """Raw inputs: the hash of the bytes."""
    source: tuple[str | None, str | None] = (None, None)
    """Briefing files: the source file and hash their front matter names."""

    def matches(self, st: os.stat_result) -> bool:
        """True when the file is surely unchanged: same stat, not changed near the look."""
        return (
            self.size == st.st_size
            and self.mtime_ns == st.st_mtime_ns
            and st.st_mtime_ns < self.seen_ns - RACY_NS
        )


@dataclass
class _StatCache:
    """What ingest learnt from files by their stat data, so unchanged ones are not read."""

    inputs: dict[str, _Seen] = field(default_factory=dict)
    existing: dict[str, _Seen] = field(default_factory=dict)
    suffixes: tuple[str, ...] = ()
    """The readers' file endings, so a run with nothing new need not import the readers."""


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


@dataclass(frozen=True)
class _Existing:
    """A briefing file already in the output folder, as far as ingest needs it."""

    location: str
    """Its path as a plain string: a build makes one for every briefing file."""
    slug: str
    source_file: str | None
    source_sha256: str | None

    @property
    def path(self) -> Path:
        """The file's path."""
        return Path(self.location)


_SOURCE_RE = re.compile(r"^source:\n(?:  .*\n)*?  file: (.*)\n  sha256: (.*)\n", re.M)


def _unquote(value: str) -> str | None:
    value = value.strip()
    if value in ("null", "~", ""):
        return None
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def load_existing(folder: Path, cache: _StatCache | None = None) -> dict[str, _Existing]:
    """Slug -> what ingest needs of each briefing file in `folder` (a cheap header scan).

    With `cache`, a file whose stat data is unchanged is not read again.
    """
    out: dict[str, _Existing] = {}
    if not folder.is_dir():
        return out
    known = cache.existing if cache is not None else {}
    fresh: dict[str, _Seen] = {}
    now = time.time_ns()
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.name.endswith(".md") or not entry.is_file():
            continue
        try:
            st = entry.stat()
        except OSError:
            continue
        seen = known.get(entry.path)
        if seen is None or not seen.matches(st):
            try:
                with open(entry.path, encoding="utf-8", errors="replace") as fh:
                    head = fh.read()[:4096]
            except OSError:
                continue
            src_m = _SOURCE_RE.search(head)
            source = (_unquote(src_m.group(1)), _unquote(src_m.group(2))) if src_m else (None, None)
            seen = _Seen(st.st_size, st.st_mtime_ns, now, source=source)
        fresh[entry.path] = seen
        slug = entry.name[:-3]
        out[slug] = _Existing(entry.path, slug, seen.source[0], seen.source[1])
    if cache is not None:
        cache.existing = fresh
    return out


def _files_under(base: Path, suffixes: Sequence[str]) -> list[tuple[str, bool]]:
    """(path, is symlink) of every input file under `base`, sorted as rglob lists them.

    One scandir walk with plain strings: a build with nothing new costs little more than
    this listing. Dot files and folders are skipped, symlinked folders not followed.
    """
    found: list[tuple[list[str], str, bool]] = []
    stack: list[tuple[str, list[str]]] = [(str(base), [])]
    while stack:
        folder, parts = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, [*parts, entry.name]))
                elif os.path.splitext(entry.name)[1].lower() in suffixes and entry.is_file():
                    found.append(([*parts, entry.name], entry.path, entry.is_symlink()))
            except OSError:
                continue
    found.sort(key=lambda item: item[0])  # by path parts, as Path objects compare
    return [(path, link) for _, path, link in found]


def find_inputs(
    paths: Iterable[Path], root: Path, suffixes: Sequence[str] | None = None
) -> tuple[list[Path], list[BriefingError]]:
    """Every readable raw article under `paths`, sorted; refuses symlinks leaving the root."""
    if suffixes is None:
        from generator.ingest import SUPPORTED_SUFFIXES

        suffixes = SUPPORTED_SUFFIXES
    found: list[Path] = []
    errors: list[BriefingError] = []
    real_root = root.resolve()
    for base in paths:
        if not base.exists():
            errors.append(InputError("no such file or folder", base))
            continue
        if base.is_file():
            if base.suffix.lower() not in suffixes:
                errors.append(InputError(f"unsupported file type '{base.suffix}'", base))
                continue
            candidates = [(str(base), base.is_symlink())]
        else:
            candidates = _files_under(base, suffixes)
        for name, link in candidates:
            path = Path(name)
            if link and not path.resolve().is_relative_to(real_root):
                errors.append(InputError("symlink points outside the site root; refused", path))
                continue
            found.append(path)
    return found, errors


WARM_UP = Article(
    title="Minister visits port",
    body='Anna Berg, the transport minister, said on Monday: "The port will reopen."',
    file="warm-up.txt",
    sha256="",
)
"""A small article whose extraction loads every model and table the extractor uses."""


def warm_up(config: SiteConfig) -> None:
    """Import the readers and load the extractor's models and tables now (about a second),
    so that the first article a preview session ingests does not wait for them."""
    try:
        import generator.ingest  # noqa: F401  (the readers)

        _extract_one(WARM_UP, IngestOptions(), config)
    except Exception:  # only ever a head start: the real ingest reports real problems
        log.debug("warming the extractor up failed", exc_info=True)


def _extract_one(article: Article, options: IngestOptions, config: SiteConfig) -> Briefing:
    """Extraction for one article (runs in worker processes too)."""
    from generator.extract.pipeline import extract
    from generator.extract.topics import load_vocabulary

    vocabulary = load_vocabulary(extra=config.topics, replace=config.replace_topics)
    ex = extract(article, fallback_date=options.date, vocabulary=vocabulary,
                 aliases=config.aliases)  # fmt: skip
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
        topics=ex.topics,
        actors=ex.actors,
        places=ex.places,
        quotes=ex.quotes,
        events=ex.events,
        tags=ex.tags,
        body=text_to_markdown(article.body),
    )


def _extract_many(
    articles: Sequence[Article], options: IngestOptions, config: SiteConfig
) -> list[Briefing | BriefingError]:
    """Extract in input order, across processes when it pays."""
    jobs = options.jobs or os.cpu_count() or 1
    if jobs <= 1 or len(articles) < PARALLEL_THRESHOLD:
        return _extract_batch(articles, options, config)
    from generator.pools import chunked, make_pool  # multiprocessing: only when there is work

    batches = list(chunked(articles, max(1, len(articles) // (jobs * 4))))
    # generator.pools: never a plain fork (serve and watch run threads), workers die with us.
    with make_pool(jobs) as pool:
        done = pool.map(_extract_batch, batches, [options] * len(batches),
                        [config] * len(batches))  # fmt: skip
        return [made for batch in done for made in batch]


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


def _digest(path: Path, cache: _StatCache, now: int) -> str:
    """The sha256 of a file's bytes: from the stat cache when the file is surely unchanged."""
    name = str(path)
    st = os.stat(name)
    seen = cache.inputs.get(name)
    if seen is None or not seen.matches(st):
        seen = _Seen(st.st_size, st.st_mtime_ns, now, hashlib.sha256(path.read_bytes()).hexdigest())
    cache.inputs[name] = seen
    return seen.sha256


def _read_cache(config: SiteConfig) -> _StatCache:
    """The stat cache of the last ingest (empty when missing or from another version)."""
    cache = read_cache(config.cache_path, STAT_CACHE)
    return cache if isinstance(cache, _StatCache) else _StatCache()


def ingest(
    config: SiteConfig,
    paths: Sequence[Path],
    options: IngestOptions,
    out_dir: Path | None = None,
) -> IngestResult:
    """Turn raw articles under `paths` into briefing files in `out_dir`."""
    out = out_dir or config.briefings_path
    result = IngestResult()
    cache = _read_cache(config) if out == config.briefings_path else _StatCache()
    before = (dict(cache.inputs), dict(cache.existing), cache.suffixes)
    if not cache.suffixes:
        from generator.ingest import SUPPORTED_SUFFIXES

        cache.suffixes = SUPPORTED_SUFFIXES
    now = time.time_ns()
    inputs, errors = find_inputs(paths, config.root, cache.suffixes)
    result.errors.extend(errors)
    existing = load_existing(out, cache)
    by_source = {(e.source_file, e.source_sha256): e for e in existing.values()}
    by_file: dict[str, list[_Existing]] = {}
    for e in existing.values():
        by_file.setdefault(e.source_file or "", []).append(e)

    todo: list[tuple[Article, bool]] = []
    for path in inputs:
        try:
            # Most inputs hold one article hashed as the whole file: skip reading those unchanged.
            hit = by_source.get((path.name, _digest(path, cache, now)))
            if hit is not None and not options.force:
                result.unchanged.append(hit.slug)
                continue
            from generator.ingest import read_articles

            articles = read_articles(path)
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
        for article in articles:
            result.warnings.extend(f"{path}: {w}" for w in article.warnings)
            result.warnings.extend(_long_article(path, article))
            hit = by_source.get((article.file, article.sha256))
            if hit is not None and not options.force:
                result.unchanged.append(hit.slug)
            else:
                todo.append((article, len(articles) == 1))

    taken = set(existing)
    made_all = _extract_many([a for a, _ in todo], options, config) if todo else []
    for (article, single), made in zip(todo, made_all, strict=True):
        if isinstance(made, BriefingError):
            result.errors.append(made)
            continue
        _place(made, article, single, out, by_file, taken, options, result)
    if out == config.briefings_path and before != (cache.inputs, cache.existing, cache.suffixes):
        write_cache(config.cache_path, STAT_CACHE, cache)
    return result


def _long_article(path: Path, article: Article) -> list[str]:
    """A warning when only the start of a very long article is analysed."""
    from generator.extract.pipeline import MAX_ANALYSED_CHARS

    if len(article.body) <= MAX_ANALYSED_CHARS:
        return []
    return [
        f"{path}: very long article ({len(article.body):,} characters): actors, "
        f"quotes and topics come from its first {MAX_ANALYSED_CHARS:,}"
    ]


def _previous(article: Article, base_slug: str, same_file: list[_Existing],
              single: bool) -> _Existing | None:  # fmt: skip
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
    by_file: dict[str, list[_Existing]],
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
            backup.write_bytes(previous.path.read_bytes())
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
    same_file.append(_Existing(str(target), slug, article.file, article.sha256))
