"""Work spread over a Dask cluster: batches run as tasks, results come back in input order.

Only the client writes: workers return values (briefings, pages) and never touch the site's
files, so the output is the same bytes as a local run's and the change-only writes hold.
Dask reruns the tasks of a worker that is lost; a scheduler that cannot be reached is a
ClusterError (exit code 2) before anything is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from generator.errors import ConfigError
from generator.progress import NoProgress, Progress

if TYPE_CHECKING:
    from distributed import Client

CONNECT_SECONDS = 10
"""How long to wait for the scheduler before saying it cannot be reached."""
RETRIES = 2
"""Times a task that raised is tried again elsewhere (a lost worker's tasks always are)."""
INSTALL_HINT = "pip install 'briefing[cluster]'"

B = TypeVar("B")
R = TypeVar("R")


class ClusterError(ConfigError):
    """The cluster cannot run the work (unreachable, Dask missing, work lost): exit code 2."""


@dataclass(frozen=True)
class ClusterInfo:
    """What the client found on connecting, for the user."""

    address: str
    workers: int
    threads: int
    dashboard: str | None


@dataclass(frozen=True)
class ClusterRun:
    """What one mapped run did: for the summary line."""

    items: int
    tasks: int
    seconds: float

    @classmethod
    def total(cls, runs: Sequence[ClusterRun]) -> ClusterRun:
        """The runs of one command together."""
        return cls(
            items=sum(r.items for r in runs),
            tasks=sum(r.tasks for r in runs),
            seconds=sum(r.seconds for r in runs),
        )

    def describe(self, unit: str) -> str:
        """'cluster: 2,127 articles in 36 tasks, 38.2 s (55.7 articles/s)'."""
        rate = self.items / self.seconds if self.seconds > 0 else 0.0
        return (
            f"cluster: {self.items:,} {unit} in {self.tasks} tasks, {self.seconds:.1f} s "
            f"({rate:.1f} {unit}/s)"
        )


@contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client of the scheduler at `address`, closed on leaving; ClusterError when Dask is
    not installed or the scheduler does not answer within CONNECT_SECONDS."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(f"a Dask scheduler was given ({address}) but Dask is not installed: "
                           f"{INSTALL_HINT}") from None  # fmt: skip
    try:
        client = Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        yield client
    finally:
        client.close()


def describe(client: Client) -> ClusterInfo:
    """The scheduler's address, its workers and threads, its dashboard link (a scheduler
    serves one only with bokeh installed)."""
    info = client.scheduler_info()
    workers = info.get("workers", {})
    return ClusterInfo(
        address=str(info.get("address", "")),
        workers=len(workers),
        threads=sum(int(w.get("nthreads", 1)) for w in workers.values()),
        dashboard=client.dashboard_link if "dashboard" in info.get("services", {}) else None,
    )


def map_batches(
    client: Client,
    work: Callable[..., list[R]],
    batches: Sequence[Sequence[B]],
    *shared: Any,
    progress: Progress | None = None,
) -> tuple[list[R], ClusterRun]:
    """`work(batch, *shared)` for each batch on the cluster, the results flattened in
    batch order; `shared` values are sent to the workers once."""
    from distributed import as_completed

    started = time.perf_counter()
    bar = progress or NoProgress()
    bar.stage("cluster", sum(len(b) for b in batches))
    scattered = [client.scatter(value, broadcast=True) for value in shared]
    futures = [
        client.submit(work, list(batch), *scattered, pure=False, retries=RETRIES)
        for batch in batches
    ]
    position = {future.key: i for i, future in enumerate(futures)}
    done: list[list[R] | None] = [None] * len(futures)
    try:
        for future in as_completed(futures, loop=client.loop):
            index = position[future.key]
            done[index] = future.result()
            bar.advance(len(batches[index]))
    except Exception as exc:
        # A task that failed RETRIES times, or killed its workers; a scheduler gone mid-run.
        raise ClusterError(f"the cluster lost the work: {type(exc).__name__}: {exc}") from None
    finally:
        bar.close()
        client.cancel(futures)
    results = [item for batch in done for item in batch or ()]
    return results, ClusterRun(
        items=sum(len(b) for b in batches),
        tasks=len(batches),
        seconds=time.perf_counter() - started,
    )
