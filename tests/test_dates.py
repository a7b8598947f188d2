"""Date phrases, relative dates and dated events, resolved against the article date."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.extract.dates import FULL_KINDS, find_dates, find_full_dates
from generator.extract.events import extract_events, publication_date
from generator.extract.sentences import split_sentences

TUESDAY = dt.date(2025, 11, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The deal was signed on Oct 31.", dt.date(2025, 10, 31)),
        ("It was agreed on Nov. 4.", dt.date(2025, 11, 4)),
        ("The vote took place on 31 October 2024.", dt.date(2024, 10, 31)),
        ("Results came on October 2, 2025.", dt.date(2025, 10, 2)),
        ("The minister resigned last Thursday.", dt.date(2025, 10, 30)),
        ("The minister resigned on Monday.", dt.date(2025, 11, 3)),
        ("Police said on Tuesday that nobody was hurt.", TUESDAY),
        ("The summit will open on Friday.", dt.date(2025, 11, 7)),
        ("The board met yesterday.", dt.date(2025, 11, 3)),
        ("Prices fell in March.", dt.date(2025, 3, 1)),
        ("Prices fell in December.", dt.date(2024, 12, 1)),
        ("The plant will open in March.", dt.date(2026, 3, 1)),
        ("The law takes effect next year.", dt.date(2026, 1, 1)),
        ("The firm was founded three days ago.", dt.date(2025, 11, 1)),
        ("The pact signed on Dec 30 is fragile.", dt.date(2024, 12, 30)),
    ],
)
def test_dates_resolve_against_the_article_date(text: str, expected: dt.date) -> None:
    found = find_dates(text, TUESDAY)
    assert [d.date for d in found] == [expected]


@pytest.mark.parametrize(
    "text", ["May I say something?", "Figures rose 3.5% to 4,000.", "31 Febuary"]
)
def test_no_date_where_there_is_none(text: str) -> None:
    assert find_dates(text, TUESDAY) == []


def test_events_take_the_clause_and_drop_the_date_phrase() -> None:
    body = (
        "On Oct 31, the two ministers met in Kuala Lumpur to discuss shipping.\n\n"
        "The bank raised rates yesterday, surprising most analysts.\n\n"
        "Sales have risen since March.\n\n"
        "Speaking to reporters on Nov 3, the mayor promised new buses."
    )
    events = extract_events(split_sentences(body), TUESDAY)
    assert [(e.date, e.text) for e in events] == [
        (dt.date(2025, 10, 31), "The two ministers met in Kuala Lumpur to discuss shipping."),
        (dt.date(2025, 11, 3), "The bank raised rates, surprising most analysts."),
        (dt.date(2025, 11, 3), "Speaking to reporters, the mayor promised new buses."),
    ]


def test_long_event_sentences_are_trimmed_to_their_clause() -> None:
    clause = "the council approved the new stadium on Monday"
    filler = ", although residents of the northern district had protested for months " * 4
    events = extract_events(
        split_sentences("After a long debate, " + clause + filler + "."), TUESDAY
    )
    assert len(events) == 1
    assert len(events[0].text) <= 200
    assert "council approved the new stadium" in events[0].text


def test_publication_date_from_a_published_line_or_the_latest_full_date() -> None:
    published = "Published 3 June 2024\n\nText on 5 June 2024."
    assert publication_date(published, TUESDAY) == (dt.date(2024, 6, 3), True)
    mentioned = "It began on 2 May 2023 and ended on 9 May 2023."
    assert publication_date(mentioned, TUESDAY) == (dt.date(2023, 5, 9), False)
    assert publication_date("Mar 3, 2025, 06:40 PM", TUESDAY, stamp=True) == (
        dt.date(2025, 3, 3),
        True,
    )
    recent = publication_date("The talks on Nov 2 went well.", TUESDAY)
    assert recent == (dt.date(2025, 11, 2), False)
    assert publication_date("Nothing dated here.", TUESDAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "Signed on 5 March 2004, then on March 7 and 2004-03-09.",
        "Early March 5, 2004 saw mid-March 6 and the 3rd of May.",  # "early March" takes it
        "Shares rose on Tuesday, in March and 5 years ago; Sept. 14, 2003 was the day.",
        "Nothing dated here at all, 12 people and 2004 figures.",
    ],
)
def test_full_dates_are_those_of_find_dates_naming_a_day(text: str) -> None:
    expected = [d for d in find_dates(text, TUESDAY) if d.kind in FULL_KINDS]
    assert find_full_dates(text, TUESDAY) == expected


def test_weekday_with_a_daypart_and_the_future_tense() -> None:
    events = extract_events(
        split_sentences("The minister is due to visit the flooded towns on Tuesday afternoon."),
        TUESDAY,
    )
    assert [(e.date, e.text) for e in events] == [
        (TUESDAY, "The minister is due to visit the flooded towns.")
    ]


def test_dates_inside_quotes_make_no_event() -> None:
    body = "“We met them on Monday and nothing came of it,” the mayor said."
    assert extract_events(split_sentences(body), TUESDAY, quoted=[(1, 45)]) == ()


def test_without_tense_markers_the_nearest_date_wins() -> None:
    feb = dt.date(2005, 2, 1)
    assert [d.date for d in find_dates("The city is holding a festival on 2 April.", feb)] == [
        dt.date(2005, 4, 2)
    ]
    assert [d.date for d in find_dates("The firm reported results on 28 March.", feb)] == [
        dt.date(2004, 3, 28)
    ]


def test_vague_month_phrases_make_no_event() -> None:
    body = "By the end of March the firm hopes to reach 1,000 towns. Sales rose three months ago."
    assert extract_events(split_sentences(body), TUESDAY) == ()


MARCH_3 = dt.date(2025, 3, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A present-tense verb that looks ahead, in its own clause, picks the coming date
        # even when another clause of the sentence is in the past tense.
        (
            "The timing is awkward for the premier, whose party faces a general election "
            "on April 27.",
            dt.date(2025, 4, 27),
        ),
        (
            "The coalition collapsed last week, and the party faces a general election on "
            "February 28.",
            dt.date(2026, 2, 28),
        ),
        ("Ministers met ahead of the summit on February 27.", dt.date(2025, 2, 27)),
        ("Talks resume ahead of a deadline on February 28.", dt.date(2026, 2, 28)),
        ("The hearing is scheduled for February 25.", dt.date(2026, 2, 25)),
        ("The report is due on February 20.", dt.date(2026, 2, 20)),
        ("The upcoming vote on February 26 will be close.", dt.date(2026, 2, 26)),
        ("Unions plan to strike on February 27.", dt.date(2026, 2, 27)),
        # A plain past form nearer to the date than the look-ahead word wins.
        ("He said on February 27 that he would resign.", dt.date(2025, 2, 27)),
        ("He said on April 27 that he would resign.", dt.date(2024, 4, 27)),
        # Looking ahead from a past moment: the nearer date.
        ("The minister said he would resign on April 27.", dt.date(2025, 4, 27)),
        # A participle after a look-ahead word stays in the future.
        ("The treaty is expected to be signed on February 27.", dt.date(2026, 2, 27)),
        ("The vote will be held on February 27.", dt.date(2026, 2, 27)),
        ("The treaty was signed on April 27, officials said.", dt.date(2024, 4, 27)),
    ],
)
def test_tense_is_read_from_the_dates_own_clause(text: str, expected: dt.date) -> None:
    assert [d.date for d in find_dates(text, MARCH_3)] == [expected]


def test_an_upcoming_election_is_an_event_on_the_coming_date() -> None:
    body = (
        "The coalition broke up after a row over the budget. The timing is awkward for the "
        "premier, whose party faces a general election on April 27."
    )
    events = extract_events(split_sentences(body), MARCH_3)
    assert [e.date for e in events] == [dt.date(2025, 4, 27)]


def test_a_month_with_last_or_next_year_takes_that_year() -> None:
    found = find_dates("The firm said it was sold in July last year.", MARCH_3)
    assert [d.date for d in found] == [dt.date(2024, 7, 1)]
    found = find_dates("The plant opens in May next year.", MARCH_3)
    assert [d.date for d in found] == [dt.date(2026, 5, 1)]


def test_words_that_are_also_nouns_do_not_set_the_tense() -> None:
    text = "The festival, which runs until 26 March, shows the horror hit and a new sequel."
    assert [d.date for d in find_dates(text, MARCH_3)] == [dt.date(2025, 3, 26)]
