"""Extractive summary, key points and key phrases."""

from __future__ import annotations

from generator.extract.keyphrases import extract_keyphrases
from generator.extract.sentences import split_sentences
from generator.extract.summary import summarize

TITLE = "City council approves new tram line after long debate"
BODY = (
    "The city council approved a new tram line linking the airport to the centre on Monday, "
    "ending two years of debate over the cost of the project.\n\n"
    "The council approved the new tram line linking the airport and the centre, ending the "
    "long debate.\n\n"
    "“It is a great day for the city,” said Mayor Jane Doe.\n\n"
    "Building work on the tram line will start next spring and take three years.\n\n"
    "The tram line is expected to cost 400 million euros, paid partly by national grants.\n\n"
    "“Traffic will fall.\n\n"
    "Critics say the tram line money should have gone to buses in the poorer districts.\n\n"
    "Sign up for our newsletter to get the latest city news in your inbox every day.\n\n"
    "Short one."
)


def test_summary_is_the_lead_and_points_repeat_nothing() -> None:
    digest = summarize(TITLE, split_sentences(BODY))
    assert digest.summary.startswith("The city council approved a new tram line")
    assert 3 <= len(digest.key_points) <= 5
    everything = [digest.summary, *digest.key_points]
    assert len(set(everything)) == len(everything)
    assert not any(p.startswith("The council approved the new tram line") for p in everything)
    assert not any("newsletter" in p or p == "Short one." for p in everything)
    assert not any(p.startswith(("“", '"')) for p in everything)


def test_key_phrases_are_lowercase_phrases_without_names() -> None:
    tags = extract_keyphrases(TITLE, BODY, names=["Jane Doe"])
    assert 3 <= len(tags) <= 8
    assert tags[0] == "tram line"
    assert all(t == t.lower() for t in tags)
    assert not any("jane" in t or "doe" in t for t in tags)
