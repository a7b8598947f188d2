"""Benchmark ingest on a Dask cluster against local processes, on the same articles, same run.

Run from the repository root (not part of the test run; needs `briefing[cluster]`):

    python -m tests.bench.bench_cluster [--scale 10] [--workers 2] [--runs 1] [--json out.json]

It copies ../shared/corpus/bbc/ `--scale` times (titles numbered, so every copy is a new
article) into a temporary site, then, for each run, ingests it into an empty briefings
folder twice in fresh processes, interleaved: `briefing ingest --jobs W` and `briefing
ingest --scheduler ADDRESS` on a LocalCluster of W one-thread process workers started
here. It reports articles per second for each, the cluster's share of the local
throughput, the client's peak RSS (GNU time), and whether the two folders hold the same
bytes. Per-article figures let one project to bigger archives: time on N workers is about
articles / (N x per-worker rate); the client holds every article read and every briefing
returned, so its memory grows with the articles of one ingest run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.bench_build import BBC, tree_digest

_RSS = re.compile(r"@@rss (\d+)")


def make_articles(folder: Path, scale: int) -> int:
    """The BBC articles `scale` times, titles numbered from the second copy on."""
    folder.mkdir(parents=True)
    count = 0
    for path in sorted(BBC.glob("*.txt")):
        raw = path.read_bytes()  # some are not UTF-8: the readers' own decoding is timed too
        title, _, rest = raw.partition(b"\n")
        for copy in range(scale):
            numbered = title if copy == 0 else title + f" (copy {copy + 1})".encode()
            (folder / f"{copy:03d}-{path.name}").write_bytes(numbered + b"\n" + rest)
            count += 1
    return count


def ingest(root: Path, out: Path, *args: str) -> dict[str, Any]:
    """One `briefing ingest` into an empty `out`, in a fresh process: seconds and peak RSS."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(root / ".briefing-cache", ignore_errors=True)
    command = [sys.executable, "-m", "generator", "--root", str(root), "ingest",
               "--out", str(out), *args]  # fmt: skip
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if timer:
        command = [timer, "-f", "@@rss %M", *command]
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    rss = _RSS.search(proc.stderr)
    return {
        "seconds": round(seconds, 2),
        "client_rss_mb": int(rss.group(1)) // 1024 if rss else None,
    }


def main() -> None:
    """Parse the options, run the interleaved pairs, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    if not BBC.is_dir():
        sys.exit(f"{BBC} is not present")
    from distributed import LocalCluster

    work = Path(tempfile.mkdtemp(prefix="briefing-cluster-"))
    articles = make_articles(work / "content" / "articles", options.scale)
    # Dask has no annotations.
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=options.workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    runs: list[dict[str, Any]] = []
    try:
        for _ in range(options.runs):
            local = ingest(work, work / "local", "--jobs", str(options.workers))
            remote = ingest(work, work / "cluster", "--scheduler", str(cluster.scheduler_address))
            runs.append({"local": local, "cluster": remote})
        same = tree_digest(work / "local") == tree_digest(work / "cluster")
    finally:
        cluster.close()
        shutil.rmtree(work, ignore_errors=True)
    best_local = min(r["local"]["seconds"] for r in runs)
    best_cluster = min(r["cluster"]["seconds"] for r in runs)
    result = {
        "articles": articles,
        "workers": options.workers,
        "cpus": os.cpu_count(),
        "local_articles_per_s": round(articles / best_local, 1),
        "cluster_articles_per_s": round(articles / best_cluster, 1),
        "cluster_share_of_local": round(best_local / best_cluster, 3),
        "client_peak_rss_mb": max(r["cluster"]["client_rss_mb"] or 0 for r in runs),
        "local_peak_rss_mb": max(r["local"]["client_rss_mb"] or 0 for r in runs),
        "identical_briefings": same,
        "runs": runs,
    }
    print(json.dumps(result, indent=2))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
