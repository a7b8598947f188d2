"""Shared fixtures: where the shared corpora live, and a scratch site."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared() -> Path:
    """The shared corpora folder; skips the test on a fresh clone without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared (corpora) is not present")
    return SHARED


def shared_file(*parts: str) -> Path:
    """A file under ../shared, or skip the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path
