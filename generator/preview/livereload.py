"""Live reload: the script served to pages, and the hub that tells them a build finished."""

from __future__ import annotations

import functools
import json
import os
import secrets
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from generator.preview.watch import BuildResult, Problem

EVENTS_PATH = "/__livereload"
SCRIPT_PATH = "/__livereload.js"


@functools.cache
def livereload_script() -> bytes:
    """The live-reload script shipped with the package."""
    return (Path(__file__).parent / "livereload.js").read_bytes()


@dataclass(frozen=True)
class ReloadState:
    """What open pages must know: the last build, the last one needing a reload, its errors."""

    epoch: int
    reload_epoch: int
    """The last good build that needs a full page reload (not a stylesheet swap)."""
    errors: tuple[Problem, ...]


def shown_to_pages(problem: Problem, root: Path | None) -> Problem:
    """A build error as open pages see it: its path relative to the site root (a file
    elsewhere by its name alone), and the root's own path taken out of its message, so that
    a page learns nothing of the machine's folders."""
    if root is None:
        return problem
    prefix = f"{root}{os.sep}"
    path = problem.path
    if path is not None:
        full = os.path.join(root, path)  # a relative path is relative to the root
        path = full[len(prefix) :] if full.startswith(prefix) else os.path.basename(path)
    return Problem(problem.message.replace(prefix, ""), path, problem.line)


class ReloadHub:
    """Holds the state of the last finished build and wakes the event streams waiting on it.

    With the site `root`, error paths are told to pages relative to it (shown_to_pages)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root.resolve() if root is not None else None
        self.server_id = secrets.token_hex(8)
        self._cond = threading.Condition()
        self._state = ReloadState(0, 0, ())

    def publish(self, result: BuildResult) -> None:
        """Announce a finished build (called by the watcher only once the build is complete).

        A good build that changed nothing in the output (a save without changes, the
        briefing a raw article's ingest wrote) is not announced: open pages stay as they are.
        """
        with self._cond:
            old = self._state
            if result.ok and not result.wrote and not old.errors:
                return
            # After a failed build the page may hold an overlay: a full reload clears all of it.
            full = not result.css_only or bool(old.errors)
            reload_epoch = result.epoch if result.ok and full else old.reload_epoch
            errors = tuple(shown_to_pages(e, self.root) for e in result.errors)
            self._state = ReloadState(result.epoch, reload_epoch, errors)
            self._cond.notify_all()

    def current(self) -> ReloadState:
        """The state now."""
        with self._cond:
            return self._state

    def wait_newer(self, epoch: int, timeout: float) -> ReloadState:
        """The state once its epoch differs from `epoch`, or after `timeout` seconds."""
        with self._cond:
            self._cond.wait_for(lambda: self._state.epoch != epoch, timeout)
            return self._state

    def message(self, state: ReloadState) -> bytes:
        """One server-sent event carrying the state as JSON (escaped by the page, not here)."""
        data: dict[str, Any] = asdict(state)
        data["server"] = self.server_id
        return b"data: " + json.dumps(data).encode() + b"\n\n"


def inject(html: bytes, state: ReloadState, server_id: str) -> bytes:
    """The page with the live-reload script tag before its last </body> (or at the end)."""
    tag = (
        f'<script src="{SCRIPT_PATH}" data-epoch="{state.epoch}" '
        f'data-server="{server_id}"></script>'
    ).encode()
    at = html.lower().rfind(b"</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]
