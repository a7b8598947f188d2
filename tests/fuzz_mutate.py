"""A mutation fuzzer: real inputs of each format, cut, spliced and salted with hostile tokens.

Making an input costs microseconds (one seed drawn by hypothesis, the rest from a seeded
`random.Random`), so the slow suite's 10,000 inputs per reader cost what reading them
costs. `mutated(kind, seed)` always gives the same bytes for the same seed.
"""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
MAX_BYTES = 64 * 1024
"""Mutated inputs stay small: the fuzz looks for crashes, test_budgets for slowness."""

SUFFIXES = {
    "text": (".txt", ".md"),
    "html": (".html", ".htm"),
    "feed": (".xml", ".rss", ".atom"),
    "json": (".json", ".jsonl"),
    "briefing": (".md",),
}

_ATTRS = b"<p " + b" ".join(b"a%d" % i for i in range(150)) + b">"
_COMMON = [
    b"\x00", b"\x01", b"\x1b", b"\x7f", b"\xc2\x85", b"\xe2\x80\xa8", b"\xef\xbf\xbe", b"\xff",
    b"\xe9", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\r", b"\r\n", b"\n\n", b"\t", b"\\", b'"', b"'",
    b"9" * 5000, b"2025-02-30", b"2025-12-02T25:00:00Z", b"9999-12-31", b"0001-01-01",
    b"javascript:alert(1)", b"{{ 7*7 }}", b"<script>alert(1)</script>",
]  # fmt: skip
TOKENS = {
    "text": [b"Advertisement\n", b"By Lena Osk\n", b"(AFP) - ", b"\xe2\x80\x9cQuote,\xe2\x80\x9d "
             b"she said. ", b"On 1 April 2025, ", b"\x0c", b"\x0b"],
    "html": [b"<p>", b"</p>", b"<div>" * 40, b"<!--", b"-->", b"<![CDATA[", b"&#0;", b"&#xD800;",
             b"&nbsp;", b"<br>", b"<h1>", b"</h1>", b"<title>", b"<meta property='article:"
             b"published_time' content='2025-02-30'>", b"<time datetime='9999-12-31'>", _ATTRS,
             b"<script>", b"</script>", b"<?xml version='1.0'?>", b"<html>", b"</body>"],
    "feed": [b"<item>", b"</item>", b"<entry>", b"</entry>", b"<title>", b"</title>",
             b"<description>", b"</description>", b"&lt;p&gt;", b"&lt;/p&gt;", b"&#xD800;",
             b"&#0;", b"<!DOCTYPE r [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;'>]>", b"&b;",
             b"<!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>", b"&x;",
             b"<pubDate>Mon, 31 Feb 2025 25:00:00 GMT</pubDate>", b"<link>javascript:x</link>",
             b"<![CDATA[", b"]]>", b"<rss version='2.0'><channel>"],
    "json": [b'{"title": ', b'"text": "', b'"date": "2025-02-30"', b"[" * 3000, b"{", b"}",
             b"[", b"]", b",", b":", b"null", b"1e999", b"-0", b'"\\ud800"', b'"\\u0000"',
             b"\n", b"{not json\n", b"true"],
    "briefing": [b"---\n", b"date: 2025-02-30\n", b"  mentions: ", b"  score: ", b"[" * 200,
                 b"{a: " * 50, b"&a ", b"*a ", b"!!python/object:os.system ", b'"\\0\\x01"',
                 b"  - {name: X, kind: person}\n", b"events: [{date: 9999-12-31, text: x}]\n",
                 b"? ", b"- - - ", b"|\n", b">-\n", b"%YAML 1.1\n", b"0x" + b"f" * 300,
                 b"1" + b":59" * 50, b".nan", b"~", b"title: \n", b"slug: ../../x\n"],
}  # fmt: skip


@cache
def seeds(kind: str) -> tuple[bytes, ...]:
    """Real inputs of a format to mutate: the fixtures, and a few made here."""
    found: list[bytes] = []
    suffixes = SUFFIXES[kind]
    folders = {
        "briefing": [FIXTURES / "hostile" / "site" / "content" / "briefings",
                     FIXTURES / "site" / "content" / "briefings"],
        "text": [FIXTURES / "hostile" / "articles", FIXTURES / "webcopy"],
    }.get(kind, [FIXTURES / "hostile" / "articles"])  # fmt: skip
    for folder in folders:
        found.extend(p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in suffixes)
    record = {"title": "Harbour levy vote", "text": "The council voted on the levy.",
              "date": "2025-04-02", "source": "Gazette", "url": "https://e.org/a"}  # fmt: skip
    made = {
        "json": [json.dumps(record).encode(), json.dumps([record, record]).encode(),
                 (json.dumps(record) + "\n" + json.dumps(record)).encode()],
        "html": [b"<html><head><title>Levy</title></head><body><h1>Levy vote</h1><p>The "
                 b"council voted on the levy on Tuesday, Vera Quill said.</p></body></html>"],
        "feed": [b"<?xml version='1.0'?><rss version='2.0'><channel><title>G</title><item>"
                 b"<title>Levy vote</title><description>&lt;p&gt;The council voted.&lt;/p&gt;"
                 b"</description><pubDate>Tue, 01 Apr 2025 10:00:00 GMT</pubDate></item>"
                 b"</channel></rss>"],
    }  # fmt: skip
    found.extend(made.get(kind, []))
    return tuple(s[:MAX_BYTES] for s in found if s)


def mutated(kind: str, seed: int) -> tuple[str, bytes]:
    """(file name, bytes): a seed input of `kind`, mutated one to six times."""
    rng = random.Random(f"{kind}:{seed}")
    pool = seeds(kind)
    data = bytearray(rng.choice(pool))
    tokens = TOKENS[kind] + _COMMON
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, len(data))
        op = rng.randrange(7)
        if op <= 1:  # a hostile token, the most useful change
            data[at:at] = rng.choice(tokens)
        elif op == 2:
            del data[at : at + rng.randint(1, 64)]
        elif op == 3 and data:  # a stretch repeated
            piece = bytes(data[at : at + rng.randint(1, 32)])
            data[at:at] = piece * rng.randint(2, 200)
        elif op == 4 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif op == 5:  # another input's part spliced in
            other = rng.choice(pool)
            start = rng.randint(0, len(other))
            data[at:at] = other[start : start + rng.randint(1, 512)]
        else:
            del data[at:]
    out = bytes(data[:MAX_BYTES])
    if rng.random() < 0.05:  # saved in another encoding
        out = out.decode("utf-8", "replace").encode(rng.choice(["utf-16", "cp1252"]), "replace")
    suffix = rng.choice(SUFFIXES[kind])
    return f"fuzzed{suffix}", out
