"""The only writer into the output folder: replaces atomically, writes only changed bytes."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.fileio import Stamp, file_stat

log = logging.getLogger(__name__)

MANIFEST = ".briefing-manifest.json"
"""Lists what the last build wrote, so the next one removes only its own stale files."""
SCRATCH = ".briefing-tmp"
"""Where files are written before they are renamed into place; cleared by every write."""
STAGED = "new"
"""Inside SCRATCH: folders the output does not have yet, written whole and then moved in.
A rename costs several times a small write here, and a clean build of a big site writes
tens of thousands of files into a few new folders."""


class LinkInOutput(Exception):
    """A writer that trusts its record met a symlink (or a file) where the output has a
    folder of its own: replacing it would lose the files kept under it, so the build is run
    again as a clean one (site.build), which keeps nothing and replaces the link."""


LINK_REPLACED = "a symlink in the output folder; replaced"
NOT_FOLDER_REPLACED = "a file where the output has a folder; replaced"


def clear_path(path: Path) -> bool:
    """Remove what is at `path`, never following a symlink (a link is removed itself);
    True when it was a symlink."""
    if path.is_symlink():
        path.unlink()
        return True
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    return False


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


@dataclass(frozen=True)
class Manifest:
    """The manifest as a writer left it: its file's stat data (cache.file_stat) and its
    entries (read-only), for the next writer of a preview session to use instead of
    reading the file while it is unchanged."""

    stamp: Stamp
    files: Mapping[str, str]


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

    def __init__(self, out: Path, notes: list[str]) -> None:
        """Clear what a killed build left behind and start an empty scratch folder."""
        self.folder = out / SCRATCH
        if self.folder.is_symlink():  # written through, it would put files anywhere
            self.folder.unlink()
            notes.append(f"{self.folder}: {LINK_REPLACED}")
        self.leftover = self.folder.exists()
        """A killed write left its folder: files may differ from the manifest it did not save."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir()
        self.count = 0
        self.new_prefix = f"{self.folder / STAGED}{os.sep}"
        """Where the new folders' files are staged, as a string prefix."""
        self.made: set[str] = set()

    def stage(self, rel: str, data: bytes) -> None:
        """Write a file of a new folder into that folder's stand-in here (moved by `commit`)."""
        # Plain strings: a clean build stages tens of thousands of files in as many folders.
        staged = self.new_prefix + rel
        parent = os.path.dirname(staged)
        if parent not in self.made:
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        with open(staged, "wb") as fh:
            fh.write(data)

    def commit(self, out: Path, roots: set[str]) -> None:
        """Move each staged new folder into place: one rename for all the files under it."""
        for root in sorted(roots):
            os.rename(self.folder / STAGED / root, out / root)
        self.made.clear()  # the staged folders moved away: the next staged file remakes its own

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


def _lstat(path: str) -> os.stat_result | None:
    """The path's own stat data (a symlink's, not its target's), or None when it is missing."""
    try:
        return os.lstat(path)
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


def _manifest(files: Mapping[str, str]) -> bytes:
    """The manifest file's bytes: compact, as json's C encoder (several times faster on a
    site of tens of thousands of files) writes only without indentation."""
    doc = {"version": 1, "files": files}
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _prune(out: Path, folder: Path) -> None:
    """Remove now-empty folders between `folder` and the output root."""
    while folder != out and folder.is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def write_output(out: Path, files: Mapping[str, bytes]) -> WriteStats:
    """Make `out` hold exactly `files` (plus anything not ours)."""
    with OutputWriter(out) as writer:
        for rel in sorted(files):
            writer.put(rel, files[rel])
    return writer.stats


def _has_size(path: str, size: int) -> bool:
    """Whether the file at `path` (a plain string: this runs for every unchanged file of a
    big site) is there with `size` bytes."""
    try:
        return os.stat(path).st_size == size
    except OSError:
        return False


def lost(out: Path, files: Iterable[tuple[str, int]]) -> list[str]:
    """Those of `files` (path in `out`, size) no longer on disk with that size."""
    prefix = f"{out}{os.sep}"
    return [rel for rel, size in files if not _has_size(f"{prefix}{rel}", size)]


class OutputWriter:
    """Streams files into the output folder one at a time, so a build never holds them all.

    `put` writes a file unless it already holds the bytes; `keep` leaves a file the last
    build wrote as it is (the caller knows its inputs did not change). Closing removes
    what the last build wrote and this one neither put nor kept, then saves the manifest.
    """

    def __init__(
        self,
        out: Path,
        *,
        verify: bool = False,
        look_later: bool = False,
        last: Manifest | None = None,
    ) -> None:
        """Open `out` for one build; with `verify` (a clean build) no record is trusted:
        nothing is kept unseen, and each file put is compared with the bytes on disk
        (an identical file is left alone: rewriting it would cost far more than reading
        it, and would give it a new modification time); with `look_later`, a kept file is
        not looked at on disk now but listed in `unchecked` (for `lost`); `last` (the last
        writer's `manifest`) stands for the manifest file while that has its stamp."""
        self.out = out
        self.prefix = f"{out}{os.sep}"
        self.look_later = look_later
        self.unchecked: list[tuple[str, int]] = []
        """(path, size) of the files kept without a look (`look_later`)."""
        out.mkdir(parents=True, exist_ok=True)
        # Stamped before it is read: a manifest written in between is read again next time.
        stamp = file_stat(out / MANIFEST)
        kept = last.files if last is not None and stamp == last.stamp else None
        self.old: Mapping[str, str] = kept if kept is not None else _read_manifest(out)
        self.manifest = Manifest(stamp, self.old) if stamp is not None else None
        """The manifest file as this writer leaves it (read at first; once saved, its own)."""
        self.record: dict[str, str] = {}
        self.kept: set[str] = set()
        self.written = self.unchanged = self.removed = 0
        self.changed: list[str] = []
        """Paths written or removed by this build, for later steps (the search index)."""
        self.stats = WriteStats(0, 0, 0)
        self.verify = verify
        self.notes: list[str] = []
        """Messages for the user: links (and files) replaced where the output has its own."""
        self._scratch = _Scratch(out, self.notes)
        self.staged: set[str] = set()
        """New folders (relative paths) whose files are staged in the scratch folder."""
        self.present: set[str] = set()
        """Folders known to exist in the output."""
        self.trusted = not verify and not self._scratch.leftover
        """Whether the manifest's hashes describe the files: not after a killed write, which
        may have replaced files without saving its manifest (its file list still counts),
        nor when asked to verify."""

    def __enter__(self) -> OutputWriter:
        """The writer itself."""
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        """Finish (stale files removed, manifest saved) unless the build failed."""
        try:
            if kind is None:
                self.finish()
            elif self.written:
                # A failed build: record what it did write, so the next one trusts no stale hash.
                merged = {**self.old, **self.record}
                self._scratch.write(self.out / MANIFEST, _manifest(merged))
        finally:
            self._scratch.close()

    def put(self, rel: str, data: bytes) -> bool:
        """Make `rel` hold `data`; True when the file was (re)written."""
        if not _safe(rel):
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        digest = _digest(data)
        if rel in self.kept:  # put after keep (a feed's other half changed): count it once
            self.kept.discard(rel)
            self.unchanged -= 1
        self.record[rel] = digest
        if self._new_folder(rel) is not None:
            self._scratch.stage(rel, data)
            self.written += 1
            self.changed.append(rel)
            return True
        target = self.out / rel
        st = _lstat(f"{self.prefix}{rel}")
        if st is not None and stat.S_ISLNK(st.st_mode):
            self.notes.append(f"{target}: {LINK_REPLACED}")  # the rename replaces the link
        elif st is not None and _same_on_disk(
            target, st.st_size, data, digest, self.old.get(rel) if self.trusted else None
        ):
            self.unchanged += 1
            return False
        self._scratch.write(target, data)
        self.written += 1
        self.changed.append(rel)
        return True

    def _new_folder(self, rel: str) -> str | None:
        """The outermost folder of `rel` the output lacks (staged from now on); None if none.

        Every folder on the way is a real folder of the output: a symlink (or a file) in
        the place of one is replaced by the staged folder, never written through.
        """
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            folder = "/".join(parts[:i])
            if folder in self.staged:
                return folder
            if folder in self.present:
                continue
            st = _lstat(f"{self.prefix}{folder}")
            if st is not None and stat.S_ISDIR(st.st_mode):
                self.present.add(folder)
                continue
            if st is not None:
                self._remove_foreign(folder, st)
            self.staged.add(folder)
            return folder
        return None

    def _real_parents(self, rel: str) -> bool:
        """Whether every folder of `rel` is a real folder (a missing one: False); a symlink
        (or file) among them is removed, itself, never what it points to."""
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            folder = "/".join(parts[:i])
            if folder in self.present:
                continue
            st = _lstat(f"{self.prefix}{folder}")
            if st is None:
                return False
            if not stat.S_ISDIR(st.st_mode):
                self._remove_foreign(folder, st)
                return False
            self.present.add(folder)
        return True

    def _remove_foreign(self, folder: str, st: os.stat_result) -> None:
        """Remove the symlink or file found where the output has `folder`. A writer that
        keeps files it did not look at raises LinkInOutput instead: those under the link
        would be lost (the build runs again as a clean one)."""
        if not self.verify:
            raise LinkInOutput(f"{self.out / folder}")
        os.unlink(f"{self.prefix}{folder}")
        why = LINK_REPLACED if stat.S_ISLNK(st.st_mode) else NOT_FOLDER_REPLACED
        self.notes.append(f"{self.out / folder}: {why}")

    def keep(self, rel: str, size: int) -> bool:
        """Keep `rel` as the last build wrote it, if it is still there with `size` bytes.

        False means the caller must render and `put` it after all.
        """
        old = self.old.get(rel)
        if old is None or not self.trusted:
            return False
        if self.look_later:
            self.unchecked.append((rel, size))
        elif not _has_size(f"{self.prefix}{rel}", size):
            return False
        self.record[rel] = old
        self.kept.add(rel)
        self.unchanged += 1
        return True

    def publish_new(self) -> None:
        """Move the new folders staged so far into place, so that what was put is readable
        on disk before the build ends (the search indexer reads the pages meanwhile)."""
        self._scratch.commit(self.out, self.staged)
        self.present.update(self.staged)
        self.staged.clear()

    def finish(self) -> WriteStats:
        """Move new folders in, remove what is no longer produced and save the manifest."""
        self.publish_new()
        for rel in sorted(set(self.old) - set(self.record)):
            if not _safe(rel) or not self._real_parents(rel):
                continue
            target = self.out / rel
            st = _lstat(str(target))
            if st is not None and (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
                target.unlink()  # a symlink itself, not what it points to
                self.removed += 1
                self.changed.append(rel)
                _prune(self.out, target.parent)
        if not self.trusted or self.old != self.record:
            self._scratch.write(self.out / MANIFEST, _manifest(self.record))
            stamp = file_stat(self.out / MANIFEST)
            self.manifest = Manifest(stamp, self.record) if stamp is not None else None
        log.debug("wrote %d, unchanged %d, removed %d", self.written, self.unchanged, self.removed)
        self.stats = WriteStats(self.written, self.unchanged, self.removed)
        return self.stats
