"""A page copy read line by line: each line's shape and its own features, made once."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from generator.ingest import debris

Features = dict[str, float]

WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_CAPITALISED = re.compile(r"^[\"'“‘(\[]?[A-ZÀ-ÖØ-Þ]")
_MONTH = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|"
    r"\d\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b\d{4}-\d\d-\d\d\b|"
    r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"
)
_TIME = re.compile(
    r"(?i)\b\d{1,2}[:.]\d\d\b|\b\d+\s*(?:min|mins|minutes?|hours?|hrs?|days?)\s+ago\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_BY = re.compile(r"^(?i:by|von|par|por|di|door|av)\s+[A-ZÀ-Þ]")
_SEPARATORS = re.compile(r"\s[|·•/»›]\s|\s[|·•»›]|[|·•»›]\s")
_URLISH = re.compile(r"(?i)https?://|www\.|\.(?:com|org|net|co\.uk)\b|@\w")
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’)\]]*$")
_INNER_STOP = re.compile(r"[.!?。！？]\s+\S")
_BULLET = re.compile(r"^(?:[-*•·▪–—]|\d+[.)])\s")

PROSE_WORDS = 12
"""A line of this many words that ends a sentence reads as prose."""
_SHORT_WORDS = 6
"""Lines of at most this many words make up menus, tag lists and link lists."""


@functools.cache
def _function_words() -> frozenset[str]:
    """Common English function words (data/function_words.txt): prose is full of them."""
    data = resources.files("generator.ingest").joinpath("data/function_words.txt")
    text = data.read_text("utf-8")
    return frozenset(
        w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")
    )


@dataclass(frozen=True)
class LineShape:
    """What one line looks like on its own."""

    words: int
    chars: int
    prose: bool
    """Long enough and ends a sentence: article prose, or debris that reads like it."""
    short: bool
    headline_like: bool


def bucket(value: float, edges: Sequence[float]) -> int:
    """Index of the first edge `value` is below (len(edges) past the last)."""
    for index, edge in enumerate(edges):
        if value < edge:
            return index
    return len(edges)


def _word_count(line: str, words: list[str]) -> int:
    """Words in a line; a line in a script without spaces counts one word per two characters."""
    if len(words) <= 2 and len(line) > 24 and " " not in line.strip():
        return len(line) // 2
    return len(words)


def shape(line: str) -> LineShape:
    """The shape of one line on its own."""
    words = WORD.findall(line)
    count = _word_count(line, words)
    ends = bool(_SENTENCE_END.search(line))
    return LineShape(
        words=count,
        chars=len(line),
        prose=count >= PROSE_WORDS and (ends or count >= 3 * PROSE_WORDS),
        short=count <= _SHORT_WORDS,
        headline_like=3 <= count <= 25
        and not line.endswith(".")
        and bool(_CAPITALISED.match(line)),
    )


def own_features(line: str, line_shape: LineShape) -> Features:
    """Features of a line read alone: length, shape of its ends, case, digits, debris kind."""
    words = WORD.findall(line)
    count = line_shape.words
    f: Features = {
        f"w{bucket(count, (2, 3, 4, 6, 9, 13, 20, 30, 50))}": 1.0,
        f"c{bucket(len(line), (10, 20, 40, 70, 110, 160, 250, 400))}": 1.0,
    }
    last = line[-1]
    if _SENTENCE_END.search(line):
        f["end.stop"] = 1.0
    elif last == ":":
        f["end.colon"] = 1.0
    elif last in ",;":
        f["end.comma"] = 1.0
    elif last.isdigit():
        f["end.digit"] = 1.0
    elif last.isalpha():
        f["end.alpha"] = 1.0
    else:
        f["end.other"] = 1.0
    first = line[0]
    if _BULLET.match(line):
        f["start.bullet"] = 1.0
    elif first.isdigit():
        f["start.digit"] = 1.0
    elif first.islower():
        f["start.lower"] = 1.0
    elif first in "\"'“‘«":
        f["start.quote"] = 1.0
    elif not first.isalnum():
        f["start.punct"] = 1.0
    if words:
        capitalised = sum(1 for w in words if w[:1].isupper())
        f[f"caps{bucket(capitalised / len(words), (0.2, 0.5, 0.8, 1.0))}"] = 1.0
        lowered = [w.lower() for w in words]
        function = sum(1 for w in lowered if w in _function_words())
        f[f"fw{bucket(function / len(words), (0.01, 0.1, 0.2, 0.3, 0.45))}"] = 1.0
    letters = len(_LETTERS.findall(line))
    if letters and line.upper() == line and letters >= 3:
        f["allcaps"] = 1.0
    digits = len(_DIGIT.findall(line))
    f[f"dig{bucket(digits / len(line), (0.01, 0.1, 0.3))}"] = 1.0
    if _MONTH.search(line):
        f["month"] = 1.0
    if _TIME.search(line):
        f["time"] = 1.0
    if _YEAR.search(line):
        f["year"] = 1.0
    if _BY.match(line):
        f["by"] = 1.0
    if _SEPARATORS.search(line):
        f["sep"] = 1.0
    if _URLISH.search(line):
        f["url"] = 1.0
    if "©" in line or line.lower().startswith(("copyright", "(c)")):
        f["copyright"] = 1.0
    if len(_INNER_STOP.findall(line)) >= 1:
        f["sentences"] = 1.0
    if any(c in line for c in '"“”«»'):
        f["quotes"] = 1.0
    if line_shape.headline_like:
        f["hlike"] = 1.0
    kind = debris.classify_line(line)
    if kind is not debris.LineKind.TEXT:
        f[f"kind.{kind.value}"] = 1.0
    return f


def content_words(line: str) -> set[str]:
    """A line's longer words, lower case: what two lines on one subject share."""
    return {w.lower() for w in WORD.findall(line) if len(w) > 3}


@dataclass(frozen=True)
class Page:
    """A page copy's non-empty lines and what each looks like on its own."""

    lines: list[str]
    gaps: list[bool]
    """For each line, whether a blank line came before it (a browser copy leaves one around
    paragraphs, none between menu items)."""
    shapes: list[LineShape]
    own: list[Features]
    words: list[set[str]]


def read_page(lines: list[str], gaps: list[bool]) -> Page:
    """The page with each line's shape and own features."""
    shapes = [shape(line) for line in lines]
    return Page(
        lines=lines,
        gaps=gaps,
        shapes=shapes,
        own=[own_features(line, s) for line, s in zip(lines, shapes, strict=True)],
        words=[content_words(line) for line in lines],
    )


def split_lines(text: str) -> tuple[list[str], list[bool]]:
    """The text's non-empty lines, trimmed, and for each whether a blank line came before it."""
    lines: list[str] = []
    gaps: list[bool] = []
    blank = True
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            blank = True
            continue
        lines.append(line)
        gaps.append(blank)
        blank = False
    return lines, gaps
