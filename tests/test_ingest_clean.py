"""The web-copy cleaner on our own copied-page fixtures, the seed article and arbitrary text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest import read_articles
from generator.ingest.clean import clean_web_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "webcopy"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_0d201b724c6686a4.txt"
CASES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def _expected(name: str) -> dict[str, Any]:
    """The expectations written next to a fixture article."""
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
    return data


def test_there_are_at_least_ten_fixture_articles() -> None:
    assert len(CASES) >= 10
    assert all((FIXTURES / f"{name}.expected.json").is_file() for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_fixture_article_is_cleaned(name: str) -> None:
    expected = _expected(name)
    [article] = read_articles(FIXTURES / f"{name}.txt")
    paragraphs = article.body.split("\n\n")
    assert article.title == expected["title"]
    assert article.body.startswith(expected["first"]), paragraphs[0]
    assert article.body.endswith(expected["last"]), paragraphs[-1]
    assert list(article.credits) == expected["credits"]
    assert article.source_name == expected.get("source_hint")
    for debris in expected["absent"]:
        assert debris not in article.body, f"debris left: {debris!r}"
    for text in expected.get("present", []):
        assert text in article.body, f"article text lost: {text!r}"
    for text in expected.get("once", []):
        assert article.body.count(text) == 1, f"not exactly once: {text!r}"
    for sentence in expected.get("rejoined", []):
        assert any(sentence in p for p in paragraphs), f"not rejoined: {sentence!r}"
    assert len(paragraphs) == expected["paragraphs"], paragraphs
    assert all(p.strip() == p and "  " not in p and "\n" not in p for p in paragraphs)


@pytest.fixture
def seed() -> Path:
    """The seed article from ../shared (skips when the shared folder is absent)."""
    if not SEED.is_file():
        pytest.skip("shared seed article not available")
    return SEED


def test_seed_debris_is_gone(seed: Path) -> None:
    [article] = read_articles(seed)
    for debris in ("Sign up", "newsletters", "Follow topic", "PHOTO:", "See more on", "BLOOMBERG"):
        assert debris not in article.body
    assert article.title.startswith("China urges US to avoid")
    assert article.source_name is None  # a newsletter prompt names no outlet reliably


def test_seed_lead_sentence_appears_once(seed: Path) -> None:
    [article] = read_articles(seed)
    lead = "China called on the US to avoid four sensitive issues"
    assert article.body.count(lead) == 1
    assert article.body.startswith(lead)


def test_seed_split_link_texts_are_rejoined(seed: Path) -> None:
    [article] = read_articles(seed)
    paragraphs = article.body.split("\n\n")
    for sentence in (
        "The comments offer a reminder of the many ways that the one-year truce reached on"
        " Oct 30 in South Korea can come undone.",
        "did not come up in talks between Mr Xi and Mr Trump, it is still very important to"
        " Beijing.",
    ):
        assert any(sentence in p for p in paragraphs), sentence


def test_seed_ends_at_last_sentence_with_credits_moved(seed: Path) -> None:
    [article] = read_articles(seed)
    assert article.body.split("\n\n")[-1].endswith("would be resolved.")
    assert "Reuters" in article.credits
    assert "Bloomberg" in article.credits
    assert "Bloomberg TV" in article.body  # a mention in the text is not a credit to remove


def test_title_given_by_metadata_keeps_first_line_as_body() -> None:
    cleaned = clean_web_text("First paragraph of the story.\n\nSecond one.", title="Headline")
    assert cleaned.title == "Headline"
    assert cleaned.body == "First paragraph of the story.\n\nSecond one."


def test_body_without_title_line_takes_first_sentence() -> None:
    text = (
        "The harbour authority said on Monday that it would extend the quay by 200 metres to"
        " take larger ships, a project expected to cost 40 million and take three years to"
        " finish. Work starts in spring."
    )
    cleaned = clean_web_text(text)
    assert cleaned.title.startswith("The harbour authority said on Monday")
    assert cleaned.title.endswith("finish.")
    assert cleaned.body == text
    assert cleaned.warnings


def test_whitespace_and_invisible_characters_are_normalised() -> None:
    text = "Title\u00a0 here \n\nSome\u00a0\u00a0text\u200b   with  gaps.\u00a0 \n"
    cleaned = clean_web_text(text)
    assert cleaned.title == "Title here"
    assert cleaned.body == "Some text with gaps."


def test_glued_credit_in_capitals_only() -> None:
    text = "Title\n\nThe talks ended without a deal. REUTERS"
    assert clean_web_text(text).credits == ("Reuters",)
    mention = clean_web_text("Title\n\nThe talks ended, officials told Reuters")
    assert mention.credits == ()
    assert mention.body.endswith("told Reuters")


def test_trailer_marker_mid_article_drops_only_its_line() -> None:
    text = (
        "Title\n\nThe first paragraph of the story says what happened on Monday in the town"
        " centre.\n\nRead more: An older story about the town\n\nThe second paragraph goes on"
        " with the account of the day and ends the story properly."
    )
    body = clean_web_text(text).body
    assert "Read more" not in body
    assert "The second paragraph goes on" in body


def test_lists_and_subheadings_are_not_glued_together() -> None:
    text = (
        "Title\n\nThe winners were announced on Sunday evening at a ceremony in the capital.\n\n"
        "Best drama - The Long Shore\n\nBest comedy - Nine Lives\n\nWhat happens next\n\n"
        "The organisers will announce next year's date in June."
    )
    paragraphs = clean_web_text(text).body.split("\n\n")
    assert "Best drama - The Long Shore" in paragraphs
    assert "Best comedy - Nine Lives" in paragraphs
    assert "What happens next" in paragraphs


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cleaner_never_raises_on_arbitrary_text(text: str) -> None:
    cleaned = clean_web_text(text)
    assert "\n\n\n" not in cleaned.body
    assert "\n" not in cleaned.title


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Title", "Sign up now", "PHOTO: REUTERS", "Read more:", "Comments", "and", "the",
             "A sentence that ends.", "a fragment that", "REUTERS", "(AFP)", "", "Source: X",
             "© 2024 Someone", "Image caption,", "- item", "BLOOMBERG", "\u00a0", "Share"]
        )
    ).map("\n".join)
)  # fmt: skip
def test_cleaner_never_raises_on_debris_soup(text: str) -> None:
    cleaned = clean_web_text(text)
    assert cleaned.body == cleaned.body.strip()
