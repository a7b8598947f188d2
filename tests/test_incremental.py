"""Incremental builds: the output after any edits equals a clean build, byte for byte."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.briefing_md import render_briefing
from generator.commands.preview import rebuilder
from generator.config import SiteConfig, load_config
from generator.model import Actor, Briefing, Event, Quote, Source, Topic
from generator.site import build_site
from generator.site.incremental import outputs as incremental
from generator.site.incremental import run as site_run
from generator.site.incremental import stages
from generator.site.incremental.deps import dependency_map
from generator.site.model.group import build_site_model, complete_model
from generator.site.model.load import load_briefings
from generator.site.render.feeds import Feed
from generator.site.render.kinds import Sources, page_specs
from generator.site.render.pages import site_meta, theme_dirs
from generator.site.views import topic_pages
from generator.site.views.assemble import build_views
from generator.site.views.briefings import build_briefing_views
from tests.conftest import shared_file

NAMES = ["Ada Brek", "Tomas Vale", "Norland", "Harbour Board", "Mira Osk", "Port Union"]
KINDS = {"Norland": "country", "Harbour Board": "organization", "Port Union": "organization"}
TOPICS = [("politics", "Politics"), ("economy/trade", "Trade"), ("economy", "Economy")]
OLD = 1_600_000_000  # a stat time long past: these files are not 'racy'


@pytest.fixture(autouse=True)
def no_search_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind (a subprocess, not deterministic) is not what these tests are about."""
    monkeypatch.setattr(site_run, "build_search_index", lambda *a, **k: None)


def actor(name: str, alias: str | None = None) -> Actor:
    """An actor of the fixed cast."""
    return Actor(name, KINDS.get(name, "person"), aliases=(alias,) if alias else ())


def make_briefing(rng: random.Random, slug: str) -> Briefing:
    """A random briefing using a small shared cast, so pages overlap a lot."""
    cast = rng.sample(NAMES, rng.randint(0, 3))
    topics = rng.sample(TOPICS, rng.randint(0, 2))
    # Two months: the timeline and big topics have a page per month.
    day = dt.date(2025, rng.choice((2, 3)), rng.randint(1, 28))
    return Briefing(
        title=f"{slug.replace('-', ' ').title()} {rng.randint(1, 99)}",
        slug=slug,
        date=day,
        date_inferred=False,
        source=Source(name=rng.choice(["Wire", "Daily", None])),
        summary=f"Summary {rng.randint(1, 999)}.",
        key_points=(f"Point {rng.randint(1, 9)}",),
        topics=tuple(Topic(tid, label) for tid, label in topics),
        actors=tuple(actor(n) for n in cast),
        quotes=tuple(Quote(n, f"Quote {rng.randint(1, 9)}") for n in cast[:1]),
        # A date object of its own: render_briefing would write a YAML alias for a shared one.
        events=tuple(Event(dt.date.fromordinal(day.toordinal()), f"{n} met") for n in cast[:1]),
        body=f"Paragraph {rng.randint(1, 999)} about *things*.\n\nMore text.",
    )


def new_site(tmp_path: Path, name: str) -> SiteConfig:
    """An empty site root."""
    root = tmp_path / name
    (root / "content" / "briefings").mkdir(parents=True)
    return load_config(root)


def write(config: SiteConfig, b: Briefing) -> Path:
    """Save a briefing file."""
    path = config.briefings_path / f"{b.slug}.md"
    path.write_text(render_briefing(b), encoding="utf-8")
    return path


def tree(out: Path) -> dict[str, bytes]:
    """Every output file by relative path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def clean_copy(config: SiteConfig, tmp_path: Path, name: str) -> dict[str, bytes]:
    """A clean build of the same briefings in a fresh root: what any build must equal."""
    other = new_site(tmp_path, name)
    for path in config.briefings_path.glob("*.md"):
        shutil.copy(path, other.briefings_path / path.name)
    build_site(other, clean=True, jobs=1)
    return tree(other.output_path)


def seeded_site(tmp_path: Path, n: int = 12, seed: int = 1) -> tuple[SiteConfig, random.Random]:
    """A site of `n` random briefings."""
    rng = random.Random(seed)
    config = new_site(tmp_path, "site")
    for i in range(n):
        write(config, make_briefing(rng, f"story-{i}"))
    return config, rng


def test_clean_cached_and_any_jobs_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, _ = seeded_site(tmp_path, 16)
    build_site(config, clean=True, jobs=1)
    serial = tree(config.output_path)
    monkeypatch.setattr(site_run, "POOL_MIN_BRIEFINGS", 0)  # worker processes even here
    monkeypatch.setattr(incremental, "POOL_MIN_BRIEFINGS", 0)
    shutil.rmtree(config.output_path)
    report = build_site(config, clean=True, jobs=2)
    assert report.pages_written == len(serial) - 1  # all but the manifest, rendered anew
    assert tree(config.output_path) == serial
    report = build_site(config, jobs=2)  # cached: nothing to render, nothing to write
    assert report.pages_written == 0 and tree(config.output_path) == serial


def test_workers_leave_no_state_behind_and_work_without_a_writable_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Render workers read their briefings from a state file: removed when they stop, and
    in the temp folder when the cache folder cannot be made (a file stands in its way)."""
    config, _ = seeded_site(tmp_path, 16)
    build_site(config, clean=True, jobs=1)
    serial = tree(config.output_path)
    monkeypatch.setattr(site_run, "POOL_MIN_BRIEFINGS", 0)
    monkeypatch.setattr(incremental, "POOL_MIN_BRIEFINGS", 0)
    build_site(config, clean=True, jobs=2)
    assert not (config.cache_path / "workers.pickle").exists()
    shutil.rmtree(config.cache_path)
    config.cache_path.write_text("not a folder")
    build_site(config, clean=True, jobs=2)
    assert tree(config.output_path) == serial


def edit(config: SiteConfig, rng: random.Random, step: int) -> set[Path]:
    """One random edit of the briefings folder; returns the paths it touched."""
    files = sorted(config.briefings_path.glob("*.md"))
    op = rng.choice(["add", "edit", "delete", "rename-actor", "topic", "touch", "alias"])
    if op == "add" or not files:
        return {write(config, make_briefing(rng, f"new-{step}"))}
    path = rng.choice(files)
    from generator.briefing_md import parse_briefing

    b, _ = parse_briefing(path.read_text("utf-8"), str(path))
    if op == "delete":
        path.unlink()
        return {path}
    if op == "touch":
        os.utime(path)
        return {path}
    if op == "edit":
        b = make_briefing(rng, b.slug)
    elif op == "rename-actor" and b.actors:
        first = b.actors[0]
        renamed = Actor(f"{first.name} Junior", first.kind)
        b = replace(b, actors=(renamed, *b.actors[1:]))
    elif op == "alias":
        # An alias folds one actor into another across the whole site.
        b = replace(b, actors=(actor("Ada Brek", "Brek"), actor("Brek")))
    else:
        label = rng.choice(["Politics", "Home politics", "Trade"])
        b = replace(b, topics=(Topic(rng.choice(TOPICS)[0], label),))
    return {write(config, b)}


@pytest.mark.parametrize("preview", [False, True], ids=["build", "preview"])
@pytest.mark.parametrize("seed", [3, 11])
def test_random_edit_sequences_end_byte_identical_to_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, preview: bool
) -> None:
    # Topic pages short enough that most topics also have month pages.
    monkeypatch.setattr(topic_pages, "TOPIC_CARDS", 2)
    config, rng = seeded_site(tmp_path, 10, seed)
    # A preview session keeps its caches and what it made in memory between builds.
    session = rebuilder(config, lambda level, message: None) if preview else None
    build_site(config, jobs=1) if session is None else session(None)
    for step in range(6):
        touched = edit(config, rng, step)
        # Half the builds get the watcher's list of changed paths, half scan everything.
        changed = touched if step % 2 else None
        if session is None:
            report = build_site(config, jobs=1, changed=changed)
        else:
            report = session(changed).site
        assert report.errors == ()
        expected = clean_copy(config, tmp_path, f"clean-{step}")
        got = tree(config.output_path)
        assert sorted(got) == sorted(expected), f"step {step}"
        assert got == expected, f"step {step}"


@pytest.mark.parametrize("seed", [5, 13])
def test_builds_stopped_for_newer_changes_leave_what_the_next_build_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """A preview build told that newer changes wait stops between stages (its edited pages
    written); the next build, of all the changes since the last finished one, must still
    end byte-identical to a clean build, after any mix of stopped and finished builds."""
    from generator.errors import Superseded

    monkeypatch.setattr(topic_pages, "TOPIC_CARDS", 2)
    config, rng = seeded_site(tmp_path, 10, seed)
    countdown = [0]  # stages the build may finish before it is told to stop (0: never)

    def superseded() -> bool:
        countdown[0] -= 1
        return countdown[0] == 0

    session = rebuilder(config, lambda level, message: None, superseded)
    session(None)
    waiting: set[Path] = set()
    stopped = 0
    for step in range(10):
        waiting |= edit(config, rng, step)
        countdown[0] = rng.choice([1, 2, 3, 0])
        try:
            report = session(set(waiting))
        except Superseded:
            stopped += 1
            continue
        waiting = set()
        assert report.site.errors == ()
        assert tree(config.output_path) == clean_copy(config, tmp_path, f"clean-{step}"), step
    countdown[0] = 0
    session(set(waiting))
    assert tree(config.output_path) == clean_copy(config, tmp_path, "clean-end")
    assert stopped >= 3


def test_a_preview_dates_a_redated_briefing_in_the_sitemap(tmp_path: Path) -> None:
    """A new date within the same month leaves every page path as it was; the sitemap's
    date of the briefing still changes, in a preview session as in a clean build."""
    from generator.briefing_md import parse_briefing

    config, _ = seeded_site(tmp_path, 6)
    session = rebuilder(config, lambda level, message: None)
    session(None)
    path = sorted(config.briefings_path.glob("*.md"))[0]
    b, _ = parse_briefing(path.read_text("utf-8"), str(path))
    day = dt.timedelta(days=1 if b.date.day < 28 else -1)
    session({write(config, replace(b, date=b.date + day))})
    sitemap = tree(config.output_path)["sitemap.xml"]
    assert sitemap == clean_copy(config, tmp_path, "clean")["sitemap.xml"]
    assert (b.date + day).isoformat().encode() in sitemap


@pytest.mark.slow
def test_a_preview_of_real_articles_stays_byte_identical_to_a_clean_build(
    tmp_path: Path,
) -> None:
    """The preview session's memos on real ingested articles (hundreds of actors, events and
    text neighbours): summary and title edits, a renamed actor, an article dropped in and a
    briefing deleted, through one session, end where a clean build of the same briefings is."""
    from generator.briefing_md import parse_briefing
    from generator.commands.build import build

    corpus = shared_file("corpus", "bbc")
    config = new_site(tmp_path, "site")
    config.articles_path.mkdir(parents=True)
    sources = sorted(corpus.glob("*.txt"))[:241]
    for path in sources[:240]:
        shutil.copy(path, config.articles_path / path.name)
    build(config, jobs=1)
    session = rebuilder(config, lambda level, message: None)
    session(None)
    rng = random.Random(4)
    for step, op in enumerate(["summary", "title", "actor", "add", "delete", "summary"]):
        files = sorted(config.briefings_path.glob("*.md"))
        path = rng.choice(files)
        b, _ = parse_briefing(path.read_text("utf-8"), str(path))
        if op == "add":
            path = config.articles_path / sources[240].name
            shutil.copy(sources[240], path)
        elif op == "delete":
            path.unlink()
        elif op == "actor" and b.actors:
            first = replace(b.actors[0], name=f"{b.actors[0].name} Junior", aliases=())
            write(config, replace(b, actors=(first, *b.actors[1:])))
        elif op == "summary":
            write(config, replace(b, summary=f"Now {step}. {b.summary}"))
        else:
            write(config, replace(b, title=f"{b.title} {step}"))
        report = session({path})
        assert report.errors == [], step
        assert tree(config.output_path) == clean_copy(config, tmp_path, f"clean-{step}"), op


def page_map(config: SiteConfig) -> dict[str, set[str]]:
    """The briefing -> pages map of the site as it is now."""
    loaded = load_briefings(config.briefings_path, config.root)
    model = build_site_model(loaded.briefings)
    views = build_views(model, lambda text: text)
    feeds = [Feed("", "", model.briefings)]
    sources = Sources(model, views, site_meta(config))
    return dependency_map(page_specs(sources), feeds)


def test_a_title_edit_rewrites_only_the_pages_that_show_the_briefing(tmp_path: Path) -> None:
    config, _ = seeded_site(tmp_path, 14)
    build_site(config, jobs=1)
    before = tree(config.output_path)
    stamps = {p: (config.output_path / p).stat().st_mtime_ns for p in before}
    path = config.briefings_path / "story-3.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("title: Story 3", "title: Renamed Story 3", 1), "utf-8")
    build_site(config, jobs=1)
    after = tree(config.output_path)
    changed = {p for p in after if after[p] != before.get(p)} - {".briefing-manifest.json"}
    shown = page_map(config)["story-3"]
    assert "briefings/story-3/index.html" in changed
    assert changed <= shown | {"feed.xml", "feed.json"} | {
        p for p in after if p.endswith(("feed.xml", "feed.json"))
    }
    # Everything else was not even rewritten: its modification time is the same.
    for p in set(after) - changed - {".briefing-manifest.json"}:
        assert (config.output_path / p).stat().st_mtime_ns == stamps[p], p


def test_adding_and_removing_an_actor_updates_its_page(tmp_path: Path) -> None:
    config, _ = seeded_site(tmp_path, 6)
    build_site(config, jobs=1)
    rng = random.Random(5)
    b = make_briefing(rng, "story-2")
    b = replace(b, actors=(*b.actors, actor("Zed Newcomer")))
    write(config, b)
    build_site(config, jobs=1)
    page = config.output_path / "actors" / "zed-newcomer" / "index.html"
    assert (
        page.is_file() and "Zed Newcomer" in (config.output_path / "actors/index.html").read_text()
    )
    write(config, replace(b, actors=b.actors[:-1]))
    build_site(config, jobs=1)
    assert not page.exists()
    assert tree(config.output_path) == clean_copy(config, tmp_path, "clean")


def test_a_build_with_nothing_changed_does_no_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, _ = seeded_site(tmp_path, 5)
    for path in config.briefings_path.iterdir():
        os.utime(path, (OLD, OLD))
    first = build_site(config)
    expected = tree(config.output_path)

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a no-op build must not group briefings")

    monkeypatch.setattr(stages, "group_first", fail)
    again = build_site(config)
    assert again.pages_written == 0 and again.briefings == first.briefings
    assert again.pages_unchanged == len(expected) - 1  # every file but the manifest
    assert tree(config.output_path) == expected
    # A deleted output folder is noticed: the next build writes it all again.
    monkeypatch.undo()
    monkeypatch.setattr(site_run, "build_search_index", lambda *a, **k: None)
    shutil.rmtree(config.output_path)
    build_site(config)
    assert tree(config.output_path) == expected


def test_a_template_edit_rerenders_every_page_that_uses_it(tmp_path: Path) -> None:
    config, _ = seeded_site(tmp_path, 4)
    build_site(config, jobs=1)
    own = config.themes_path / "default" / "templates"
    own.mkdir(parents=True)
    base = theme_dirs(config)[-1] / "templates" / "base.html"
    (own / "base.html").write_text(base.read_text().replace("<body>", "<body class=x>"))
    build_site(config, jobs=1)
    incremental_tree = tree(config.output_path)
    assert "<body class=x>" in incremental_tree["briefings/story-1/index.html"].decode()
    build_site(config, clean=True, jobs=1)
    assert tree(config.output_path) == incremental_tree


@pytest.mark.parametrize("stage", [1, 2, 3])
def test_a_template_edit_whose_build_stops_is_finished_by_the_next(
    tmp_path: Path, stage: int
) -> None:
    """A template edit re-keys every page; a preview build of it that stops early leaves
    pages of both templates on disk, and the next build (another save) must bring every
    one of them to the new template, as a clean build does."""
    from generator.errors import Superseded

    config, rng = seeded_site(tmp_path, 6, 4)
    countdown = [0]

    def superseded() -> bool:
        countdown[0] -= 1
        return countdown[0] == 0

    session = rebuilder(config, lambda level, message: None, superseded)
    session(None)
    own = config.themes_path / "default" / "templates"
    own.mkdir(parents=True)
    base = theme_dirs(config)[-1] / "templates" / "base.html"
    (own / "base.html").write_text(base.read_text().replace("<body>", "<body class=x>"))
    countdown[0] = stage
    with pytest.raises(Superseded):
        session({own / "base.html"})
    touched = edit(config, rng, 0)
    session({own / "base.html", *touched})
    got = tree(config.output_path)
    assert "<body class=x>" in got["index.html"].decode()
    build_site(config, clean=True, jobs=1)
    assert tree(config.output_path) == got


def test_progress_is_a_bar_on_a_terminal_and_silent_otherwise() -> None:
    import io

    from generator.progress import Bar, NoProgress, progress_for

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(progress_for(io.StringIO()), NoProgress)
    assert isinstance(progress_for(Terminal(), quiet=True), NoProgress)
    screen = Terminal()
    bar = progress_for(screen)
    assert isinstance(bar, Bar)
    bar.stage("pages", 4)
    bar.advance(4)
    assert "pages" in screen.getvalue() and "4/4" in screen.getvalue()
    bar.close()
    assert screen.getvalue().endswith("\r")  # the line is wiped for the summary


def session_processes(sid: int) -> list[int]:
    """Live (not zombie) processes of a session, from /proc (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:  # state, ..., session id
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_killed_build_leaves_no_worker_processes(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    config, _ = seeded_site(tmp_path, 400)  # enough files to parse them in worker processes
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(config.root),
            "-q",
            "build",
            "--jobs",
            "2",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(session_processes(proc.pid)) < 3 and proc.poll() is None:  # build + pool
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert proc.poll() is None, "the build ended before its workers were seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_processes(proc.pid) == []


def test_an_edit_regroups_only_the_parts_it_touches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new summary keeps the actor profiles; a renamed actor keeps the text index and
    makes again only the profiles of the actors it named, not all of them."""
    from generator.briefing_md import parse_briefing
    from generator.site.incremental import memo

    config, _ = seeded_site(tmp_path, 10)
    build_site(config, jobs=1)
    path = config.briefings_path / "story-4.md"
    b, _ = parse_briefing(path.read_text("utf-8"), str(path))

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("recomputed a part whose inputs did not change")

    with monkeypatch.context() as patch:
        patch.setattr(memo, "build_actors", fail)
        b = replace(b, summary="A new summary.")
        write(config, b)
        build_site(config, jobs=1)
    with monkeypatch.context() as patch:
        patch.setattr(memo, "index_text", fail)
        patch.setattr(memo, "build_actors", fail)
        write(config, replace(b, actors=(actor("Zed Newcomer"),)))
        build_site(config, jobs=1)
    assert tree(config.output_path) == clean_copy(config, tmp_path, "clean")
    assert "Zed Newcomer" in (config.output_path / "actors/zed-newcomer/index.html").read_text()


def test_a_preview_session_keeps_caches_in_memory_and_notices_other_builds(
    tmp_path: Path,
) -> None:
    """Rebuilds that reuse in-memory caches equal a clean build, even when a build by
    another process (no memory) rewrote the caches on disk in between."""
    from generator.site.incremental.cache import Memory

    config, rng = seeded_site(tmp_path, 10, 5)
    memory: Memory = {}
    build_site(config, jobs=1, memory=memory)
    assert memory  # the caches it wrote are kept
    for step in range(6):
        touched = edit(config, rng, step)
        if step % 3 == 2:
            build_site(config, jobs=1)  # `briefing build` while the preview runs
            touched |= {write(config, make_briefing(rng, f"other-{step}"))}
        build_site(config, jobs=1, changed=touched, memory=memory)
        assert tree(config.output_path) == clean_copy(config, tmp_path, f"clean-{step}"), step


def test_an_edited_briefing_page_is_written_before_the_rest_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a preview session the page of the briefing just saved is on disk before the
    other briefings' views, the topics, the timeline and the digests are made (that is
    what the user waits for), and the build still equals a clean one."""
    from generator.site.incremental.cache import Memory

    config, rng = seeded_site(tmp_path, 10, 7)
    memory: Memory = {}
    build_site(config, jobs=1, memory=memory)
    edited = make_briefing(rng, "story-4")
    page = config.output_path / "briefings" / "story-4" / "index.html"
    seen: list[str] = []
    views, complete = build_briefing_views, complete_model

    def spy_views(*args: object) -> object:
        if args[-1] is not None:  # the other briefings' views, after the edited ones
            seen.append("rest" if edited.title in page.read_text("utf-8") else "rest-early")
        return views(*args)  # type: ignore[arg-type]

    def spy_complete(*args: object) -> object:
        seen.append("model" if edited.title in page.read_text("utf-8") else "model-early")
        return complete(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(stages, "build_briefing_views", spy_views)
    monkeypatch.setattr(stages, "complete_model", spy_complete)
    build_site(config, jobs=1, changed={write(config, edited)}, memory=memory)
    assert seen == ["rest", "model"]
    assert tree(config.output_path) == clean_copy(config, tmp_path, "clean")


def test_a_new_month_updates_the_pager_of_the_months_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A briefing in a month nothing had yet gives the newest month pages (its topic's and
    the timeline's) a 'newer' link: the incremental build must re-render them, as a clean
    build does, although none of their own cards or events changed."""
    monkeypatch.setattr(topic_pages, "TOPIC_CARDS", 1)
    rng = random.Random(3)
    config = new_site(tmp_path, "site")

    def dated(slug: str, month: int) -> Briefing:
        day = dt.date(2025, month, 10)
        return replace(
            make_briefing(rng, slug),
            date=day,
            topics=(Topic("politics", "Politics"),),
            events=(Event(dt.date.fromordinal(day.toordinal()), f"{slug} met"),),
        )

    for k, month in enumerate((1, 1, 2)):
        write(config, dated(f"story-{k}", month))
    build_site(config, jobs=1)
    february = config.output_path / "topics/politics/by-month/2025-02/index.html"
    assert 'rel="next"' not in february.read_text("utf-8")
    write(config, dated("story-3", 3))
    build_site(config, jobs=1)
    assert "2025-03" in february.read_text("utf-8")  # its pager now leads to March
    assert tree(config.output_path) == clean_copy(config, tmp_path, "clean")


def test_reused_actor_page_keys_equal_fresh_ones_and_only_named_actors_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An edit to one briefing's title and events, a new briefing, and a renamed actor each
    keep the page keys of the actors they do not touch, and each key reused from the last
    build is the one a fresh computation gives."""
    from generator.site.incremental.lazy import actor_key
    from generator.site.incremental.memo import group_with_memo
    from generator.site.model.actors import ActorProfile
    from generator.site.views import actors as views_module

    made: list[str] = []
    key = actor_key

    def counted(p: ActorProfile, *rest: Any) -> bytes:
        made.append(p.slug)
        return key(p, *rest)

    monkeypatch.setattr(views_module, "actor_key", counted)
    rng = random.Random(11)
    briefings = [make_briefing(rng, f"story-{i}") for i in range(12)]
    model, memo = group_with_memo(briefings, None, None)
    views = build_views(model, str, profiles=memo.profiles)
    edited = next(b for b in briefings if b.events)
    named = edited.actors[0]
    changed = replace(
        edited,
        title="A new title",
        events=(Event(edited.events[0].date, f"{named.name} left"),),
    )
    renamed = next(
        b for b in briefings if b is not edited and b.actors and b.actors[0].name != named.name
    )
    later = max(b.date for b in briefings) + dt.timedelta(days=14)
    steps = [
        [changed if b is edited else b for b in briefings],
        # Added in a week no briefing had: the other actors' weekly charts stay as they were.
        [*briefings, replace(make_briefing(rng, "story-new"), date=later, actors=(named,))],
        [
            replace(b, actors=(Actor(f"{b.actors[0].name} Junior", b.actors[0].kind),))
            if b is renamed
            else b
            for b in briefings
        ],
    ]
    for step, now in enumerate(steps):
        last = (memo.actors, memo.text, memo.related)
        model, memo2 = group_with_memo(now, None, None, last)
        made.clear()
        reused = build_views(model, str, profiles=memo2.profiles, last=views.actor_keys)
        remade = set(made)
        fresh = build_views(model, str)
        assert [a.page.key for a in reused.actors] == [a.page.key for a in fresh.actors], step
        before = {a.slug: a.page.key for a in views.actors}
        moved = {a.slug for a in fresh.actors if a.page.key != before.get(a.slug)}
        # Keys made anew: those that moved, and some more (named, yet the same page); not all.
        assert moved <= remade and len(remade) < len(fresh.actors), step
        if step == 0:  # the title edit: only the actors the edited briefing names
            assert remade <= set(model.actor_links[edited.slug].values())
        if step == 1:  # the new briefing: only the actor it names
            assert remade <= set(model.actor_links["story-new"].values())


def test_an_actor_page_key_moves_when_an_actor_seen_with_it_is_renamed() -> None:
    """Tom is named only by a briefing that does not change, and his profile stays the same,
    but his page shows the name of Ada, seen with him: when another briefing makes her
    most common name 'Ada BREK', his key must not be kept."""
    from generator.site.incremental.memo import group_with_memo

    rng = random.Random(2)

    def named(slug: str, *names: str) -> Briefing:
        return replace(make_briefing(rng, slug), actors=tuple(actor(n) for n in names))

    briefings = [
        named("one", "Ada Brek", "Tom Osk"),
        named("two", "Ada Brek"),
        named("three", "Ada BREK"),
    ]
    model, memo = group_with_memo(briefings, None, None)
    first = build_views(model, str, profiles=memo.profiles)
    briefings[1] = replace(briefings[1], actors=(actor("Ada BREK"),))
    model, memo = group_with_memo(briefings, None, None, (memo.actors, memo.text, memo.related))
    assert {a.slug: a.name for a in model.actors}["ada-brek"] == "Ada BREK"
    reused = build_views(model, str, profiles=memo.profiles, last=first.actor_keys)
    fresh = build_views(model, str)
    assert [a.page.key for a in reused.actors] == [a.page.key for a in fresh.actors]


def test_actor_inputs_key_reuses_unchanged_files_and_sees_changed_ones() -> None:
    """The actors' key takes each unchanged file's part from the last build: it must equal
    a fresh key, and an edited file (new hash) must move it when its actors change."""
    from generator.site.incremental.memo import actors_key
    from generator.site.model.alias_table import shipped_aliases
    from generator.site.model.group import newest_first

    rng = random.Random(5)
    ordered = newest_first([make_briefing(rng, f"story-{i}") for i in range(12)])
    table = shipped_aliases()
    files = {b.slug: f"hash-{b.slug}" for b in ordered}
    first = actors_key(ordered, {}, table, files, {})
    assert actors_key(ordered, {}, table, files, first.parts) == first
    assert actors_key(ordered, {}, table, {}, {}).key == first.key  # no file hashes: hashed anew

    edited = replace(ordered[3], actors=(*ordered[3].actors, actor("Zed Newcomer")))
    changed = tuple(edited if b is ordered[3] else b for b in ordered)
    moved = {**files, edited.slug: "hash-edited"}
    second = actors_key(changed, {}, table, moved, first.parts)
    assert second.key != first.key
    assert second == actors_key(changed, {}, table, moved, {})
    assert [part for _, part in second.order] != [part for _, part in first.order]
    summary_only = tuple(replace(b, summary="New.") if b is ordered[3] else b for b in ordered)
    assert actors_key(summary_only, {}, table, moved, first.parts).key == first.key


def test_briefing_keys_kept_from_the_last_build_equal_fresh_ones() -> None:
    """A briefing whose file did not change keeps its card and page keys from the last
    build only while everything else its page shows is the same: a related list's reason,
    where its names link, a linked actor's name, its story and a related briefing's card
    each give the keys a fresh build gives (and change them)."""
    from generator.site.model.related import Related
    from generator.site.model.stories import Story
    from generator.site.views.site_views import Views

    rng = random.Random(7)
    model = build_site_model([make_briefing(rng, f"story-{k}") for k in range(10)])
    slug = next(b.slug for b in model.briefings if model.actor_links.get(b.slug))
    other = next(b.slug for b in model.briefings if b.slug != slug)
    related = {**model.related, slug: (Related(other, "reason one"),)}
    base = replace(model, related=related, stories=())  # stories show cards: one thing at a time
    files = {b.slug: f"file of {b.slug}" for b in base.briefings}
    links = base.actor_links[slug]
    retitled = tuple(
        replace(b, title="New title") if b.slug == other else b for b in base.briefings
    )
    variants = {
        "reason": (replace(base, related={**base.related, slug: (Related(other, "two"),)}), files),
        "links": (
            replace(
                base,
                actor_links={**base.actor_links, slug: {f"{n} Jr": s for n, s in links.items()}},
            ),
            files,
        ),
        "names": (
            replace(base, actors=tuple(replace(a, name=f"{a.name} Jr") for a in base.actors)),
            files,
        ),
        "story": (
            replace(base, stories=(Story(other, "A story", (other, slug), frozenset()),)),
            files,
        ),
        "card": (replace(base, briefings=retitled), {**files, other: "the file edited"}),
    }

    def keys(views: Views) -> list[tuple[object, bytes, bytes]]:
        return [(e.card, e.page.key, e.search) for e in views.briefings]

    def key_of(views: Views) -> bytes:
        return next(e.page.key for e in views.briefings if e.card.slug == slug)

    first = build_views(base, str, files, marks={})
    assert keys(build_views(base, str, files, marks=first.briefing_marks)) == keys(first)
    for name, (model, digests) in variants.items():
        fresh = build_views(model, str, digests)
        assert key_of(fresh) != key_of(first), name
        assert keys(build_views(model, str, digests, marks=first.briefing_marks)) == keys(fresh), (
            name
        )
