"""Golden pages of the fixture site: rendered output compared byte for byte.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/test_site_golden.py`,
then read the diff (`git diff tests/fixtures/site/golden`) before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.config import SiteConfig, load_config
from generator.site import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "site"
GOLDEN = FIXTURE / "golden"
PAGES = [
    "index.html",
    "briefings/harbour-levy-talks-open/index.html",
    "briefings/hostile-title/index.html",
    "briefings/levy-vote-delayed/index.html",
    "actors/index.html",
    "actors/tomas-brek/index.html",
    "topics/index.html",
    "topics/politics/index.html",
    "timeline/index.html",
    "404.html",
    "feed.xml",
    "feed.json",
    "sitemap.xml",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    root = tmp_path_factory.mktemp("golden") / "root"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("golden"))
    config = load_config(root)
    assert build_site(config).errors == ()
    return config


@pytest.mark.parametrize("rel", PAGES)
def test_page_matches_golden(built: SiteConfig, rel: str) -> None:
    actual = (built.output_path / rel).read_bytes()
    golden = GOLDEN / rel
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
    assert golden.is_file(), f"no golden file for {rel}: run with UPDATE_GOLDEN=1"
    assert actual.decode("utf-8") == golden.read_text("utf-8"), f"{rel} differs from its golden"
