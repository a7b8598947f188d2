"""Extraction on a Dask cluster (a LocalCluster of process workers started here) gives the
same briefings and site, byte for byte, as a local run, survives a killed worker, and an
unreachable scheduler fails cleanly before anything is written."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.commands.ingest import IngestOptions, ingest
from generator.config import load_config
from tests.conftest import REPO

distributed = pytest.importorskip("distributed")

EXAMPLES = sorted((REPO / "content" / "articles").glob("*.txt"))
COPIES = 12
"""Each example article this many times (titles numbered): 96 articles, four tasks."""


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a two-worker LocalCluster of processes, for this module's tests."""
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


def _site(root: Path) -> Path:
    """A site whose articles are numbered copies of the example articles."""
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    for n in range(COPIES):
        for path in EXAMPLES:
            title, rest = path.read_text(encoding="utf-8").split("\n", 1)
            (articles / f"{n:02d}-{path.name}").write_text(
                f"{title} (part {n + 1})\n{rest}", encoding="utf-8"
            )
    return root


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _local_briefings(tmp_path: Path) -> dict[str, bytes]:
    """The briefings a local run in one process writes for the same articles."""
    root = _site(tmp_path / "local")
    ingest(load_config(root, environ={}), [root / "content/articles"], IngestOptions(jobs=1))
    return _tree(root / "content/briefings")


def test_the_cluster_writes_the_briefings_and_site_a_local_run_writes(
    tmp_path: Path, scheduler: str
) -> None:
    local = _site(tmp_path / "local")
    remote = _site(tmp_path / "remote")
    runner = CliRunner()
    done = runner.invoke(cli, ["--root", str(local), "build", "--jobs", "1"], env={})
    assert done.exit_code == 0, done.output
    done = runner.invoke(cli, ["--root", str(remote), "build", "--scheduler", scheduler], env={})
    assert done.exit_code == 0, done.output
    assert f"cluster: {scheduler}, 2 workers (2 threads)" in done.output
    assert "cluster: 96 articles in 4 tasks" in done.output
    assert "articles/s" in done.output
    briefings = _tree(local / "content/briefings")
    assert len(briefings) == len(EXAMPLES) * COPIES
    assert _tree(remote / "content/briefings") == briefings
    assert _tree(remote / "site") == _tree(local / "site")


def test_a_worker_killed_mid_run_changes_nothing(tmp_path: Path, scheduler: str) -> None:
    expected = _local_briefings(tmp_path)
    root = _site(tmp_path / "remote")
    config = load_config(root, {"scheduler": scheduler}, environ={})
    with distributed.Client(scheduler, set_as_default=False) as client:
        pids = client.run(os.getpid)
        killed: list[int] = []

        def kill_a_busy_worker() -> None:
            """SIGKILL the first worker seen running one of the extraction tasks."""
            deadline = time.monotonic() + 60
            while not killed and time.monotonic() < deadline:
                for worker, keys in client.processing().items():
                    if keys and worker in pids:
                        os.kill(pids[worker], signal.SIGKILL)
                        killed.append(pids[worker])
                        return
                time.sleep(0.01)

        killer = threading.Thread(target=kill_a_busy_worker)
        killer.start()
        result = ingest(config, [root / "content/articles"], IngestOptions())
        killer.join()
    assert killed, "no worker was seen busy: nothing was killed"
    assert not result.errors
    assert _tree(root / "content/briefings") == expected


def test_an_unreachable_scheduler_fails_with_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    nobody = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    done = CliRunner().invoke(cli, ["--root", str(root), "build", "--scheduler", nobody], env={})
    assert done.exit_code == 2
    assert f"cannot reach the Dask scheduler at {nobody}" in done.output
    assert not (root / "content/briefings").exists()
    assert not (root / "site").exists()


def test_the_scheduler_comes_from_the_command_line_then_environment_then_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "briefing.toml").write_text('[cluster]\nscheduler = "tcp://file:8786"\n')
    from_env = {"DASK_SCHEDULER_ADDRESS": "tcp://env:8786"}
    assert load_config(tmp_path, environ={}).scheduler == "tcp://file:8786"
    assert load_config(tmp_path, environ=from_env).scheduler == "tcp://env:8786"
    given = load_config(tmp_path, {"scheduler": "tcp://cli:8786"}, environ=from_env)
    assert given.scheduler == "tcp://cli:8786"
    (tmp_path / "briefing.toml").unlink()
    assert load_config(tmp_path, environ={}).scheduler is None
