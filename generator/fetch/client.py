"""The polite HTTP client: urllib3 under one User-Agent, one request per host at a time
with a delay, robots.txt on every hop, redirects checked and bounded, time and size caps.

urllib3 (the library under requests and pip, already installed for trafilatura) keeps a
connection pool per host and lets each read be bounded (`read1`), which is what a total
deadline per request needs; redirects are followed here, hop by hop, so each one is
checked (http or https, robots.txt of its own host) before it is requested.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import HTTPError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from generator import __version__
from generator.fetch.address import AddressError, check_address, host_key, robots_address
from generator.fetch.robots import (
    FORBID_ALL,
    MAX_ROBOTS_BYTES,
    RobotsFile,
    RobotsStore,
    Rules,
    decode_robots,
    now,
    rules_for,
)
from generator.fetch.settings import MAX_CRAWL_DELAY, FetchSettings

log = logging.getLogger(__name__)

REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)


class FetchError(Exception):
    """One address could not be fetched; the message says why, for the user."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        """The HTTP status that made the fetch fail, if one did."""


@dataclass(frozen=True)
class Validators:
    """What the last response said to send for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {"If-None-Match": self.etag} if self.etag else {}
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class Response:
    """One fetched address: 200 with a body, or 304 (unchanged) without."""

    url: str
    """The address asked for."""
    final_url: str
    """The address that answered, after redirects."""
    status: int
    content_type: str | None
    body: bytes
    etag: str | None
    last_modified: str | None
    fetched_at: str
    """ISO 8601, UTC, to the second."""


def user_agent(contact: str = "") -> str:
    """The one User-Agent every request carries: the tool, its version, and a contact."""
    return f"briefing/{__version__}" + (f" (+{contact})" if contact else "")


class HostTurns:
    """At most one request per host at a time, `delay` seconds apart."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._next: dict[str, float] = {}

    @contextmanager
    def turn(self, host: str, delay: float) -> Iterator[None]:
        """Wait for the host's turn, hold it while the body is read, then space the next."""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._next.get(host, 0.0) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._next[host] = time.monotonic() + delay


class Client:
    """Fetches addresses politely; share one across threads for a whole run."""

    def __init__(self, settings: FetchSettings, robots: RobotsStore) -> None:
        self.settings = settings
        self.store = robots
        self.turns = HostTurns()
        self.agent = user_agent(settings.contact)
        self._pool = urllib3.PoolManager(
            num_pools=32,
            headers={"User-Agent": self.agent, "Accept": ACCEPT, "Accept-Encoding": "gzip"},
            retries=False,
            timeout=urllib3.Timeout(
                connect=settings.timeout, read=min(settings.timeout, settings.deadline)
            ),
        )
        self._rules: dict[str, Rules] = {}
        self._rules_guard = threading.Lock()
        self._rules_locks: dict[str, threading.Lock] = {}

    def close(self) -> None:
        """Drop the connections; keep the robots.txt files learnt for the next run."""
        self._pool.clear()
        self.store.save()

    def get(self, url: str, validators: Validators | None = None) -> Response:
        """GET `url` as the site's robots.txt allows, following redirects (each checked);
        conditional when `validators` are given."""
        current = url
        seen: set[str] = set()
        for _ in range(self.settings.max_redirects + 1):
            try:
                current = check_address(current)
            except AddressError as exc:
                raise FetchError(url, f"redirected to {current[:200]}: {exc}") from None
            if current in seen:
                raise FetchError(url, f"redirect loop (back to {current})")
            seen.add(current)
            if not self.rules(current).allowed(current):
                raise FetchError(url, f"robots.txt forbids fetching {current}")
            # On every hop: a source that redirects asks conditionally too.
            extra = validators.headers() if validators else {}
            answer = self._exchange(url, current, extra, self.settings.max_bytes)
            if isinstance(answer, Response):
                return answer
            current = answer
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    def _delay(self, host: str) -> float:
        rules = self._rules.get(host)
        crawl = rules.crawl_delay() if rules is not None else None
        return max(self.settings.delay, min(crawl or 0.0, MAX_CRAWL_DELAY))

    def _exchange(
        self, asked: str, current: str, extra: dict[str, str], limit: int
    ) -> Response | str:
        """One request in the host's turn: the response, or the next hop's address."""
        host = host_key(current)
        with self.turns.turn(host, self._delay(host)):
            deadline = time.monotonic() + self.settings.deadline
            try:
                resp = self._pool.request(
                    "GET", current, headers={**self._pool.headers, **extra},
                    redirect=False, preload_content=False,
                )  # fmt: skip
            except (Urllib3Timeout, TimeoutError):
                raise FetchError(asked, _no_answer(self.settings)) from None
            except (HTTPError, OSError) as exc:
                raise FetchError(asked, f"cannot connect: {_reason(exc)}") from None
            try:
                return self._answer(asked, current, resp, extra, limit, deadline)
            finally:
                resp.close()
                resp.release_conn()

    def _answer(
        self,
        asked: str,
        current: str,
        resp: urllib3.BaseHTTPResponse,
        extra: dict[str, str],
        limit: int,
        deadline: float,
    ) -> Response | str:
        """What one response means: a body, unchanged, the next hop, or a FetchError."""
        status = resp.status
        if status in REDIRECTS:
            location = resp.headers.get("Location")
            if not location:
                raise FetchError(asked, f"HTTP {status} redirect without a Location")
            return urljoin(current, location.strip())
        if status == 304 and not extra:
            raise FetchError(asked, "HTTP 304 to a request that was not conditional")
        if status not in (200, 203, 304):
            reason = f" {resp.reason}" if resp.reason else ""
            raise FetchError(asked, f"HTTP {status}{reason}", status)
        body = b"" if status == 304 else _read_body(asked, resp, limit, deadline, self.settings)
        return Response(
            url=asked,
            final_url=current,
            status=status,
            content_type=resp.headers.get("Content-Type"),
            body=body,
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
            fetched_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    def rules(self, url: str) -> Rules:
        """The rules of the robots.txt for `url`'s host: kept a day, then asked again
        (conditionally); fetched once per host per run at most."""
        host = host_key(url)
        with self._rules_guard:
            lock = self._rules_locks.setdefault(host, threading.Lock())
        with lock:
            if host not in self._rules:
                self._rules[host] = self._load_rules(host, url)
            return self._rules[host]

    def _load_rules(self, host: str, url: str) -> Rules:
        kept = self.store.get(host)
        if kept is not None and kept.fresh(now()):
            return rules_for(kept)
        where = robots_address(url)
        usable = kept is not None and kept.status == 200
        validators = Validators(kept.etag, kept.last_modified) if kept and usable else None
        try:
            fetched = self._robots_file(where, validators, kept)
        except FetchError as exc:
            log.info("robots.txt of %s unreachable (%s)", host, exc.reason)
            # Unreachable: the last copy if there is one, else nothing may be fetched.
            return rules_for(kept) if kept is not None else FORBID_ALL
        self.store.put(host, fetched)
        return rules_for(fetched)

    def _robots_file(
        self, where: str, validators: Validators | None, kept: RobotsFile | None
    ) -> RobotsFile:
        """Fetch robots.txt (redirects followed, not themselves ruled by robots.txt)."""
        current = where
        for _ in range(self.settings.max_redirects + 1):
            try:
                current = check_address(current)
            except AddressError as exc:
                raise FetchError(where, str(exc)) from None
            extra = validators.headers() if validators else {}
            try:
                answer = self._exchange(where, current, extra, MAX_ROBOTS_BYTES)
            except FetchError as exc:
                if exc.status is not None and 400 <= exc.status < 500:
                    return RobotsFile(exc.status, "", now())  # no robots.txt: all allowed
                raise
            if isinstance(answer, str):
                current = answer
                continue
            if answer.status == 304 and kept is not None:
                return RobotsFile(200, kept.text, now(), kept.etag, kept.last_modified)
            return RobotsFile(200, decode_robots(answer.body), now(), answer.etag,
                              answer.last_modified)  # fmt: skip
        raise FetchError(where, "too many redirects")


def _read_body(
    asked: str,
    resp: urllib3.BaseHTTPResponse,
    limit: int,
    deadline: float,
    settings: FetchSettings,
) -> bytes:
    """The body, read a bounded piece at a time: refused past `limit` bytes (before
    reading, when Content-Length says so) and past the deadline (a slow drip)."""
    declared = resp.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise FetchError(asked, f"larger than {_mb(limit)} ({_mb(int(declared))} announced)")
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise FetchError(asked, f"took longer than {settings.deadline:g} s")
            chunk = resp.read1(CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:
                raise FetchError(asked, f"larger than {_mb(limit)}; stopped reading")
            chunks.append(chunk)
    except (Urllib3Timeout, TimeoutError):
        raise FetchError(asked, _no_answer(settings)) from None
    except (HTTPError, OSError) as exc:
        raise FetchError(asked, f"connection broke: {_reason(exc)}") from None


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def _no_answer(settings: FetchSettings) -> str:
    return f"no answer within {settings.timeout:g} s"


def _reason(exc: BaseException) -> str:
    """A urllib3 or socket error, shortly, without urllib3's `<... object at 0x...>: `."""
    text = str(exc)
    if text.startswith("<") and ">: " in text:
        text = text.split(">: ", 1)[1]
    return text[:200]
