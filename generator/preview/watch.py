"""Watch mode: debounce file events, rebuild once per burst (changes.py says what changed)."""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from generator.config import SiteConfig
from generator.errors import BriefingError, Superseded
from generator.preview.changes import ChangeKind, classify_path, watch_targets

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.05
"""Quiet time after the last event before a rebuild: one rebuild per burst of saves."""
POLL_SECONDS = 0.5
"""Polling observer interval (--poll, for network drives and VMs)."""
WAKE_SECONDS = 0.2
"""The build loop wakes this often to notice a stop request."""
COLLECT_EVERY = 10
"""Builds at most between two full garbage collections while saves keep coming (_loop)."""
STOP_AT_MOST = 3
"""Builds in a row that may stop early for newer saves (Watcher's `interrupt`): then one
finishes, so that open pages still reload while saves keep coming (an editor saving on
every keystroke)."""

EVENT_TYPES = frozenset({"created", "modified", "moved", "deleted"})
"""Events that can change content; opened/closed events are noise."""


class BuildOutcome(Protocol):
    """What a build callable returns: at least the errors it met."""

    @property
    def errors(self) -> Sequence[BriefingError]:
        """Inputs that failed, with file and line."""
        ...


BuildFn = Callable[[set[Path] | None], BuildOutcome]
"""Runs a build: the changed paths, or None for a full build."""


@dataclass(frozen=True)
class Problem:
    """One error of a build as the terminal and the browser overlay show it."""

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = (self.path or "") + (f":{self.line}" if self.path and self.line else "")
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class BuildResult:
    """One finished build: its epoch, what triggered it, and what went wrong."""

    epoch: int
    """Counts finished builds, 1 for the first."""
    changed: frozenset[Path] | None
    """The changed paths, or None for a full build."""
    kinds: frozenset[ChangeKind]
    errors: tuple[Problem, ...]
    seconds: float
    wrote: bool = True
    """Whether the build changed the output at all (a build outcome may say it did not)."""
    stopped: bool = False
    """The build stopped early for newer changes (errors.Superseded): nothing is published."""

    @property
    def ok(self) -> bool:
        """True when the build met no error."""
        return not self.errors

    @property
    def css_only(self) -> bool:
        """True when only stylesheets changed: browsers can swap them without reloading."""
        return (
            bool(self.changed)
            and self.kinds == {ChangeKind.STATIC}
            and all(p.suffix == ".css" for p in self.changed or ())
        )


def _problems(exc: Exception) -> tuple[Problem, ...]:
    """The error a crashed build raised, with the file and line it names when it names one."""
    if isinstance(exc, BriefingError):
        return (Problem(exc.message, exc.path, exc.line),)
    # Template engines name the file and line this way (jinja2.TemplateSyntaxError).
    path, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    message = getattr(exc, "message", None)
    return (
        Problem(
            f"{type(exc).__name__}: {message if isinstance(message, str) else exc}",
            path if isinstance(path, str) else None,
            line if isinstance(line, int) else None,
        ),
    )


class _Recorder(FileSystemEventHandler):
    """Turns file events into recorded paths; never builds (that is the loop's job)."""

    def __init__(self, record: Callable[[Iterable[str]], None]) -> None:
        self._record = record

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Record the source and destination paths of any content-changing event."""
        # A folder's own "modified" event only echoes a change of a file inside it.
        if event.event_type not in EVENT_TYPES or (
            event.is_directory and event.event_type == "modified"
        ):
            return
        paths = [os.fsdecode(event.src_path)]
        if event.dest_path:
            paths.append(os.fsdecode(event.dest_path))
        self._record(paths)


class Watcher:
    """Rebuilds the site after each burst of relevant file events, until stopped."""

    def __init__(
        self,
        config: SiteConfig,
        build: BuildFn,
        *,
        poll: bool = False,
        quiet: float = DEBOUNCE_SECONDS,
        listeners: Sequence[Callable[[BuildResult], None]] = (),
        interrupt: threading.Event | None = None,
    ) -> None:
        """`interrupt` is set when a relevant change comes in while a build of the loop
        runs (a build may then stop early: errors.Superseded), and cleared when the next
        build takes the changes; not after STOP_AT_MOST builds in a row stopped."""
        self.config = config
        self._build = build
        self._poll = poll
        self._quiet = quiet
        self._listeners = tuple(listeners)
        self._interrupt = interrupt
        self._stopped = 0
        """Builds in a row that stopped early."""
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._pending: set[Path] = set()
        self._last_event = 0.0
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._epoch = 0
        self._observer: BaseObserver | None = None
        self._thread: threading.Thread | None = None

    @property
    def epoch(self) -> int:
        """How many builds have finished."""
        return self._epoch

    def _record(self, paths: Iterable[str]) -> None:
        """Keep the paths a rebuild must consider and restart the quiet-time clock."""
        relevant = {Path(p) for p in paths if classify_path(Path(p), self.config) is not None}
        if not relevant:
            return
        with self._lock:
            self._pending |= relevant
            self._last_event = time.monotonic()
            self._dirty.set()
            if self._interrupt is not None and self._stopped < STOP_AT_MOST:
                self._interrupt.set()

    def build_now(self, changed: set[Path] | None = None, *, restore: bool = True) -> BuildResult:
        """Run one build now (None: full), bump the epoch, tell the listeners; never raises.

        When the work the build put off finds output files lost meanwhile, a build right
        after writes them again (`restore`: once, so a folder emptied over and over by
        something else cannot keep the watcher building).
        """
        with self._build_lock:
            kinds = frozenset(
                k for k in (classify_path(p, self.config) for p in changed or ()) if k is not None
            )
            start = time.perf_counter()
            wrote, stopped = True, False
            outcome = None
            errors: tuple[Problem, ...] = ()
            try:
                outcome = self._build(changed)
                errors = tuple(Problem(e.message, e.path, e.line) for e in outcome.errors)
                wrote = bool(getattr(outcome, "wrote", True))
            except Superseded:
                # Newer changes wait: no reload for a build that stopped half-way; the next
                # build takes these changes too (what they are decides how pages reload).
                log.debug("build stopped for newer changes")
                stopped = True
                with self._lock:
                    self._pending |= changed or set()
                    self._dirty.set()
                    self._stopped += 1
            except Exception as exc:  # a broken input must never stop watch mode
                log.debug("build crashed", exc_info=True)
                errors = _problems(exc)
            if not stopped:
                self._epoch += 1
                self._stopped = 0
            frozen = None if changed is None else frozenset(changed)
            seconds = time.perf_counter() - start
            result = BuildResult(self._epoch, frozen, kinds, errors, seconds, wrote, stopped)
        if stopped:
            return result
        self._report(result)
        for listener in self._listeners:
            try:
                listener(result)
            except Exception:
                log.exception("a build listener failed")
        pending = getattr(outcome, "pending", None)
        again = False
        if pending is not None:  # after the reload went out: the user is not kept waiting
            try:
                # When the next save already waits, its build does part of the work.
                again = pending(self._dirty.is_set()) is True
            except Exception:
                log.exception("saving the build's caches failed")
        return self.build_now(set(), restore=False) if again and restore else result

    def _report(self, result: BuildResult) -> None:
        """Tell the terminal how the build went."""
        what = "full build" if result.changed is None else f"{len(result.changed)} changed"
        if result.ok:
            log.info("built in %.0f ms (%s)", result.seconds * 1000, what)
            return
        log.error("build failed (%s), %d error(s):", what, len(result.errors))
        for problem in result.errors:
            log.error("  %s", problem)

    def start(self) -> None:
        """Start the observer and the build loop (both daemon threads)."""
        observer = PollingObserver(timeout=POLL_SECONDS) if self._poll else Observer()
        recorder = _Recorder(self._record)
        for folder, recursive in watch_targets(self.config):
            observer.schedule(recorder, str(folder), recursive=recursive)
        observer.daemon = True
        observer.start()
        self._observer = observer
        self._thread = threading.Thread(target=self._loop, name="briefing-rebuild", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 1.0) -> None:
        """Stop watching and building; returns within about `timeout` seconds (None: once
        the build under way and the work it put off are done)."""
        self._stop.set()
        self._dirty.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=1.0)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=timeout)

    def __enter__(self) -> Watcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _loop(self) -> None:
        """Wait for a burst of events to end, rebuild once, repeat until stopped."""
        uncollected = 0
        while not self._stop.is_set():
            if not self._dirty.wait(WAKE_SECONDS) or self._stop.is_set():
                continue
            while True:
                with self._lock:
                    remaining = self._last_event + self._quiet - time.monotonic()
                if remaining <= 0:
                    break
                if self._stop.wait(remaining):
                    return
            with self._lock:
                changed, self._pending = self._pending, set()
                self._dirty.clear()
                if self._interrupt is not None:
                    self._interrupt.clear()
            self.build_now(changed)
            uncollected += 1
            # Builds put off full collections (commands/build.py): after one, its result already
            # published, is their time, so a long session's memory stays flat. Not when
            # the next save already waits (a full collection walks the whole session),
            # unless COLLECT_EVERY builds went by without one.
            if not self._dirty.is_set() or uncollected >= COLLECT_EVERY:
                gc.collect()
                uncollected = 0


def watch(
    config: SiteConfig,
    build: BuildFn,
    *,
    poll: bool = False,
    interrupt: threading.Event | None = None,
) -> int:
    """`briefing watch`: build, then rebuild after every burst of changes until Ctrl-C
    (`interrupt`: see Watcher)."""
    watcher = Watcher(config, build, poll=poll, interrupt=interrupt)
    # Watch before the first build so that saves made while it runs are not missed.
    watcher.start()
    try:
        watcher.build_now(None)
        while True:
            time.sleep(3600)  # Ctrl-C interrupts the sleep at once
    except KeyboardInterrupt:
        log.info("stopped watching")
    finally:
        watcher.stop()
    return 0
