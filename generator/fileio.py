"""Atomic, change-only file writes shared by the stages that write, and files' stat stamps."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` atomically unless the file already holds exactly these bytes.

    Returns True when the file was written. A crash leaves either the old or the
    new file, never a truncated one (temp file in the same folder, then rename).
    No fsync: a killed process cannot lose renamed data; only a power cut could,
    and fsync per page would cost more than the whole build.
    """
    try:
        st = path.lstat()  # a symlink is never "the same file": it is replaced
        if stat.S_ISREG(st.st_mode) and st.st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    replace_file(path, data)
    return True


def replace_file(path: Path, data: bytes) -> None:
    """Make `path` a new file holding `data`, atomically (temp file in the same folder, then
    rename). A symlink at `path` is replaced by the file, never written through: whoever
    planted `x.md.bak -> ~/.bashrc` finds a backup where the link was and the file untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


Stamp = tuple[int, int, int]
"""(inode, size, mtime_ns): what identifies one version of a file written by replacing it
(a rewrite gets a new inode even within the file system's time resolution)."""


def stamp_of(st: os.stat_result) -> Stamp:
    """The stamp of a stat result."""
    return st.st_ino, st.st_size, st.st_mtime_ns


def file_stat(path: Path) -> Stamp | None:
    """The stamp of a file, or None when it is missing."""
    try:
        return stamp_of(path.stat())
    except OSError:
        return None
