"""The language of an article's text (ISO 639-1), from py3langid's model shipped in its package."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Protocol

SAMPLE_CHARS = 1500
"""The title and the body's first characters up to this many: enough to tell, bounded time."""
MIN_LETTERS = 40
"""Fewer letters than this say too little to tell the language."""
MIN_CONFIDENCE = 0.8
"""Below this probability the text is taken as undecided (mixed, or too much like others)."""
ENGLISH_SHARE = 0.18
"""Text whose words are at least this share of data/english.txt's is English: news prose
has 0.2 to 0.6 of them, other languages' text under 0.1. The model (80 MB in memory, most
of a second to load) is asked only about the rest."""
ENGLISH_MIN_WORDS = 30
_WORD_RE = re.compile(r"[^\W\d_]+")


class _Identifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...


@cache
def _identifier() -> _Identifier:
    """py3langid's identifier with probabilities (loads its model: most of a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier: _Identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier


@cache
def _english() -> frozenset[str]:
    """The most frequent English words (data/english.txt)."""
    text = (Path(__file__).parent / "data" / "english.txt").read_text("utf-8")
    return frozenset(w for line in text.splitlines() if (w := line.strip()) and w[0] != "#")


def looks_english(text: str) -> bool:
    """Whether enough of the text's words are the commonest English ones to call it English."""
    words = _WORD_RE.findall(text.lower())
    common = _english()
    return len(words) >= ENGLISH_MIN_WORDS and sum(w in common for w in words) >= (
        ENGLISH_SHARE * len(words)
    )


def sample(title: str, body: str) -> str:
    """What the language is told from: the title and the start of the body, cut at a space."""
    text = f"{title}\n\n{body}"
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", 0, SAMPLE_CHARS)
    return text[: cut if cut > SAMPLE_CHARS // 2 else SAMPLE_CHARS]


def detect_language(title: str, body: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when it cannot be told (too
    little text, or no language clearly ahead)."""
    text = sample(title, body)
    if sum(c.isalpha() for c in text) < MIN_LETTERS:
        return None
    if looks_english(text):
        return "en"
    code, probability = _identifier().classify(text)
    return code if probability >= MIN_CONFIDENCE else None
