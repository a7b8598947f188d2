"""Tokenizer with character offsets, splitting text the way CoNLL-2003 was tokenized."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple


class Token(NamedTuple):
    """One token: its text and its character span in the source text (a tuple: made often)."""

    text: str
    start: int
    end: int


# Order matters: dotted acronyms, numbers, clitics ('s) apart, then words with inner
# hyphens/apostrophes/ampersands kept whole (CoNLL keeps "US-China", "O'Brien", "S&P").
_TOKEN_RE = re.compile(
    r"""
    (?:[^\W\d_]\.){2,}(?:-[^\W_]+)*                   # U.S.  a.m.  N.J.  U.S.-based
  | \d+(?:[.,:/-]\d+)*(?:[^\W\d_]+)?                  # 1,000  3.5  1996-08-22  6-4  10th
  | ['’](?i:s|re|ve|ll|d|m)(?!\w)                     # 's  're
  | [^\W_]+(?:(?:[-&.]|['’](?!(?i:s|re|ve|ll|d|m)(?!\w)))[^\W_]+)*   # words, O'Brien
  | \.{2,}|-{2,}|…                                   # ellipses and dashes
  | \S                                                # any other single character
    """,
    re.VERBOSE,
)
_NT_RE = re.compile(r"^(.+)(n['’]t)$", re.IGNORECASE)
_ENDS = frozenset({".", "!", "?", "...", "…"})
_NEWLINE_RE = re.compile(r"\n")
_CLOSERS = frozenset({'"', "”", "’", "'", ")"})


@cache
def _abbreviations() -> frozenset[str]:
    """Words that keep their trailing period (Mr., Inc., Calif.), lower-cased, without period."""
    text = (Path(__file__).resolve().parent / "data" / "abbreviations.txt").read_text("utf-8")
    return frozenset(
        w.strip().lower().rstrip(".") for w in text.splitlines() if w.strip() and w[0] != "#"
    )


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens with offsets; clitics ('s, n't) become tokens of their own."""
    abbrev = _abbreviations()
    out: list[Token] = []
    make = tuple.__new__  # NamedTuple's own constructor costs twice as much, per token
    for m in _TOKEN_RE.finditer(text):
        word = m.group()
        if word == "." and out:
            prev = out[-1]
            # A period glued to an initial ("J.") or an abbreviation ("Mr.") belongs to it.
            if prev.end == m.start() and (
                (len(prev.text) == 1 and prev.text.isupper()) or prev.text.lower() in abbrev
            ):
                out[-1] = Token(prev.text + ".", prev.start, m.end())
                continue
        elif ("'" in word or "’" in word) and (nt := _NT_RE.match(word)):
            cut = m.start() + len(nt.group(1))
            out.append(Token(nt.group(1), m.start(), cut))
            out.append(Token(nt.group(2), cut, m.end()))
            continue
        out.append(make(Token, (word, m.start(), m.end())))
    return out


def sentences(text: str, tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Yield [i, j) token index ranges of sentences: end punctuation or a line break ends one."""
    n = len(tokens)
    # Only tokens that may end a sentence are visited: end marks, and the last token before
    # each line break (found by bisecting token starts: tokens hold no whitespace).
    ends = {i for i, tok in enumerate(tokens) if tok.text in _ENDS}
    if "\n" in text:
        starts = [tok.start for tok in tokens]
        for m in _NEWLINE_RE.finditer(text):
            i = bisect_left(starts, m.start()) - 1
            if 0 <= i < n - 1 and "\n" in text[tokens[i].end : tokens[i + 1].start]:
                ends.add(i)
    start = 0
    for i in sorted(ends):
        if i < start:
            continue  # a closing quote already taken into the sentence before
        if tokens[i].text in _ENDS:
            j = i + 1
            while j < n and tokens[j].text in _CLOSERS:
                j += 1
        else:
            j = i + 1
        yield start, j
        start = j
    if start < n:
        yield start, n
