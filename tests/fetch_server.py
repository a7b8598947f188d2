"""A local web site for the fetch tests: a threaded http.server on 127.0.0.1, port 0,
serving what each test routes to it and logging every request it gets; and a guard that
makes any connection to another address fail loudly."""

from __future__ import annotations

import email.utils
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Route = Callable[["Handler"], None]


@dataclass
class Seen:
    """One request the site got."""

    path: str
    headers: dict[str, str]
    start: float
    end: float = 0.0


@dataclass
class Site:
    """Routes (path -> responder) and the requests seen, in order."""

    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)
    """Body bytes each path got out before the client hung up (or all of them)."""
    busy: int = 0
    most_busy: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]


class Handler(BaseHTTPRequestHandler):
    server: Any
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        site: Site = self.server.site
        seen = Seen(self.path, dict(self.headers.items()), time.monotonic())
        with site.lock:
            site.seen.append(seen)
            site.busy += 1
            site.most_busy = max(site.most_busy, site.busy)
        try:
            route = site.routes.get(self.path)
            if route is None:
                self.send_error(404)
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            seen.end = time.monotonic()
            with site.lock:
                site.busy -= 1

    def send_body(self, body: bytes, content_type: str, headers: dict[str, str] | None = None,
                  status: int = 200) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def start_site() -> Site:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    server.site = site  # type: ignore[attr-defined]
    site.server = server
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()  # fmt: skip
    return site


def stop_site(site: Site) -> None:
    assert site.server is not None
    site.server.shutdown()
    site.server.server_close()


# Responders -----------------------------------------------------------------------------

STAMP = email.utils.formatdate(1741168800, usegmt=True)  # 2025-03-05 10:00 GMT


def resource(body: bytes, content_type: str = "text/html; charset=utf-8", *,
             etag: str | None = '"v1"', last_modified: str | None = STAMP) -> Route:  # fmt: skip
    """A body with validators, answering 304 to a request that names them."""

    def respond(h: Handler) -> None:
        if etag and h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        if not etag and last_modified and h.headers.get("If-Modified-Since") == last_modified:
            h.send_response(304)
            h.end_headers()
            return
        headers = {"ETag": etag} if etag else {}
        if last_modified:
            headers["Last-Modified"] = last_modified
        h.send_body(body, content_type, headers)

    return respond


def redirect(location: str, status: int = 302) -> Route:
    def respond(h: Handler) -> None:
        h.send_response(status)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return respond


def status(code: int) -> Route:
    def respond(h: Handler) -> None:
        h.send_body(b"no", "text/plain", status=code)

    return respond


def slow_headers(seconds: float) -> Route:
    """Says nothing for `seconds`, then answers."""

    def respond(h: Handler) -> None:
        time.sleep(seconds)
        h.send_body(b"<html><title>late</title></html>", "text/html")

    return respond


def drip(seconds: float, every: float = 0.05) -> Route:
    """Answers at once, then sends its body a byte at a time for `seconds`."""

    def respond(h: Handler) -> None:
        count = int(seconds / every)
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(count))
        h.end_headers()
        for _ in range(count):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(every)

    return respond


def big(size: int, announce: bool) -> Route:
    """A `size`-byte HTML body, with or without a Content-Length; counts what got out."""

    def respond(h: Handler) -> None:
        site: Site = h.server.site
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        if announce:
            h.send_header("Content-Length", str(size))
        else:
            h.send_header("Connection", "close")
            h.close_connection = True
        h.end_headers()
        chunk = b"<p>" + b"x" * 65_529 + b"</p>"
        sent = 0
        try:
            while sent < size:
                h.wfile.write(chunk)
                sent += len(chunk)
        finally:
            site.sent[h.path] = sent

    return respond


# The guard ------------------------------------------------------------------------------


def guard_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """For a fixture: any look-up or connection to an address but 127.0.0.1 raises and is
    listed; the test fails if one was tried (unless it empties the list)."""
    tried: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", b"127.0.0.1"):
            tried.append(str(host))
            raise socket.gaierror(f"test guard: no look-ups but 127.0.0.1 (asked {host!r})")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] != "127.0.0.1":
            tried.append(str(address))
            raise OSError(f"test guard: no connections but to 127.0.0.1 (asked {address!r})")
        real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield tried
    assert not tried, f"traffic to other addresses was tried: {tried}"
