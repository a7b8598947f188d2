"""Watch mode: path classification, and real file events giving one real rebuild per burst."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.config import SiteConfig, load_config
from generator.errors import ConfigError, InputError
from generator.preview.changes import ChangeKind, classify_path, theme_source_dir
from generator.preview.watch import BuildFn, BuildResult, Watcher

QUIET_WAIT = 0.4
"""How long silence must last before a test concludes no (further) build happens."""


@dataclass(frozen=True)
class Outcome:
    """What the fake build returns, shaped like the real reports."""

    errors: tuple[InputError, ...] = ()


class Builds:
    """A fake build that renders every briefing's first line into site/index.html."""

    def __init__(self, config: SiteConfig, fail: bool = False) -> None:
        self.config = config
        self.fail = fail
        self.calls: list[set[Path] | None] = []
        self.results: list[BuildResult] = []
        self._cond = threading.Condition()

    def __call__(self, changed: set[Path] | None) -> Outcome:
        self.calls.append(changed)
        if self.fail:
            raise InputError("front matter is not valid YAML", "content/briefings/a.md", 3)
        out = self.config.output_path
        out.mkdir(parents=True, exist_ok=True)
        titles = sorted(
            p.read_text().splitlines()[0] for p in self.config.briefings_path.glob("*.md")
        )
        (out / "index.html").write_text("<h1>" + " | ".join(titles) + "</h1>")
        return Outcome()

    def listen(self, result: BuildResult) -> None:
        with self._cond:
            self.results.append(result)
            self._cond.notify_all()

    def wait(self, count: int, timeout: float = 2.0) -> list[BuildResult]:
        """The results once `count` builds finished; fails after `timeout`."""
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.results) >= count, timeout), self.results
            return list(self.results)

    def settle(self) -> list[BuildResult]:
        """The results after QUIET_WAIT seconds without a new build."""
        while True:
            with self._cond:
                before = len(self.results)

                def grown(n: int = before) -> bool:
                    return len(self.results) > n

                self._cond.wait_for(grown, QUIET_WAIT)
                if len(self.results) == before:
                    return list(self.results)


@pytest.fixture
def site(tmp_path: Path) -> SiteConfig:
    for folder in ("content/articles", "content/briefings", "themes/templates", "themes/static"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "briefing.toml").write_text('title = "Test"\n')
    (tmp_path / "content/briefings/a.md").write_text("Alpha\n")
    return SiteConfig(root=tmp_path)


def running(
    site: SiteConfig, *, poll: bool = False, fail: bool = False
) -> Generator[Builds, None, None]:
    builds = Builds(site, fail=fail)
    watcher = Watcher(site, builds, poll=poll, listeners=[builds.listen])
    watcher.start()
    try:
        yield builds
    finally:
        watcher.stop()


@pytest.fixture
def builds(site: SiteConfig) -> Iterator[Builds]:
    yield from running(site)


CASES = [
    ("content/articles/story.txt", ChangeKind.ARTICLE),
    ("content/articles/2025/feed.xml", ChangeKind.ARTICLE),
    ("content/articles", ChangeKind.ARTICLE),
    ("content/briefings/a.md", ChangeKind.BRIEFING),
    ("content/briefings/a.md.bak", None),
    ("content/briefings/notes.txt", None),
    ("themes/templates/page.html", ChangeKind.TEMPLATE),
    ("themes/static/style.css", ChangeKind.STATIC),
    ("themes/static/img/logo.svg", ChangeKind.STATIC),
    ("briefing.toml", ChangeKind.CONFIG),
    ("README.md", None),
    ("site/index.html", None),
    ("site/briefings/a/index.html", None),
    (".briefing-cache/briefings.json", None),
    (".briefing.lock", None),
    ("content/briefings/.a.md.swp", None),
    ("content/briefings/.a.md.swx", None),
    ("content/briefings/a.md~", None),
    ("content/briefings/a.md.tmp", None),
    ("content/briefings/4913", None),
    ("content/articles/#story.txt#", None),
    ("content/articles/.#story.txt", None),
    ("content/articles/.DS_Store", None),
    ("content/articles/.git/HEAD", None),
    ("themes/templates/__pycache__/x.pyc", None),
    ("elsewhere/briefing.toml", None),
]


@pytest.mark.parametrize(("rel", "kind"), CASES)
def test_classify_path(tmp_path: Path, rel: str, kind: ChangeKind | None) -> None:
    assert classify_path(tmp_path / rel, SiteConfig(root=tmp_path)) is kind


def test_classify_output_folder_elsewhere_and_nested(tmp_path: Path) -> None:
    config = SiteConfig(root=tmp_path, output_dir=Path("content/articles/out"))
    assert classify_path(tmp_path / "content/articles/out/index.html", config) is None
    outside = SiteConfig(root=tmp_path / "root", output_dir=tmp_path / "public")
    assert classify_path(tmp_path / "public/index.html", outside) is None


def test_classify_default_theme_when_developing_it(tmp_path: Path) -> None:
    theme = theme_source_dir()
    if theme is None:
        pytest.skip("not running from a source checkout")
    config = SiteConfig(root=tmp_path)
    assert classify_path(theme / "templates" / "base.html", config) is ChangeKind.TEMPLATE
    assert classify_path(theme / "static" / "style.css", config) is ChangeKind.STATIC


def test_edit_rebuilds_once_with_the_changed_path(site: SiteConfig, builds: Builds) -> None:
    target = site.briefings_path / "a.md"
    target.write_text("Alpha edited\n")
    result = builds.wait(1)[0]
    assert result.ok and result.epoch == 1
    assert result.changed == frozenset({target})
    assert result.kinds == {ChangeKind.BRIEFING}
    assert "Alpha edited" in (site.output_path / "index.html").read_text()


def test_atomic_save_is_caught(site: SiteConfig, builds: Builds) -> None:
    target = site.briefings_path / "a.md"
    temp = site.briefings_path / ".a.md.tmp-1234"
    temp.write_text("Atomic\n")
    os.replace(temp, target)
    result = builds.wait(1)[0]
    assert target in (result.changed or ())
    assert "Atomic" in (site.output_path / "index.html").read_text()
    assert len(builds.settle()) == 1


def test_vim_rename_then_remove_is_caught(site: SiteConfig, builds: Builds) -> None:
    target = site.briefings_path / "a.md"
    backup = site.briefings_path / "a.md~"
    os.rename(target, backup)
    target.write_text("Vim\n")
    backup.unlink()
    results = builds.settle()
    assert len(results) == 1
    assert results[0].changed == frozenset({target})
    assert "Vim" in (site.output_path / "index.html").read_text()


def test_moved_in_and_deleted_are_caught(site: SiteConfig, builds: Builds, tmp_path: Path) -> None:
    outside = tmp_path / "draft.md"
    outside.write_text("Bravo\n")
    moved = site.briefings_path / "b.md"
    os.rename(outside, moved)
    assert builds.wait(1)[0].changed == frozenset({moved})
    (site.briefings_path / "a.md").unlink()
    assert builds.wait(2)[1].changed == frozenset({site.briefings_path / "a.md"})
    assert (site.output_path / "index.html").read_text() == "<h1>Bravo</h1>"


def test_burst_of_100_writes_gives_one_rebuild(site: SiteConfig, builds: Builds) -> None:
    for i in range(100):
        (site.briefings_path / f"n{i:03}.md").write_text(f"Note {i}\n")
    results = builds.settle()
    assert len(results) == 1
    assert len(results[0].changed or ()) == 100


def test_output_cache_and_editor_files_give_no_rebuild(site: SiteConfig, builds: Builds) -> None:
    site.output_path.mkdir()
    for i in range(20):
        (site.output_path / f"page{i}.html").write_text("x")
    site.cache_path.mkdir()
    (site.cache_path / "state.json").write_text("{}")
    (site.briefings_path / ".a.md.swp").write_text("swap")
    (site.briefings_path / "4913").write_text("")
    (site.root / "README.md").write_text("readme")
    assert builds.settle() == []


def test_config_and_theme_changes_rebuild(site: SiteConfig, builds: Builds) -> None:
    (site.root / "briefing.toml").write_text('title = "New"\n')
    assert builds.wait(1)[0].kinds == {ChangeKind.CONFIG}
    (site.themes_path / "static" / "style.css").write_text("body{}")
    assert builds.wait(2)[1].css_only


def test_failed_build_is_reported_and_the_loop_goes_on(
    site: SiteConfig, caplog: pytest.LogCaptureFixture
) -> None:
    runner = running(site, fail=True)
    builds = next(runner)
    try:
        (site.briefings_path / "a.md").write_text("broken\n")
        result = builds.wait(1)[0]
        assert not result.ok
        assert str(result.errors[0]) == "content/briefings/a.md:3: front matter is not valid YAML"
        assert "front matter is not valid YAML" in caplog.text
        builds.fail = False
        (site.briefings_path / "a.md").write_text("Fixed\n")
        assert builds.wait(2)[1].ok
        assert "Fixed" in (site.output_path / "index.html").read_text()
    finally:
        runner.close()


def test_polling_observer_catches_atomic_save(site: SiteConfig) -> None:
    runner = running(site, poll=True)
    builds = next(runner)
    try:
        temp = site.briefings_path / "a.md.tmp"
        temp.write_text("Polled\n")
        os.replace(temp, site.briefings_path / "a.md")
        assert site.briefings_path / "a.md" in (builds.wait(1)[0].changed or ())
    finally:
        runner.close()


def test_stop_is_quick(site: SiteConfig) -> None:
    watcher = Watcher(site, Builds(site))
    watcher.start()
    start = time.monotonic()
    watcher.stop()
    assert time.monotonic() - start < 1.0


def test_template_error_names_file_and_line(site: SiteConfig) -> None:
    jinja2 = pytest.importorskip("jinja2")

    def build(changed: set[Path] | None) -> Outcome:
        raise jinja2.TemplateSyntaxError("unexpected '}'", 7, "base.html", "themes/base.html")

    result = Watcher(site, build).build_now({site.themes_path / "templates" / "base.html"})
    assert not result.ok and result.kinds == {ChangeKind.TEMPLATE}
    assert str(result.errors[0]) == "themes/base.html:7: TemplateSyntaxError: unexpected '}'"


WATCH_SCRIPT = """
import sys
from dataclasses import dataclass
from pathlib import Path
from generator.config import SiteConfig, load_config
from generator.preview.watch import watch

@dataclass(frozen=True)
class Outcome:
    errors: tuple = ()

config = SiteConfig(root=Path(sys.argv[1]))
def build(changed):
    text = (config.briefings_path / "a.md").read_text()
    config.output_path.mkdir(exist_ok=True)
    (config.output_path / "index.html").write_text(text)
    return Outcome()

sys.exit(watch(config, build))
"""


def test_watch_command_rebuilds_until_ctrl_c(site: SiteConfig) -> None:
    repo = Path(__file__).resolve().parents[1]
    paths = [str(repo), *filter(None, [os.environ.get("PYTHONPATH")])]
    proc = subprocess.Popen(
        [sys.executable, "-c", WATCH_SCRIPT, str(site.root)],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
    )
    page = site.output_path / "index.html"
    try:
        assert poll(lambda: page.is_file() and page.read_text() == "Alpha\n")
        (site.briefings_path / "a.md").write_text("Edited\n")
        assert poll(lambda: page.read_text() == "Edited\n")
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=2) == 0
        assert time.monotonic() - start < 1.0
    finally:
        proc.kill()
        proc.wait()


def poll(check: Callable[[], bool], timeout: float = 1.5) -> bool:
    """Check every 20 ms until `check` holds or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_rebuild_that_changes_no_output_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real rebuild tells the watcher whether it changed the output: a save without
    changes did not (so open pages are told nothing), a new title did."""
    import datetime as dt
    from dataclasses import replace

    from generator.briefing_md import render_briefing
    from generator.commands.preview import rebuilder
    from generator.model import Briefing, Source

    monkeypatch.setattr("generator.site.incremental.run.build_search_index", lambda *a, **k: None)
    config = SiteConfig(root=tmp_path)
    config.briefings_path.mkdir(parents=True)
    path = config.briefings_path / "a.md"
    briefing = Briefing("A title", "a", dt.date(2024, 1, 2), False, Source(), body="Text.")
    path.write_text(render_briefing(briefing), encoding="utf-8")
    watcher = Watcher(config, rebuilder(config, lambda level, message: None))
    assert watcher.build_now(None).wrote
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # saved unchanged
    assert not watcher.build_now({path}).wrote
    path.write_text(render_briefing(replace(briefing, title="B title")), encoding="utf-8")
    assert watcher.build_now({path}).wrote


def _one_briefing_site(tmp_path: Path, title: str) -> tuple[SiteConfig, Path]:
    """A site with one briefing titled `title` (search indexing left out: no binary needed)."""
    import datetime as dt

    from generator.briefing_md import render_briefing
    from generator.model import Briefing, Source

    config = SiteConfig(root=tmp_path)
    config.briefings_path.mkdir(parents=True)
    path = config.briefings_path / "a.md"
    briefing = Briefing(title, "a", dt.date(2024, 1, 2), False, Source(), body="Text.")
    path.write_text(render_briefing(briefing), encoding="utf-8")
    return config, path


def _retitle(path: Path, title: str, age: float) -> None:
    """Give the briefing at `path` a new title, and a modification time `age` seconds ago
    (older than a second: the build trusts the stat data of such files alone)."""
    from dataclasses import replace

    from generator.briefing_md import parse_briefing, render_briefing

    briefing, _ = parse_briefing(path.read_text(encoding="utf-8"), str(path))
    path.write_text(render_briefing(replace(briefing, title=title)), encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))


def test_a_preview_publishes_its_build_before_saving_the_caches_and_saves_them_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Open pages are told to reload before the caches are written (the user waits less);
    the caches are written right after, so a later `briefing build` has nothing to do."""
    from generator.commands.build import build
    from generator.commands.preview import rebuilder
    from generator.site.incremental.quick import QUICK_CACHE, check

    monkeypatch.setattr("generator.site.incremental.run.build_search_index", lambda *a, **k: None)
    config, path = _one_briefing_site(tmp_path, "A title")
    quick = config.cache_path / f"{QUICK_CACHE}.pickle"
    seen: list[bool] = []
    run = rebuilder(config, lambda level, message: None)
    watcher = Watcher(config, run, listeners=[lambda result: seen.append(quick.exists())])
    watcher.build_now(None)
    _retitle(path, "B title", 10)
    watcher.build_now({path})
    assert seen == [False, False]  # published before the caches were saved
    assert quick.exists()
    assert check(config, None, False).replay is not None
    assert build(config).site.pages_written == 0
    assert "B title" in (config.output_path / "briefings" / "a" / "index.html").read_text("utf-8")


def test_a_preview_looks_at_kept_pages_after_its_reload_and_restores_a_lost_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A preview build trusts that the pages it keeps are still on disk (a look costs a
    stat per file on the way to the reload) and looks after the reload: a page lost
    meanwhile is written again by a build right after, and the caches never vouch for it."""
    from generator.commands.build import build
    from generator.commands.preview import rebuilder

    monkeypatch.setattr("generator.site.incremental.run.build_search_index", lambda *a, **k: None)
    config, path = _one_briefing_site(tmp_path, "A title")
    lost = config.output_path / "404.html"  # shows no briefing: kept by every edit
    seen: list[bool] = []
    run = rebuilder(config, lambda level, message: None)
    watcher = Watcher(config, run, listeners=[lambda result: seen.append(lost.exists())])
    watcher.build_now(None)
    page = lost.read_bytes()
    lost.unlink()
    _retitle(path, "B title", 10)
    watcher.build_now({path})
    assert seen == [True, False, True]  # published without it, then a build restored it
    assert lost.read_bytes() == page
    assert build(config).site.pages_written == 0  # and the caches saved say so


def test_a_look_at_kept_pages_is_left_to_the_build_that_follows_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the next save already waits, a preview build's put-off work saves the caches
    but leaves the look at the pages it kept to the next build, which keeps them too and
    looks: a page lost meanwhile is still restored, and until that look no record lets a
    build be skipped."""
    from generator.commands.build import build
    from generator.commands.preview import rebuilder
    from generator.site.incremental.quick import check

    monkeypatch.setattr("generator.site.incremental.run.build_search_index", lambda *a, **k: None)
    config, path = _one_briefing_site(tmp_path, "A title")
    lost = config.output_path / "404.html"  # shows no briefing: kept by every edit
    run = rebuilder(config, lambda level, message: None)
    report = run(None)
    assert report.pending is not None and report.pending(False) is False
    page = lost.read_bytes()
    lost.unlink()
    _retitle(path, "B title", 10)
    report = run({path})
    assert report.pending is not None and report.pending(True) is False  # no look
    assert check(config, set(), False).replay is None
    _retitle(path, "C title", 10)
    report = run({path})
    assert report.pending is not None and report.pending(False) is True  # looked: lost
    assert not lost.exists()
    report = run(set())  # the build the watcher runs then
    assert report.pending is not None and report.pending(False) is False
    assert lost.read_bytes() == page
    assert build(config).site.pages_written == 0


def test_a_preview_keeps_the_settings_it_read_last_and_rereads_them_when_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new site title in briefing.toml shows up, and stays when a briefing is edited
    next; a broken briefing.toml fails every build until it is fixed (no build quietly
    goes on with the settings read before)."""
    from generator.commands.preview import rebuilder

    monkeypatch.setattr("generator.site.incremental.run.build_search_index", lambda *a, **k: None)
    config, path = _one_briefing_site(tmp_path, "A title")
    toml = config.root / "briefing.toml"
    toml.write_text('title = "Old Name"\n')
    home = config.output_path / "index.html"
    run = rebuilder(load_config(config.root), lambda level, message: None)
    assert run(None).ok and "Old Name" in home.read_text("utf-8")
    toml.write_text('title = "New Name"\n')
    assert run({toml}).ok and "New Name" in home.read_text("utf-8")
    _retitle(path, "B title", 10)
    assert run({path}).ok
    assert "New Name" in home.read_text("utf-8")
    toml.write_text('title = "Broken\n')
    with pytest.raises(ConfigError):
        run({toml})
    _retitle(path, "C title", 10)
    with pytest.raises(ConfigError):  # still broken: not built with the settings before
        run({path})
    toml.write_text('title = "Fixed Name"\n')
    assert run({toml}).ok and "Fixed Name" in home.read_text("utf-8")


def test_a_put_off_cache_save_keeps_the_caches_of_a_build_that_ran_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A preview build's cache saves wait for its reload; if another build (another
    terminal) changed the output in between, the older caches must not be saved over its
    own: they would vouch for pages that are no longer on disk."""
    from generator.commands.build import build
    from generator.commands.preview import rebuilder

    monkeypatch.setattr("generator.site.incremental.run.build_search_index", lambda *a, **k: None)
    config, path = _one_briefing_site(tmp_path, "A title")
    page = config.output_path / "briefings" / "a" / "index.html"
    report = rebuilder(config, lambda level, message: None)(None)
    _retitle(path, "B title", 20)  # the same length: the page's size does not tell them apart
    assert build(config).site.pages_written > 0  # the other build
    assert report.pending is not None
    report.pending(False)  # the preview's put-off save comes last
    _retitle(path, "A title", 10)
    build(config)
    assert "A title" in page.read_text("utf-8")


def test_no_full_collection_keeps_a_waiting_save_from_its_build(
    site: SiteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a build the watcher runs a full garbage collection (a third of a second on a
    big site), but not while the next save already waits: that one is built first."""

    import gc

    collected: list[int] = []

    def collect(*args: object) -> int:
        collected.append(1)
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    briefing = site.briefings_path / "a.md"
    builds = Builds(site)
    saves = iter(range(3))

    def build(changed: set[Path] | None) -> Outcome:
        """Each of the first builds sees the next save arrive while it runs."""
        step = next(saves, None)
        if step is not None:
            briefing.write_text(f"Edit {step}\n")
            time.sleep(0.3)  # the event is in before the build ends
        return builds(changed)

    watcher = Watcher(site, build, listeners=[builds.listen])
    watcher.start()
    try:
        briefing.write_text("Edit\n")
        results = builds.settle()
    finally:
        watcher.stop()
    assert len(results) == 4 and len(collected) == 1  # only after the last build


def _interrupted_watch(
    site: SiteConfig,
    build: BuildFn,
    builds: Builds,
    interrupt: threading.Event,
    path: Path,
    results: Callable[[], list[BuildResult]],
) -> list[BuildResult]:
    """Watch with `interrupt`, save a line to `path`, and return `results()` once it does."""
    watcher = Watcher(site, build, listeners=[builds.listen], interrupt=interrupt)
    watcher.start()
    try:
        path.write_text("Edit\n")
        return results()
    finally:
        watcher.stop()


def test_a_build_that_newer_saves_supersede_publishes_nothing_and_hands_its_changes_on(
    site: SiteConfig,
) -> None:
    """While a build runs, a save sets the watcher's interrupt; a build that then stops
    (errors.Superseded) tells no page to reload, and the next build is handed its changed
    paths with the new ones (what changed decides how pages reload: a stylesheet-only
    swap must not hide a content change)."""
    from generator.errors import Superseded

    interrupt = threading.Event()
    builds = Builds(site)
    first, second = site.briefings_path / "a.md", site.themes_path / "static" / "site.css"
    seen: list[bool] = []

    def build(changed: set[Path] | None) -> Outcome:
        if not builds.calls:
            second.write_text("body { color: red }\n")  # a save while this build runs
            assert interrupt.wait(2)
            seen.append(True)
            builds.calls.append(changed)
            raise Superseded
        return builds(changed)

    results = _interrupted_watch(site, build, builds, interrupt, first, builds.settle)
    assert seen == [True]
    assert len(results) == 1 and results[0].epoch == 1  # the stopped build published nothing
    assert builds.calls[1] == {first, second}
    assert not results[0].css_only
    assert not interrupt.is_set()  # cleared when the next build took the changes


def test_a_stopped_build_is_reported_as_stopped_and_counts_no_epoch(site: SiteConfig) -> None:
    """build_now of a build that stops early returns a result that says so, tells no
    listener, and leaves the epoch (finished builds) as it was."""
    from generator.errors import Superseded

    told: list[BuildResult] = []

    def build(changed: set[Path] | None) -> Outcome:
        raise Superseded

    watcher = Watcher(site, build, listeners=[told.append])
    result = watcher.build_now({site.briefings_path / "a.md"})
    assert result.stopped and result.ok and result.epoch == 0 == watcher.epoch
    assert told == []


def test_saves_that_keep_coming_still_let_every_few_builds_finish(site: SiteConfig) -> None:
    """An editor saving on every keystroke: each build sees the next save arrive. At most
    STOP_AT_MOST builds in a row stop early; then one finishes and open pages reload."""
    from generator.errors import Superseded
    from generator.preview import watch as watch_module

    interrupt = threading.Event()
    builds = Builds(site)
    briefing = site.briefings_path / "a.md"
    stops: list[int] = []
    saves = iter(range(2 * watch_module.STOP_AT_MOST + 2))

    def build(changed: set[Path] | None) -> Outcome:
        step = next(saves, None)
        if step is not None:
            briefing.write_text(f"Edit {step}\n")  # the next keystroke's save
            time.sleep(0.3)  # its event is in before this build would stop
        if interrupt.is_set():
            stops.append(len(builds.results))
            raise Superseded
        return builds(changed)

    results = _interrupted_watch(
        site, build, builds, interrupt, briefing, lambda: builds.wait(3, timeout=20)
    )
    most = watch_module.STOP_AT_MOST
    assert stops[:most] == [0] * most and stops[most : 2 * most] == [1] * most
    assert len(results) == 3


def test_work_a_build_put_off_runs_without_full_collections() -> None:
    """Saving the caches after a reload makes many small objects; a full collection they
    set off would walk the whole session's objects first (the watcher runs one after)."""
    import gc

    from generator.commands.preview import Later

    later, seen = Later(), []

    def save(followed: bool) -> bool:
        seen.append(gc.get_threshold()[2])
        return False

    later.add(save)
    before = gc.get_threshold()
    assert later.run() is False
    assert seen[0] >= 1 << 30 > before[2]  # paused while it ran
    assert gc.get_threshold() == before  # and restored after
