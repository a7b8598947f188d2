"""robots.txt, as RFC 9309 reads it: parsed by Protego (Scrapy's parser), kept a day.

Protego matches the way the RFC and the big crawlers do: the longest matching rule wins,
`*` and `$` wildcards, percent-encodings compared alike, the group of the most specific
user agent; the standard library's `urllib.robotparser` takes the first matching rule
and knows no wildcards. What the RFC says to do when there is no usable file is here too:
a 4xx answer allows everything, a 5xx answer or no answer at all forbids everything.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from protego import Protego

from generator.fetch.address import host_key, robots_address
from generator.fetch.response import FetchError, Response, Validators
from generator.site.incremental.cache import read_cache, write_cache

log = logging.getLogger(__name__)

AGENT = "briefing"
"""The product token a robots.txt names this tool by (`User-agent: briefing`)."""
FRESH_SECONDS = 24 * 3600
"""A kept robots.txt is used this long without asking again (RFC 9309, 2.4)."""
MAX_ROBOTS_BYTES = 512 * 1024
"""The RFC asks crawlers to read at least 500 KiB of a robots.txt."""
CACHE_NAME = "robots"


@dataclass(frozen=True)
class RobotsFile:
    """One host's robots.txt as last fetched: kept in the site's cache between runs."""

    status: int
    """The HTTP status it was answered with (200, or 404 and the like: allow all)."""
    text: str
    fetched: float
    """When it was fetched or last confirmed unchanged (seconds since the epoch)."""
    etag: str | None = None
    last_modified: str | None = None

    def fresh(self, now: float) -> bool:
        return 0 <= now - self.fetched < FRESH_SECONDS


class Rules:
    """What one host's robots.txt allows this tool."""

    def __init__(self, parsed: Protego | None, allow_all: bool, why: str = "") -> None:
        self._parsed = parsed
        self._allow_all = allow_all
        self.why = why
        """Why everything is forbidden, when no file could be had."""

    def allowed(self, url: str) -> bool:
        """True when the file lets this tool fetch `url`."""
        if self._parsed is None:
            return self._allow_all
        return bool(self._parsed.can_fetch(url, AGENT))

    def crawl_delay(self) -> float | None:
        """The file's Crawl-delay for this tool, if it gives one."""
        if self._parsed is None:
            return None
        delay = self._parsed.crawl_delay(AGENT)
        return float(delay) if delay is not None else None


ALLOW_ALL = Rules(None, allow_all=True)


def forbid_all(why: str) -> Rules:
    """No robots.txt could be had (a 5xx answer, no answer): nothing may be fetched."""
    return Rules(None, allow_all=False, why=why)


def rules_for(kept: RobotsFile) -> Rules:
    """The rules a fetched robots.txt sets: its own (200), none (4xx), or a full stop."""
    if 200 <= kept.status < 300:
        return Rules(Protego.parse(kept.text), allow_all=True)
    if 400 <= kept.status < 500:
        return ALLOW_ALL
    return forbid_all(f"robots.txt answered HTTP {kept.status}")


def decode_robots(body: bytes) -> str:
    """A robots.txt's text (UTF-8; a byte that is not is replaced, as the RFC allows)."""
    return body.decode("utf-8", errors="replace")


class RobotsStore:
    """The robots.txt files of earlier runs, in the site's cache folder (safe to delete)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        kept = read_cache(folder, CACHE_NAME) if folder is not None else None
        self.files: dict[str, RobotsFile] = dict(kept) if isinstance(kept, dict) else {}
        self.changed = False

    def get(self, host: str) -> RobotsFile | None:
        found = self.files.get(host)
        return found if isinstance(found, RobotsFile) else None

    def put(self, host: str, kept: RobotsFile) -> None:
        if self.files.get(host) != kept:
            self.files[host] = kept
            self.changed = True

    def save(self) -> None:
        """Write the files back, only when one changed this run."""
        if self.changed and self.folder is not None:
            write_cache(self.folder, CACHE_NAME, dict(self.files))
            self.changed = False


def now() -> float:
    """The time robots.txt files are stamped with."""
    return time.time()


class RobotsRules:
    """Each host's rules, fetched once per run at most (through `fetch`, which follows
    redirects and is not itself ruled by robots.txt), kept a day, then asked again
    conditionally."""

    def __init__(
        self, store: RobotsStore, fetch: Callable[[str, Validators | None], Response]
    ) -> None:
        self.store = store
        self._fetch = fetch
        self._rules: dict[str, Rules] = {}
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def known(self, host: str) -> Rules | None:
        """The host's rules if this run has them already."""
        return self._rules.get(host)

    def rules(self, url: str) -> Rules:
        """The rules of the robots.txt that rules `url`."""
        host = host_key(url)
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            if host not in self._rules:
                self._rules[host] = self._load(host, url)
            return self._rules[host]

    def _load(self, host: str, url: str) -> Rules:
        kept = self.store.get(host)
        if kept is not None and kept.fresh(now()):
            return rules_for(kept)
        try:
            fetched = self._robots_file(robots_address(url), kept)
        except FetchError as exc:
            log.info("robots.txt of %s unreachable (%s)", host, exc.reason)
            # Unreachable: the last copy if there is one, else nothing may be fetched.
            if kept is not None:
                return rules_for(kept)
            return forbid_all(
                f"robots.txt of {host} could not be had ({exc.reason}): "
                "nothing is fetched from there until it can"
            )
        self.store.put(host, fetched)
        return rules_for(fetched)

    def _robots_file(self, where: str, kept: RobotsFile | None) -> RobotsFile:
        usable = kept if kept is not None and kept.status == 200 else None
        validators = Validators(usable.etag, usable.last_modified) if usable else None
        try:
            answer = self._fetch(where, validators)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return RobotsFile(exc.status, "", now())  # no robots.txt: all allowed
            raise
        if answer.status == 304 and usable is not None:
            return RobotsFile(200, usable.text, now(), usable.etag, usable.last_modified)
        return RobotsFile(200, decode_robots(answer.body), now(), answer.etag,
                          answer.last_modified)  # fmt: skip
