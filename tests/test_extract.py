"""The whole extractor: date precedence, and the seed article's expectations."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest

from generator.extract.pipeline import extract, resolve_date
from generator.model import Article
from tests.conftest import shared_file

SEED = ("seeds", "000_0d201b724c6686a4.txt")


def _article(body: str, **kw: object) -> Article:
    return Article(title="A story", body=body, file="a.txt", sha256="0", **kw)  # type: ignore[arg-type]


def test_date_precedence_metadata_then_option_then_text_then_file_time() -> None:
    mtime = dt.datetime(2025, 11, 6, 12, tzinfo=dt.UTC).timestamp()
    body = "Published 4 November 2025\n\nThe council met on Monday."
    meta = _article(body, date=dt.date(2025, 1, 2), mtime=mtime)
    assert resolve_date(meta, dt.date(2025, 2, 3)) == (dt.date(2025, 1, 2), False)
    assert resolve_date(_article(body, mtime=mtime), dt.date(2025, 2, 3)) == (
        dt.date(2025, 2, 3),
        False,
    )
    assert resolve_date(_article(body, mtime=mtime)) == (dt.date(2025, 11, 4), False)
    assert resolve_date(_article("No date at all.", mtime=mtime)) == (dt.date(2025, 11, 6), True)


def test_a_date_the_article_merely_mentions_is_a_guess_its_stamp_is_not() -> None:
    mtime = dt.datetime(2025, 11, 6, 12, tzinfo=dt.UTC).timestamp()
    body = "The treaty of 2 May 2023 still holds."
    assert resolve_date(_article(body, mtime=mtime)) == (dt.date(2023, 5, 2), True)
    stamped = _article(body, mtime=mtime, dateline="Nov 3, 2025, 06:40 PM")
    assert resolve_date(stamped) == (dt.date(2025, 11, 3), False)
    # A stamp without its year takes the year from the file's time: a guess again.
    assert resolve_date(_article("Published 3 November\n\nText.", mtime=mtime)) == (
        dt.date(2025, 11, 3),
        True,
    )


def test_events_dated_from_an_inferred_briefing_date_say_so() -> None:
    body = (
        "The council met on Monday to set the budget.\n\n"
        "The mayor resigned on 3 May 2024 after a long row.\n\n"
        "The bridge reopened on 2 March, ending the detours.\n\n"
        "Traders said prices rose in July last year across the region."
    )
    undated = extract(_article(body, mtime=dt.datetime(2025, 11, 6, tzinfo=dt.UTC).timestamp()))
    assert {e.text: e.date_inferred for e in undated.events} == {
        "The council met to set the budget.": True,
        "The mayor resigned after a long row.": False,
        "The bridge reopened, ending the detours.": True,
        "Traders said prices rose across the region.": True,
    }
    dated = extract(_article(body), fallback_date=dt.date(2025, 11, 4))
    assert dated.events and not any(e.date_inferred for e in dated.events)


def test_relative_dates_follow_the_resolved_article_date() -> None:
    ex = extract(
        _article("The council met on Monday to set the budget."), fallback_date=dt.date(2025, 11, 4)
    )
    assert [e.date for e in ex.events] == [dt.date(2025, 11, 3)]


@pytest.fixture(scope="module")
def seed() -> Article:
    path = shared_file(*SEED)
    if importlib.util.find_spec("generator.ingest.clean") is None:
        pytest.skip("the web-copy cleaner is not there yet")
    from generator.ingest.clean import clean_web_text

    cleaned = clean_web_text(path.read_text("utf-8"))
    return Article(title=cleaned.title, body=cleaned.body, file=path.name, sha256="0")


def test_seed_quotes_are_attributed_to_their_speakers(seed: Article) -> None:
    ex = extract(seed, fallback_date=dt.date(2025, 11, 4))
    speakers = {q.speaker for q in ex.quotes}
    assert "Xie Feng" in speakers
    by_text = {q.text: q.speaker for q in ex.quotes}
    assert by_text["all will lead to nothing but a dead end"] == "Xie Feng"
    assert "equal partner" not in by_text  # two words quoted inside a sentence: no quote
    assert any(
        s == "Xie Feng" and t.startswith("The most important thing") for t, s in by_text.items()
    )


def test_seed_events_are_dated_against_the_article_date(seed: Article) -> None:
    ex = extract(seed, fallback_date=dt.date(2025, 11, 4))
    dates = {e.date for e in ex.events}
    assert {
        dt.date(2025, 10, 30),
        dt.date(2025, 10, 31),
        dt.date(2025, 11, 3),
        dt.date(2025, 11, 4),
    } <= dates
    talks = [e.text for e in ex.events if e.date == dt.date(2025, 10, 31)]
    assert any("Hegseth" in t and not t.startswith("On ") for t in talks)
    assert all(len(e.text) <= 200 for e in ex.events)


def test_seed_topics_summary_and_tags(seed: Article) -> None:
    ex = extract(seed, fallback_date=dt.date(2025, 11, 4))
    assert ex.topics[0].id.split("/")[0] in {"economy-business-and-finance", "politics"}
    assert ex.summary.startswith("China called on the US")
    assert 3 <= len(ex.key_points) <= 5
    assert {"red lines", "trade truce"} <= set(ex.tags)
    assert not any(t in {"china", "xie feng", "us"} for t in ex.tags)


def test_sentences_respect_abbreviations_initials_decimals_and_quotes() -> None:
    from generator.extract.sentences import split_sentences

    text = (
        "Mr. Smith of Acme Inc. said growth was 3.5% in the U.S. economy. "
        "J. K. Rowling agreed. “It works,” she said. “Try it.” No. 10 declined to comment."
    )
    got = [s.text for s in split_sentences(text, 7)]
    assert got == [
        "Mr. Smith of Acme Inc. said growth was 3.5% in the U.S. economy.",
        "J. K. Rowling agreed.",
        "“It works,” she said.",
        "“Try it.”",
        "No. 10 declined to comment.",
    ]
    first = split_sentences(text, 7)[1]
    assert text[first.start - 7 : first.end - 7] == first.text
