"""One build at a time per site: an advisory lock file in the site root."""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import ConfigError

LOCK_NAME = ".briefing.lock"

log = logging.getLogger(__name__)


@contextmanager
def site_lock(root: Path, wait: float = 30.0) -> Iterator[None]:
    """Hold the site's build lock; wait up to `wait` seconds for another build to finish."""
    path = root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    # Say so at once: a silent wait looks like a hang.
                    log.warning("another build of this site is running; waiting up to %.0f s "
                                "for it to finish (lock %s)", wait, path)  # fmt: skip
                    waited = True
                if time.monotonic() >= deadline:
                    raise ConfigError(
                        f"another build of this site is still running (lock {path}); "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing releases the lock, also when the process is killed
