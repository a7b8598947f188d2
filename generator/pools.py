"""Process pools that are safe to start from threaded processes and never outlive their build.

Workers start with "forkserver" (else "spawn"), never a plain fork: `briefing serve` and
`watch` run threads, and forking a threaded process can deadlock a worker. A worker
also watches the process that started the pool and exits when it is gone: a build
killed outright (SIGKILL, a closed terminal) would otherwise leave its workers and the
fork server waiting on their task queue forever.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

PARENT_CHECK_SECONDS = 1.0
T = TypeVar("T")


def _parent_alive(pid: int) -> bool:
    """True while process `pid` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watch_parent(pid: int) -> None:
    """Exit this worker as soon as the build process `pid` is gone (runs in a thread)."""
    while _parent_alive(pid):
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)  # the build is dead: nobody will ever read what this worker would return


def _start_worker(
    pid: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> None:
    """Start the parent watch, then the caller's own initializer."""
    threading.Thread(target=_watch_parent, args=(pid,), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def make_pool(
    jobs: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> ProcessPoolExecutor:
    """A process pool of `jobs` workers, safe from threads, tied to this process's life."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
    )


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to `size` items: the tasks handed to a pool."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
