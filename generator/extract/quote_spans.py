"""Find the spans of text inside quotation marks, paragraph by paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.extract.spans import Spans


@dataclass(frozen=True)
class QuoteSpan:
    """Text between quotation marks: `start`/`end` bound the inner text in the source."""

    start: int
    end: int
    open_at: int
    """Offset of the opening mark."""
    close_at: int | None
    """Offset of the closing mark; None when the paragraph ended first."""
    paragraph: int
    """Index of the paragraph (line) the opening mark is in."""
    end_paragraph: int = -1
    """Index of the paragraph the quote ends in (a long quote runs over several)."""

    def __post_init__(self) -> None:
        if self.end_paragraph < 0:
            object.__setattr__(self, "end_paragraph", self.paragraph)


_PARA_RE = re.compile(r"[^\n]+")
_OPEN_BEFORE = frozenset(" \t([{—–-/“‘\"'")
_CLOSE_AFTER = frozenset(" \t.,;:!?)]}—–-…”’\"'")
# Only the marks matter: finding them in C beats looking at every character in Python.
_DOUBLE_RE = re.compile(r'[“”"]')
_SINGLE_RE = re.compile(r"[‘’']")


def _double_spans(line: str) -> list[tuple[int, int, bool]]:
    """(open, end, closed) of double-quoted spans in one line; end is the closing mark's
    offset, or where an unclosed quote stops.

    A new opening mark while a quote is open means the open one ran to the end of a
    paragraph whose break was lost (copied text often joins paragraphs): close it there.
    """
    out: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for m in _DOUBLE_RE.finditer(line):
        i, ch = m.start(), m.group()
        opening = ch == "“" or (
            ch == '"' and _opens(line, i) and (open_at is None or _after_end(line, i))
        )
        if opening:
            if open_at is not None:
                out.append((open_at, len(line[:i].rstrip()), False))
            open_at = i
        elif open_at is not None:
            out.append((open_at, i, True))
            open_at = None
    if open_at is not None:
        out.append((open_at, len(line.rstrip()), False))
    return out


def _after_end(line: str, i: int) -> bool:
    """Whether the straight mark at `i` follows a finished sentence (". \"Next ...")."""
    before = line[:i].rstrip()
    return i > 0 and line[i - 1] == " " and before.endswith((".", "!", "?"))


def _opens(line: str, i: int) -> bool:
    """Whether the mark at `i` can open a quote: at the start or after a space/bracket."""
    return (i == 0 or line[i - 1] in _OPEN_BEFORE) and i + 1 < len(line) and line[i + 1] != " "


def _single_spans(line: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Single-quoted spans outside `taken`; a closing mark inside a word is an apostrophe."""
    out: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    covered = Spans.of((a, b + 1) for a, b in taken)
    for m in _SINGLE_RE.finditer(line):
        i, ch = m.start(), m.group()
        if i in covered:
            continue
        if open_at is None:
            if ch != "’" and _opens(line, i) and i + 1 < len(line) and line[i + 1].isalnum():
                open_at = i
        elif (
            ch != "‘"
            and (i + 1 == len(line) or line[i + 1] in _CLOSE_AFTER)
            and i > 0
            and not line[i - 1].isspace()
        ):
            out.append((open_at, i, True))
            open_at = None
    return out  # an unclosed single mark is most likely an apostrophe: no span


def find_quote_spans(text: str, start: int = 0) -> list[QuoteSpan]:
    """Quoted spans of text[start:] in order; each line is a paragraph."""
    out: list[QuoteSpan] = []
    for number, para in enumerate(_PARA_RE.finditer(text, start)):
        line, base = para.group(), para.start()
        doubles = _double_spans(line)
        taken = [(a, b) for a, b, _ in doubles]
        for open_at, end, closed in sorted(doubles + _single_spans(line, taken)):
            out.append(
                QuoteSpan(
                    start=base + open_at + 1,
                    end=base + end,
                    open_at=base + open_at,
                    close_at=base + end if closed else None,
                    paragraph=number,
                )
            )
    return out
