"""The package, tests and tools stay linted, formatted and strictly typed; CI runs the README."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import REPO


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff_lint_is_clean() -> None:
    pytest.importorskip("ruff")  # the test extra's ruff, run by this interpreter (a venv's too)
    proc = _run(sys.executable, "-m", "ruff", "check", "generator", "tests", "tools")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_is_clean() -> None:
    pytest.importorskip("ruff")
    proc = _run(sys.executable, "-m", "ruff", "format", "--check", "generator", "tests", "tools")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_is_clean() -> None:
    pytest.importorskip("mypy")
    proc = _run(sys.executable, "-m", "mypy")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2, "the README must start with the two commands"
    test_command = blocks[1].strip()
    assert test_command in ci.splitlines()
