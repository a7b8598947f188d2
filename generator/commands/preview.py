"""Wiring for `briefing serve` and `briefing watch`: the real build behind the watcher."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path

from generator.commands.build import BuildReport, build, full_collections_paused
from generator.commands.ingest import warm_up
from generator.config import CONFIG_FILE, SiteConfig, load_config
from generator.fileio import Stamp, file_stat
from generator.preview.hosts import exposure_warning
from generator.preview.serve import serve
from generator.preview.watch import watch
from generator.site.incremental.cache import Memory

Say = Callable[[str, str], None]


class Later:
    """Work a build put off until its result is published; run once, by whoever asks first."""

    def __init__(self) -> None:
        """Nothing put off yet."""
        self._lock = threading.Lock()
        self._work: list[Callable[[bool], bool]] = []

    def add(self, work: Callable[[bool], bool]) -> None:
        """Put `work` off."""
        with self._lock:
            self._work.append(work)

    def run(self, followed: bool = False) -> bool:
        """Do the work put off so far (a second caller waits for the first to finish it);
        True when some of it asks for another build. `followed`: another build follows at
        once (it does some of the work: site.incremental.build._save_later).

        Like a build, it puts off full garbage collections: pickling the caches makes many
        small objects, which set off collections that walk the whole session's millions; the
        watcher runs one right after it anyway.
        """
        with self._lock, full_collections_paused():
            work, self._work = self._work, []
            again = [item(followed) for item in work]
            return any(again)


def rebuilder(
    config: SiteConfig, say: Say, superseded: Callable[[], bool] | None = None
) -> Callable[[set[Path] | None], BuildReport]:
    """A build callable for the watcher (a BuildFn): re-reads briefing.toml when it changed
    (and builds with what it read last until it changes again), and keeps the site caches
    in memory from one rebuild to the next (no re-reading of megabytes). A build of known
    changes stops early when `superseded` says newer ones wait (a full build always finishes)."""
    memory: Memory = {}
    warmed: list[threading.Thread] = []
    later = Later()

    settings = config.root / CONFIG_FILE
    # The settings every build uses (those read last) and the stamp of the file they came from.
    read: list[tuple[Stamp | None, SiteConfig]] = [(file_stat(settings), config)]

    def run(changed: set[Path] | None) -> BuildReport:
        later.run(True)  # the last build's cache saves, when the watcher has not run them yet
        stamp, current = read[0]
        now = file_stat(settings)
        if changed is None or settings in changed or now != stamp:
            # A broken file raises here, in every build until it is fixed. The output
            # folder stays the session's (the one served, maybe given on the command line).
            current = dataclasses.replace(load_config(config.root), output_dir=config.output_dir)
            read[0] = (now, current)
        stop = superseded if changed is not None else None
        report = build(current, changed=changed, memory=memory, defer=later.add, superseded=stop)
        report = dataclasses.replace(report, pending=later.run)
        if not warmed and current.articles_path.is_dir():
            # Once the site is up, so the first article dropped in finds ingest warm.
            warmed.append(threading.Thread(target=warm_up, args=(current,), daemon=True))
            warmed[0].start()
        if report.ok:
            s = report.site
            say("info", f"rebuilt: {s.pages_written} pages written, {s.pages_removed} removed "
                        f"in {report.seconds:.2f} s")  # fmt: skip
        return report

    return run


def run_serve(
    config: SiteConfig, *, host: str, port: int, open_browser: bool, poll: bool, say: Say
) -> int:
    """Build, watch and serve until Ctrl-C; prints the address as soon as it listens."""
    waiting = threading.Event()
    warning = exposure_warning(host)
    if warning is not None:
        say("warning", warning)
    return serve(
        config,
        rebuilder(config, say, waiting.is_set),
        interrupt=waiting,
        host=host,
        port=port,
        open_browser=open_browser,
        poll=poll,
        on_ready=lambda url: say("info", f"serving {config.output_path} at {url}"),
    )


def run_watch(config: SiteConfig, *, poll: bool, say: Say) -> int:
    """Build, then rebuild after every burst of changes until Ctrl-C."""
    say("info", f"watching {config.root} (Ctrl-C to stop)")
    waiting = threading.Event()
    return watch(config, rebuilder(config, say, waiting.is_set), poll=poll, interrupt=waiting)
