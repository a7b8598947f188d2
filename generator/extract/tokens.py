"""Tokenizer with character offsets, splitting text the way CoNLL-2003 was tokenized."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Token:
    """One token: its text and its character span in the source text."""

    text: str
    start: int
    end: int


# Order matters: dotted acronyms before words, numbers before words, words with
# inner hyphens/apostrophes/ampersands kept whole (CoNLL keeps "US-China", "O'Brien", "S&P").
_TOKEN_RE = re.compile(
    r"""
    (?:[^\W\d_]\.){2,}                              # U.S.  a.m.  N.J.
  | \d+(?:[.,:/-]\d+)*(?:[^\W\d_]+)?                # 1,000  3.5  1996-08-22  6-4  10th
  | [^\W_]+(?:[-'’&.][^\W_]+)*                      # words, US-China, O'Brien, S&P
  | \.{2,}|-{2,}|…                                  # ellipses and dashes
  | \S                                              # any other single character
    """,
    re.VERBOSE,
)
_CLITIC_RE = re.compile(r"^(.+?)(n['’]t|['’](?:s|re|ve|ll|d|m))$", re.IGNORECASE)
_SENT_END = frozenset({".", "!", "?"})
_CLOSERS = frozenset({'"', "”", "’", "'", ")"})


@cache
def _abbreviations() -> frozenset[str]:
    """Words that keep their trailing period (Mr., Inc., Calif.), lower-cased, without period."""
    text = (Path(__file__).resolve().parent / "data" / "abbreviations.txt").read_text("utf-8")
    return frozenset(
        w.strip().lower().rstrip(".")
        for w in text.splitlines()
        if w.strip() and not w.startswith("#")
    )


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens with offsets; clitics ('s, n't) become tokens of their own."""
    abbrev = _abbreviations()
    out: list[Token] = []
    n = len(text)
    pos = 0
    while (m := _TOKEN_RE.search(text, pos)) is not None:
        s, e = m.span()
        pos = e
        word = m.group()
        if word[0].isalpha() or word[0].isdigit():
            clitic = _CLITIC_RE.match(word)
            if clitic and len(clitic.group(1)) > 0 and not word[0].isdigit():
                cut = s + len(clitic.group(1))
                out.append(Token(text[s:cut], s, cut))
                out.append(Token(text[cut:e], cut, e))
                continue
            # A period after an initial ("M.") or a known abbreviation belongs to it.
            if (
                e < n
                and text[e] == "."
                and ((len(word) == 1 and word.isupper()) or word.lower() in abbrev)
            ):
                e += 1
                pos = e
        out.append(Token(text[s:e], s, e))
    return out


def sentences(text: str, tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Yield [i, j) token index ranges of sentences: end punctuation or a line break ends one."""
    start = 0
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        end_here = False
        if tok.text in _SENT_END or tok.text == "..." or tok.text == "…":
            j = i + 1
            while j < n and tokens[j].text in _CLOSERS:
                j += 1
            i = j - 1
            end_here = True
        elif i + 1 < n and "\n" in text[tok.end : tokens[i + 1].start]:
            end_here = True
        if end_here:
            yield start, i + 1
            start = i + 1
        i += 1
    if start < n:
        yield start, n
