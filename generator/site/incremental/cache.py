"""The build cache under .briefing-cache/: pickled, versioned, safe to delete or corrupt."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import generator
from generator.fileio import stamp_of

log = logging.getLogger(__name__)

FORMAT = 1
"""Bumped when the layout of what the cache holds changes."""


@functools.cache
def code_key() -> str:
    """The generator's version plus a fingerprint of its code: a cache never outlives either.

    Stat data (not contents) of the package's Python files and theme keeps this cheap;
    a developer editing the generator gets fresh caches without bumping the version.
    """
    package = Path(generator.__file__).resolve().parent
    h = hashlib.blake2b(f"{generator.__version__}:{FORMAT}".encode(), digest_size=16)
    for path in sorted(package.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


Memory = dict[Path, tuple[tuple[int, int, int], Any]]
"""Caches a long-running preview keeps between rebuilds: file -> (its stat data, value).

A value is used again only while its file on disk is the one it was read from or written
as, so a build by another process in between is never missed. Values are never modified
after they are read or written, so sharing them between builds is safe. Session values
(`session_value`) have no file: they check themselves when used.
"""
SESSION = Path("<session>")
"""Where session values sit in a Memory: no cache file is under it."""


def session_value(memory: Memory | None, name: str) -> Any | None:
    """A value the last build of this preview session kept only in memory (None if none)."""
    kept = memory.get(SESSION / name) if memory is not None else None
    return kept[1] if kept is not None else None


def keep_for_session(memory: Memory | None, name: str, value: Any) -> None:
    """Keep `value` for the next build of this preview session, never on disk: for a value
    that costs more to load in a new process than to make again, and that is checked
    against the build's inputs wherever it is used."""
    if memory is not None:
        memory[SESSION / name] = ((0, 0, 0), value)


def drop_cache(folder: Path, name: str, memory: Memory | None = None) -> None:
    """Forget a cache (before a step that would make it wrong if the build died half-way)."""
    path = cache_file(folder, name)
    if memory is not None:
        memory.pop(path, None)
    with contextlib.suppress(OSError):
        path.unlink()


def cache_file(folder: Path, name: str) -> Path:
    """Where the cache called `name` lives."""
    return folder / f"{name}.pickle"


def read_cache(folder: Path, name: str, memory: Memory | None = None) -> Any | None:
    """The cached value, or None when missing, from another generator, or unreadable.

    A cache is only ever an optimization: any failure to read it means 'no cache'.
    """
    path = cache_file(folder, name)
    kept = memory.get(path) if memory is not None else None
    try:
        with open(path, "rb") as fh:
            stamp = stamp_of(os.fstat(fh.fileno()))
            if kept is not None and kept[0] == stamp:
                return kept[1]
            key, value = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # corrupt or foreign file: rebuild it, never crash
        log.debug("ignoring unreadable cache %s: %s", path, exc)
        return None
    if key != code_key():
        log.debug("ignoring cache %s from another generator version", path)
        return None
    if memory is not None:
        memory[path] = (stamp, value)
    return value


def write_cache(folder: Path, name: str, value: Any, memory: Memory | None = None) -> None:
    """Store `value` atomically (temp file + rename); a failure only costs the next build time."""
    path = cache_file(folder, name)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{path.name}.*.tmp"):  # left by a killed build
            stale.unlink(missing_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump((code_key(), value), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        if memory is not None:
            memory[path] = (stamp_of(path.stat()), value)
    except OSError as exc:
        log.warning("cannot write cache %s: %s", path, exc)
        with contextlib.suppress(OSError):  # e.g. a file where the cache folder should be
            tmp.unlink()


SHARDS = 16
"""Files a big keyed cache is split into: an edit rewrites one of them, not all."""


@dataclass(frozen=True)
class Sharded:
    """A keyed cache to save in shards: `new`, and `old` as it was read (to skip shards
    whose entries are all still the very objects that were read)."""

    new: Mapping[Any, Any]
    old: Mapping[Any, Any]


def _shard(key: str | bytes) -> int:
    """The shard of a key: stable across runs (unlike hash() of a string)."""
    data = key.encode("utf-8", "surrogatepass") if isinstance(key, str) else key
    return zlib.crc32(data) % SHARDS


def read_shards(folder: Path, name: str, memory: Memory | None = None) -> dict[Any, Any]:
    """The entries of a sharded cache; a missing or unreadable shard just lacks its entries."""
    out: dict[Any, Any] = {}
    for k in range(SHARDS):
        part = read_cache(folder, f"{name}.{k:x}", memory)
        if isinstance(part, dict):
            out.update(part)
    return out


def write_shards(folder: Path, name: str, value: Sharded, memory: Memory | None = None) -> None:
    """Write the shards of `value.new` that gained, lost or changed an entry since read."""
    parts: list[dict[Any, Any]] = [{} for _ in range(SHARDS)]
    dirty: set[int] = {_shard(key) for key in value.old.keys() - value.new.keys()}
    for key, entry in value.new.items():
        k = _shard(key)
        parts[k][key] = entry
        if value.old.get(key) is not entry:
            dirty.add(k)
    for k in sorted(dirty):
        write_cache(folder, f"{name}.{k:x}", parts[k], memory)


def tree_stats(folders: Iterable[Path]) -> list[tuple[str, int, int]]:
    """(path, size, mtime_ns) of every file under `folders`: cheap change detection for themes."""
    out: list[tuple[str, int, int]] = []
    for folder in folders:
        stack = [str(folder)]
        while stack:
            try:
                entries = list(os.scandir(stack.pop()))
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.is_dir():
                        stack.append(entry.path)
                    else:
                        st = entry.stat()
                        out.append((entry.path, st.st_size, st.st_mtime_ns))
                except OSError:
                    continue
    out.sort()
    return out
