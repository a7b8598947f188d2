"""The full-text search index: Pagefind run over the written site (I/O at the edge).

Pagefind reads the built HTML (only elements marked data-pagefind-body, with the actor,
topic and source filters the briefing template marks) and writes its bundle to
`<out>/pagefind/`. The site writer never lists those files in its manifest, so its
stale-file cleanup leaves them alone; each run swaps in a complete new bundle.
"""

from __future__ import annotations

import importlib
import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
"""The bundle folder inside the output (the URL contract: pagefind/)."""
PAGES = "briefings/**/*.html"
"""Only briefing pages are indexed: reading every actor and topic page too (a big site has
thousands) would triple Pagefind's time for nothing, as they carry no data-pagefind-body."""
SCRATCH = ".briefing-search-tmp"
"""Where a new bundle is built before it replaces the old one."""
TIMEOUT = 300
_PACKAGES = ("pagefind_bin_extended", "pagefind_bin")
_COMMANDS = ("pagefind_extended", "pagefind")


def find_pagefind() -> Path | None:
    """The Pagefind binary: the one the `pagefind` PyPI package ships, else one on PATH."""
    for name in _PACKAGES:
        try:
            module = importlib.import_module(name)
            found = Path(module.get_executable())
        except (ImportError, FileNotFoundError, AttributeError, OSError):
            continue
        if found.is_file():
            return found
    for name in _COMMANDS:
        path = shutil.which(name)
        if path:
            return Path(path)
    return None


def index_ready(out: Path) -> bool:
    """True when the output already holds a search bundle."""
    return (out / BUNDLE / "pagefind.js").is_file()


def build_search_index(out: Path, *, changed: bool = True) -> str | None:
    """Index the built site at `out` when pages changed (or no index exists yet).

    Returns a warning for the user when the index could not be built; the site itself is
    complete without it (the search page then says search is unavailable).
    """
    if not changed and index_ready(out):
        return None
    if next((out / "briefings").glob("*/index.html"), None) is None:
        # Nothing to search (a new, empty site): no index, and no warning about it.
        shutil.rmtree(out / BUNDLE, ignore_errors=True)
        return None
    binary = find_pagefind()
    if binary is None:
        return "search index not built: Pagefind is not installed (pip install pagefind[extended])"
    # Pagefind adds new fragment files and never deletes old ones: build a fresh bundle
    # beside the old one and swap them, so stale fragments do not pile up.
    fresh, old = out / SCRATCH, out / f"{SCRATCH}-old"
    for folder in (fresh, old):
        shutil.rmtree(folder, ignore_errors=True)
    command = [str(binary), "--site", str(out), "--glob", PAGES, "--output-path", str(fresh)]
    command.append("--silent")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        return f"search index not built: {exc}"
    if done.returncode != 0 or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        lines = (done.stderr or done.stdout).strip().splitlines()
        return (
            f"search index not built: pagefind failed ({lines[-1] if lines else done.returncode})"
        )
    bundle = out / BUNDLE
    if bundle.exists():
        bundle.rename(old)
    fresh.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)
    log.debug("search index built in %s", bundle)
    return None
