"""Two clean builds of the same input are byte-identical, Pagefind's search index included.

Pagefind writes its filter index in the order of a randomly seeded hash map
(site/output/search_order.py): before it was sorted, every clean build had other filter files,
another meta index and another entry file. The BBC site's two clean builds are compared
by hand (README, Search); this holds a small site to it, and the sorted index to the
answers of Pagefind's own.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.site.output.search import find_pagefind
from generator.site.output.search_order import stabilize
from tests.test_hostile import make_hostile_site, run_cli

QUERY = Path(__file__).parent / "fixtures" / "pagefind" / "query.mjs"
needs_pagefind = pytest.mark.skipif(find_pagefind() is None, reason="needs Pagefind")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder`: relative path -> sha256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@needs_pagefind
def test_two_clean_builds_are_byte_identical_search_index_included(tmp_path: Path) -> None:
    root = make_hostile_site(tmp_path)
    for out in ("one", "two"):
        run_cli(root, "build", "--clean", "--out", out)
    one, two = tree_digest(root / "one"), tree_digest(root / "two")
    assert any(path.startswith("pagefind/0/filter/") for path in one)
    assert one == two


def _pagefind_raw(site: Path, bundle: Path) -> None:
    """Pagefind's own bundle of a built site's briefing pages, as it writes it."""
    binary = find_pagefind()
    assert binary is not None
    command = [str(binary), "--site", str(site), "--glob", "briefings/*/index.html",
               "--output-path", str(bundle), "--silent"]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)


@needs_pagefind
@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node to run pagefind.js")
def test_the_sorted_index_answers_as_pagefinds_own(tmp_path: Path) -> None:
    root = make_hostile_site(tmp_path)
    run_cli(root, "build")
    raw = tmp_path / "raw"
    _pagefind_raw(root / "site", raw)
    sorted_copy = tmp_path / "sorted"
    shutil.copytree(raw, sorted_copy)
    assert stabilize(sorted_copy) is None
    assert tree_digest(raw) != tree_digest(sorted_copy)
    queries = json.dumps([["harbour", {}], ["quay", {}], [None, {"actor": "Lena Osk"}],
                          ["vote", {"source": "Ardith Gazette"}]])  # fmt: skip

    def answers(bundle: Path) -> object:
        done = subprocess.run(["node", str(QUERY), str(bundle), queries], check=True,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
        return json.loads(done.stdout)

    got = answers(sorted_copy)
    assert got == answers(raw)
    assert got["filters"]["actor"]["Lena Osk"] == 1  # type: ignore[index]
    assert got['null {"actor":"Lena Osk"}'] == ["Quay repairs begin at Port Ardith"]  # type: ignore[index]


@needs_pagefind
def test_an_unknown_bundle_layout_is_left_as_pagefind_wrote_it(tmp_path: Path) -> None:
    root = make_hostile_site(tmp_path)
    run_cli(root, "build")
    bundle = tmp_path / "raw"
    _pagefind_raw(root / "site", bundle)
    entry = bundle / "pagefind-entry.json"
    entry.write_text(entry.read_text("utf-8") + "\n", "utf-8")  # not as Pagefind writes it
    before = tree_digest(bundle)
    note = stabilize(bundle)
    assert note is not None and "not reproducible" in note
    assert tree_digest(bundle) == before


@needs_pagefind
def test_an_edit_build_equals_a_clean_build_search_index_included(tmp_path: Path) -> None:
    """The shards an edit re-indexes are sorted as a clean build's are: the same bytes."""
    root = make_hostile_site(tmp_path)
    run_cli(root, "build")
    quay = root / "content" / "briefings" / "good-quay-repairs.md"
    quay.write_text(quay.read_text("utf-8").replace("Lena Osk", "Lena Oskarsdottir"), "utf-8")
    run_cli(root, "build")
    run_cli(root, "build", "--clean", "--out", "clean")
    assert tree_digest(root / "site") == tree_digest(root / "clean")
