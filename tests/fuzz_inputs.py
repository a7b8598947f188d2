"""Hypothesis strategies for hostile inputs: each reader's format, broken in the ways that
have broken parsers (tests/test_fuzz.py runs them).

Each strategy mixes structure (a feed's items, a page's tags, front matter's keys) with
the values that broke something once: impossible dates, numbers of thousands of digits,
control characters and lone surrogate references, deep nesting, entities, anchors.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

_any_char = st.characters(exclude_categories=["Cs"])
_text = st.text(_any_char, max_size=24)
_words = st.sampled_from(
    ["Harbour", "levy", "vote", "Vera Quill", "said", "on Tuesday", "Port Ardith", "the",
     "council", "2025-04-02", "1 April 2025", "\u201cWe will,\u201d she said.", "Reuters"]
)  # fmt: skip
_prose = st.lists(_words, min_size=1, max_size=20).map(" ".join)

# Values that broke a parser somewhere (see SECURITY.md).
_nasty = st.sampled_from(
    ["2025-02-30", "2025-12-02T25:00:00Z", "2025-01-01T10:00:00+99:00", "9999-12-31",
     "0001-01-01", "9" * 5000, "0x" + "f" * 300, "1" + ":59" * 50, "-.inf", ".nan", "~",
     "&#0;", "&#xD800;", "&#x1F4A9;", "&amp;", "&lt;script&gt;", "\x00", "\x01\x1b\x7f",
     "\u0085\u2028\ufffe", "[" * 60, "{a: " * 30, "*a", "&a x", "!!python/object:os.system",
     "<script>alert(1)</script>", "{{ 7*7 }}", "javascript:alert(1)", "\\", "\r\n", "\t"]
)  # fmt: skip
_value = st.one_of(_text, _prose, _nasty)


def _tag(name: str, inner: str, attrs: str = "") -> str:
    return f"<{name}{attrs}>{inner}</{name}>"


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    """A web page: a head with metadata, a body of blocks, some of them broken."""
    blocks = draw(
        st.lists(
            st.one_of(
                _prose.map(lambda t: _tag("p", t)),
                _value.map(lambda t: _tag("p", t)),
                _prose.map(lambda t: _tag("h1", t)),
                _value.map(lambda t: f'<time datetime="{t}">{t}</time>'),
                _value.map(lambda t: f'<meta property="article:published_time" content="{t}">'),
                st.sampled_from(["<div>", "</div>", "<br>", "<!--", "-->", "<![CDATA[", "<p",
                                 "<script>var a='</p>';</script>", "<article>", "&nbsp;"]),
                st.integers(0, 300).map(lambda n: "<p " + " ".join(f"a{i}" for i in range(n))
                                        + ">attrs</p>"),
                st.integers(1, 200).map(lambda n: "<div>" * n),
            ),
            max_size=14,
        )
    )  # fmt: skip
    title = draw(_value)
    page = f"<html><head><title>{title}</title></head><body>{''.join(blocks)}</body></html>"
    return draw(_encoded(page))


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """An RSS or Atom feed whose items are good, empty, title-only or hostile."""
    item = st.builds(
        lambda title, body, date, link: (
            f"<item>{title}{body}{date}{link}</item>"
        ),
        st.one_of(st.just(""), _value.map(lambda t: f"<title>{_escape(t)}</title>")),
        st.one_of(st.just(""), _prose.map(lambda t: f"<description>{t}</description>"),
                  _value.map(lambda t: f"<description>{_escape(t)}</description>")),
        st.one_of(st.just(""), _value.map(lambda t: f"<pubDate>{_escape(t)}</pubDate>")),
        st.one_of(st.just(""), _value.map(lambda t: f"<link>{_escape(t)}</link>")),
    )  # fmt: skip
    items = "".join(draw(st.lists(item, max_size=6)))
    doctype = draw(
        st.sampled_from(
            [
                "",
                "<!DOCTYPE r [<!ENTITY a 'aaaa'>]>",
                "<!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>",
            ]
        )
    )
    feed = draw(st.sampled_from([
        f"<?xml version='1.0'?>{doctype}<rss version='2.0'><channel><title>G</title>{items}"
        "</channel></rss>",
        f"<?xml version='1.0'?>{doctype}<feed xmlns='http://www.w3.org/2005/Atom'><title>G"
        f"</title>{items.replace('item>', 'entry>')}</feed>",
        f"<rss><channel>{items}",
    ]))  # fmt: skip
    return draw(_encoded(feed))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def json_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, bytes): a JSON document or JSON lines of records, some broken."""
    leaf: st.SearchStrategy[Any] = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _value
    )
    value = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(_text, inner, max_size=3), max_leaves=6)  # fmt: skip
    record = st.fixed_dictionaries(
        {}, optional={"title": value | _prose, "text": value | _prose, "body": value,
                      "date": value, "source": value, "url": value}
    )  # fmt: skip
    if draw(st.booleans()):
        lines = draw(st.lists(st.one_of(record.map(json.dumps), _value, st.just("{not json"),
                                        st.just("[" * 3000), st.just("")), max_size=8))  # fmt: skip
        return ".jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")
    doc = draw(st.one_of(record, st.lists(record, max_size=4), value))
    return ".json", json.dumps(doc).encode("utf-8")


@st.composite
def texts(draw: st.DrawFn) -> bytes:
    """Copied web text: a title line, paragraphs, debris and hostile values."""
    lines = draw(st.lists(st.one_of(_prose, _value, st.sampled_from(
        ["", "Advertisement", "Share this article", "By Lena Osk", "(AFP) -", "\f", "\x0b"])),
        max_size=12))  # fmt: skip
    return draw(_encoded("\n".join(lines)))


def _encoded(text: str) -> st.SearchStrategy[bytes]:
    """The text in the encodings a saved file comes in (and some bytes broken)."""
    return st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]).map(
        lambda codec: text.encode(codec, errors="replace")
    ) | st.binary(max_size=8).map(lambda junk: junk + text.encode("utf-8", "replace"))


_KEYS = ["title", "slug", "date", "date_inferred", "source", "credits", "summary", "key_points",
         "topics", "actors", "places", "quotes", "events", "tags", "generator"]  # fmt: skip


@st.composite
def briefing_files(draw: st.DrawFn) -> bytes:
    """A briefing file: front matter with each key's value good, hostile or of a wrong type."""
    scalar = st.one_of(
        _prose,
        _nasty,
        st.integers().map(str),
        st.sampled_from(
            ["true", "null", "[]", "{}", '"\\0\\x01\\u0085"', "'quoted'", "2025-04-02", "|", ">-"]
        ),
    )
    good = {
        "title": "Harbour levy vote", "slug": "harbour-levy-vote", "date": "2025-04-02",
        "actors": "\n  - {name: Vera Quill, kind: person, role: mayor, mentions: 2}",
        "topics": "\n  - {id: politics, label: politics, iptc: null, score: 0.5}",
        "events": "\n  - {date: 2025-04-01, text: The vote was held.}",
        "source": "{name: Gazette, url: null, file: a.txt, sha256: null}",
    }  # fmt: skip
    lines = []
    for key in draw(st.permutations(_KEYS)):
        choice = draw(st.integers(0, 3))
        if choice == 0 and key in good:
            lines.append(f"{key}: {good[key]}")
        elif choice == 1:
            lines.append(f"{key}: {draw(scalar)}")
        elif choice == 2:
            inner = draw(st.lists(scalar, max_size=3))
            lines.append(f"{key}: [{', '.join(inner)}]")
            if key in ("actors", "topics", "events", "places", "quotes"):
                field = draw(st.sampled_from(["name", "kind", "date", "mentions", "score", "id",
                                              "text", "aliases"]))  # fmt: skip
                lines[-1] = f"{key}:\n  - {{{field}: {draw(scalar)}}}"
    extra = draw(st.lists(st.tuples(_text, scalar), max_size=2))
    lines.extend(f"{json.dumps(k)}: {v}" for k, v in extra)
    body = draw(st.one_of(_prose, _value, st.just("[[[[" * 50)))
    text = "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"
    return draw(st.sampled_from([text.encode("utf-8", "surrogatepass"),
                                 text.encode("utf-8", "replace"),
                                 text.encode("cp1252", "replace")]))  # fmt: skip
