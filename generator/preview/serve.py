"""Dev server: serves only the output folder and pushes finished rebuilds to open pages."""

from __future__ import annotations

import logging
import mimetypes
import os
import re
import shutil
import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, unquote, urlsplit

from generator.config import SiteConfig
from generator.errors import ConfigError
from generator.preview.hosts import host_allowed
from generator.preview.livereload import (
    EVENTS_PATH,
    SCRIPT_PATH,
    ReloadHub,
    inject,
    livereload_script,
)
from generator.preview.watch import BuildFn, Watcher

log = logging.getLogger(__name__)

IDLE_SECONDS = 10.0
"""A connection that sends nothing (or takes no data) for this long is closed: half-open and
idle connections would otherwise hold a thread each for ever."""
QUEUE = 128
"""Connections waiting to be accepted (the standard library's 5 made a burst of page loads
wait a second for the kernel's retry, and a burst of 100 time out)."""
WAKE_SECONDS = 0.25
"""Event streams wake this often to notice shutdown."""
KEEPALIVE_SECONDS = 10.0
"""An idle event stream sends a comment this often, to notice clients that left."""
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
}
"""Explicit types: the platform's mimetypes tables differ and miss some of these."""
NOT_FOUND = b"<!doctype html><head><title>Not found</title></head><h1>Not found</h1></body>"
"""The 404 page when the site has none (yet)."""
HEAD = re.compile(rb"<head(\s[^>]*)?>", re.IGNORECASE)


def content_type(path: Path) -> str:
    """The Content-Type header for a file, by its extension."""
    suffix = path.suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


@dataclass(frozen=True)
class Resolved:
    """Where a request target leads inside the output folder."""

    file: Path | None = None
    """The file to send; None means 404 (or see the other fields)."""
    redirect: str | None = None
    """A folder asked without its trailing slash: where to send the browser."""
    bad: bool = False
    """A malformed or hostile target: answer 400."""


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def resolve_target(output: Path, target: str) -> Resolved:
    """The file a request target names inside `output`, never anything outside it."""
    raw = urlsplit(target).path if target.startswith(("http://", "https://")) else target
    raw = raw.split("?", 1)[0].split("#", 1)[0]
    if not raw.startswith("/") or "\\" in raw:
        return Resolved(bad=True)
    text = unquote(raw)
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if "\x00" in text or "\\" in text or ".." in parts:
        return Resolved(bad=True)
    root = os.path.realpath(output)
    # realpath follows symlinks: a link pointing outside the output folder ends up outside.
    found = os.path.realpath(os.path.join(root, *parts))
    if not _inside(found, root):
        return Resolved()
    if os.path.isdir(found):
        if not text.endswith("/"):
            return Resolved(redirect="/" + "/".join(quote(p) for p in parts) + "/")
        found = os.path.realpath(os.path.join(found, "index.html"))
        if not _inside(found, root):
            return Resolved()
    return Resolved(file=Path(found)) if os.path.isfile(found) else Resolved()


class _HTTPServer(ThreadingHTTPServer):
    """The listening server: knows the output folder, the hub and whether it is stopping."""

    daemon_threads = True
    request_queue_size = QUEUE

    def __init__(self, host: str, port: int, output: Path, hub: ReloadHub) -> None:
        self.output = output
        self.hub = hub
        self.host = host
        self.stopping = threading.Event()
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser closing a connection is normal; anything else is logged."""
        log.debug("request from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    """Answers one request: a file of the output folder, the reload script or event stream."""

    server_version = "briefing"
    timeout = IDLE_SECONDS

    def log_message(self, format: str, *args: Any) -> None:
        """Requests go to the debug log, not to stderr."""
        log.debug("%s " + format, self.address_string(), *args)

    @property
    def _srv(self) -> _HTTPServer:
        return cast(_HTTPServer, self.server)

    def do_GET(self) -> None:
        """Send a page, a file, the reload script or the event stream."""
        self._respond(body=True)

    def do_HEAD(self) -> None:
        """Like GET, headers only."""
        self._respond(body=False)

    def _respond(self, body: bool) -> None:
        if not host_allowed(self.headers.get("Host"), self._srv.host):
            return self._send(
                403, TYPES[".txt"], b"Host not allowed (see briefing serve --host)\n", body
            )
        path = self.path.split("?", 1)[0]
        if path == EVENTS_PATH and body:
            return self._events()
        if path == SCRIPT_PATH:
            return self._send(200, TYPES[".js"], livereload_script(), body)
        found = resolve_target(self._srv.output, self.path)
        if found.bad:
            return self._send(400, TYPES[".txt"], b"Bad request\n", body)
        if found.redirect is not None:
            self.send_response(301)
            self.send_header("Location", found.redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if found.file is None or not self._send_file(found.file, 200, body):
            self._not_found(body)
        return None

    def _not_found(self, body: bool) -> None:
        page = resolve_target(self._srv.output, "/404.html").file
        try:
            html = NOT_FOUND if page is None else page.read_bytes()
        except OSError:
            html = NOT_FOUND
        # 404.html's relative links are written for the output root, not the asked folder.
        html = HEAD.sub(lambda m: m.group(0) + b'<base href="/">', html, count=1)
        self._send(404, TYPES[".html"], self._with_script(html), body)

    def _with_script(self, html: bytes) -> bytes:
        return inject(html, self._srv.hub.current(), self._srv.hub.server_id)

    def _send_file(self, path: Path, status: int, body: bool) -> bool:
        """Send a file (HTML with the reload script); False when it vanished meanwhile."""
        kind = content_type(path)
        try:
            with path.open("rb") as handle:
                if kind.startswith("text/html"):
                    self._send(status, kind, self._with_script(handle.read()), body)
                    return True
                self._headers(status, kind, os.fstat(handle.fileno()).st_size)
                if body:
                    shutil.copyfileobj(handle, self.wfile)
        except (FileNotFoundError, IsADirectoryError):
            return False  # a rebuild removed it between resolving and opening
        return True

    def _headers(self, status: int, kind: str, length: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(length))
        self.send_header("X-Content-Type-Options", "nosniff")
        # HTML must never be cached: it changes at every rebuild; other files revalidate.
        no_cache = kind.startswith("text/html") or kind.startswith("text/javascript")
        self.send_header("Cache-Control", "no-store" if no_cache else "no-cache")
        self.end_headers()

    def _send(self, status: int, kind: str, data: bytes, body: bool) -> None:
        self._headers(status, kind, len(data))
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """Stream the build state: now, then after every finished build, until shutdown."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        hub, stopping = self._srv.hub, self._srv.stopping
        seen, last_write = -1, time.monotonic()
        try:
            self.wfile.write(b"retry: 500\n\n")
            while not stopping.is_set():
                state = hub.wait_newer(seen, WAKE_SECONDS)
                if state.epoch != seen:
                    seen = state.epoch
                    self.wfile.write(hub.message(state))
                elif time.monotonic() - last_write > KEEPALIVE_SECONDS:
                    self.wfile.write(b": keepalive\n\n")
                else:
                    continue
                self.wfile.flush()
                last_write = time.monotonic()
        except OSError:
            pass  # the page went away, or stopped reading for IDLE_SECONDS


class DevServer:
    """The dev HTTP server on its own threads: start(), url, stop()."""

    def __init__(
        self,
        output: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        hub: ReloadHub | None = None,
    ) -> None:
        self.hub = hub or ReloadHub()
        self._httpd = _HTTPServer(host, port, output, self.hub)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The address it listens on, as `http://127.0.0.1:PORT/`."""
        host, port = self._httpd.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def start(self) -> None:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and end the event streams; returns within about a second."""
        self._httpd.stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=1.0)
        self._httpd.server_close()

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(
    config: SiteConfig,
    build: BuildFn,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = True,
    poll: bool = False,
    on_ready: Callable[[str], None] | None = None,
    interrupt: threading.Event | None = None,
) -> int:
    """`briefing serve`: listen, build, rebuild on change and push reloads until Ctrl-C."""
    hub = ReloadHub(config.root)
    try:
        server = DevServer(config.output_path, host=host, port=port, hub=hub)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    watcher = Watcher(config, build, poll=poll, listeners=[hub.publish], interrupt=interrupt)
    server.start()
    try:
        # The address is known at once; pages asked before the first build ends reload after it.
        if on_ready is not None:
            on_ready(server.url)
        watcher.start()
        watcher.build_now(None)
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
        while True:
            time.sleep(3600)  # Ctrl-C interrupts the sleep at once
    except KeyboardInterrupt:
        log.info("stopping the server")
    finally:
        watcher.stop()
        server.stop()
    return 0
