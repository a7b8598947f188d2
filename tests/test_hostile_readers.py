"""One bad entry costs that entry: the good entries of a feed or a JSON file are still read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.ingest import MAX_ARTICLES, read_input
from tests.test_hostile import make_hostile_site, run_cli

GOOD_ITEM = """<item><title>{title}</title>
<description>&lt;p&gt;{title}: the council met on Tuesday and voted on the harbour levy,
the clerk said.&lt;/p&gt;&lt;p&gt;The vote was close.&lt;/p&gt;</description>
<pubDate>Fri, 04 Apr 2025 10:00:00 GMT</pubDate></item>"""

FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ardith Gazette</title>
{GOOD_ITEM.format(title="Harbour levy passes")}
<item><title>Only a title</title></item>
<item></item>
{GOOD_ITEM.format(title="Quay rebuilt in stone")}
</channel></rss>"""

RECORD = {
    "title": "Ferry fares rise",
    "text": "Ferry fares rise by 4% in April, the operator says.",
}
JSONL = "\n".join(
    [
        json.dumps(RECORD),
        "{not json",
        json.dumps({"title": "No body here"}),
        json.dumps({**RECORD, "title": "Tram fares fall"}),
    ]
)
JSON_LIST = json.dumps([RECORD, {"title": 5, "text": "x"}, {**RECORD, "title": "Bus fares hold"}])


def test_a_bad_entry_costs_that_entry_not_its_file(tmp_path: Path) -> None:
    root = make_hostile_site(tmp_path)
    articles = root / "content" / "articles"
    articles.mkdir()
    files = {"gazette.rss": FEED, "fares.jsonl": JSONL, "fares.json": JSON_LIST}
    for name, text in files.items():
        (articles / name).write_text(text, encoding="utf-8")

    result = run_cli(root, "ingest")

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = sorted(e for e in result.stderr.splitlines() if e.startswith("error: "))
    assert errors == [
        f"error: {articles / 'fares.json'}: item 2: 'title' must be a string",
        f"error: {articles / 'fares.jsonl'}:2: invalid JSON: Expecting property name enclosed"
        " in double quotes (column 2)",
        f"error: {articles / 'fares.jsonl'}:3: missing 'text' (or 'body')",
        f"error: {articles / 'gazette.rss'}: entry 2: title but no body",
        f"error: {articles / 'gazette.rss'}: entry 3: no article text left after removing"
        " page debris",
    ]
    made = {p.name for p in (root / "content" / "briefings").glob("*.md")}
    for slug in ("harbour-levy-passes", "quay-rebuilt-in-stone", "ferry-fares-rise",
                 "tram-fares-fall", "bus-fares-hold"):  # fmt: skip
        assert f"{slug}.md" in made, (slug, made)
    assert "6 written" in result.stdout  # the two files share one record: ferry-fares-rise-2


@pytest.mark.parametrize("suffix", [".rss", ".jsonl", ".json"])
def test_a_file_gives_at_most_max_articles_and_says_how_many_it_left(
    tmp_path: Path, suffix: str
) -> None:
    """A 5 MB feed may hold 50,000 tiny items: minutes of extraction and 50,000 pages. The
    first MAX_ARTICLES are read, and one error says how many were not."""
    count = MAX_ARTICLES + 200
    titles = [f"Levy vote number {n}" for n in range(count)]
    path = tmp_path / f"many{suffix}"
    if suffix == ".rss":
        items = "".join(GOOD_ITEM.format(title=t) for t in titles)
        path.write_text(f"<rss version='2.0'><channel><title>G</title>{items}</channel></rss>")
    else:
        records = [{**RECORD, "title": t} for t in titles]
        lines = "\n".join(map(json.dumps, records))
        path.write_text(lines if suffix == ".jsonl" else json.dumps(records))
    readout = read_input(path)
    assert [a.title for a in readout.articles] == titles[:MAX_ARTICLES]
    [error] = readout.errors
    assert error.path == str(path)
    assert f"200 more {_KIND[suffix]} not read: at most 1,000 articles" in error.message


_KIND = {".rss": "entries", ".jsonl": "lines", ".json": "items"}


def test_trafilatura_log_lines_name_their_page_and_wait_for_verbose(tmp_path: Path) -> None:
    """trafilatura logs ERROR lines ('empty HTML tree') about pages it cannot read, which
    Briefing then reads another way: they reached the user without the file's name."""
    root = make_hostile_site(tmp_path)
    articles = root / "content" / "articles"
    articles.mkdir()
    page = articles / "comment-first.html"
    page.write_bytes(b"\xef\xbb\xbf<!-- a comment -->Quay vote\n\nThe council voted on the quay.")
    quiet = run_cli(root, "ingest")
    assert quiet.returncode == 0, quiet.stderr
    assert "trafilatura" not in quiet.stderr and "ERROR" not in quiet.stderr, quiet.stderr
    (root / "content" / "briefings" / "quay-vote.md").unlink()
    loud = run_cli(root, "-vv", "ingest")
    lines = [line for line in loud.stderr.splitlines() if "trafilatura" in line]
    assert lines and all(f"{page}: trafilatura" in line for line in lines), lines


def test_a_reference_past_every_code_point_is_an_input_error(tmp_path: Path) -> None:
    """Found by the fuzz: feedparser raised OverflowError ('Python int too large to convert
    to C int') on `&#xD8000000000000000000;`, which the reader let through."""
    from generator.errors import InputError

    path = tmp_path / "huge-ref.xml"
    path.write_text("<rss version='2.0'><channel><title>Feed &#xD8000000000000000000;</title>"
                    "<item><title>A</title></item></channel></rss>")  # fmt: skip
    with pytest.raises(InputError) as info:
        read_input(path)
    assert info.value.path == str(path)
    assert "cannot read this feed: OverflowError" in info.value.message


def test_a_non_character_in_a_feed_title_is_dropped_not_raised(tmp_path: Path) -> None:
    """Found by the fuzz: U+FFFE in a feed's title made lxml raise ValueError while the
    title's markup was turned into text."""
    path = tmp_path / "nonchar.xml"
    path.write_text(f"<rss version='2.0'><channel><title>\ufffe&lt;b&gt;Feed</title>"
                    f"{GOOD_ITEM.format(title='Harbour levy passes')}</channel></rss>")  # fmt: skip
    [article] = read_input(path).articles
    assert article.source_name == "Feed"
