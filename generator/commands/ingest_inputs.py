"""Ingest's inputs on disk: raw articles found by one walk, and what stat data tells of them.

A build with nothing new to ingest should cost a scan of stat data. Files whose stat data
is unchanged are not read again (`StatCache`), and a run that read and wrote nothing is
repeated whole while no file moved (`QuietRun`), without the per-file bookkeeping.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from generator.errors import BriefingError, InputError
from generator.site.model.load import RACY_NS, Scan


class Input(NamedTuple):
    """A raw input file as listed: its path, its stat data, and whether it is a symlink."""

    path: str
    size: int
    mtime_ns: int
    link: bool


class Seen(NamedTuple):
    """A file as last looked at: its stat data, when, and what ingest took from it.

    A plain tuple: the cache holds one per input and per briefing, and tuples load fast.
    """

    size: int
    mtime_ns: int
    seen_ns: int
    sha256: str = ""
    """Raw inputs: the hash of the bytes."""
    source: tuple[str | None, str | None] = (None, None)
    """Briefing files: the source file and hash their front matter names."""

    def matches(self, size: int, mtime_ns: int) -> bool:
        """True when the file is surely unchanged: same stat, not changed near the look."""
        return self.size == size and self.mtime_ns == mtime_ns and mtime_ns < self.seen_ns - RACY_NS


@dataclass
class StatCache:
    """What ingest learnt from files by their stat data, so unchanged ones are not read."""

    inputs: dict[str, Seen] = field(default_factory=dict)
    existing: dict[str, Seen] = field(default_factory=dict)


@dataclass(frozen=True)
class QuietRun:
    """An ingest run that read no input and wrote nothing: repeated while nothing moved.

    `key` hashes what the run was asked (input paths, output folder) and the stat data of
    every input and briefing file it saw, all settled (none changed within RACY_NS of the
    look), so the same key means the same files and the same result.
    """

    key: bytes
    unchanged: tuple[str, ...]
    suffixes: tuple[str, ...]
    """The readers' file endings, so a run with nothing new need not import the readers."""


def run_key(paths: Sequence[Path], out: Path, inputs: Sequence[Input], scan: Scan) -> bytes:
    """What a quiet run's result depends on, hashed."""
    asked = (tuple(map(str, paths)), str(out))
    data = pickle.dumps((asked, [tuple(i) for i in inputs], scan.files, scan.refused), 5)
    return hashlib.blake2b(data, digest_size=16).digest()


def settled(inputs: Sequence[Input], scan: Scan) -> bool:
    """True when no input or briefing changed within RACY_NS of when they were listed."""
    newest = max((i.mtime_ns for i in inputs), default=0)
    return scan.settled() and newest < scan.started_ns - RACY_NS


@dataclass(frozen=True)
class Existing:
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
    """A YAML scalar as written in a header line: quotes removed, null as None."""
    value = value.strip()
    if value in ("null", "~", ""):
        return None
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def load_existing(scan: Scan, folder: Path, cache: StatCache | None = None) -> dict[str, Existing]:
    """Slug -> what ingest needs of each briefing file right in `folder`, from the folder's
    scan (a cheap header read; with `cache`, none for a file whose stat data is unchanged).

    A file the scan refused (a symlink leaving the site root) is not read, but its slug
    stays taken.
    """
    out: dict[str, Existing] = {}
    known = cache.existing if cache is not None else {}
    fresh: dict[str, Seen] = {}
    top = str(folder)
    for path, size, mtime in scan.files:
        if os.path.dirname(path) != top:
            continue
        seen = known.get(path)
        if seen is None or not seen.matches(size, mtime):
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    head = fh.read()[:4096]
            except OSError:
                continue
            src_m = _SOURCE_RE.search(head)
            source = (_unquote(src_m.group(1)), _unquote(src_m.group(2))) if src_m else (None, None)
            seen = Seen(size, mtime, scan.started_ns, source=source)
        fresh[path] = seen
        slug = os.path.basename(path)[:-3]
        out[slug] = Existing(path, slug, seen.source[0], seen.source[1])
    for path, _ in scan.refused:
        if os.path.dirname(path) == top:
            slug = os.path.basename(path)[:-3]
            out.setdefault(slug, Existing(path, slug, None, None))
    if cache is not None:
        cache.existing = fresh
    return out


def _files_under(base: Path, suffixes: Sequence[str]) -> list[Input]:
    """Every input file under `base` with its stat data, sorted as rglob lists them.

    One scandir walk with plain strings: a build with nothing new costs little more than
    this listing. Dot files and folders are skipped, symlinked folders not followed.
    """
    found: list[tuple[list[str], Input]] = []
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
                    st = entry.stat()  # a symlink's target, as reading it would see
                    item = Input(entry.path, st.st_size, st.st_mtime_ns, entry.is_symlink())
                    found.append(([*parts, entry.name], item))
            except OSError:
                continue
    found.sort(key=lambda pair: pair[0])  # by path parts, as Path objects compare
    return [item for _, item in found]


def find_inputs(
    paths: Iterable[Path], root: Path, suffixes: Sequence[str]
) -> tuple[list[Input], list[BriefingError]]:
    """Every readable raw article under `paths`, sorted; refuses symlinks leaving the root."""
    found: list[Input] = []
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
            st = base.stat()
            candidates = [Input(str(base), st.st_size, st.st_mtime_ns, base.is_symlink())]
        else:
            candidates = _files_under(base, suffixes)
        for item in candidates:
            if item.link and not Path(item.path).resolve().is_relative_to(real_root):
                refused = "symlink points outside the site root; refused"
                errors.append(InputError(refused, Path(item.path)))
                continue
            found.append(item)
    return found, errors


def input_digest(item: Input, cache: StatCache, now: int) -> str:
    """The sha256 of an input's bytes: from the stat cache when the file is surely unchanged."""
    seen = cache.inputs.get(item.path)
    if seen is None or not seen.matches(item.size, item.mtime_ns):
        sha = hashlib.sha256(Path(item.path).read_bytes()).hexdigest()
        seen = Seen(item.size, item.mtime_ns, now, sha)
    cache.inputs[item.path] = seen
    return seen.sha256
