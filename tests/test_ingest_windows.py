"""An ingest reads, extracts and writes its inputs a window at a time (memory holds one
window, not the archive): the briefings are the same bytes whatever the window."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from generator import pools
from generator.commands import ingest as ingesting
from generator.commands.ingest import IngestOptions, ingest
from generator.config import load_config
from tests.conftest import REPO

EXAMPLES = sorted((REPO / "content" / "articles").glob("*.txt"))


def _site(root: Path) -> Path:
    """The example articles, and each again under another file name with the same title,
    so that slugs collide within a window and across windows."""
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    for path in EXAMPLES:
        text = path.read_bytes()
        (articles / path.name).write_bytes(text)
        (articles / f"z-again-{path.name}").write_bytes(text + b"\nOne more line.\n")
    return root


def _run(root: Path, jobs: int) -> tuple[dict[str, bytes], list[str]]:
    """Ingest the site; its briefings' bytes and the run's warnings."""
    result = ingest(load_config(root, environ={}), [root / "content/articles"],
                    IngestOptions(jobs=jobs))  # fmt: skip
    folder = root / "content" / "briefings"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}, sorted(result.warnings)


@pytest.mark.parametrize("window", [1, 3, 5])
def test_windows_of_any_size_write_the_briefings_one_window_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    whole = _run(_site(tmp_path / "whole"), jobs=1)
    monkeypatch.setattr(ingesting, "INGEST_WINDOW", window)
    assert _run(_site(tmp_path / "windows"), jobs=1) == whole
    assert len(whole[0]) == 2 * len(EXAMPLES)
    assert any("already taken" in w for w in whole[1])


def test_local_workers_started_once_serve_every_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _run(_site(tmp_path / "whole"), jobs=1)
    started: list[int] = []
    make_pool = pools.make_pool

    def counting(jobs: int) -> ProcessPoolExecutor:
        started.append(jobs)
        return make_pool(jobs)

    monkeypatch.setattr("generator.pools.make_pool", counting)
    monkeypatch.setattr(ingesting, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(ingesting, "INGEST_WINDOW", 6)
    assert _run(_site(tmp_path / "pool"), jobs=2) == whole
    assert started == [2]
