"""Whole-page copies: the article found among a page's furniture, its headline, standfirst,
date stamp and outlet; and the line tagger's rules around its models."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.ingest.clean import MAX_PAGE_LINES, clean_web_text
from generator.ingest.webcopy.outlet import find_outlet
from generator.ingest.webcopy.stamp import stamp_date
from generator.ingest.webcopy.tagger import hysteresis, unglued

MENU = [
    "Skip to content", "Home", "World", "Business", "Tech", "Science", "Sport", "Culture",
    "Opinion", "Video", "Podcasts", "Search", "Sign in", "Subscribe",
]  # fmt: skip
FOOTER = [
    "Most read", "Vendors pack up as the harbour market closes for winter",
    "City council delays vote on new tram line", "Local team wins regional cup final",
    "About us", "Contact", "Careers", "Advertise", "Privacy policy", "Terms of use",
    "Cookie settings", "© 2025 Harbour Gazette Media Ltd. All rights reserved.",
]  # fmt: skip
ARTICLE = [
    "Storm closes the old harbour bridge for a week of repairs",
    "Engineers found cracks in two supports after the weekend's gales",
    "By Ines Callow",
    "Published 12 March 2025, 09:40",
    "Share",
    "The old harbour bridge will stay closed to traffic for at least a week after engineers "
    "found cracks in two of its supports, the city's transport office said on Tuesday.",
    "The bridge carries about 18,000 vehicles a day between the port district and the town "
    "centre, and drivers were told to expect long delays on the coast road.",
    "Advertisement",
    '"We will not reopen it until we are sure it is safe," said the office\'s director, '
    "Paulo Ferreira, who added that divers would inspect the foundations on Thursday.",
    "Repairs are expected to cost about 2 million euros, to be paid from the city's "
    "emergency fund, and a temporary ferry will run every twenty minutes until then.",
]  # fmt: skip


def page(*blocks: list[str]) -> str:
    """A page copy: each block's lines one under the other, blocks apart."""
    return "\n\n".join("\n".join(block) for block in blocks)


@pytest.fixture(scope="module")
def whole_page() -> str:
    return page(MENU, ARTICLE, FOOTER)


def test_the_headline_is_found_under_the_menu(whole_page: str) -> None:
    assert clean_web_text(whole_page).title == ARTICLE[0]


def test_menus_bylines_buttons_adverts_and_footers_are_left_out(whole_page: str) -> None:
    body = clean_web_text(whole_page).body
    for furniture in (*MENU, *FOOTER, "By Ines Callow", "Published 12 March", "Advertisement"):
        assert furniture not in body.split("\n\n"), furniture


def test_every_paragraph_of_the_article_is_kept_in_order(whole_page: str) -> None:
    paragraphs = clean_web_text(whole_page).body.split("\n\n")
    article = [p for p in paragraphs if p != ARTICLE[1]]
    assert article == [ARTICLE[5], ARTICLE[6], ARTICLE[8], ARTICLE[9]]


def test_the_standfirst_opens_the_body(whole_page: str) -> None:
    assert clean_web_text(whole_page).body.startswith(ARTICLE[1])


def test_the_date_stamp_under_the_headline_dates_the_article(whole_page: str) -> None:
    cleaned = clean_web_text(whole_page)
    assert cleaned.date == dt.date(2025, 3, 12)


def test_the_outlet_is_the_copyright_holder_without_its_legal_suffix(whole_page: str) -> None:
    assert clean_web_text(whole_page).source_hint == "Harbour Gazette Media"


def test_a_wire_agency_holding_the_copyright_is_a_credit_not_the_outlet() -> None:
    lines = ["Copyright 2025 The Associated Press. All rights reserved."]
    assert find_outlet(lines, [True]) is None


def test_a_photo_credit_with_a_copyright_sign_names_no_outlet() -> None:
    assert find_outlet(["© Reuters / Pool"], [True]) is None


def test_a_site_named_by_its_domain_in_the_furniture_is_the_outlet() -> None:
    lines = ["Harbourgazette.com", "The article", "About Harbourgazette.com"]
    assert find_outlet(lines, [True, False, True]) == "Harbourgazette.com"


def test_a_copyright_notice_inside_the_article_names_no_outlet() -> None:
    assert find_outlet(["© 2025 Harbour Gazette"], [False]) is None


@pytest.mark.parametrize(
    ("stamp", "date"),
    [
        ("Nov. 19, 2019 8:03 am ET", dt.date(2019, 11, 19)),
        ("18 NOV 2019", dt.date(2019, 11, 18)),
        ("By Jane Roe - 11/19/19 06:56 AM EST", dt.date(2019, 11, 19)),
        ("21:17 18.11.2019", dt.date(2019, 11, 18)),
        ("21/06/2014 Jane Roe", dt.date(2014, 6, 21)),
        ("By Jane Roe 2019-11-19T12:48:14Z", dt.date(2019, 11, 19)),
        ("Von Jana Rau publiziert am 25. September 2018", dt.date(2018, 9, 25)),
        ("PUBLISHED: November 19, 2019 | UPDATED: November 20, 2019", dt.date(2019, 11, 19)),
        ("24 сентября 2018", dt.date(2018, 9, 24)),
    ],
)
def test_a_date_stamp_gives_its_date(stamp: str, date: dt.date) -> None:
    assert stamp_date(stamp) == date


@pytest.mark.parametrize("stamp", ["03/04/2019", "2019", "31/02/2019", "Updated 2 hours ago"])
def test_a_stamp_without_one_sure_date_gives_none(stamp: str) -> None:
    assert stamp_date(stamp) is None


def test_an_unsure_line_near_sure_article_lines_is_kept() -> None:
    # An advert between two paragraphs lowers the model's certainty on the next one.
    assert hysteresis([0.9, 0.0, 0.0, 0.3, 0.9]) == (True, False, False, True, True)


def test_an_unsure_line_far_from_the_article_is_left_out() -> None:
    assert hysteresis([0.9, 0.0, 0.0, 0.0, 0.0, 0.3]) == (True, False, False, False, False, False)


def test_unsure_lines_chain_from_a_sure_one() -> None:
    assert hysteresis([0.9, 0.3, 0.0, 0.0, 0.3, 0.0]) == (True, True, False, False, True, False)


# Rules of the cleaner shared by page copies and saved pages.


@pytest.mark.parametrize(
    "line",
    [
        "(Reporting by Jane Roe; Editing by John Doe)",
        "Reporting by Jane Roe in Tavena; additional reporting by Tom Poe and Ann Lee; "
        "Editing by John Doe",
        "Have a tip? Jane Roe may be reached at jroe@example.org. Follow her on Twitter @jroe.",
        "Start your day with our briefing. It is read by thousands of commuters every morning. "
        "Sign up for the free daily newsletter.",
        "Get Harbour Monthly delivered through your letterbox every month. 12 issues for £20.",
        "Also on example.com Ministers clash over the new port levy as talks stall",
        "[Related: Ministers clash over the new port levy]",
        "Follow the Harbour Gazette opinion section on Facebook, Twitter and Instagram.",
    ],
)
def test_page_furniture_in_the_text_is_removed(line: str) -> None:
    text = f"Title of the story\n\nThe port reopened on Monday after a week of repairs.\n\n{line}"
    assert line not in clean_web_text(text, title="Title").body


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by the local paper found that the council had ignored the warnings.",
        "The minister may be reached at home by reporters, her office said on Monday.",
        "The talks will follow on Monday in Brussels, officials said.",
        "Also on Tuesday, the council approved a new budget for the harbour.",
    ],
)
def test_article_sentences_that_look_like_furniture_stay(line: str) -> None:
    text = f"Title of the story\n\nThe port reopened on Monday after a week of repairs.\n\n{line}"
    assert line in clean_web_text(text, title="Title").body


def test_a_paragraph_printed_twice_in_a_row_is_kept_once() -> None:
    lead = "The port reopened on Monday after a week of repairs to its two cranes."
    body = clean_web_text(f"{lead}\n\n{lead}\n\nShips queued outside.", title="Port").body
    assert body.count(lead) == 1


def test_a_paragraph_repeated_further_on_is_kept_both_times() -> None:
    question = "What inspired you to start cooking for other people?"
    paragraphs = [
        question,
        "My grandmother, who cooked for the whole street every Sunday.",
        "She never wrote a recipe down, so I learnt by watching her.",
        "Our second guest runs a bakery on the harbour front.",
        question,
        "My father, who ran a small cafe near the station for thirty years.",
    ]
    body = clean_web_text("\n\n".join(paragraphs), title="Interviews").body
    assert body.count(question) == 2


@pytest.mark.parametrize(
    "line",
    ["Jane Doe/Harbour Times/Getty Images", "NASA/JPL-Caltech/ASU", "Alex Roe | Getty Images"],
)
def test_a_photo_credit_of_names_and_slashes_is_no_article_text(line: str) -> None:
    text = (
        f"The port reopened on Monday after a week of repairs.\n\n{line}\n\nShips queued outside."
    )
    assert line not in clean_web_text(text, title="Port").body


def test_a_title_case_line_with_one_slash_stays() -> None:
    line = "US/China Trade War Deepens"
    text = (
        f"The port reopened on Monday after a week of repairs.\n\n{line}\n\nShips queued outside."
    )
    assert line in clean_web_text(text, title="Port").body


def test_a_breadcrumb_glued_to_the_headline_is_left_out_of_it() -> None:
    lines = ["Home News Business " + ARTICLE[0], ARTICLE[0], ARTICLE[1]]
    assert unglued(lines, 0) == 1
    assert unglued(lines, 1) == 1
    assert unglued([ARTICLE[0], "Business"], 0) == 0


def test_a_copy_too_long_for_one_page_is_read_as_plain_text() -> None:
    """Tagging grows with the page: past MAX_PAGE_LINES the text keeps its first line as
    headline and says why furniture was not looked for."""
    text = "Harbour levy vote\n\n" + "The levy passed.\n" * (MAX_PAGE_LINES + 1)
    cleaned = clean_web_text(text)
    assert cleaned.title == "Harbour levy vote"
    assert any("too many for one page's copy" in w for w in cleaned.warnings)
