"""Builds killed at any moment: output files stay whole and the next build repairs the rest."""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_hostile import REPO, incomplete_outputs, run_cli

RUNS = 15
BRIEFINGS = 200
SEED = 20251104

# Hand-written briefing templates; {n}, {day}, {actor}, {other}, {topic}, {edition} are filled in.
TEMPLATES = (
    """\
---
title: Harbour board meets over quay levy, session {n}
slug: harbour-board-{n}
date: 2025-{day}
date_inferred: false
source:
  name: Ardith Gazette {edition}
  url: https://example.org/harbour/{n}
  file: harbour-{n}.txt
  sha256: null
summary: The harbour board met for session {n} to discuss the quay levy ({edition}).
key_points:
  - The levy would pay for repairs.
  - A vote is due next month.
topics:
  - id: {topic}
    label: {topic}
    score: 0.8
actors:
  - name: {actor}
    kind: person
    role: board chair
    aliases: []
    mentions: 3
  - name: Port Ardith Council
    kind: organization
    role: null
    aliases: [the council]
    mentions: 2
places:
  - name: Port Ardith
    kind: city
quotes:
  - speaker: {actor}
    text: We will decide in session {n}, not before.
events:
  - date: 2025-{day}
    text: The board met for session {n}.
tags: [levy, quay]
---

The harbour board of Port Ardith met for session {n} on the quay levy, {actor} said.

"We will decide in session {n}, not before," {actor} told reporters. Edition {edition}.
""",
    """\
---
title: Ferry crews vote on strike, ballot {n}
slug: ferry-ballot-{n}
date: 2025-{day}
date_inferred: true
source:
  name: Coast Weekly
  url: null
  file: ferry-{n}.txt
  sha256: null
summary: Ferry crews voted in ballot {n} ({edition}).
topics:
  - id: {topic}
    label: {topic}
    score: 0.6
actors:
  - name: {other}
    kind: person
    role: union secretary
    aliases: []
    mentions: 2
  - name: Norland
    kind: country
    role: null
    aliases: []
    mentions: 1
---

Ferry crews voted in ballot {n}, said {other}, the union secretary.

The result of ballot {n} will be announced on Friday. Edition {edition}.
""",
    """\
---
title: Storm closes the outer basin, report {n}
slug: storm-report-{n}
date: 2025-{day}
date_inferred: false
source:
  name: Ardith Gazette
  url: https://example.org/storm/{n}
  file: storm-{n}.txt
  sha256: null
summary: A storm closed the outer basin (report {n}, {edition}).
topics:
  - id: weather
    label: weather
    score: 0.9
actors:
  - name: {actor}
    kind: person
    role: harbour master
    aliases: []
    mentions: 1
events:
  - date: 2025-{day}
    text: The outer basin was closed.
---

The harbour master, {actor}, closed the outer basin as the storm of report {n} arrived.

Small boats were told to stay in port. Edition {edition}.
""",
)
ACTORS = ("Lena Osk", "Vera Quill", "Tomas Brek", "Mara Oyelaran", "Ivo Sand", "Pia Lund")
TOPICS = ("politics", "economy-business-and-finance", "labour", "environment")


def write_site(root: Path, edition: str, count: int = BRIEFINGS) -> None:
    """A site of `count` briefings from the templates; `edition` changes every page."""
    folder = root / "content" / "briefings"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "briefing.toml").write_text(
        f'title = "Kill test {edition}"\nlanguage = "en"\n', encoding="utf-8"
    )
    start = dt.date(2025, 1, 1)
    for n in range(count):
        day = (start + dt.timedelta(days=n % 300)).isoformat()[5:]
        text = TEMPLATES[n % len(TEMPLATES)].format(
            n=n,
            day=day,
            actor=ACTORS[n % len(ACTORS)],
            other=ACTORS[(n * 7 + 3) % len(ACTORS)],
            topic=TOPICS[n % len(TOPICS)],
            edition=edition,
        )
        (folder / f"b{n:03d}.md").write_text(text, encoding="utf-8")


def _env() -> dict[str, str]:
    # No .pyc writes: the file-size limit below must only catch the build's own output.
    return {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}


def start_build(root: Path, *args: str) -> subprocess.Popen[bytes]:
    """`briefing build` in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(root), "-q", "build", *args],
        cwd=root,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# Python ignores SIGXFSZ; restored, its default action ends the process at the write
# that crosses the file-size limit, as abruptly as a SIGKILL.
_DIE_ON_BIG_WRITE = (
    "import runpy, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_DFL); "
    "sys.argv[0] = 'briefing'; runpy.run_module('generator', run_name='__main__')"
)


def build_until_file_limit(root: Path, limit: int) -> int:
    """Build with a file-size limit: the kernel kills the build (SIGXFSZ) mid-write."""

    def limit_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run(
        [sys.executable, "-c", _DIE_ON_BIG_WRITE, "--root", str(root), "-q", "build"],
        cwd=root,
        env=_env(),
        capture_output=True,
        preexec_fn=limit_files,
        timeout=300,
    )
    return proc.returncode


def temp_files(out: Path) -> list[str]:
    """Temporary files of an interrupted write left in the output folder."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.tmp"))


def whole_outputs(out: Path) -> list[str]:
    """Like incomplete_outputs, ignoring a killed write's temporary files."""
    return [line for line in incomplete_outputs(out) if not line.split(":")[0].endswith(".tmp")]


def mixed(out: Path, edition: str) -> bool:
    """True when some pages already hold `edition` (a build was killed while writing)."""
    marker = f"Kill test {edition}".encode()
    return any(marker in p.read_bytes() for p in out.rglob("index.html"))


def tree(out: Path) -> dict[str, bytes]:
    """Every published file of a built site by relative path.

    Temporary files are excluded, and so is Pagefind's index: Pagefind does not give
    byte-identical output across runs (its own hashes), so it is checked for completeness
    (whole_outputs) but not compared byte for byte.
    """
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and p.suffix != ".tmp"
        and not p.relative_to(out).as_posix().startswith("pagefind/")
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """Complete builds of both editions, for comparing what a repaired build gives."""
    out: dict[str, dict[str, bytes]] = {}
    for edition in ("A", "B"):
        root = tmp_path_factory.mktemp(f"reference-{edition}")
        write_site(root, edition)
        result = run_cli(root, "build")
        assert result.returncode == 0, result.stderr
        out[edition] = tree(root / "site")
    return out


def test_sigkill_at_random_moments_never_leaves_a_broken_file(
    tmp_path: Path, reference: dict[str, dict[str, bytes]]
) -> None:
    root = tmp_path / "site-root"
    write_site(root, "A")
    first = run_cli(root, "build")
    assert first.returncode == 0, first.stderr
    out = root / "site"
    # How long a full rebuild takes here, so the kills land all through one: the quicker of
    # two (a loaded machine makes one slow now and then, and kills after the end prove
    # nothing).
    spans = []
    for edition in ("B", "A", "B"):
        write_site(root, edition)
        started = time.monotonic()
        assert run_cli(root, "build").returncode == 0
        spans.append(time.monotonic() - started)
    span = min(spans[1:]) * 0.9
    rng = random.Random(SEED)
    killed_mid_build = caught_writing = 0
    for run in range(RUNS):
        edition = "A" if edition == "B" else "B"
        write_site(root, edition)
        proc = start_build(root)
        time.sleep(rng.uniform(0.0, span))
        proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=60)
        killed_mid_build += code == -signal.SIGKILL
        home = (out / "index.html").read_text(encoding="utf-8")
        caught_writing += f"Kill test {edition}" not in home and mixed(out, edition)
        broken = whole_outputs(out)
        assert broken == [], f"run {run} (seed {SEED}): {broken[:5]}"
    # Most kills must land inside a build, or this test proves nothing.
    assert killed_mid_build >= RUNS // 2, killed_mid_build
    print(f"{killed_mid_build} of {RUNS} builds killed, {caught_writing} while writing pages")
    final = run_cli(root, "build")
    assert final.returncode == 0, final.stderr
    assert tree(out) == reference[edition]


def test_the_lock_of_a_killed_build_does_not_block_the_next(tmp_path: Path) -> None:
    root = tmp_path / "site-root"
    write_site(root, "A", count=30)
    proc = start_build(root)
    deadline = time.monotonic() + 30
    while not (root / ".briefing.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    started = time.monotonic()
    result = run_cli(root, "build", timeout=25)
    assert result.returncode == 0, result.stderr
    assert "another build" not in result.stderr
    assert time.monotonic() - started < 25


def test_a_write_cut_short_on_rebuild_leaves_the_old_file(
    tmp_path: Path, reference: dict[str, dict[str, bytes]]
) -> None:
    root = tmp_path / "site-root"
    write_site(root, "A")
    assert run_cli(root, "build").returncode == 0
    write_site(root, "B")
    # Pages of this site are a few kB; the feeds and indexes are larger.
    code = build_until_file_limit(root, 6000)
    assert code == -signal.SIGXFSZ
    assert whole_outputs(root / "site") == []
    assert run_cli(root, "build").returncode == 0
    assert tree(root / "site") == reference["B"]


def test_a_write_cut_short_on_a_first_build_leaves_no_truncated_file(tmp_path: Path) -> None:
    root = tmp_path / "site-root"
    write_site(root, "A")
    code = build_until_file_limit(root, 6000)
    assert code == -signal.SIGXFSZ
    assert whole_outputs(root / "site") == []


def test_the_next_build_removes_temporary_files_of_a_killed_one(tmp_path: Path) -> None:
    root = tmp_path / "site-root"
    write_site(root, "A")
    assert run_cli(root, "build").returncode == 0
    write_site(root, "B")
    assert build_until_file_limit(root, 6000) == -signal.SIGXFSZ
    assert temp_files(root / "site") != []  # the killed write left one behind
    assert run_cli(root, "build").returncode == 0
    assert temp_files(root / "site") == []
