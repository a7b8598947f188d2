"""The tagger's features: only attributes the model knows are passed, with the same tags."""

from __future__ import annotations

from pathlib import Path

from generator.extract import ner
from generator.extract.ner_crfsuite import model_attributes
from generator.extract.ner_features import (
    build_doc_cues,
    caps_sentences,
    encoded_features,
    sentence_features,
)
from generator.extract.tokens import sentences, tokenize

TEXT = (
    "Harbour Lines Ltd said on Monday its chief executive, Anika Brandt, would step down.\n\n"
    "The Lisbon-based operator lost money last year, Ms Brandt told the Port Authority of "
    "Valmora in a letter. BRANDT TO LEAVE HARBOUR LINES"
)


def _words() -> list[list[str]]:
    tokens = tokenize(TEXT)
    return [[t.text for t in tokens[a:b]] for a, b in sentences(TEXT, tokens)]


def test_model_attributes_are_read_from_the_model_file() -> None:
    known = model_attributes(ner.MODEL_PATH)
    assert known is not None
    assert {"BOS", "EOS", "T"} <= known
    assert not any(a.startswith("d:") for a in known)  # document labels: second pass only
    second = model_attributes(ner.SECOND_PATH)
    assert second is not None and any(a.startswith("d:") for a in second)


def test_unreadable_model_means_no_filter(tmp_path: Path) -> None:
    bad = tmp_path / "broken.crfsuite"
    bad.write_bytes(b"not a model")
    assert model_attributes(bad) is None


def test_kept_features_are_the_known_subset_in_the_same_order() -> None:
    keep = ner._known_attributes()
    assert keep is not None
    words = _words()
    caps = caps_sentences(words)
    cues = build_doc_cues(words, caps)
    for ws, cap in zip(words, caps, strict=True):
        full = sentence_features(ws, cues, None, cap)
        kept = sentence_features(ws, cues, None, cap, None, keep)
        assert kept == [[a for a in f if a in keep] for f in full]


def test_encoded_features_are_the_features_in_utf8() -> None:
    keep = ner._known_attributes()
    words = [*_words(), ["Zoë", "Ötzi", "visited", "São", "Paulo", "’s", "Café", "Müller"]]
    caps = caps_sentences(words)
    cues = build_doc_cues(words, caps)
    for ws, cap in zip(words, caps, strict=True):
        for k in (None, keep):
            text = sentence_features(ws, cues, None, cap, (1, len(ws)), k)
            coded = encoded_features(ws, cues, None, cap, (1, len(ws)), k)
            assert coded == [[a.encode() for a in f] for f in text]


def test_capitals_lines_are_found() -> None:
    assert caps_sentences([["BRANDT", "TO", "LEAVE", "HARBOUR", "LINES"]]) == [True]
    assert caps_sentences([["Brandt", "to", "leave", "Harbour", "Lines"]]) == [False]
    assert caps_sentences([["EU", "AND", "US", "agree", "deal", "TODAY"]]) == [False]
    assert caps_sentences([["THE", "EU", "AND", "US", "AGREE", "deal"]]) == [True]
