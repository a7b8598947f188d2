"""The ingest readers: text, HTML, feeds and JSON, and the dispatch on file suffix."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import InputError
from generator.ingest import SUPPORTED_SUFFIXES, read_articles
from generator.ingest import html as html_reader

ARTICLE = """Harbour bridge reopens after repairs

Sign up for our newsletter

The Kelso harbour bridge reopened to traffic on Monday after six weeks of repairs.

PHOTO: AFP

Engineers replaced two worn bearings and the control system, the port authority said.
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Tram line to Eastgate opens | The Valley Post</title>
<meta property="og:title" content="Tram line to Eastgate opens after three years of works">
<meta property="og:site_name" content="The Valley Post">
<meta property="og:url" content="https://valleypost.example/news/tram-eastgate">
<meta property="article:published_time" content="2025-02-14T08:30:00Z">
<script>var tracking = "SCRIPT_TEXT";</script><style>.x{color:red}</style>
</head><body>
<header><nav><a href="/">Home</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article>
<h1>Tram line to Eastgate opens after three years of works</h1>
<p>The new tram line linking Central Square with the Eastgate estate opened to passengers on
Friday, three years after construction began and eight months later than planned.</p>
<p>Trams will run every seven minutes at peak times, and the council expects about 14,000
journeys a day by the end of the year.</p>
<p>Sign up for our daily newsletter</p>
<p>"This line puts Eastgate ten minutes from the city centre instead of forty," said transport
councillor Hamid Rauf. He said the project had come in 6% over its &pound;210m budget.</p>
<p>Businesses along the route will share a <em>&pound;2m</em> support fund, the council said.</p>
</article></main>
<aside><h2>Most read</h2><ul><li>Other story</li></ul></aside>
<footer>&copy; 2025 The Valley Post</footer>
</body></html>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Northshore Gazette</title>
<link>https://gazette.example/</link>
<item>
  <title>Ferry fares to rise by 4% in April</title>
  <link>https://gazette.example/ferry-fares</link>
  <guid>gazette-1001</guid>
  <pubDate>Tue, 04 Mar 2025 09:00:00 GMT</pubDate>
  <description>Short summary only.</description>
  <content:encoded><![CDATA[<p>Ferry fares on the Northshore routes will rise by 4% from
  April 1, the operator said on Tuesday.</p><p>Share this article</p>
  <p>Season tickets will rise by 2.5%.</p><script>alert("x")</script>]]></content:encoded>
</item>
<item>
  <title>Library &amp; archive to merge</title>
  <link>javascript:alert(1)</link>
  <pubDate>Wed, 05 Mar 2025 10:00:00 GMT</pubDate>
  <description>&lt;p&gt;The town library and the county archive will share one building
  from next year, the council said.&lt;/p&gt;</description>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Upland Weekly</title>
<id>urn:uuid:upland</id>
<updated>2025-05-02T12:00:00Z</updated>
<entry>
  <title>Hill farm wins national cheese award</title>
  <id>urn:uuid:entry-1</id>
  <link href="https://upland.example/cheese"/>
  <published>2025-05-01T08:00:00Z</published>
  <updated>2025-05-02T08:00:00Z</updated>
  <content type="html">&lt;p&gt;A hill farm near Brackwater has won the national award for
  its blue cheese, beating 300 entries.&lt;/p&gt;</content>
</entry>
</feed>
"""


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    """Write a test input file and return its path."""
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_supported_suffixes_cover_every_format() -> None:
    for suffix in (".txt", ".text", ".md", ".html", ".htm", ".xml", ".rss", ".atom", ".json"):
        assert suffix in SUPPORTED_SUFFIXES
    assert ".jsonl" in SUPPORTED_SUFFIXES


def test_text_reader_fills_the_article(tmp_path: Path) -> None:
    path = _write(tmp_path, "bridge.txt", ARTICLE)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    [article] = read_articles(path)
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.body.startswith("The Kelso harbour bridge reopened")
    assert "Sign up" not in article.body and "PHOTO" not in article.body
    assert article.credits == ("AFP",)
    assert article.file == "bridge.txt"
    assert article.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert article.mtime == 1_700_000_000
    assert article.date is None and article.url is None


def test_text_reader_passes_on_the_decoding_warning(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "old.txt", "Pound falls\n\nThe pound fell to £1.02 today.".encode("cp1252")
    )
    [article] = read_articles(path)
    assert "£1.02" in article.body
    assert any("Windows-1252" in w for w in article.warnings)


def test_markdown_heading_title(tmp_path: Path) -> None:
    path = _write(tmp_path, "note.md", "# Port strike ends\n\nDock workers returned on Monday.\n")
    [article] = read_articles(path)
    assert article.title == "Port strike ends"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Just a headline\n", "title but no body"),
        ("Headline\n\nSign up now\n\nShare this article\n", "title but no body"),
        ("   \n\n", "empty file"),
        ("\x00\x01\x02binary", "binary"),
    ],
)
def test_unusable_text_files_are_refused_with_the_file_named(
    tmp_path: Path, content: str, message: str
) -> None:
    path = _write(tmp_path, "bad.txt", content)
    with pytest.raises(InputError, match=message) as info:
        read_articles(path)
    assert info.value.path is not None and info.value.path.endswith("bad.txt")


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "story.docx", "x")
    with pytest.raises(InputError, match="unsupported file type"):
        read_articles(path)


def test_a_huge_single_line_is_handled(tmp_path: Path) -> None:
    line = "word " * 200_000 + "end."
    path = _write(tmp_path, "long.txt", line)
    [article] = read_articles(path)
    assert len(article.title) <= 201
    assert article.body.endswith("end.")


def test_html_reader_uses_page_metadata_and_drops_markup(tmp_path: Path) -> None:
    [article] = read_articles(_write(tmp_path, "tram.html", PAGE))
    assert article.title == "Tram line to Eastgate opens after three years of works"
    assert article.date == dt.date(2025, 2, 14)
    assert article.source_name == "The Valley Post"
    assert article.url == "https://valleypost.example/news/tram-eastgate"
    assert article.body.startswith("The new tram line linking Central Square")
    assert "£210m" in article.body
    for debris in ("SCRIPT_TEXT", "color:red", "<", "Sign up", "Most read", "Home"):
        assert debris not in article.body


def test_html_fallback_without_trafilatura_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_reader, "_extract_trafilatura", lambda markup: None)
    [article] = read_articles(_write(tmp_path, "tram.htm", PAGE))
    assert article.title == "Tram line to Eastgate opens after three years of works"
    assert article.date == dt.date(2025, 2, 14)
    assert article.body.startswith("The new tram line linking Central Square")
    assert "SCRIPT_TEXT" not in article.body and "Sign up" not in article.body
    assert "Most read" not in article.body and "<" not in article.body


def test_rss_feed_gives_one_article_per_entry(tmp_path: Path) -> None:
    articles = read_articles(_write(tmp_path, "gazette.rss", RSS))
    assert [a.title for a in articles] == [
        "Ferry fares to rise by 4% in April",
        "Library & archive to merge",
    ]
    first, second = articles
    assert first.date == dt.date(2025, 3, 4)
    assert first.url == "https://gazette.example/ferry-fares"
    assert first.source_name == "Northshore Gazette"
    assert first.file == "gazette.rss"
    assert first.body == (
        "Ferry fares on the Northshore routes will rise by 4% from April 1, the operator said"
        " on Tuesday.\n\nSeason tickets will rise by 2.5%."
    )
    assert second.url is None  # a javascript: link is dropped
    assert second.body.startswith("The town library and the county archive")
    assert "<p>" not in second.body
    assert first.sha256 != second.sha256


def test_feed_entry_hash_depends_only_on_its_own_entry(tmp_path: Path) -> None:
    before = read_articles(_write(tmp_path, "a.rss", RSS))
    changed = RSS.replace("Library &amp; archive to merge", "Library and archive to merge")
    after = read_articles(_write(tmp_path, "b.rss", changed))
    assert before[0].sha256 == after[0].sha256
    assert before[1].sha256 != after[1].sha256


def test_atom_feed(tmp_path: Path) -> None:
    [article] = read_articles(_write(tmp_path, "upland.atom", ATOM))
    assert article.title == "Hill farm wins national cheese award"
    assert article.date == dt.date(2025, 5, 1)
    assert article.url == "https://upland.example/cheese"
    assert article.source_name == "Upland Weekly"
    assert article.body.startswith("A hill farm near Brackwater")


@pytest.mark.parametrize("content", ["", "<html><body>not a feed</body></html>", "<rss><channel>"])
def test_not_a_feed_is_refused(tmp_path: Path, content: str) -> None:
    with pytest.raises(InputError):
        read_articles(_write(tmp_path, "bad.xml", content))


def test_json_single_object(tmp_path: Path) -> None:
    record = {
        "title": "Reservoir full for first time in five years",
        "text": "The Linwood reservoir is full for the first time since 2020.\n\nAdvertisement\n\n"
        "Officials lifted the hosepipe ban.",
        "date": "2025-04-02T10:00:00Z",
        "source": "Linwood Echo",
        "url": "https://echo.example/reservoir",
    }
    path = _write(tmp_path, "one.json", json.dumps(record))
    [article] = read_articles(path)
    assert article.title == record["title"]
    assert article.body == (
        "The Linwood reservoir is full for the first time since 2020.\n\n"
        "Officials lifted the hosepipe ban."
    )
    assert article.date == dt.date(2025, 4, 2)
    assert article.source_name == "Linwood Echo"
    assert article.url == "https://echo.example/reservoir"
    assert article.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_list_and_jsonl_give_one_article_per_record(tmp_path: Path) -> None:
    records = [
        {"title": f"Story {n}", "body": f"Paragraph number {n} of the story."} for n in range(3)
    ]
    from_list = read_articles(_write(tmp_path, "many.json", json.dumps(records)))
    lines = "\n".join(json.dumps(r) for r in records) + "\n\n"
    from_lines = read_articles(_write(tmp_path, "many.jsonl", lines))
    assert [a.title for a in from_list] == ["Story 0", "Story 1", "Story 2"]
    assert [a.sha256 for a in from_list] == [a.sha256 for a in from_lines]
    assert len({a.sha256 for a in from_lines}) == 3


@pytest.mark.parametrize(
    ("lines", "line", "message"),
    [
        (['{"title": "A", "text": "Body one."}', "{not json"], 2, "invalid JSON"),
        (['{"title": "A", "text": "Body one."}', '{"title": "B"}'], 2, "missing 'text'"),
        (['{"title": "A", "text": "Body.", "date": "last week"}'], 1, "not a date"),
        (['["a", "list"]'], 1, "expected an object"),
        (['{"title": 5, "text": "Body."}'], 1, "'title' must be a string"),
    ],
)
def test_jsonl_errors_name_the_line(
    tmp_path: Path, lines: list[str], line: int, message: str
) -> None:
    path = _write(tmp_path, "bad.jsonl", "\n".join(lines))
    with pytest.raises(InputError, match=message) as info:
        read_articles(path)
    assert info.value.line == line
    assert f"bad.jsonl:{line}:" in str(info.value)


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.json", '{\n  "title": "A",\n  "text": oops\n}')
    with pytest.raises(InputError, match="invalid JSON") as info:
        read_articles(path)
    assert info.value.line == 3


def test_json_without_title_uses_the_first_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.json", json.dumps({"text": "Headline here\n\nThe body text."}))
    [article] = read_articles(path)
    assert article.title == "Headline here"
    assert article.body == "The body text."


@pytest.mark.parametrize("suffix", [".txt", ".html", ".rss", ".json", ".jsonl"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048) | st.text(max_size=2048).map(str.encode))
def test_readers_raise_only_input_errors_on_arbitrary_bytes(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            articles = read_articles(path)
        except InputError:
            return
        for article in articles:
            assert article.title and article.body and "\n" not in article.title


def test_readers_never_touch_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = PAGE.replace("<p>Trams", '<img src="https://images.example/a.jpg"><p>Trams')
    assert read_articles(_write(tmp_path, "tram.html", page))
    assert read_articles(_write(tmp_path, "gazette.rss", RSS))
    assert read_articles(_write(tmp_path, "upland.atom", ATOM))


@pytest.mark.parametrize(
    ("title", "h1s", "headline"),
    [
        ("Harbour Gazette | Port news: Storm closes the harbour bridge",
         ["Storm closes the harbour bridge"], "Storm closes the harbour bridge"),
        ("Storm closes the harbour bridge - Harbour Gazette",
         ["Harbour Gazette Online", "Storm closes the harbour bridge"],
         "Storm closes the harbour bridge"),
        ("Storm closes the harbour bridge", ["Harbour Gazette"], "Storm closes the harbour bridge"),
    ],
)  # fmt: skip
def test_the_headline_is_the_h1_the_page_title_holds(
    title: str, h1s: list[str], headline: str
) -> None:
    markup = "<html><body>" + "".join(f"<h1>{h}</h1>" for h in h1s) + "<p>Text.</p></body></html>"
    assert html_reader.headline(title, markup) == headline
