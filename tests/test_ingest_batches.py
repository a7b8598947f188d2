"""Ingest's extraction loop: results in input order, the garbage collector left as found."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.commands import ingest as ingesting
from generator.commands.ingest import IngestOptions, ingest
from generator.config import SiteConfig, load_config


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    """An empty site with five short articles to ingest."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "briefing.toml").write_text('title = "Batches"\n', "utf-8")
    config = load_config(root)
    config.articles_path.mkdir(parents=True)
    for i in range(5):
        (config.articles_path / f"a{i}.txt").write_text(
            f"Harbour story {i}\n\nThe Northwind harbour board met on Monday over levy {i}.\n",
            "utf-8",
        )
    return config


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector is undone after it."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def written(config: SiteConfig) -> dict[str, bytes]:
    """The briefing files by name."""
    return {p.name: p.read_bytes() for p in sorted(config.briefings_path.iterdir())}


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was_found(
    config: SiteConfig, enabled: bool, collector_restored: None
) -> None:
    (gc.enable if enabled else gc.disable)()
    result = ingest(config, [config.articles_path], IngestOptions(jobs=1))
    assert len(result.written) == 5 and not result.errors
    assert gc.isenabled() is enabled
    assert gc.get_freeze_count() == 0


def test_batches_across_processes_write_what_one_process_writes(
    config: SiteConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = ingest(config, [config.articles_path], IngestOptions(jobs=1))
    serial = written(config)
    monkeypatch.setattr(ingesting, "PARALLEL_THRESHOLD", 2)
    out = tmp_path / "parallel"
    many = ingest(config, [config.articles_path], IngestOptions(jobs=2), out_dir=out)
    assert many.written == one.written and not many.errors
    assert {p.name: p.read_bytes() for p in sorted(out.iterdir())} == serial
