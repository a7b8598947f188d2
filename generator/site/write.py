"""The only writer into the output folder: replaces atomically, writes only changed bytes."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

log = logging.getLogger(__name__)

MANIFEST = ".briefing-manifest.json"
"""Lists what the last build wrote, so the next one removes only its own stale files."""
SCRATCH = ".briefing-tmp"
"""Where files are written before they are renamed into place; cleared by every write."""


@dataclass(frozen=True)
class WriteStats:
    """What a write did."""

    written: int
    unchanged: int
    removed: int


def _digest(data: bytes) -> str:
    """A short content hash for the manifest."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _safe(rel: str) -> bool:
    """A relative POSIX path that stays inside the output folder."""
    p = PurePosixPath(rel)
    return (
        bool(rel)
        and not p.is_absolute()
        and ".." not in p.parts
        and "\\" not in rel
        and p.parts[0] not in (SCRATCH, MANIFEST)
    )


def _read_manifest(out: Path) -> dict[str, str]:
    """What the last build wrote (path -> hash); empty when missing or unreadable."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}


class _Scratch:
    """Temporary files for one write, in one folder the next build clears if this one dies."""

    def __init__(self, out: Path) -> None:
        """Clear what a killed build left behind and start an empty scratch folder."""
        self.folder = out / SCRATCH
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir()
        self.count = 0

    def write(self, target: Path, data: bytes) -> None:
        """Write via a temporary file and rename, so no reader ever sees half a file."""
        self.count += 1
        tmp = self.folder / f"{self.count}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)

    def close(self) -> None:
        """Remove the (now empty) scratch folder."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _size(target: Path) -> int | None:
    """The file's size, or None when it does not exist."""
    try:
        return target.stat().st_size
    except OSError:
        return None


def _same_on_disk(target: Path, size: int, data: bytes, digest: str, old: str | None) -> bool:
    """True when the file already holds exactly `data`."""
    if size != len(data):
        return False
    if old == digest:
        return True
    # No (or another) record: compare the real bytes, so a lost manifest costs reads, not writes.
    try:
        return target.read_bytes() == data
    except OSError:
        return False


def _prune(out: Path, folder: Path) -> None:
    """Remove now-empty folders between `folder` and the output root."""
    while folder != out and folder.is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def write_output(out: Path, files: Mapping[str, bytes], *, force: bool = False) -> WriteStats:
    """Make `out` hold exactly `files` (plus anything not ours); `force` rewrites every file."""
    out.mkdir(parents=True, exist_ok=True)
    scratch = _Scratch(out)
    try:
        return _write_all(out, files, force, scratch)
    finally:
        scratch.close()


def _write_all(out: Path, files: Mapping[str, bytes], force: bool, scratch: _Scratch) -> WriteStats:
    """write_output's work, every write going through `scratch`."""
    old = _read_manifest(out)
    record: dict[str, str] = {}
    made: set[Path] = {out}
    written = unchanged = 0
    for rel in sorted(files):
        if not _safe(rel):
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        data = files[rel]
        digest = _digest(data)
        record[rel] = digest
        target = out / rel
        size = _size(target)
        if size is None:
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
        elif not force and _same_on_disk(target, size, data, digest, old.get(rel)):
            unchanged += 1
            continue
        scratch.write(target, data)
        written += 1
    removed = 0
    for rel in sorted(set(old) - set(record)):
        if not _safe(rel):
            continue
        target = out / rel
        if target.is_file():
            target.unlink()
            removed += 1
            _prune(out, target.parent)
    manifest = json.dumps({"version": 1, "files": record}, indent=0, sort_keys=True)
    if force or old != record:
        scratch.write(out / MANIFEST, manifest.encode("utf-8"))
    log.debug("wrote %d, unchanged %d, removed %d", written, unchanged, removed)
    return WriteStats(written, unchanged, removed)
