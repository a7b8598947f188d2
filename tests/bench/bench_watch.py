"""Benchmark the preview loop: save -> page rewritten on disk, bursts, reload push, memory.

Run from the repository root: `python -m tests.bench.bench_watch [--bbc N] [--site DIR]
[--edits N] [--settled-edits N] [--adds N]`; memory is printed every 100 edits. Without
options it times the watcher alone (a fake build writing one page); `--bbc N` builds a site
of N minimal briefings made from ../shared/corpus/bbc (0: all) with the real build stage;
`--site DIR` uses an existing site root (copied to a temp folder).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import shutil
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from generator.briefing_md import parse_briefing, render_briefing
from generator.config import SiteConfig, load_config
from generator.errors import InputError
from generator.model import Briefing, Source
from generator.preview.serve import DevServer
from generator.preview.watch import BuildFn, BuildOutcome, BuildResult, Watcher
from generator.slug import slugify, unique_slug

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
BBC = SHARED / "corpus" / "bbc"


@dataclass(frozen=True)
class Outcome:
    """What the fake build returns."""

    errors: tuple[InputError, ...] = ()


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_for(check: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Poll `check` every 2 ms until it holds or `timeout` passes."""
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            return False
        time.sleep(0.002)
    return True


def started_watcher(
    config: SiteConfig, build: BuildFn, interrupt: threading.Event | None
) -> tuple[Watcher, list[float]]:
    """A running watcher, and the list it appends each published build's time to."""
    published: list[float] = []
    watcher = Watcher(
        config,
        build,
        listeners=[lambda result: published.append(time.perf_counter())],
        interrupt=interrupt,
    )
    watcher.start()
    return watcher, published


def settled(published: list[float], seen: float, settle: threading.Lock) -> None:
    """Wait until a build finished after `seen`, then for what it put off (`settle`) and
    the watcher's garbage collection after it."""
    wait_for(lambda: bool(published) and published[-1] >= seen)
    with settle:
        pass
    time.sleep(0.3)


def edit_loop(
    config: SiteConfig,
    build: BuildFn,
    briefing: Path,
    page: Path,
    edits: int,
    settle: threading.Lock | None = None,
    interrupt: threading.Event | None = None,
) -> None:
    """Edit a briefing's title `edits` times; print save -> page-on-disk times, save ->
    reload (the build that wrote the page has finished: open pages are told to reload)
    and memory. Each edit is saved as soon as the last one's page is on disk (a fast
    typist: the save waits for the tail of the last build), or with `settle` (the lock the
    build and what it puts off hold) once those are done: one edit at a time.

    Save -> page rewritten is read from the two files' modification times (the same
    clock). The time until this process's poller sees the page is printed too: it runs
    in the build's process, so it waits for the interpreter lock while the build goes on
    (a browser or another process does not)."""
    watcher, published = started_watcher(config, build, interrupt)
    text = briefing.read_text(encoding="utf-8")
    saved: list[float] = []
    shown: list[float] = []
    on_disk: list[int] = []
    rss_start = rss_mb()
    try:
        for i in range(edits):
            marker = f"Edited {i:04d}"
            body = text.replace("title: ", f"title: {marker} ", 1)
            start = time.perf_counter()
            briefing.write_text(body, encoding="utf-8")

            def on_page(m: str = marker) -> bool:
                return page.is_file() and m in page.read_text("utf-8")

            if not wait_for(on_page):
                print(f"edit {i}: page never showed the edit")
                return
            saved.append(start)
            shown.append(time.perf_counter())
            on_disk.append(page.stat().st_mtime_ns - briefing.stat().st_mtime_ns)
            if settle is not None:
                settled(published, shown[-1], settle)
            if i == min(20, edits // 10):
                rss_start = rss_mb()  # after warm-up: caches filled, allocator settled
            if (i + 1) % 100 == 0:
                print(f"  memory after {i + 1} edits: {rss_mb():.1f} MB", flush=True)
        wait_for(lambda: bool(published) and published[-1] >= shown[-1])
    finally:
        watcher.stop(timeout=None)  # its put-off work must not overlap the next loop
    report("save -> page rewritten", [ns / 1e6 for ns in on_disk])
    seen = [(p - s) * 1000 for s, p in zip(saved, shown, strict=True)]
    report("save -> page seen by the poller", seen)
    # The build that wrote an edit's page is the first to finish after the page showed.
    done = [next((t for t in published if t >= p), p) for p in shown]
    report("save -> reload sent", [(d - s) * 1000 for s, d in zip(saved, done, strict=True)])
    print(f"memory: {rss_start:.1f} MB after warm-up -> {rss_mb():.1f} MB after {edits} edits")


def report(what: str, times: list[float]) -> None:
    """Print the median, p90 and max of `times` (ms)."""
    ms = sorted(times)
    print(f"{what}, {len(ms)} edits: median {statistics.median(ms):.0f} ms, "
          f"p90 {ms[int(len(ms) * 0.9) - 1]:.0f} ms, max {ms[-1]:.0f} ms")  # fmt: skip


def article_loop(
    config: SiteConfig,
    build: BuildFn,
    adds: int,
    settle: threading.Lock | None = None,
    first: int = 0,
    interrupt: threading.Event | None = None,
) -> None:
    """Drop `adds` new raw articles (BBC texts from the `first`th on, under new titles)
    into content/articles/; print save -> new briefing page on disk times (the files'
    modification times). Each is saved as soon as the last one's page is on disk, or with
    `settle` (see edit_loop) once the build and what it put off are done."""
    if adds <= 0:
        return
    sources = sorted(BBC.glob("*.txt"))[first : first + adds]
    if not sources:
        print("no BBC corpus: raw article adds not timed")
        return
    config.articles_path.mkdir(parents=True, exist_ok=True)
    pages = config.output_path / "briefings"
    watcher, published = started_watcher(config, build, interrupt)
    times: list[float] = []
    try:
        for i, source in enumerate(sources, first):
            title, _, body = source.read_text("utf-8", "replace").partition("\n")
            marker = f"Added {i:04d} {time.time_ns()}"
            prefix = slugify(marker)
            article = config.articles_path / f"added-{i}.txt"
            article.write_text(f"{marker} {title}\n{body}")
            if not wait_for(partial(_has_page, pages, prefix), 120):
                print(f"article {i}: its page never appeared")
                return
            seen = time.perf_counter()
            page = next(pages.glob(f"{prefix}*/index.html"))
            times.append((page.stat().st_mtime_ns - article.stat().st_mtime_ns) / 1e6)
            if settle is not None:
                settled(published, seen, settle)
    finally:
        watcher.stop(timeout=None)  # the last rebuild goes on after its page is written
    ms = sorted(times)
    print(f"raw article saved -> its page written, {len(ms)} adds: "
          f"median {statistics.median(ms):.0f} ms, max {ms[-1]:.0f} ms")  # fmt: skip


def _has_page(pages: Path, prefix: str) -> bool:
    """Whether a briefing page whose slug starts with `prefix` is on disk."""
    with os.scandir(pages) as entries:
        return any(
            e.name.startswith(prefix) and os.path.isfile(os.path.join(e.path, "index.html"))
            for e in entries
        )


def fake_site(root: Path) -> tuple[SiteConfig, BuildFn, Path, Path]:
    """A site whose build renders one briefing's title line into one page."""
    config = SiteConfig(root=root)
    config.briefings_path.mkdir(parents=True)
    briefing = config.briefings_path / "a.md"
    briefing.write_text("title: A\n", encoding="utf-8")
    page = config.output_path / "briefings" / "a" / "index.html"

    def build(changed: set[Path] | None) -> Outcome:
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<h1>{briefing.read_text('utf-8')}</h1>", encoding="utf-8")
        return Outcome()

    return config, build, briefing, page


def burst(root: Path) -> None:
    """Count the rebuilds a burst of 100 writes causes."""
    config = SiteConfig(root=root)
    config.briefings_path.mkdir(parents=True, exist_ok=True)
    done: list[BuildResult] = []
    watcher = Watcher(config, lambda changed: Outcome(), listeners=[done.append])
    with watcher:
        start = time.perf_counter()
        for i in range(100):
            (config.briefings_path / f"burst-{i:03}.md").write_text(f"title: {i}\n")
        wait_for(lambda: bool(done), 5)
        first = time.perf_counter() - start
        time.sleep(0.5)
    print(f"burst of 100 writes: {len(done)} rebuild(s), first after {first * 1000:.0f} ms")


def push_latency(root: Path, rounds: int = 20) -> None:
    """Time from a finished build to its event reaching a connected page."""
    out = root / "site"
    out.mkdir(parents=True)
    with DevServer(out, port=0) as dev:
        port = urlsplit(dev.url).port or 0
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /__livereload HTTP/1.0\r\n\r\n")
        sock.recv(4096)
        times = []
        for epoch in range(1, rounds + 1):
            result = BuildResult(epoch, frozenset(), frozenset(), (), 0.0)
            start = time.perf_counter()
            dev.hub.publish(result)
            while f'"epoch": {epoch},'.encode() not in sock.recv(4096):
                pass
            times.append(time.perf_counter() - start)
        sock.close()
    ms = statistics.median(times) * 1000
    print(f"build finished -> reload event at the page: median {ms:.2f} ms over {rounds}")


def bbc_site(root: Path, limit: int) -> Path:
    """Write minimal briefings (title, date, body) for BBC articles; returns one of them."""
    folder = root / "content" / "briefings"
    folder.mkdir(parents=True)
    (root / "briefing.toml").write_text('title = "BBC bench"\n')
    files = sorted(BBC.glob("*.txt"))
    taken: set[str] = set()
    for i, path in enumerate(files[:limit] if limit else files):
        title, _, body = path.read_bytes().decode("utf-8", "replace").partition("\n")
        slug = unique_slug(slugify(title.strip() or path.stem), taken)
        taken.add(slug)
        date = dt.date(2005, 1, 1) + dt.timedelta(days=i % 365)
        b = Briefing(title.strip() or path.stem, slug, date, True, Source(file=path.name),
                     body=body.strip())  # fmt: skip
        (folder / f"{slug}.md").write_text(render_briefing(b), encoding="utf-8")
    return folder / f"{sorted(taken)[len(taken) // 2]}.md"


def real_build(config: SiteConfig, busy: threading.Lock, interrupt: threading.Event) -> BuildFn:
    """The real build stage, as `briefing serve` runs it (changed paths, in-memory caches,
    stopped when the watcher's `interrupt` says newer saves wait); `busy` is held while it
    runs (a rebuild goes on after the page is written)."""
    from generator.commands.preview import rebuilder

    build = rebuilder(config, lambda level, message: None, interrupt.is_set)

    def locked(changed: set[Path] | None) -> BuildOutcome:
        """The build, holding `busy` (and so does the cache save it puts off)."""
        with busy:
            report = build(changed)
        if report.pending is None:
            return report
        later = report.pending

        def pending(followed: bool) -> bool:
            """The put-off cache save, holding `busy`."""
            with busy:
                return later(followed)

        return dataclasses.replace(report, pending=pending)

    return locked


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--adds", type=int, default=5, help="raw articles added (real site only)")
    ap.add_argument("--settled-edits", type=int, help="edits one at a time (default: edits/2)")
    ap.add_argument("--bbc", type=int, default=-1, help="BBC articles for a real site (0: all)")
    ap.add_argument("--site", type=Path, help="an existing site root to edit (copied first)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        burst(root / "burst")
        push_latency(root / "push")
        print("-- watcher alone (fake build):")
        edit_loop(*fake_site(root / "fake"), args.edits)
        if args.bbc < 0 and args.site is None:
            return 0
        site = root / "real"
        if args.site is not None:
            shutil.copytree(args.site, site, ignore=shutil.ignore_patterns("site", ".*"))
            briefing = sorted((site / "content" / "briefings").glob("*.md"))[0]
        elif not BBC.is_dir():
            print("no BBC corpus at", BBC)
            return 1
        else:
            briefing = bbc_site(site, args.bbc)
        config = load_config(site)
        slug = parse_briefing(briefing.read_text("utf-8"), str(briefing))[0].slug
        page = config.output_path / "briefings" / slug / "index.html"
        busy = threading.Lock()
        interrupt = threading.Event()
        build = real_build(config, busy, interrupt)
        start = time.perf_counter()
        report = build(None)
        count = len(list(config.briefings_path.glob("*.md")))
        print(f"-- real build, {count} briefings: first build {time.perf_counter() - start:.1f} s"
              f" ({len(report.errors)} errors, {os.cpu_count()} CPUs)")  # fmt: skip
        edit_loop(config, build, briefing, page, args.edits, interrupt=interrupt)
        print("-- one edit at a time:")
        settled = args.settled_edits if args.settled_edits is not None else args.edits // 2
        edit_loop(config, build, briefing, page, max(5, settled), busy, interrupt)
        article_loop(config, build, args.adds, interrupt=interrupt)
        print("-- one add at a time:")
        article_loop(config, build, args.adds, busy, args.adds, interrupt)
        with busy:  # the last rebuild finishes before its folder is removed
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
