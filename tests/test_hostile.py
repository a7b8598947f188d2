"""Hostile and broken input: each bad file reported and skipped, nothing let in, nothing escapes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.briefing_md import parse_briefing, render_briefing

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
ATOM = "{http://www.w3.org/2005/Atom}"


def run_cli(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator --root ROOT ARGS...` in ROOT, as a user would."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, tuple[int, int]]:
    """Every file and symlink under `folder` (except under `skip`): path -> (size, mtime_ns)."""
    out: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        if skip is not None and (here == skip or skip in here.parents):
            dirnames[:] = []
            continue
        for name in [*filenames, *(d for d in dirnames if (here / d).is_symlink())]:
            st = (here / name).lstat()
            out[(here / name).relative_to(folder).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


@dataclass
class Page:
    """What an HTML page holds: its tags with attributes, and its text as a reader sees it."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: str = ""
    script_text: str = ""


class _Collector(HTMLParser):
    """Collects tags, attributes and decoded text (entities resolved)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_script = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.page.script_text += data
        else:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = "".join(self._text)


def parse_html(data: str) -> Page:
    """Tags, attributes and text of an HTML document."""
    collector = _Collector()
    collector.feed(data)
    collector.close()
    return collector.page


def incomplete_outputs(out: Path) -> list[str]:
    """Output files that are not whole documents (HTML cut short, XML or JSON unparsable)."""
    bad: list[str] = []
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(out).as_posix()
        data = path.read_bytes()
        try:
            if path.suffix == ".html":
                if not data.rstrip().endswith(b"</html>"):
                    bad.append(f"{rel}: does not end with </html>")
            elif path.suffix == ".xml":
                ET.fromstring(data)
            elif path.suffix == ".json":
                json.loads(data)
        except (ET.ParseError, ValueError) as exc:
            bad.append(f"{rel}: {exc}")
    return bad


# ------------------------------------------------------------ the hostile site

# Each broken briefing file: (line the message must name, or None; words it must say).
BROKEN_BRIEFINGS: dict[str, tuple[int | None, str]] = {
    "empty.md": (1, "empty file"),
    "whitespace-only.md": (1, "empty file"),
    "binary.md": (None, "utf-8"),
    "undecodable.md": (None, "utf-8"),
    "no-front-matter.md": (1, "no YAML front matter"),
    "not-yaml.md": (5, "not valid YAML"),
    "date-not-date.md": (4, "'date' must be a date"),
    "actors-not-list.md": (5, "'actors' must be a list"),
    "alias-bomb.md": (6, "YAML aliases"),
    "body-no-title.md": (1, "'title' is missing"),
}

# Slug -> a phrase of its body: every good (or repairable) briefing is still built.
BUILT_BRIEFINGS = {
    "good-quay-repairs": "Repairs to the old quay began",
    "good-ferry-timetable": "winter timetable starts",
    "harbour-vote": "first report of the harbour vote",
    "harbour-vote-2": "second report of the harbour vote",
    "unknown-keys": "Body with extra keys",
    "title-no-body": "A title and nothing else",
    "hostile-values": "Body with",
    "slug-escape-attempt": "climb out of the output folder",
    "absolute-slug-attempt": "Slug, topic ids and actor names",
    "file-name-dots": "A file whose name starts with dots",
}

# Every hostile string of hostile-values.md, as a reader must see it on the page.
SHOWN_AS_TEXT = [
    '<script>alert("title")</script> Levy {{ 7*191 }} "row" & \'rift\' ]]> </title>',
    "<b>Outlet</b> \" onmouseover=\"alert('source')",
    "<i>Wire</i> {{ 7*191 }}",
    "Summary <em>markup</em> {{ 7*191 }} {% if true %}jinja-if{% endif %} ]]></summary>",
    '<script>alert("key-point")</script>',
    'politics <script>alert("topic")</script> " onclick="x',
    "Vera <Script> Quill",
    "<img src=x onerror=alert(\"role\")> ' onfocus='y",
    '"</script><script>alert("quote")</script>{{ 7*191 }}',
    '<script>alert("event")</script> {{ 7*191 }} happened.',
    "<b>tag</b>",
    "<iframe src=\"javascript:alert('place')\">",
    'Body with <script>alert("body")</script> and {{ 7*191 }} and {% if true %}jinja-if{% endif %}',
    "{# jinja-comment #} and {{ config }}",
    '<img src=x onerror=alert("raw-img")>',
    "<a href=\"javascript:alert('raw-a')\">raw anchor</a>",
]


def make_hostile_site(tmp_path: Path) -> Path:
    """A private copy of the hostile fixture site; returns its root."""
    root = tmp_path / "site-root"
    shutil.copytree(FIXTURES / "site", root)
    return root


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    """The hostile site built once by the real command, with the tree around it watched."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    root = make_hostile_site(tmp_path)
    outside = tmp_path / "outside-secret.md"
    outside.write_text(SECRET_BRIEFING, encoding="utf-8")
    before = snapshot(tmp_path)
    tmp_before = set(os.listdir("/tmp"))
    result = run_cli(root, "build")
    after = snapshot(tmp_path, skip=root / "site")
    return HostileBuild(root, result, before, after, set(os.listdir("/tmp")) - tmp_before)


@dataclass(frozen=True)
class HostileBuild:
    """One finished build of the hostile site."""

    root: Path
    result: subprocess.CompletedProcess[str]
    before: dict[str, tuple[int, int]]
    after: dict[str, tuple[int, int]]
    new_in_tmp: set[str]

    @property
    def out(self) -> Path:
        return self.root / "site"


SECRET_BRIEFING = """\
---
title: Outside secret
slug: outside-secret
date: 2025-01-01
---

SECRET-OUTSIDE-THE-ROOT
"""


def test_hostile_build_exits_1_without_a_traceback(hostile_build: HostileBuild) -> None:
    assert hostile_build.result.returncode == 1, hostile_build.result.stderr
    assert "Traceback" not in hostile_build.result.stderr
    assert "Traceback" not in hostile_build.result.stdout


@pytest.mark.parametrize("name", sorted(BROKEN_BRIEFINGS))
def test_each_broken_briefing_is_named_with_its_line(
    hostile_build: HostileBuild, name: str
) -> None:
    line, words = BROKEN_BRIEFINGS[name]
    path = str(hostile_build.root / "content" / "briefings" / name)
    errors = [e for e in hostile_build.result.stderr.splitlines() if e.startswith("error: ")]
    mine = [e for e in errors if e.startswith(f"error: {path}:")]
    assert len(mine) == 1, errors
    where = f"error: {path}:{line}: " if line is not None else f"error: {path}: "
    assert mine[0].startswith(where), mine[0]
    assert words.lower() in mine[0].lower(), mine[0]


def test_every_error_line_names_a_broken_file(hostile_build: HostileBuild) -> None:
    errors = [e for e in hostile_build.result.stderr.splitlines() if e.startswith("error: ")]
    assert len(errors) == len(BROKEN_BRIEFINGS), errors
    assert "10 failed" in hostile_build.result.stdout


@pytest.mark.parametrize("slug", sorted(BUILT_BRIEFINGS))
def test_the_rest_is_still_built(hostile_build: HostileBuild, slug: str) -> None:
    page = hostile_build.out / "briefings" / slug / "index.html"
    assert page.is_file(), sorted(p.name for p in (hostile_build.out / "briefings").iterdir())
    assert BUILT_BRIEFINGS[slug] in parse_html(page.read_text(encoding="utf-8")).text


def test_duplicate_slugs_name_both_files_and_lose_neither(hostile_build: HostileBuild) -> None:
    folder = hostile_build.root / "content" / "briefings"
    warnings = [w for w in hostile_build.result.stderr.splitlines() if "harbour-vote" in w]
    assert len(warnings) == 1, warnings
    assert str(folder / "dup-first.md") in warnings[0]
    assert str(folder / "dup-second.md") in warnings[0]
    assert "'harbour-vote-2'" in warnings[0]


def test_unknown_keys_are_warned_and_kept(hostile_build: HostileBuild) -> None:
    path = hostile_build.root / "content" / "briefings" / "unknown-keys.md"
    stderr = hostile_build.result.stderr
    for key in ("reviewer", "status"):
        assert f"warning: {path}: unknown key '{key}' kept as it is" in stderr
    # The build never rewrites a briefing; writing it back keeps the keys and values.
    assert path.read_bytes() == (FIXTURES / "site/content/briefings/unknown-keys.md").read_bytes()
    loaded, _ = parse_briefing(path.read_text(encoding="utf-8"), str(path))
    assert loaded.extra == {"reviewer": "Jo Hale", "status": {"checked": True}}
    again, _ = parse_briefing(render_briefing(loaded), str(path))
    assert again.extra == loaded.extra


def test_slugs_with_path_parts_are_rederived_and_warned(hostile_build: HostileBuild) -> None:
    stderr = hostile_build.result.stderr
    assert (
        "slug '../../../escaped-slug' is not a plain ASCII slug; using 'slug-escape-attempt'"
        in (stderr)
    )
    assert "slug '/tmp/escaped-absolute' is not a plain ASCII slug" in stderr
    assert "topic id '../../escaped-topic' is not a slug path; dropped" in stderr


def test_nothing_is_written_outside_the_output_folder(hostile_build: HostileBuild) -> None:
    before, after = hostile_build.before, hostile_build.after
    # The site lock is the one file a build keeps next to the output (see SECURITY.md).
    added = set(after) - set(before)
    assert added == {"site-root/.briefing.lock"}, added
    changed = {p for p in before if p in after and before[p] != after[p]}
    assert changed == set(), changed
    assert set(before) - set(after) == set()
    assert not [n for n in hostile_build.new_in_tmp if "escaped" in n]
    assert not list(hostile_build.out.rglob("*escaped-slug*"))
    assert not list(hostile_build.out.rglob("*escaped-topic*"))


def test_every_output_file_is_inside_the_output_folder_and_whole(
    hostile_build: HostileBuild,
) -> None:
    out = hostile_build.out.resolve()
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out), path
    assert incomplete_outputs(out) == []


# ------------------------------------------------------------ nothing let in


def _html_pages(out: Path) -> dict[str, Page]:
    return {
        p.relative_to(out).as_posix(): parse_html(p.read_text(encoding="utf-8"))
        for p in sorted(out.rglob("*.html"))
    }


def test_hostile_strings_are_shown_as_text(hostile_build: HostileBuild) -> None:
    page = parse_html(
        (hostile_build.out / "briefings/hostile-values/index.html").read_text(encoding="utf-8")
    )
    for value in SHOWN_AS_TEXT:
        assert value in page.text, value


def test_no_markup_from_content_gets_through(hostile_build: HostileBuild) -> None:
    for rel, page in _html_pages(hostile_build.out).items():
        names = [tag for tag, _ in page.tags]
        for tag in ("script", "iframe", "img", "svg", "b", "i", "em", "object", "embed"):
            assert tag not in names, f"{rel}: <{tag}>"
        for tag, attrs in page.tags:
            events = [a for a in attrs if a.startswith("on")]
            assert not events, f"{rel}: <{tag} {events}>"
        assert "alert(" not in page.script_text, rel


def test_attribute_values_are_not_broken_out_of(hostile_build: HostileBuild) -> None:
    page = parse_html(
        (hostile_build.out / "briefings/hostile-values/index.html").read_text(encoding="utf-8")
    )
    meta = [a for t, a in page.tags if t == "meta" and a.get("name") == "description"]
    assert meta == [{"name": "description", "content": SHOWN_AS_TEXT[3]}]


def test_unsafe_links_are_dropped(hostile_build: HostileBuild) -> None:
    for rel, page in _html_pages(hostile_build.out).items():
        for tag, attrs in page.tags:
            for name in ("href", "src", "action", "formaction", "srcset", "poster"):
                value = "".join(attrs.get(name, "").split()).lower()
                assert not value.startswith(UNSAFE_SCHEMES), f"{rel}: <{tag} {name}={value}>"
    body = parse_html(
        (hostile_build.out / "briefings/hostile-values/index.html").read_text(encoding="utf-8")
    )
    assert ("a", {"href": "https://example.org/ok"}) in body.tags


def test_jinja_in_content_is_printed_never_evaluated(hostile_build: HostileBuild) -> None:
    for path in hostile_build.out.rglob("*"):
        if path.is_file():
            assert b"1337" not in path.read_bytes(), path
    text = (hostile_build.out / "briefings/hostile-values/index.html").read_text(encoding="utf-8")
    assert "{{ 7*191 }}" in text
    assert "{% if true %}jinja-if{% endif %}" in text
    assert "{{ config }}" in text


def test_feeds_parse_and_carry_hostile_text_as_text(hostile_build: HostileBuild) -> None:
    out = hostile_build.out
    title = SHOWN_AS_TEXT[0]
    for rel in ("feed.xml", "topics/politics/feed.xml", "actors/vera-script-quill/feed.xml"):
        root = ET.fromstring((out / rel).read_bytes())
        entries = root.findall(f"{ATOM}entry")
        titles = [e.findtext(f"{ATOM}title") for e in entries]
        assert title in titles, (rel, titles)
        for el in root.iter():
            href = "".join((el.get("href") or "").split()).lower()
            assert not href.startswith(UNSAFE_SCHEMES), (rel, href)
            if el.get("type") in ("html", "xhtml") and el.text:
                inner = parse_html(el.text)
                assert not [t for t, _ in inner.tags if t in ("script", "iframe", "img")], rel
    for rel in ("feed.json", "topics/politics/feed.json", "actors/vera-script-quill/feed.json"):
        feed = json.loads((out / rel).read_bytes())
        items = {i["title"]: i for i in feed["items"]}
        assert title in items, rel
        for item in feed["items"]:
            for key in ("url", "external_url", "image"):
                assert not str(item.get(key, "")).lower().startswith(UNSAFE_SCHEMES), (rel, item)
            if "content_html" in item:
                inner = parse_html(item["content_html"])
                assert not [t for t, _ in inner.tags if t in ("script", "iframe", "img")], rel
