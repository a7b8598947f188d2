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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import HTTPError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from generator import __version__
from generator.fetch.address import AddressError, check_address, host_key
from generator.fetch.response import FetchError, Response, Validators
from generator.fetch.robots import MAX_ROBOTS_BYTES, RobotsRules, RobotsStore
from generator.fetch.settings import MAX_CRAWL_DELAY, FetchSettings

log = logging.getLogger(__name__)

REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)


def user_agent(contact: str = "") -> str:
    """The one User-Agent every request carries: the tool, its version, and a contact."""
    return f"briefing/{__version__}" + (f" (+{contact})" if contact else "")


class HostTurns:
    """At most one request per host at a time, each starting a delay after the last ended."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._ended: dict[str, float] = {}

    @contextmanager
    def turn(self, host: str, delay: Callable[[], float]) -> Iterator[None]:
        """Wait for the host's turn and its delay (asked now: robots.txt, read in the
        last turn, may have set it), and hold the turn while the body is read."""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            ended = self._ended.get(host)
            if ended is not None:
                wait = ended + delay() - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            try:
                yield
            finally:
                self._ended[host] = time.monotonic()


class Client:
    """Fetches addresses politely; share one across threads for a whole run."""

    def __init__(self, settings: FetchSettings, robots: RobotsStore) -> None:
        self.settings = settings
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
        # robots.txt is fetched through this client, by the same rules but its own.
        self.robots = RobotsRules(robots, self._robots_txt)

    def close(self) -> None:
        """Drop the connections; keep the robots.txt files learnt for the next run."""
        self._pool.clear()
        self.robots.store.save()

    def _robots_txt(self, where: str, validators: Validators | None) -> Response:
        return self.get(where, validators, robots=False, limit=MAX_ROBOTS_BYTES)

    def get(
        self,
        url: str,
        validators: Validators | None = None,
        *,
        robots: bool = True,
        limit: int | None = None,
    ) -> Response:
        """GET `url` as the site's robots.txt allows (unless `robots` is false), following
        redirects (each checked); conditional when `validators` are given; a body of at
        most `limit` bytes (default: the settings' cap)."""
        current = url
        seen: set[str] = set()
        for hop in range(self.settings.max_redirects + 1):
            try:
                current = check_address(current)
            except AddressError as exc:
                where = f"redirected to {current[:200]}: " if hop else ""
                raise FetchError(url, f"{where}{exc}") from None
            if current in seen:
                raise FetchError(url, f"redirect loop (back to {current})")
            seen.add(current)
            rules = self.robots.rules(current) if robots else None
            if rules is not None and not rules.allowed(current):
                hop_to = f"redirected to {current}, which " if hop else ""
                raise FetchError(url, rules.why or f"{hop_to}robots.txt forbids fetching")
            # On every hop: a source that redirects asks conditionally too.
            extra = validators.headers() if validators else {}
            answer = self._exchange(url, current, extra, limit or self.settings.max_bytes)
            if isinstance(answer, Response):
                return answer
            current = answer
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    def _delay(self, host: str) -> float:
        rules = self.robots.known(host)
        crawl = rules.crawl_delay() if rules is not None else None
        return max(self.settings.delay, min(crawl or 0.0, MAX_CRAWL_DELAY))

    def _exchange(
        self, asked: str, current: str, extra: dict[str, str], limit: int
    ) -> Response | str:
        """One request in the host's turn: the response, or the next hop's address."""
        host = host_key(current)
        with self.turns.turn(host, lambda: self._delay(host)):
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
