"""Dev server: only the output folder is served, pages get live reload, rebuilds are pushed."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.config import SiteConfig
from generator.errors import InputError
from generator.preview.changes import ChangeKind
from generator.preview.livereload import ReloadHub
from generator.preview.serve import DevServer
from generator.preview.watch import BuildResult, Problem, Watcher

SECRET = "TOP-SECRET-OUTSIDE-THE-OUTPUT"
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Response:
    """A raw HTTP response."""

    status: int
    headers: dict[str, str]
    body: bytes


def request(port: int, target: str, method: str = "GET") -> Response:
    """Send one request line as is (no client-side normalization) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(f"{method} {target} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return Response(int(lines[0].split()[1]), headers, body)


class EventStream:
    """A client of the server-sent event stream, reading one event at a time."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=2)
        self.sock.sendall(b"GET /__livereload HTTP/1.0\r\nHost: localhost\r\n\r\n")
        self.buffer = b""

    def next(self) -> dict[str, Any]:
        """The next data event, skipping comments and retry hints."""
        while True:
            while b"\n\n" not in self.buffer:
                chunk = self.sock.recv(4096)
                assert chunk, "stream closed"
                self.buffer += chunk
            event, _, self.buffer = self.buffer.partition(b"\n\n")
            for line in event.decode().splitlines():
                if line.startswith("data: "):
                    result: dict[str, Any] = json.loads(line[6:])
                    return result

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def output(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    (out / "briefings" / "a").mkdir(parents=True)
    (out / "empty").mkdir()
    (out / "index.html").write_text("<html><body><h1>Home</h1></body></html>")
    (out / "briefings" / "a" / "index.html").write_text("<html><BODY>A</BODY></html>")
    (out / "404.html").write_text(
        '<html><head><link rel="stylesheet" href="style.css"></head><body>Custom not found</body>'
    )
    for name in ("style.css", "feed.xml", "feed.json", "app.js", "logo.svg", "site.webmanifest"):
        (out / name).write_text("x")
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text(SECRET)
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (out / "leakdir").symlink_to(tmp_path / "outside")
    return out


@pytest.fixture
def server(output: Path) -> Iterator[DevServer]:
    with DevServer(output, port=0) as dev:
        yield dev


def port_of(dev: DevServer) -> int:
    port = urlsplit(dev.url).port
    assert port is not None
    return port


def test_url_is_loopback_with_the_picked_port(server: DevServer) -> None:
    assert server.url == f"http://127.0.0.1:{port_of(server)}/"
    assert port_of(server) != 0


TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/.%2e/secret.txt",
    "\\..\\secret.txt",
    "/..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/briefings/../../secret.txt",
    "/leak.txt",
    "/leakdir/",
    "/leakdir/index.html",
    "/secret.txt%00.html",
    "secret.txt",
    "http://localhost/../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_gets_nothing_from_outside(server: DevServer, target: str) -> None:
    answer = request(port_of(server), target)
    assert SECRET.encode() not in answer.body
    assert answer.status in (400, 404)


def test_absolute_paths_stay_inside(server: DevServer, tmp_path: Path) -> None:
    for target in (str(tmp_path / "secret.txt"), "/" + str(tmp_path / "secret.txt")):
        answer = request(port_of(server), target)
        assert answer.status == 404 and SECRET.encode() not in answer.body


def test_missing_path_gets_the_site_404_page(server: DevServer) -> None:
    answer = request(port_of(server), "/no/such/page/")
    assert answer.status == 404
    assert b"Custom not found" in answer.body
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    # Its relative links must resolve from the site root, whatever folder was asked.
    assert b'<head><base href="/"><link rel="stylesheet" href="style.css">' in answer.body


def test_folders_serve_their_index_and_are_never_listed(server: DevServer) -> None:
    port = port_of(server)
    moved = request(port, "/briefings/a")
    assert moved.status == 301 and moved.headers["location"] == "/briefings/a/"
    assert request(port, "/briefings/a/").body.startswith(b"<html><BODY>A")
    listing = request(port, "/empty/")
    assert listing.status == 404 and b"Custom not found" in listing.body
    assert request(port, "/briefings/").status == 404
    assert request(port, "//evil.example").status == 404  # no open redirect


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("style.css", "text/css; charset=utf-8"),
        ("feed.xml", "application/xml; charset=utf-8"),
        ("feed.json", "application/json"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("logo.svg", "image/svg+xml"),
        ("site.webmanifest", "application/manifest+json"),
    ],
)
def test_content_types(server: DevServer, name: str, kind: str) -> None:
    answer = request(port_of(server), "/" + name)
    assert answer.status == 200 and answer.headers["content-type"] == kind
    assert answer.body == b"x"


def test_html_is_not_cached_and_gets_the_script_only_as_served(
    server: DevServer, output: Path
) -> None:
    answer = request(port_of(server), "/briefings/a/?x=1")
    assert answer.headers["cache-control"] == "no-store"
    assert answer.body.startswith(b'<html><BODY>A<script src="/__livereload.js"')
    assert answer.body.endswith(b"</script></BODY></html>")
    assert int(answer.headers["content-length"]) == len(answer.body)
    assert (output / "briefings/a/index.html").read_text() == "<html><BODY>A</BODY></html>"
    assert request(port_of(server), "/style.css").headers["cache-control"] != "no-store"
    script = request(port_of(server), "/__livereload.js")
    assert script.status == 200 and b"EventSource" in script.body


def test_head_sends_headers_only(server: DevServer) -> None:
    answer = request(port_of(server), "/feed.json", method="HEAD")
    assert answer.status == 200 and answer.body == b""
    assert answer.headers["content-length"] == "1"


@dataclass(frozen=True)
class Outcome:
    """What the fake build returns."""

    errors: tuple[InputError, ...] = ()


def test_events_announce_a_finished_rebuild_and_its_errors(tmp_path: Path) -> None:
    (tmp_path / "content/briefings").mkdir(parents=True)
    config = SiteConfig(root=tmp_path)
    broken: list[bool] = [False]

    def build(changed: set[Path] | None) -> Outcome:
        if broken[0]:
            return Outcome((InputError("not valid YAML: <b>bad</b>", "content/briefings/a.md", 2),))
        config.output_path.mkdir(exist_ok=True)
        (config.output_path / "index.html").write_text("<body>new</body>")
        return Outcome()

    with DevServer(config.output_path, port=0) as dev:
        watcher = Watcher(config, build, listeners=[dev.hub.publish])
        with watcher:
            stream = EventStream(port_of(dev))
            try:
                first = stream.next()
                assert (first["epoch"], first["errors"]) == (0, [])
                (config.briefings_path / "a.md").write_text("edited\n")
                done = stream.next()
                # The announcement comes only once the build has written its files.
                assert (done["epoch"], done["reload_epoch"], done["errors"]) == (1, 1, [])
                assert (config.output_path / "index.html").is_file()
                broken[0] = True
                (config.briefings_path / "a.md").write_text("broken\n")
                failed = stream.next()
                assert failed["epoch"] == 2 and failed["reload_epoch"] == 1
                assert failed["errors"] == [
                    {
                        "message": "not valid YAML: <b>bad</b>",
                        "path": "content/briefings/a.md",
                        "line": 2,
                    }
                ]
                # The last good files are still served, with the overlay's state in the page.
                page = request(port_of(dev), "/")
                assert page.status == 200 and b"new" in page.body
                assert b'data-epoch="2"' in page.body
                broken[0] = False
                (config.briefings_path / "a.md").write_text("fixed\n")
                fixed = stream.next()
                assert (fixed["epoch"], fixed["reload_epoch"], fixed["errors"]) == (3, 3, [])
            finally:
                stream.close()


def result(epoch: int, *paths: str, errors: tuple[Problem, ...] = ()) -> BuildResult:
    changed = frozenset(Path(p) for p in paths)
    kinds = frozenset(
        ChangeKind.STATIC if p.endswith(".css") else ChangeKind.BRIEFING for p in paths
    )
    return BuildResult(epoch, changed, kinds, errors, 0.01)


def test_stylesheet_only_change_swaps_instead_of_reloading() -> None:
    hub = ReloadHub()
    hub.publish(result(1, "content/briefings/a.md"))
    hub.publish(result(2, "themes/static/style.css"))
    assert (hub.current().epoch, hub.current().reload_epoch) == (2, 1)
    hub.publish(result(3, "x.md", errors=(Problem("bad"),)))
    hub.publish(result(4, "themes/static/style.css"))
    # After an error even a stylesheet fix reloads, which clears the overlay everywhere.
    assert (hub.current().epoch, hub.current().reload_epoch) == (4, 4)


def test_a_build_that_changed_no_output_tells_open_pages_nothing() -> None:
    """A save without changes (or the briefing a raw article's ingest wrote) rebuilds to
    the same output: no reload, no stylesheet swap; after a failure it still clears the
    overlay."""
    hub = ReloadHub()
    hub.publish(result(1, "content/briefings/a.md"))
    hub.publish(replace(result(2, "content/briefings/a.md"), wrote=False))
    assert (hub.current().epoch, hub.current().reload_epoch) == (1, 1)
    hub.publish(result(3, "x.md", errors=(Problem("bad"),)))
    hub.publish(replace(result(4, "x.md"), wrote=False))
    assert (hub.current().epoch, hub.current().reload_epoch, hub.current().errors) == (4, 4, ())


def test_stop_is_quick_with_open_event_streams(output: Path) -> None:
    dev = DevServer(output, port=0)
    dev.start()
    streams = [EventStream(port_of(dev)) for _ in range(3)]
    for stream in streams:
        stream.next()
    start = time.monotonic()
    dev.stop()
    assert time.monotonic() - start < 1.0
    for stream in streams:
        stream.close()


SERVE_SCRIPT = """
import sys
from dataclasses import dataclass
from pathlib import Path
from generator.config import SiteConfig
from generator.preview.serve import serve

@dataclass(frozen=True)
class Outcome:
    errors: tuple = ()

config = SiteConfig(root=Path(sys.argv[1]))
def build(changed):
    config.output_path.mkdir(exist_ok=True)
    (config.output_path / "index.html").write_text("<body>built</body>")
    return Outcome()

sys.exit(serve(config, build, port=0, open_browser=False,
               on_ready=lambda url: print(url, flush=True)))
"""


def test_serve_prints_url_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE_SCRIPT, str(tmp_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env=python_env(),
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        port = urlsplit(url).port
        assert port is not None
        deadline = time.monotonic() + 1.5
        while b"built" not in (page := request(port, "/")).body and time.monotonic() < deadline:
            time.sleep(0.02)
        assert page.status == 200 and b"built" in page.body
        stream = EventStream(port)
        stream.next()
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=2) == 0
        assert time.monotonic() - start < 1.0
        stream.close()
    finally:
        proc.kill()
        proc.wait()


def test_briefing_serve_end_to_end(tmp_path: Path) -> None:
    """`briefing serve --port 0`: prints the URL, serves edits, refuses traversal, stops on ^C."""
    if importlib.util.find_spec("generator.commands.preview") is None:
        pytest.skip("the CLI's generator.commands.preview wiring has not landed yet")
    site = tmp_path / "site-root"
    shutil.copytree(REPO / "tests" / "fixtures" / "site", site)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(site),
            "serve",
            "--port",
            "0",
            "--no-browser",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=python_env(),
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if found := re.search(r"http://127\.0\.0\.1:(\d+)/", line):
                break
        else:
            pytest.fail("no URL printed")
        port = int(found.group(1))
        page = "/briefings/storm-closes-harbour/"
        assert wait_until(lambda: request(port, page).status == 200)
        briefing = site / "content" / "briefings" / "storm-closes-harbour.md"
        text = briefing.read_text(encoding="utf-8")
        briefing.write_text(text.replace("title: Storm", "title: Gale", 1), encoding="utf-8")
        assert wait_until(lambda: b"Gale closes Valmere harbour" in request(port, page).body)
        for target in ("/../briefing.toml", "/%2e%2e/briefing.toml", "/..%2fbriefing.toml"):
            assert b"Harbour Watch" not in request(port, target).body
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=2)
        assert time.monotonic() - start < 1.0
    finally:
        proc.kill()
        proc.wait()


def python_env() -> dict[str, str]:
    """The environment for a child Python that imports this checkout first."""
    paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def wait_until(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll `check` every 20 ms until it holds or `timeout` passes (generous: a loaded CI
    machine is slow; speed is measured by tests/bench, not here)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
