"""Briefing files on disk -> Briefings, broken files reported, duplicate slugs made unique.

Parsing YAML is the slowest part of a build, so each file's parse is cached by its
stat data and content hash (`ParseCache`): an unchanged file is not even read again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import InputError
from generator.slug import unique_slug

if TYPE_CHECKING:
    from generator.model import Briefing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Parsed:
    """One briefing file as last read: its stat data, hash, and what parsing gave."""

    size: int
    mtime_ns: int
    sha256: str
    briefing: Briefing | None
    error: tuple[str, int | None] | None
    """(message, line) when the file is broken; kept as plain data so it pickles whole."""
    notes: tuple[str, ...] = ()
    seen_ns: int = 0
    """When the stat data was taken: a file changed within RACY_NS of it is hashed again."""


RACY_NS = 1_000_000_000
"""File times tick coarsely (a few ms; seconds on some file systems): a file whose mtime is
this close to when it was scanned may change again without its stat changing, so its
cached parse is only trusted after its hash is checked (as git does with its index)."""

ParseCache = dict[str, Parsed]
"""File path (as reported to the user) -> its last parse."""
Parser = Callable[[list[tuple[str, int, int]]], list[Parsed]]
"""Parses (path, size, mtime_ns) jobs, in order: in-process or across worker processes."""


@dataclass(frozen=True)
class LoadResult:
    """What loading a briefings folder gives: the good briefings and what went wrong."""

    briefings: tuple[Briefing, ...]
    """In file-name order, slugs unique."""
    files: tuple[str, ...]
    """The file each briefing came from, same order."""
    errors: tuple[InputError, ...]
    warnings: tuple[str, ...]
    duplicates: tuple[str, ...] = ()
    """One message per duplicate slug (also in warnings), for `briefing check`."""
    digests: tuple[str, ...] = ()
    """The sha256 of each briefing's file, same order: what the page cache keys on."""

    def file_hashes(self) -> dict[str, str]:
        """Published slug -> the sha256 of its briefing's file."""
        return {b.slug: d for b, d in zip(self.briefings, self.digests, strict=False)}


def _scan(folder: Path) -> list[tuple[str, os.stat_result | None]]:
    """(path, stat or None for a symlink) of every *.md file, sorted by relative path.

    One scandir walk: cheaper than rglob plus a stat per file, which matters for
    no-op builds of big sites. Symlinked folders are not followed (as rglob does not).
    """
    found: list[tuple[str, str, os.stat_result | None]] = []
    stack = [(str(folder), "")]
    while stack:
        base, rel = stack.pop()
        try:
            entries = list(os.scandir(base))
        except OSError:
            continue
        for entry in entries:
            name = f"{rel}{entry.name}"
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, name + "/"))
                elif entry.name.endswith(".md"):
                    st = None if entry.is_symlink() else entry.stat(follow_symlinks=False)
                    found.append((name, entry.path, st))
            except OSError:
                continue
    found.sort(key=lambda t: t[0])
    return [(path, st) for _, path, st in found]


MAX_BRIEFING_BYTES = 16 * 1024 * 1024
"""Largest briefing file read: ingest writes a few KB, a 5 MB input at most about 10 MB."""


def parse_file(path: str, size: int, mtime_ns: int) -> Parsed:
    """Read and parse one briefing file (runs in worker processes too)."""
    if size > MAX_BRIEFING_BYTES:
        limit = MAX_BRIEFING_BYTES // (1024 * 1024)
        message = f"file too large: {size / 1_048_576:.1f} MB (the limit is {limit} MB)"
        return Parsed(size, mtime_ns, "", None, (message, None))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return Parsed(size, mtime_ns, "", None, (f"cannot read briefing: {exc}", None))
    digest = hashlib.sha256(data).hexdigest()
    return parse_bytes(path, size, mtime_ns, digest, data)


def parse_bytes(path: str, size: int, mtime_ns: int, digest: str, data: bytes) -> Parsed:
    """Parse a briefing file's bytes into a cache entry; never raises for bad input."""
    from generator.briefing_md import parse_briefing  # YAML: only when something is parsed

    try:
        # Universal newlines, as read_text gives: a CRLF file parses like an LF one.
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        briefing, notes = parse_briefing(text, path)
    except InputError as exc:
        return Parsed(size, mtime_ns, digest, None, (exc.message, exc.line))
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        message = f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column {column}"
        return Parsed(size, mtime_ns, digest, None, (f"{message} (save it as UTF-8)", line))
    return Parsed(size, mtime_ns, digest, briefing, None, tuple(notes))


def parse_serial(jobs: list[tuple[str, int, int]]) -> list[Parsed]:
    """Parse jobs in this process."""
    return [parse_file(*job) for job in jobs]


def _refresh(scan: Scan, cache: Mapping[str, Parsed], parse: Parser) -> ParseCache:
    """Each file's parse, in file order: reused when its stat (or else its hash) is unchanged."""
    out: dict[str, Parsed | None] = {}
    todo: list[tuple[str, int, int]] = []
    for path, size, mtime_ns in scan.files:
        old = cache.get(path)
        if old is not None and old.size == size:
            if old.mtime_ns == mtime_ns and mtime_ns < old.seen_ns - RACY_NS:
                out[path] = old
                continue
            # Touched, or changed too close to the last scan to trust its stat: hash it.
            try:
                data = Path(path).read_bytes()
            except OSError:
                data = None
            if data is not None and hashlib.sha256(data).hexdigest() == old.sha256:
                out[path] = replace(old, mtime_ns=mtime_ns, seen_ns=scan.started_ns)
                continue
        out[path] = None  # keeps the file's place in the order
        todo.append((path, size, mtime_ns))
    for (path, _, _), parsed in zip(todo, parse(todo) if todo else [], strict=True):
        out[path] = replace(parsed, seen_ns=scan.started_ns)
    return {path: p for path, p in out.items() if p is not None}


def load_briefings(
    folder: Path,
    root: Path | None = None,
    cache: Mapping[str, Parsed] | None = None,
    parse: Parser = parse_serial,
) -> LoadResult:
    """Parse every briefing file; a broken file becomes an InputError and the rest still load.

    With `root`, a file that is a symlink to somewhere outside it is refused: a build must
    never publish what lies outside the site. `cache` holds earlier parses to reuse.
    """
    result, _ = load_cached(folder, root, cache or {}, parse)
    return result


@dataclass(frozen=True)
class Scan:
    """The briefing files found and their stat data (symlinks followed), before any reading."""

    files: tuple[tuple[str, int, int], ...]
    """(path, size, mtime_ns) in file-name order."""
    refused: tuple[tuple[str, str], ...]
    """(path, message) of files that cannot be read at all (e.g. symlinks out of the site)."""
    started_ns: int = 0
    """Wall-clock time when the scan began."""

    def settled(self) -> bool:
        """True when no file changed within RACY_NS of the scan: stat data alone tells."""
        newest = max((mtime for _, _, mtime in self.files), default=0)
        return newest < self.started_ns - RACY_NS


def scan_briefings(folder: Path, root: Path | None = None) -> Scan:
    """Find every briefing file and stat it; refuses symlinks leaving `root`."""
    started = time.time_ns()
    real_root = root.resolve() if root is not None else None
    refused: list[tuple[str, str]] = []
    files: list[tuple[str, int, int]] = []
    for path, st in _scan(folder):
        if st is None:  # a symlink: where does it lead?
            if real_root and not Path(path).resolve().is_relative_to(real_root):
                refused.append((path, "symlink points outside the site root; refused"))
                continue
            try:
                st = os.stat(path)
            except OSError as exc:
                refused.append((path, f"cannot read briefing: {exc}"))
                continue
            if not stat.S_ISREG(st.st_mode):
                refused.append((path, "cannot read briefing: not a file"))
                continue
        files.append((path, st.st_size, st.st_mtime_ns))
    return Scan(tuple(files), tuple(refused), started)


def load_cached(
    folder: Path, root: Path | None, cache: Mapping[str, Parsed], parse: Parser = parse_serial
) -> tuple[LoadResult, ParseCache]:
    """load_briefings, also returning the parse cache to keep for the next build."""
    return load_scanned(scan_briefings(folder, root), cache, parse)


def load_scanned(
    scan: Scan, cache: Mapping[str, Parsed], parse: Parser = parse_serial
) -> tuple[LoadResult, ParseCache]:
    """The briefings of a scan, parsing only files the cache does not hold as they are now."""
    parsed = _refresh(scan, cache, parse)
    refused = [InputError(message, path) for path, message in scan.refused]
    return _assemble(parsed, refused), parsed


def _assemble(parsed: Mapping[str, Parsed], refused: list[InputError]) -> LoadResult:
    """The LoadResult from parses in file order: errors named, duplicate slugs renamed."""
    briefings: list[Briefing] = []
    files: list[str] = []
    digests: list[str] = []
    errors: list[InputError] = list(refused)
    warnings: list[str] = []
    duplicates: list[str] = []
    owner: dict[str, str] = {}
    for name, p in parsed.items():
        if p.briefing is None:
            message, line = p.error or ("cannot read briefing", None)
            errors.append(InputError(message, name, line))
            continue
        briefing = p.briefing
        warnings.extend(f"{name}: {note}" for note in p.notes)
        if briefing.slug in owner:
            # Neither is lost: the later file (in name order) gets a suffix, both are named.
            new = unique_slug(briefing.slug, set(owner))
            message = (
                f"{name}: slug {briefing.slug!r} is already used by {owner[briefing.slug]}; "
                f"published as {new!r}"
            )
            warnings.append(message)
            duplicates.append(message)
            briefing = replace(briefing, slug=new)
        owner[briefing.slug] = name
        briefings.append(briefing)
        files.append(name)
        digests.append(p.sha256)
    errors.sort(key=lambda e: e.path or "")
    log.debug("loaded %d briefings, %d errors", len(briefings), len(errors))
    return LoadResult(
        tuple(briefings),
        tuple(files),
        tuple(errors),
        tuple(warnings),
        tuple(duplicates),
        tuple(digests),
    )
