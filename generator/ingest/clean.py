"""Web-copy cleaning: copied page text -> title, clean paragraphs, credits, source hint."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.ingest import debris
from generator.ingest.charrefs import decode_references
from generator.ingest.debris import LineKind
from generator.ingest.joins import continues
from generator.ingest.sift import add_credits, sift_lines
from generator.ingest.webcopy.article import PageArticle, find_article
from generator.ingest.webcopy.lines import split_lines
from generator.ingest.webcopy.stamp import stamp_date
from generator.ingest.webcopy.tagger import LineTagger, default_tagger

MAX_TITLE_WORDS = 30
"""A first line longer than this is a paragraph, not a headline."""
MAX_PAGE_LINES = 5_000
"""A copy of more non-empty lines is no single page (the 65 pages of the webpages corpus
have 603 at most): it is read as plain text, since tagging grows with the page."""

_REPEAT_REACH = 3
"""A paragraph equal to one of the last this many is a repeat."""
_LEAD_WINDOW = 4
_CONTAINED_SHARE = 0.8
_MIN_CONTAINED_WORDS = 8
_CONTAINED_BIGRAMS = 0.7

_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Zero-width characters, soft hyphens and the C0/C1 controls a copy may carry.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\u2028\u2029\x0b\x0c\x85]")
_CONTINUES_WITH = re.compile(r"^[,.;:!?)\]’”%]")
_WORDS = re.compile(r"\w+")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_FIRST_SENTENCE = re.compile(r"^(.{10,200}?[.!?])(?:\s|$)")


@dataclass(frozen=True)
class CleanedText:
    """The article left after page debris is removed."""

    title: str
    """Headline, one line."""
    body: str
    """Paragraphs separated by one blank line."""
    credits: tuple[str, ...] = ()
    """Wire and photo agencies whose credits were removed, canonical names, first seen first."""
    source_hint: str | None = None
    """Outlet named clearly by the text ('Source: X', '(c) X'), else None."""
    warnings: tuple[str, ...] = ()
    """What the cleaner had to guess."""
    dateline: str | None = None
    """The page's date stamp the cleaner removed, for the extractor to read the date from."""
    date: dt.date | None = None
    """The date that stamp gives, when it gives one whole (with its year)."""


def clean_web_text(
    text: str, *, title: str | None = None, tagger: LineTagger | None = None
) -> CleanedText:
    """Clean copied web text: the line tagger finds the headline and the article's lines in a
    whole-page copy, unless a `title` is given (the text is then the article, debris and all).
    Character references are decoded first, once: every reader's text comes through here."""
    text = decode_references(text)
    title = decode_references(title) if title else title
    lines = _normalize_lines(text)
    warnings: list[str] = []
    keep: list[bool] | None = None
    page: PageArticle | None = None
    if title is None or not title.strip():
        texts, gaps = split_lines("\n".join(lines))
        if len(texts) > MAX_PAGE_LINES:
            warnings.append(
                f"{len(texts):,} lines: too many for one page's copy, so page furniture "
                "was not looked for"
            )
        else:
            page = find_article(texts, gaps, tagger or default_tagger())
        if page is None:
            title, lines, guessed = _split_title(lines)
            if guessed:
                warnings.append("no title line: the first sentence is used as the title")
        else:
            title, lines, keep = page.title, list(page.lines), list(page.keep)
    else:
        title = _one_line(title)
    sifted = sift_lines(lines, keep)
    credits = list(sifted.credits)
    paragraphs = _drop_repeats(_rejoin(list(sifted.lines)), title)
    if paragraphs:
        last, glued = debris.split_glued_credit(paragraphs[-1])
        add_credits(credits, glued)
        paragraphs[-1] = last
        paragraphs = [p for p in paragraphs if p]
    dateline = (page and page.stamp) or (sifted.stamps[0] if sifted.stamps else None)
    return CleanedText(
        title=title,
        body="\n\n".join(paragraphs),
        credits=tuple(credits),
        source_hint=(page and page.outlet) or (sifted.hints[0] if sifted.hints else None),
        warnings=tuple(warnings),
        dateline=dateline,
        date=stamp_date(dateline) if dateline else None,
    )


def _normalize_lines(text: str) -> list[str]:
    """Split into trimmed lines with invisible characters gone and spaces collapsed."""
    text = _LINE_BREAKS.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _collapse_spaces(_ODD_SPACES.sub(" ", _INVISIBLE.sub("", text)))
    return [line.strip() for line in text.split("\n")]


def _collapse_spaces(text: str) -> str:
    """Collapse runs of spaces (str.replace: several times faster than a regex here)."""
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def _one_line(text: str) -> str:
    """Collapse a title's whitespace onto one line."""
    return " ".join(_INVISIBLE.sub("", text).split())


def _split_title(lines: list[str]) -> tuple[str, list[str], bool]:
    """Take the first non-debris line as the title; a long first paragraph yields its sentence."""
    for index, line in enumerate(lines):
        if not line or debris.classify_line(line) is not LineKind.TEXT:
            continue
        line = _MARKDOWN_HEADING.sub("", line)
        if len(line) <= 300 and line.count(" ") < MAX_TITLE_WORDS:
            return line, lines[index + 1 :], False
        match = _FIRST_SENTENCE.match(line[:400])
        title = match[1] if match else _shorten(line)
        return title, lines[index:], True
    return "", [], False


def _shorten(line: str, limit: int = 100) -> str:
    """Cut a long line at a word boundary, marking the cut."""
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _rejoin(units: list[str]) -> list[str]:
    """Join a paragraph that stops mid-sentence with the fragments that continue it."""
    paragraphs: list[list[str]] = []  # pieces joined at the end: no quadratic concatenation
    previous = ""
    for unit in units:
        if paragraphs and continues(previous, unit):
            if _CONTINUES_WITH.match(unit):
                paragraphs[-1].append(unit)
            else:
                paragraphs[-1].extend((" ", unit))
        else:
            paragraphs.append([unit])
        previous = unit
    return ["".join(pieces) for pieces in paragraphs]


def _drop_repeats(paragraphs: list[str], title: str) -> list[str]:
    """Drop the title and a paragraph repeated right after itself (a standfirst printed
    twice, a caption over its paragraph), and a caption or standfirst that repeats the lead.
    A paragraph repeated further on stays: an interview's question, a recipe's step."""
    unique: list[str] = []
    recent: list[str] = [_key(title)]
    for paragraph in paragraphs:
        key = _key(paragraph)
        if key in recent:
            continue
        recent = [*recent[-(_REPEAT_REACH - 1) :], key]
        unique.append(paragraph)

    # Each paragraph's words and word pairs, made only when a comparison needs them.
    @functools.cache
    def tokens(i: int) -> list[str]:
        return _WORDS.findall(unique[i][:2000].lower())

    @functools.cache
    def words(i: int) -> set[str]:
        return set(tokens(i))

    @functools.cache
    def pairs(i: int) -> set[tuple[str, str]]:
        return set(itertools.pairwise(tokens(i)))

    compared = min(len(unique), _LEAD_WINDOW * 2 + 1)
    dropped: set[int] = set()
    for index in range(min(_LEAD_WINDOW, compared)):
        if len(words(index)) < _MIN_CONTAINED_WORDS:
            continue
        for later in range(index + 1, min(index + 1 + _LEAD_WINDOW, compared)):
            # Most words and word pairs again: the same sentence, not a lead and its follow-up.
            if (
                later not in dropped
                and len(tokens(later)) > len(tokens(index))
                and _contained(words, pairs, index, later)
            ):
                dropped.add(index)
                break
    return [p for i, p in enumerate(unique) if i not in dropped]


def _contained(
    words: Callable[[int], set[str]], pairs: Callable[[int], set[tuple[str, str]]], a: int, b: int
) -> bool:
    """True when paragraph a's words and word pairs (`words(i)`, `pairs(i)`: paragraph i's)
    are largely found in paragraph b."""
    if len(words(a) & words(b)) < _CONTAINED_SHARE * len(words(a)):
        return False
    return len(pairs(a) & pairs(b)) >= _CONTAINED_BIGRAMS * len(pairs(a))


def _key(paragraph: str) -> str:
    """A paragraph's identity for duplicate checks: lower case, without trailing punctuation."""
    return paragraph.lower().rstrip(" .!?…")
