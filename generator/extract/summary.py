"""Extractive summary and key points: the article's most telling sentences, once each."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from generator.extract.keyphrases import stop_words
from generator.extract.sentences import Sentence
from generator.extract.spans import Spans
from generator.extract.wordlist import read_lines

MIN_WORDS, MAX_WORDS = 7, 60
MAX_POINTS = 5
SUMMARY_SHORT = 22  # a lead shorter than this many words gets a second sentence
NEAR_DUPLICATE = 0.6  # share of content words that makes two sentences the same news
_WORD_RE = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_OPEN_QUOTES = "\"“‘'"


@dataclass(frozen=True)
class Digest:
    """The summary (1-2 sentences) and the key points (3-5 sentences)."""

    summary: str
    key_points: tuple[str, ...]


@cache
def _debris_re() -> re.Pattern[str]:
    """Phrases that mark a sentence as page furniture rather than news."""
    words = read_lines("summary_debris.txt")
    # Testing the phrases' first letters once per position, before trying every phrase,
    # makes the usual no-match search twice as fast.
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(f"(?=[{first}])(?:{alternatives})", re.IGNORECASE)


@cache
def _pronouns() -> frozenset[str]:
    """Words that make a sentence lean on the one before it."""
    return frozenset(read_lines("summary_pronouns.txt"))


def _content(text: str) -> frozenset[str]:
    """The content words of a text, lower-cased."""
    stops = stop_words()
    return frozenset(w for w in _WORD_RE.findall(text.lower()) if w not in stops and len(w) > 2)


def _usable(sent: Sentence, quoted: Spans) -> bool:
    """Whether a sentence can stand alone in a summary."""
    if sent.start in quoted:
        return False  # inside a quote that began in an earlier sentence: no speaker here
    first = _WORD_RE.match(sent.text.lower())
    if first and first.group() in _pronouns():
        return False  # "It will ..." means nothing without the sentence before
    words = len(sent.text.split())
    if not MIN_WORDS <= words <= MAX_WORDS or sent.text[-1:] not in ".!?”\"’'":
        return False
    if sent.text[:1] in _OPEN_QUOTES:
        return False  # a quote whose speaker is in another sentence
    marks = sum(sent.text.count(c) for c in '“”"')
    if marks % 2:
        return False  # a fragment of a quote that runs across sentences
    return _debris_re().search(sent.text) is None


def _score(
    index: int,
    sent: Sentence,
    words: frozenset[str],
    title_words: frozenset[str],
    phrases: Sequence[str],
    mention_starts: Sequence[int],
) -> float:
    """Position, overlap with the title, key phrases and actors named."""
    position = 1.0 / (1.0 + index * 0.5)
    overlap = len(words & title_words) / (len(title_words) or 1)
    low = sent.text.lower()
    phrase_hits = sum(1 for p in phrases if p in low)
    actors = sum(1 for s in mention_starts if sent.start <= s < sent.end)
    return 2.0 * position + 2.0 * overlap + 0.4 * phrase_hits + 0.25 * min(actors, 4)


def _same(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sentences say mostly the same thing."""
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= NEAR_DUPLICATE


def summarize(
    title: str,
    sentences: Sequence[Sentence],
    phrases: Sequence[str] = (),
    mention_starts: Sequence[int] = (),
    quoted: Sequence[tuple[int, int]] = (),
) -> Digest:
    """The lead-weighted best sentence(s) as summary, the next best as key points (in order).

    `quoted` are the (start, end) spans of quoted text: sentences starting inside one are
    fragments of a quote whose speaker is elsewhere.
    """
    title_words = _content(title)
    inside = Spans.of(quoted)
    candidates = [(i, s, _content(s.text)) for i, s in enumerate(sentences) if _usable(s, inside)]
    ranked = sorted(
        candidates,
        key=lambda c: -_score(c[0], c[1], c[2], title_words, phrases, mention_starts),
    )
    picked: list[tuple[int, Sentence]] = []
    seen: list[frozenset[str]] = []
    for i, sent, words in ranked:
        if any(_same(words, other) for other in seen):
            continue
        picked.append((i, sent))
        seen.append(words)
        if len(picked) >= MAX_POINTS + 2:
            break
    if not picked:
        return Digest("", ())
    lead = picked[0]
    summary = [lead]
    rest = picked[1:]
    if len(lead[1].text.split()) < SUMMARY_SHORT and rest:
        summary.append(rest.pop(0))
    summary.sort(key=lambda item: item[0])
    points = sorted(rest[:MAX_POINTS], key=lambda item: item[0])
    return Digest(" ".join(s.text for _, s in summary), tuple(s.text for _, s in points))


LEAD_CHARS = 300
"""A lead (summarize's stand-in for an unknown language) is cut at about this many characters."""


def lead_summary(sentences: Sequence[Sentence]) -> str:
    """The article's opening: its first sentence, and the second while the first is short,
    cut at a space near LEAD_CHARS (words and sentence lengths of any language)."""
    picked: list[str] = []
    for sent in sentences[:2]:
        if picked and len(picked[0].split()) >= SUMMARY_SHORT:
            break
        picked.append(sent.text.strip())
    text = " ".join(p for p in picked if p)
    if len(text) <= LEAD_CHARS:
        return text
    cut = text.rfind(" ", 0, LEAD_CHARS)
    return text[: cut if cut > LEAD_CHARS // 2 else LEAD_CHARS].rstrip(" ,;:") + "…"
