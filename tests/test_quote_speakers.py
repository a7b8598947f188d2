"""Quote speakers on hand-annotated BBC quotes (needs ../shared): precision and recall floors."""

from __future__ import annotations

import pytest

from generator.extract.pipeline import extract
from generator.model import Article, Quote
from tests.quote_scoring import BBC, Score, load, same_speaker, score, score_file

needs_bbc = pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/corpus/bbc")


def _quotes(file_id: str, title: str, body: str) -> tuple[Quote, ...]:
    return extract(Article(title, body, f"{file_id}.txt", "0")).quotes


def test_the_scorer_counts_wrong_missed_and_unannotated_speakers() -> None:
    items: list[dict[str, str | None]] = [
        {"file": "x", "start": "We will win", "speaker": "Ann Vale"},
        {"file": "x", "start": "They lost it all", "speaker": "Bo Rees"},
        {"file": "x", "start": "slim chance", "speaker": None},
    ]
    found = (
        Quote("Ms Ann Vale", "We will win the cup."),
        Quote("Ann Vale", "They lost it all, he said."),
        Quote("Bo Rees", "slim chance"),
        Quote(None, "An unattributed line."),
    )
    s = Score()
    score_file("x", items, found, s)
    assert (s.right, s.attributed, s.found, s.gold) == (1, 3, 1, 2)
    assert len(s.errors) == 3 and s.precision == pytest.approx(1 / 3) and s.recall == 0.5
    assert same_speaker("Mr Tony Blair", "Tony Blair") and not same_speaker("Blair", "Bo Rees")


def test_the_annotations_hold_40_quotes_and_no_article_text() -> None:
    for name in ("bbc-heldout.json", "bbc-annotations.json"):
        entries = [e for items in load(name).values() for e in items]
        assert len(entries) >= 40
        assert all(len(str(e["start"]).split()) <= 6 for e in entries)


@needs_bbc
@pytest.mark.parametrize("name", ["bbc-heldout.json", "bbc-annotations.json"])
def test_speaker_precision_and_recall(name: str) -> None:
    s = score(load(name), _quotes)
    assert s.gold >= 40
    assert s.precision >= 0.90, s.errors
    assert s.recall >= 0.75, s.errors


@needs_bbc
def test_speaker_precision_and_recall_on_the_untuned_set() -> None:
    """A small set (26 speakers) scored once before its errors were looked at (0.882 and
    0.885 then): its floor is lower, one wrong speaker moves precision by 0.05."""
    s = score(load("bbc-untuned.json"), _quotes)
    assert s.gold >= 20
    assert s.precision >= 0.85, s.errors
    assert s.recall >= 0.75, s.errors
