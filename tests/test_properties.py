"""Property tests: the cleaner and the readers only ever raise InputError; briefings round-trip."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.briefing_md import KEYS, parse_briefing, render_briefing, stamp
from generator.errors import InputError
from generator.ingest import SUPPORTED_SUFFIXES, read_articles
from generator.ingest.clean import clean_web_text
from generator.model import (
    ACTOR_KINDS,
    Actor,
    Briefing,
    Event,
    GeneratorInfo,
    Place,
    Quote,
    Source,
    Topic,
)

# Surrogates cannot be written to a file or a YAML stream at all.
_chars = st.characters(exclude_categories=["Cs"])
# What a briefing holds: control characters but tab and line breaks, and U+FFFE/U+FFFF, are
# removed by the loader (tests/test_hostile_values.py).
_briefing_chars = st.characters(
    exclude_categories=("Cs", "Cc"),
    include_characters="\t\n\r",
    exclude_characters="\ufffe\uffff",
)
_text = st.text(_chars, max_size=30)

# Text shaped like copied web pages: lines, blank lines, debris-like words, markup, quotes.
_web_line = st.one_of(
    _text,
    st.sampled_from(
        [
            "",
            "Advertisement",
            "Share this article",
            "By Lena Osk",
            "Photo: Reuters",
            "(AFP) -",
            "PORT ARDITH, April 2 (Reuters) -",
            '"We will not back down," she said.',
            "Read more: https://example.org",
            "<script>alert(1)</script>",
            "{{ 7*7 }}",
            "\u200b\ufeff\u00a0",
            "\r",
            "\t\t",
            "...",
            "© 2025 Ardith Gazette",
        ]
    ),
)
_web_text = st.lists(_web_line, max_size=30).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_text, _web_text, st.text(max_size=400)), title=st.none() | _text)
def test_the_cleaner_never_raises_on_any_text(text: str, title: str | None) -> None:
    try:
        cleaned = clean_web_text(text, title=title)
    except InputError:
        return
    assert "\n" not in cleaned.title


def _json_article() -> st.SearchStrategy[bytes]:
    """JSON documents shaped like articles, with values of every type."""
    value = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
        max_leaves=8,
    )
    record = st.fixed_dictionaries(
        {},
        optional={
            "title": value,
            "text": value | _web_text,
            "body": value,
            "date": value | st.sampled_from(["2025-04-02", "2025-13-40", "yesterday"]),
            "source": value,
            "url": value | st.just("javascript:alert(1)"),
        },
    )
    return st.one_of(record, st.lists(record, max_size=3), value).map(
        lambda v: json.dumps(v).encode("utf-8")
    )


_markup = st.lists(
    st.sampled_from(
        [
            "<html>",
            "<head>",
            "<title>",
            "</title>",
            "<body>",
            "<article>",
            "<p>",
            "</p>",
            "<h1>",
            "</h1>",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<rss version='2.0'><channel>",
            "<item>",
            "</item>",
            "<description>",
            "<?xml version='1.0'?>",
            "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
            "&a;",
            "&amp;",
            "&#0;",
            "&#xD800;",
            "<feed xmlns='http://www.w3.org/2005/Atom'>",
            "<entry>",
        ]
    )
    | _text,
    max_size=25,
).map(lambda parts: "".join(parts).encode("utf-8"))

_bytes = st.one_of(
    st.binary(max_size=600),
    _text.map(lambda t: t.encode("utf-8")),
    _web_text.map(lambda t: t.encode("utf-8")),
    _web_text.map(lambda t: t.encode("utf-16")),
    _web_text.map(lambda t: t.encode("cp1252", errors="replace")),
    _json_article(),
    _markup,
)


@pytest.fixture(scope="module")
def scratch() -> Any:
    """One folder for the reader's inputs (hypothesis runs many examples per test)."""
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


_HTML = (".html", ".htm")
_FEEDS = (".xml", ".rss", ".atom")
_OTHERS = tuple(s for s in SUPPORTED_SUFFIXES if s not in _HTML + _FEEDS)


def check_reader(folder: Path, suffix: str, data: bytes) -> None:
    """Read `data` as a file ending in `suffix`: Articles or an InputError naming the file."""
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    try:
        articles = read_articles(path)
    except InputError as exc:
        assert exc.path == str(path)
        return
    for article in articles:
        assert article.title.strip() and article.body.strip()
        assert article.file == path.name


_reader_settings = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@_reader_settings
@given(data=_bytes, suffix=st.sampled_from(_OTHERS))
def test_the_text_and_json_readers_never_raise(scratch: Path, data: bytes, suffix: str) -> None:
    check_reader(scratch, suffix, data)


@_reader_settings
@example(data=b"\x1f\n<script>alert(1)</script>\n", suffix=".html")
@given(data=_bytes, suffix=st.sampled_from(_HTML))
def test_the_html_reader_never_raises(scratch: Path, data: bytes, suffix: str) -> None:
    check_reader(scratch, suffix, data)


@_reader_settings
@example(data=b"<html>&#xD800;", suffix=".xml")
@given(data=_bytes, suffix=st.sampled_from(_FEEDS))
def test_the_feed_reader_never_raises(scratch: Path, data: bytes, suffix: str) -> None:
    check_reader(scratch, suffix, data)


# ---------------------------------------------------------------- round trip of every field

# tests/test_briefing_md.py checks title, summary, an actor's name and aliases, a quote and
# tags; these cover every other field, the body and unknown keys.

_btext = st.text(_briefing_chars, max_size=30)
_line = _btext.map(str.strip).filter(bool)
_slug_word = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_slug = st.lists(_slug_word, min_size=1, max_size=4).map("-".join)
_topic_id = st.lists(_slug, min_size=1, max_size=2).map("/".join)
_date = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
_opt = st.none() | _btext
# Scores outside (-1e18, 1e18) are refused (tests/test_hostile_values.py).
_score = st.floats(-1e17, 1e17, allow_nan=False, width=64)

# An empty label reads back as the topic's id (by design): labels here are never empty.
_topics = st.builds(Topic, _topic_id, _btext.filter(bool), _opt, _score)
_actors = st.builds(
    Actor,
    _line,
    st.sampled_from(ACTOR_KINDS),
    _opt,
    st.lists(_btext, max_size=3).map(tuple),
    st.integers(min_value=-(2**40), max_value=2**40),
)
_places = st.builds(Place, _btext, _line)
_quotes = st.builds(Quote, _opt, _btext)
_events = st.builds(Event, _date, _btext, st.booleans())
_languages = st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=2)

_yaml_value = st.recursive(
    st.none() | st.booleans() | st.integers() | _btext | _date,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_btext, inner, max_size=3),
    max_leaves=6,
)
_extra = st.dictionaries(_btext.filter(lambda k: k not in KEYS), _yaml_value, max_size=3)
# A body line of its own '---' would end the front matter early: it is fenced by the
# blank line render_briefing writes, so only leading and trailing blank lines are lost.
_body = st.lists(st.one_of(_btext, st.sampled_from(["---", "...", "# Heading", "> quote"])),
                 max_size=6).map("\n".join)  # fmt: skip


@st.composite
def briefings(draw: st.DrawFn) -> Briefing:
    """A Briefing with arbitrary values in every field."""

    def many(strategy: st.SearchStrategy[Any]) -> tuple[Any, ...]:
        return tuple(draw(st.lists(strategy, max_size=3)))

    return Briefing(
        title=draw(_line),
        slug=draw(_slug),
        date=draw(_date),
        date_inferred=draw(st.booleans()),
        source=Source(draw(_opt), draw(_opt), draw(_opt), draw(_opt)),
        credits=many(_btext),
        summary=draw(_btext),
        key_points=many(_btext),
        topics=many(_topics),
        actors=many(_actors),
        places=many(_places),
        quotes=many(_quotes),
        events=many(_events),
        tags=many(_btext),
        generator=GeneratorInfo(draw(_btext), draw(_btext)),
        body=draw(_body).strip(),
        extra=draw(_extra),
        language=draw(_languages),
    )


@settings(max_examples=300, deadline=None)
@given(b=briefings())
def test_every_field_round_trips(b: Briefing) -> None:
    text = render_briefing(b)
    loaded, _ = parse_briefing(text, "x.md")
    assert loaded == b
    assert loaded.extra == b.extra
    assert render_briefing(loaded) == text
    stamped, stamped_text = stamp(b, "0.1.0")  # ingest's one render equals a full one
    assert stamped_text == render_briefing(stamped)


_xml_text = st.text(st.characters(), max_size=30)


@given(text=_xml_text, attr=_xml_text)
@example(text='a & <b> "c"', attr='x\r\n\t"<&>')
@settings(max_examples=300, deadline=None)
def test_feed_elements_are_escaped_as_elementtree_does(text: str, attr: str) -> None:
    """Feeds write their XML by hand for speed: each element must be byte for byte what
    ElementTree writes for it, lone surrogates and control characters included."""
    import xml.etree.ElementTree as ET

    from generator.site.render.feeds import _el, xml_text

    el = ET.Element("category", {"term": xml_text(attr), "label": "L"})
    el.text = xml_text(text)
    assert _el("  ", "category", text, term=attr, label="L") == (
        "  " + ET.tostring(el, encoding="unicode") + "\n"
    )
    empty = ET.Element("link", {"href": xml_text(attr)})
    assert _el("", "link", href=attr) == ET.tostring(empty, encoding="unicode") + "\n"
