"""The full-text search index: Pagefind run over the written site (I/O at the edge).

Pagefind reads the built briefing pages (only elements marked data-pagefind-body, with the
actor, topic and source filters the briefing template marks). A big site's index is split
into shards of about SHARD_PAGES briefings (by a hash of the slug, so a briefing stays in
its shard), each a complete Pagefind bundle under `<out>/pagefind/<k>/`; the search page
merges them in the browser (Pagefind's mergeIndex: results and filters are combined). An
edit re-indexes only the shards whose indexed content changed, in a fraction of a second,
where one index of the whole site takes seconds. The build gives each briefing a search key
(a hash of what its page's indexed part shows, see search_keys): a shard is rebuilt
when the keys of its briefings changed, so a new related list elsewhere costs nothing.
`pagefind/shards.json` lists the shards; it is written last, so a reader never sees a shard
list whose folders are not complete.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.hashing import digest
from generator.site.output.search_order import stabilize
from generator.site.output.write import LINK_REPLACED, clear_path
from generator.site.views.entries import BriefingEntry

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
"""The search folder inside the output (the URL contract: pagefind/)."""
SHARDS = "shards.json"
SHARD_PAGES = 150
"""Briefing pages per shard, about: re-indexing one takes a few tenths of a second."""
MAX_SHARDS = 64
FORMAT = 2
"""Bumped when the bundles change shape: 2 = filter and meta indexes sorted (search_order)."""
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


def shard_count(pages: int) -> int:
    """How many shards a site of `pages` briefing pages gets."""
    return max(1, min(MAX_SHARDS, -(-pages // SHARD_PAGES)))


def shard_of(slug: str, count: int) -> int:
    """The shard a briefing's page belongs to: a hash of its slug, stable between builds."""
    h = hashlib.blake2b(slug.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(h, "big") % count


@dataclass(frozen=True)
class Shard:
    """One shard: its folder name, its briefing slugs (sorted) and a hash of their keys."""

    name: str
    slugs: tuple[str, ...]
    members: str


def plan_shards(keys: Mapping[str, str]) -> list[Shard]:
    """The shards of a site's briefings, given as slug -> search key (empty shards left out)."""
    count = shard_count(len(keys))
    groups: list[list[str]] = [[] for _ in range(count)]
    for slug in keys:
        groups[shard_of(slug, count)].append(slug)
    out = []
    for k, group in enumerate(groups):
        if group:
            members = tuple(sorted(group))
            lines = "\n".join(f"{slug} {keys[slug]}" for slug in members)
            h = hashlib.blake2b(lines.encode("utf-8"), digest_size=16)
            out.append(Shard(str(k), members, h.hexdigest()))
    return out


def _read_state(bundle: Path) -> dict[str, object]:
    """The last shard list written, or {} when there is none (or it is unreadable)."""
    try:
        state = json.loads((bundle / SHARDS).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _binary_stamp(binary: Path) -> str:
    """Which Pagefind wrote a shard: shards of different versions must not be merged."""
    st = binary.stat()
    stamp = f"{binary}:{st.st_size}:{st.st_mtime_ns}".encode()
    return hashlib.blake2b(stamp, digest_size=8).hexdigest()  # no local path in the output


def _command(binary: Path, out: Path, shard: Shard, scratch: Path) -> list[str]:
    """Pagefind's command line for one shard: a glob naming exactly its pages.

    Slugs are plain ASCII words and hyphens (briefing_md enforces it), so they need no
    escaping inside the glob's {a,b,...} alternatives.
    """
    pages = f"briefings/{{{','.join(shard.slugs)}}}/index.html"
    return [str(binary), "--site", str(out), "--glob", pages, "--output-path", str(scratch)]


def _run_shards(
    binary: Path, out: Path, todo: Sequence[Shard], jobs: int
) -> tuple[str | None, set[str]]:
    """Index the shards in `todo` (up to `jobs` at once), each swapped in when complete;
    (the error that stopped it, or None; notes on shards built all the same)."""
    bundle = out / BUNDLE
    running: list[tuple[Shard, Path, subprocess.Popen[bytes]]] = []
    error: str | None = None
    notes: set[str] = set()

    def finish(item: tuple[Shard, Path, subprocess.Popen[bytes]]) -> str | None:
        """Wait for one shard's Pagefind and swap its bundle in."""
        shard, scratch, proc = item
        try:
            _, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return "search index not built: pagefind timed out"
        if proc.returncode != 0 or not (scratch / "pagefind.js").is_file():
            lines = err.decode("utf-8", "replace").strip().splitlines()
            why = lines[-1] if lines else proc.returncode
            return f"search index not built: pagefind failed ({why})"
        unstable = stabilize(scratch)  # Pagefind's filter order is random: sorted here
        if unstable is not None:
            notes.add(unstable)
        target, old = bundle / shard.name, bundle / f".old-{shard.name}"
        clear_path(old)
        if os.path.lexists(target):
            target.rename(old)  # a symlink is moved itself, then removed
        scratch.rename(target)
        clear_path(old)
        return None

    for shard in todo:
        if len(running) >= jobs:
            error = finish(running.pop(0)) or error
        scratch = bundle / f".new-{shard.name}"
        clear_path(scratch)  # Pagefind would write through a planted link
        command = [*_command(binary, out, shard, scratch), "--silent"]
        try:
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError as exc:
            error = f"search index not built: {exc}"
            break  # the shards already running are still waited for below
        running.append((shard, scratch, proc))
    for item in running:
        error = finish(item) or error
    return error, notes


def build_search_index(
    out: Path, keys: Mapping[str, str], force: bool = False, jobs: int = 1
) -> str | None:
    """Bring the search index of the site at `out` up to date with its briefing pages.

    `keys` maps every briefing of the site (their pages are written) to its search key;
    `force` rebuilds every shard. Returns a warning for the user when the index could not
    be built; the site itself is complete without it (the search page then says search is
    unavailable).
    """
    bundle = out / BUNDLE
    # A symlink in its place (`pagefind -> /elsewhere`) is removed, never written through.
    replaced = f"{bundle}: {LINK_REPLACED}" if bundle.is_symlink() and clear_path(bundle) else None
    return _update_index(out, keys, force, jobs) or replaced


def _update_index(out: Path, keys: Mapping[str, str], force: bool, jobs: int) -> str | None:
    """build_search_index once the bundle folder is known not to be a symlink."""
    bundle = out / BUNDLE
    if not keys:
        # Nothing to search (a new, empty site): no index, and no warning about it.
        clear_path(bundle)
        return None
    binary = find_pagefind()
    if binary is None:
        return "search index not built: Pagefind is not installed (pip install pagefind[extended])"
    shards = plan_shards(keys)
    state = _read_state(bundle)
    stamp = _binary_stamp(binary)
    same = state.get("format") == FORMAT and state.get("pagefind") == stamp
    old = state.get("members") if same else None
    old = old if isinstance(old, dict) else {}
    todo = [
        s
        for s in shards
        if force or old.get(s.name) != s.members or not (bundle / s.name / "pagefind.js").is_file()
    ]
    if not todo:
        return None
    bundle.mkdir(parents=True, exist_ok=True)
    (bundle / SHARDS).unlink(missing_ok=True)  # until every shard is complete again
    error, notes = _run_shards(binary, out, todo, max(1, jobs))
    if error:
        return error
    names = {s.name for s in shards}
    for entry in os.scandir(bundle):  # shards of an older layout, scratch of a killed run
        if entry.name not in names:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
    state = {
        "format": FORMAT,
        "pagefind": stamp,
        "shards": [f"{s.name}/" for s in shards],
        "members": {s.name: s.members for s in shards},
    }
    tmp = bundle / f".{SHARDS}.tmp"
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True), "utf-8")
    os.replace(tmp, bundle / SHARDS)
    log.debug("search index: %d of %d shards rebuilt", len(todo), len(shards))
    return min(notes, default=None)


def search_keys(briefings: Sequence[BriefingEntry], key: bytes) -> dict[str, str]:
    """Briefing slug -> its search key (incremental.lazy.search_key), with `key` (templates and site
    meta), which changes every page."""
    return {e.card.slug: digest(key, e.search).hex() for e in briefings}
