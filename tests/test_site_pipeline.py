"""The plain pipeline (site/pipeline.py) and the cached build give the same bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.site import build_site
from generator.site.pipeline import build_plain
from tests.test_incremental import seeded_site, tree

FIXTURE = Path(__file__).parent / "fixtures" / "site"


def _copy(src: Path, dst: Path) -> Path:
    """A copy of the site root at `src` (its golden pages left out)."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("golden", "site", ".briefing-cache"))
    return dst


def test_the_plain_pipeline_builds_what_the_cached_build_builds(tmp_path: Path) -> None:
    plain = load_config(_copy(FIXTURE, tmp_path / "plain"))
    cached = load_config(_copy(FIXTURE, tmp_path / "cached"))
    built = build_plain(plain)
    report = build_site(cached, jobs=1)
    assert built.briefings == report.briefings
    assert [str(e) for e in built.errors] == [str(e) for e in report.errors]
    assert tree(plain.output_path) == tree(cached.output_path)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_random_site_is_the_same_from_both(tmp_path: Path, jobs: int) -> None:
    config, _ = seeded_site(tmp_path / "a", 40, seed=jobs)
    other = load_config(_copy(config.root, tmp_path / "b"))
    build_site(config, jobs=jobs)
    build_plain(other)
    assert tree(other.output_path) == tree(config.output_path)
