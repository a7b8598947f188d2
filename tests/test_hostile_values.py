"""Impossible values in one briefing cost that briefing, named with its line, never the build."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.briefing_md import parse_briefing
from generator.errors import InputError
from tests.test_hostile import FIXTURES, incomplete_outputs, parse_html, run_cli

GOOD = (FIXTURES / "site" / "content" / "briefings" / "good-quay-repairs.md").read_text("utf-8")


def _with(old: str, new: str, text: str = GOOD) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# Each impossible value: (the briefing's text, the line its error names, words it says).
IMPOSSIBLE: dict[str, tuple[str, int, str]] = {
    "day-30-feb.md": (_with("date: 2025-04-02", "date: 2025-02-30"), 4, "2025-02-30"),
    "hour-25.md": (_with("date: 2025-04-02", "date: 2025-12-02T25:00:00Z"), 4, "25:00:00"),
    "offset-99.md": (_with("date: 2025-04-02", "date: 2025-12-02T10:00:00+99:00"), 4, "+99:00"),
    "mentions-5000-digits.md": (_with("mentions: 2", "mentions: " + "9" * 5000), 24, "999"),
    "mentions-hex-huge.md": (_with("mentions: 2", "mentions: 0x" + "f" * 5000), 19, "mentions"),
    "score-400-digits.md": (_with("score: 0.7", "score: " + "9" * 400), 14, "score"),
    "summary-not-a-day.md": (
        _with("summary: Repairs to the old quay began on Tuesday.", "summary: 2025-02-30"),
        12,
        "2025-02-30",
    ),
    "event-not-a-day.md": (_with("events: []", "events: [{date: 2025-13-01, text: t}]"), 27, ""),
    "nested-50000.md": (_with("tags: [quay]", "tags: " + "[" * 50_000 + "]" * 50_000), 28, "deep"),
}


@pytest.mark.parametrize("name", sorted(IMPOSSIBLE))
def test_an_impossible_value_is_an_input_error_with_its_line(name: str) -> None:
    text, line, words = IMPOSSIBLE[name]
    with pytest.raises(InputError) as info:
        parse_briefing(text, name)
    assert info.value.path == name
    assert info.value.line == line, info.value
    assert words in info.value.message, info.value


def _site_with(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "site-root"
    shutil.copytree(FIXTURES / "site", root)
    folder = root / "content" / "briefings"
    for path in folder.iterdir():
        if not path.name.startswith("good-"):
            path.unlink()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return root


def test_impossible_values_cost_their_files_not_the_build_nor_check(tmp_path: Path) -> None:
    root = _site_with(tmp_path, {name: text for name, (text, _, _) in IMPOSSIBLE.items()})
    folder = root / "content" / "briefings"
    for command in ("build", "check"):
        result = run_cli(root, command)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and "ValueError" not in result.stderr
        for name, (_, line, _) in IMPOSSIBLE.items():
            assert f"error: {folder / name}:{line}: " in result.stderr, (command, name)
    pages = root / "site" / "briefings"
    assert sorted(p.name for p in pages.iterdir()) == ["good-ferry-timetable", "good-quay-repairs"]
    assert incomplete_outputs(root / "site") == []


def test_ingest_goes_on_past_a_briefing_with_an_impossible_value(tmp_path: Path) -> None:
    """Re-ingesting the article of a briefing whose date is impossible keeps that file (it
    may be a hand edit) and names it; the other articles are ingested."""
    root = _site_with(tmp_path, {})
    articles = root / "content" / "articles"
    articles.mkdir()
    shutil.copy(FIXTURES / "articles" / "undecodable.txt", articles / "cafe.txt")
    shutil.copy(FIXTURES / "articles" / "body-no-title.txt", articles / "walkout.txt")
    assert run_cli(root, "ingest", str(articles / "cafe.txt")).returncode == 0
    made = root / "content" / "briefings" / "cafe-owners-in-port-ardith-protest-a-new-levy.md"
    text = made.read_text("utf-8")
    made.write_text(text.replace("date: ", "date: 2025-02-30 #", 1), encoding="utf-8")
    (articles / "cafe.txt").write_bytes((articles / "cafe.txt").read_bytes() + b"\nMore.\n")

    result = run_cli(root, "ingest")

    assert "Traceback" not in result.stderr and "ValueError" not in result.stderr
    assert f"{made}: edited by hand; kept" in result.stderr
    assert "1 written" in result.stdout


# ------------------------------------------------------------ control characters

CONTROLS = "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\x9f\ufffe"


def test_control_characters_in_front_matter_and_body_are_removed_with_a_warning() -> None:
    escaped = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
                      for c in CONTROLS)  # fmt: skip
    text = _with("title: Quay repairs begin", f'title: "Quay{escaped} repairs begin')
    text = _with("at Port Ardith\n", 'at Port Ardith"\n', text)
    text = _with("role: harbour master", f'role: "harbour{escaped} master"', text)
    text = text + f"Raw {CONTROLS} in the body.\n"
    b, notes = parse_briefing(text, "x.md")
    assert b.title == "Quay repairs begin at Port Ardith"
    assert b.actors[0].role == "harbour master"
    assert "Raw  in the body." in b.body
    assert "control characters removed from 'title' (line 2)" in notes
    assert "control characters removed from 'actors' (line 19)" in notes
    assert "control characters removed from the body" in notes


def test_control_characters_never_reach_the_site_and_check_looks(tmp_path: Path) -> None:
    text = _with("title: Quay repairs begin", 'title: "Quay\\0\\x01 repairs begin')
    text = _with("at Port Ardith\n", 'at Port Ardith"\n', text)
    root = _site_with(tmp_path, {"good-quay-repairs.md": text + "Body \x02 text.\n"})
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    assert "control characters removed from 'title'" in result.stderr
    out = root / "site"
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            data = path.read_text("utf-8")
            assert not [c for c in data if ord(c) < 32 and c not in "\t\n\r"], path
    page = (out / "briefings" / "good-quay-repairs" / "index.html").read_text("utf-8")
    assert "Quay repairs begin at Port Ardith" in parse_html(page).text
    # A page that holds one anyway (edited by hand, another tool) is a problem for check.
    index = (out / "index.html").read_text("utf-8")
    (out / "index.html").write_text(index.replace("Quay", "Qu\x01ay", 1), encoding="utf-8")
    checked = run_cli(root, "check")
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == ["error: index.html: control character U+0001"]


@settings(max_examples=200, deadline=None)
@given(title=st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
       body=st.text(st.characters(exclude_categories=["Cs"]), max_size=60))  # fmt: skip
def test_any_text_loads_as_itself_without_its_control_characters(title: str, body: str) -> None:
    from generator.briefing_md import _CONTROL_RE, render_briefing
    from generator.model import Briefing, Source

    title = "T" + title.strip() if _CONTROL_RE.sub("", title).strip() else "T"
    written = Briefing(title, "t", dt.date(2025, 1, 1), False, Source(), body=body.strip())
    loaded, notes = parse_briefing(render_briefing(written), "x.md")
    assert loaded.title == _CONTROL_RE.sub("", written.title).strip()
    assert loaded.body == _CONTROL_RE.sub("", written.body).strip("\n")
    assert bool(_CONTROL_RE.search(written.title)) == any("'title'" in n for n in notes)


# ------------------------------------------------------------ the calendar's edges


def test_dates_at_the_calendars_edges_build_and_check_clean(tmp_path: Path) -> None:
    """`date: 9999-12-31` used to stop the build in the digest views ('year 10000 is out of
    range'), leaving half a site that check found broken."""
    last = _with("date: 2025-04-02", "date: 9999-12-31")
    last = _with("slug: good-quay-repairs", "slug: last-day", last)
    last = _with("events: []", "events: [{date: 9999-12-31, text: The end.}]", last)
    first = _with("date: 2025-04-02", "date: 0001-01-01")
    first = _with("slug: good-quay-repairs", "slug: first-day", first)
    first = _with("events: []", "events: [{date: 0001-01-01, text: The start.}]", first)
    root = _site_with(tmp_path, {"last-day.md": last, "first-day.md": first})
    built = run_cli(root, "build")
    assert built.returncode == 0, built.stderr
    checked = run_cli(root, "check")
    assert checked.returncode == 0, checked.stderr
    out = root / "site"
    assert (out / "digest" / "9999-w52" / "index.html").is_file()
    assert (out / "digest" / "0001-w01" / "index.html").is_file()
    assert incomplete_outputs(out) == []
