"""Worst-case raw inputs near the size limit: the shapes that make parsers slow.

Each shape is a file name (its suffix picks the reader) and a function giving its bytes for
a size; tests/test_budgets.py holds each to the time budget SECURITY.md states, and
`python -m tests.hostile_shapes [MB]` prints what each costs here.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

HEAD = "<html><head><title>Harbour levy vote</title></head><body><h1>Harbour levy vote</h1>"
SENTENCE = (
    "The council of Port Ardith voted on Tuesday to raise the harbour levy, Vera Quill said. "
)


def _fill(unit: str, size: int, head: str = "", tail: str = "") -> bytes:
    """`head`, then `unit` repeated up to about `size` bytes, then `tail`."""
    count = max(1, (size - len(head) - len(tail)) // max(1, len(unit.encode("utf-8"))))
    return (head + unit * count + tail).encode("utf-8")


def _one_tag_attributes(size: int) -> bytes:
    count = size // 12
    attrs = " ".join(f'a{i}="v"' for i in range(count))
    return f"{HEAD}<p {attrs}>{SENTENCE * 20}</p></body></html>".encode()


def _feed(items: str, size: int) -> bytes:
    head = "<?xml version='1.0'?><rss version='2.0'><channel><title>Gazette</title>"
    return _fill(items, size, head, "</channel></rss>")


def _item(n: int) -> str:
    return (f"<item><title>Levy vote {n}</title><description>{SENTENCE * 2}</description>"
            "<pubDate>Tue, 01 Apr 2025 10:00:00 GMT</pubDate></item>")  # fmt: skip


SHAPES: dict[str, Callable[[int], bytes]] = {
    # HTML pages
    "one-tag-many-attributes.html": _one_tag_attributes,
    "tags-of-100-attributes.html": lambda size: _fill(
        "<p " + " ".join(f"a{i}" for i in range(100)) + ">w</p>", size, HEAD),
    "deep-nesting.html": lambda size: _fill("<div>", size, HEAD + SENTENCE),
    "tiny-paragraphs.html": lambda size: _fill("<p>Levy.</p>", size, HEAD),
    "one-paragraph.html": lambda size: _fill(SENTENCE, size, HEAD + "<p>", "</p></body></html>"),
    "line-breaks.html": lambda size: _fill("word<br>", size, HEAD + "<p>"),
    "nested-tables.html": lambda size: _fill("<table><tr><td>", size, HEAD),
    "links.html": lambda size: _fill('<a href="https://e.org/x">Levy</a> ', size, HEAD + "<p>"),
    "unclosed-inline.html": lambda size: _fill("<b><i><u>w", size, HEAD + "<p>"),
    "comments.html": lambda size: _fill("<!-- c -->w ", size, HEAD + "<p>"),
    "dates-everywhere.html": lambda size: _fill(
        '<time datetime="2025-04-01">1 April 2025</time><span class="date">2025-04-01</span>',
        size, HEAD),
    "entities.html": lambda size: _fill("&amp;&lt;&#x41;", size, HEAD + "<p>"),
    "many-headings.html": lambda size: _fill("<h1>Levy</h1><h2>Vote</h2>", size, HEAD),
    # text
    "one-line.txt": lambda size: _fill(SENTENCE, size, "Harbour levy vote\n"),
    "short-lines.txt": lambda size: _fill("Levy\n", size, "Harbour levy vote\n\n"),
    "quotes.txt": lambda size: _fill('"Levy," he said. "', size, "Harbour levy vote\n\n"),
    "capitalised.txt": lambda size: _fill("Vera Quill Of Port Ardith ", size, "Levy vote\n\n"),
    "dates.txt": lambda size: _fill("On 1 April 2025, 2025-04-01 ", size, "Levy vote\n\n"),
    "no-spaces.txt": lambda size: _fill("a", size, "Harbour levy vote\n\n"),
    # feeds
    "many-items.xml": lambda size: _feed("".join(_item(n) for n in range(10)), size),
    "one-huge-item.xml": lambda size: _feed(
        f"<item><title>Levy</title><description>{SENTENCE * (size // len(SENTENCE))}"
        "</description></item>", size),
    "escaped-html-item.xml": lambda size: _feed(
        "<item><title>Levy</title><description>" + "&lt;p a=1&gt;w" * (size // 15)
        + "</description></item>", size),
    "deep-xml.xml": lambda size: _feed("<item>", size),
    # JSON
    "one-huge-text.json": lambda size: json.dumps(
        {"title": "Levy", "text": SENTENCE * (size // len(SENTENCE))}).encode(),
    "many-lines.jsonl": lambda size: _fill(
        json.dumps({"title": "Levy vote", "text": SENTENCE}) + "\n", size),
    "deep-json.json": lambda size: _fill("[", size),
    "many-keys.json": lambda size: json.dumps(
        {f"k{i}": i for i in range(size // 12)} | {"title": "Levy", "text": SENTENCE}).encode(),
}  # fmt: skip


def cost(path: Path) -> tuple[float, float, int]:
    """(CPU seconds to read, CPU seconds to extract every article read, articles) for one
    input (CPU time: what a busy machine's other work does not change much)."""
    from generator.commands.ingest import IngestOptions, _safe_extract
    from generator.config import load_config
    from generator.errors import InputError
    from generator.ingest import read_input

    config = load_config(path.parent)
    started = time.process_time()
    try:
        articles = read_input(path).articles
    except InputError:
        articles = ()
    read = time.process_time() - started
    for article in articles:
        _safe_extract(article, IngestOptions(), config)
    return read, time.process_time() - started - read, len(articles)


def main(argv: list[str]) -> None:
    """Print each shape's cost at the size given in MB (default 5, the input size limit)."""
    size = int(float(argv[0]) * 1024 * 1024) if argv else 5 * 1024 * 1024 - 1024
    folder = Path(argv[1]) if len(argv) > 1 else Path("/tmp/briefing-shapes")
    folder.mkdir(parents=True, exist_ok=True)
    names = argv[2:] or list(SHAPES)
    for name in names:
        path = folder / name
        path.write_bytes(SHAPES[name](size))
        read, extract, count = cost(path)
        print(f"{name:32} {path.stat().st_size / 1e6:5.1f} MB  read {read:6.2f} s CPU  "
              f"extract {extract:6.2f} s CPU  ({count} articles)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
