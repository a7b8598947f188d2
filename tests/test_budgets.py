"""Every per-input step has a size and a time budget (SECURITY.md): the worst shapes hold to it.

The budgets are in CPU seconds of this process (the readers run in it), so that a busy
machine does not fail them; they are generous, and guard against what grows with the
square of an input, which blows through them by minutes: a tag of 100,000 attributes
(a minute to read), a "sentence" of dates (70 s to extract), a body of `[[[[` (minutes
of Markdown).
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from generator.briefing_md import MAX_LIST_ITEMS, MAX_MARKDOWN_CHARS, parse_briefing
from generator.errors import InputError
from generator.ingest import read_input
from generator.site.model.load import MAX_BRIEFING_BYTES, load_briefings
from generator.site.render.markdown import make_markdown
from tests.hostile_shapes import SHAPES, cost
from tests.test_hostile import run_cli
from tests.test_hostile_values import GOOD, _site_with, _with

READ_SECONDS = 10.0
"""Budget to read an input of SHAPE_BYTES (SECURITY.md: about 30 s for 5 MB)."""
EXTRACT_SECONDS = 10.0
"""Budget to extract the articles read from it."""
SHAPE_BYTES = 512 * 1024


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_worst_shape_reads_and_extracts_within_budget(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(SHAPES[name](SHAPE_BYTES))
    read, extract, _ = cost(path)
    assert read < READ_SECONDS, f"{name}: read in {read:.1f} s"
    assert extract < EXTRACT_SECONDS, f"{name}: extracted in {extract:.1f} s"


def test_a_tag_of_100000_attributes_is_cut_and_read_at_once(tmp_path: Path) -> None:
    """It took 63 s (lxml's parse and trafilatura's date search are quadratic in a tag's
    attributes); its attributes past the 100th are dropped, with a warning."""
    attrs = " ".join(f'a{i}="v{i}"' for i in range(100_000))
    path = tmp_path / "attributes.html"
    path.write_text(
        f"<html><body><h1>Harbour levy vote</h1><p {attrs}>The council voted on the levy "
        "on Tuesday, the clerk said. The vote was close.</p></body></html>",
        encoding="utf-8",
    )
    started = time.process_time()
    [article] = read_input(path).articles
    assert time.process_time() - started < 5.0
    assert article.title == "Harbour levy vote"
    assert "1 tag(s) with over 100 attributes: the rest were dropped" in article.warnings


def test_a_sentence_of_dates_is_extracted_in_bounded_time(tmp_path: Path) -> None:
    """A 200 KB "sentence" of dates took 85 s: each of its thousands of dates cost a pass
    over the sentence. Only the first 16 dates of a sentence are looked at."""
    path = tmp_path / "dates.txt"
    path.write_bytes(SHAPES["dates.txt"](200_000))
    _, extract, count = cost(path)
    assert count == 1
    assert extract < EXTRACT_SECONDS


def test_a_body_past_the_markdown_limit_is_plain_text_in_bounded_time() -> None:
    render = make_markdown()
    body = "[[a](" * (MAX_MARKDOWN_CHARS // 5 + 1)  # minutes of markdown-it
    started = time.process_time()
    html = render(body)
    assert time.process_time() - started < 2.0
    assert html == f"<p>{body}</p>\n"
    assert render("Harbour \\*levy\\* <b>vote</b>\n\nNext") == (
        "<p>Harbour *levy* &lt;b&gt;vote&lt;/b&gt;</p>\n<p>Next</p>\n"
    )
    text = GOOD + "\n" + "word " * (MAX_MARKDOWN_CHARS // 5 + 1)
    _, notes = parse_briefing(text, "x.md")
    assert any("shown as plain text (Markdown is read up to 500,000)" in n for n in notes)


def test_a_list_longer_than_the_limit_is_refused_by_key_and_line(tmp_path: Path) -> None:
    """One 0.9 MB briefing of 20,000 actors made 60,000 files (325 MB)."""
    many = "".join(
        f"  - {{name: Person {i}, kind: person}}\n" for i in range(MAX_LIST_ITEMS)
    )  # and Lena Osk
    text = _with("actors:\n", "actors:\n" + many)
    with pytest.raises(InputError) as info:
        parse_briefing(text, "x.md")
    assert info.value.line == 19
    assert "'actors' has 1,001 items (at most 1,000)" in info.value.message
    aliases = _with("aliases: [Osk]", f"aliases: [{', '.join(['Osk'] * 1001)}]")
    with pytest.raises(InputError, match="'actors' has 1,001 items"):
        parse_briefing(aliases, "x.md")
    root = _site_with(tmp_path, {"many-actors.md": _with("slug: good-quay", "slug: many", text)})
    result = run_cli(root, "build")
    assert result.returncode == 1
    assert f"error: {root / 'content' / 'briefings' / 'many-actors.md'}:19: " in result.stderr
    assert len(list((root / "site" / "actors").iterdir())) < 10


def test_a_briefing_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "briefings"
    folder.mkdir()
    with (folder / "huge.md").open("wb") as fh:
        fh.truncate(MAX_BRIEFING_BYTES + 1)  # sparse: only its size matters
    tracemalloc.start()
    try:
        loaded = load_briefings(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    [error] = loaded.errors
    assert error.message == "file too large: 16.0 MB (the limit is 16 MB)"
    assert peak < 1_000_000
