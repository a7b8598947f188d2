"""Sentence splitter with offsets, aware of abbreviations, initials, decimals and quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from generator.extract.wordlist import read_sections


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text and its character span in the source text."""

    start: int
    end: int
    text: str


# A candidate end: terminal punctuation, then any closing quotes/brackets, then space.
_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_NEXT_RE = re.compile(r"\s+([\"'“‘(\[]*)(\S+)")
_WORD_BEFORE_RE = re.compile(r"([^\s\"'“‘(\[]*)$")
_DOTTED_RE = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]$")
_LINE_RE = re.compile(r"[^\n]+")


@cache
def _lists() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(titles, other abbreviations, abbreviations before numbers, sentence starters)."""
    sections = read_sections("sentence_abbreviations.txt")
    return (
        frozenset(sections.get("titles", ())),
        frozenset(sections.get("abbreviations", ())),
        frozenset(sections.get("numbers", ())),
        frozenset(sections.get("starters", ())),
    )


def _is_end(line: str, mark_start: int, mark: str, nxt: re.Match[str] | None) -> bool:
    """Whether the punctuation `mark` at `mark_start` in `line` ends a sentence."""
    if nxt is None:
        return True
    opener, word = nxt.group(1), nxt.group(2)
    first = word[0]
    if not (first.isupper() or first.isdigit() or opener):
        return False  # "“A?” she asked." / "Acme Inc. said"
    if not mark.startswith(".") or mark.startswith(".."):
        return True
    titles, abbreviations, numbered, starters = _lists()
    before = _WORD_BEFORE_RE.search(line, max(0, mark_start - 40), mark_start)
    token = before.group(1) if before else ""
    low = token.lower()
    starts_sentence = word.strip("\"'“‘,;:").lower() in starters
    if low in titles:
        return False
    if len(token) == 1 and token.isupper():
        return False  # initials: "George W. Bush"
    if low in numbered and first.isdigit():
        return False
    if low in abbreviations or _DOTTED_RE.fullmatch(token):
        return starts_sentence  # "in the U.S. The ..." vs "U.S. President"
    return True


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """The sentences of `text`; offsets are into `text` plus `offset`. Newlines always split."""
    out: list[Sentence] = []
    for line_match in _LINE_RE.finditer(text):
        line = line_match.group()
        base = line_match.start()
        start = 0
        for m in _END_RE.finditer(line):
            if not _is_end(line, m.start(), m.group(), _NEXT_RE.match(line, m.end())):
                continue
            _add(out, line, start, m.end(), base + offset)
            start = m.end()
        _add(out, line, start, len(line), base + offset)
    return out


def _add(out: list[Sentence], line: str, start: int, end: int, shift: int) -> None:
    """Append line[start:end] stripped of surrounding space, unless it is empty."""
    piece = line[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        s = shift + start + lead
        out.append(Sentence(s, s + len(piece), piece))
