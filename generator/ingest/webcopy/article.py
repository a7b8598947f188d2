"""Find the article in a whole-page copy: its headline, standfirst and body lines, and what
the page around it says (its date stamp, its outlet)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.ingest import debris
from generator.ingest.debris import LineKind
from generator.ingest.joins import continues
from generator.ingest.webcopy.lines import content_words, shape
from generator.ingest.webcopy.outlet import find_outlet
from generator.ingest.webcopy.tagger import LineTagger

MAX_HEADLINE_WORDS = 30
"""A longer line is a paragraph, never the headline."""
_TRAILING_LINES = 3
"""Lines after the article's last that are still read for credits ('Reporting by ...')."""
_STANDFIRST_REACH = 4
"""A standfirst stands within this many lines under the headline, before the body."""
_STANDFIRST_WORDS = 8
_STAMP_REACH = 4
"""A date stamp above the headline is looked for this many lines up."""
_CONTINUATION_GAP = 4
"""A paragraph carries on the article at most this many lines after its last kept one."""
_MENU_RUN = 4
_ON_SUBJECT = 0.3
"""Share of a paragraph's longer words the article's kept paragraphs use: on its subject."""
_ENDS = (LineKind.END, LineKind.TRAILER)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_HAS_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[./]\d{1,2}[./]\d\d\b")
_TIME_OR_YEAR = re.compile(r"\b(?:19|20)\d\d\b|\d[:.]\d\d")
_PUBLISHED = re.compile(r"(?i)\b(?:published|posted|first published)\b")


@dataclass(frozen=True)
class PageArticle:
    """The article a page copy holds, and the page's lines around it."""

    title: str
    lines: tuple[str, ...]
    """The stretch from the headline to just past the body (the headline left out)."""
    keep: tuple[bool, ...]
    """For each of `lines`: article text (True) or furniture between its paragraphs."""
    outlet: str | None
    """The site the page names in its furniture (its copyright notice, its domain)."""
    stamp: str | None
    """The page's date stamp near the headline ('Nov. 19, 2019 8:03 am ET')."""


def find_article(texts: list[str], gaps: list[bool], tagger: LineTagger) -> PageArticle | None:
    """The article in a page copy's non-empty lines (`gaps`: a blank line before each);
    None when the tagger finds no article text at all."""
    tagged = tagger.tag(texts, gaps)
    head = tagged.headline_index
    body = list(tagged.body)
    if (
        head is None
        or not _MARKDOWN_HEADING.sub("", texts[head]).strip()
        or shape(texts[head]).words > MAX_HEADLINE_WORDS
    ):
        return None  # no line reads as a headline: the caller takes the first sentence
    body[head] = False
    kept = [i for i, keep in enumerate(body) if keep]
    if not kept or (kept[0] < head and texts[head].endswith(".")):
        return None  # a sentence under the article's first paragraph is none of its headline
    for index in _standfirst(texts, head, kept[0]):
        body[index] = True
    for index in _continuations(texts, body):
        body[index] = True
    kept = [i for i, keep in enumerate(body) if keep]
    first = min(kept[0], head + 1)
    last = min(len(texts), kept[-1] + 1 + _TRAILING_LINES)
    window = [i for i in range(first, last) if i != head]
    furniture = [not keep and i != head for i, keep in enumerate(body)]
    return PageArticle(
        title=_MARKDOWN_HEADING.sub("", texts[head]),
        lines=tuple(texts[i] for i in window),
        keep=tuple(body[i] for i in window),
        outlet=find_outlet(texts, furniture),
        stamp=_date_stamp(texts, head, kept[0]),
    )


def _standfirst(texts: list[str], head: int, first_body: int) -> list[int]:
    """The standfirst: sentences just under the headline, above the body, that are neither a
    byline, a date stamp, a credit nor page debris."""
    found = []
    for index in range(head + 1, min(first_body, head + 1 + _STANDFIRST_REACH)):
        line = texts[index]
        words = line.split()
        capitalised = sum(w[:1].isupper() for w in words) / max(1, len(words))
        if (
            shape(line).words >= _STANDFIRST_WORDS
            and capitalised < 0.5  # a sentence, not a title-case link or a name list
            and not _TIME_OR_YEAR.search(line)
            and debris.classify_line(line) is LineKind.TEXT
            and debris.photo_credit(line) is None
        ):
            found.append(index)
    return found


def _continuations(texts: list[str], body: list[bool]) -> list[int]:
    """Lines the models let go that carry on the article, between two kept lines or after the
    last, before any marker of comments or related stories and any menu: the rest of a
    sentence split over lines (link texts), prose on the article's own subject (most of its
    longer words are the kept paragraphs'), or prose that only known debris (an advert, a
    newsletter box, a credit) parted from the article."""
    kept_words: set[str] = set()
    for index, kept_line in enumerate(body):
        if kept_line:
            kept_words |= content_words(texts[index])
    keep = list(body)
    end = max(i for i, kept in enumerate(keep) if kept)
    parted_by_debris = True
    short_run = 0
    for index in range(kept_first(keep), len(texts)):
        line = texts[index]
        if keep[index]:
            parted_by_debris, short_run = True, 0
            continue
        kind = debris.classify_line(line)
        line_shape = shape(line)
        short_run = short_run + 1 if line_shape.short else 0
        if index > end and (
            index - end > _CONTINUATION_GAP or kind in _ENDS or short_run >= _MENU_RUN
        ):
            break
        credit = debris.photo_credit(line) is not None
        words = content_words(line)
        on_subject = bool(words) and len(words & kept_words) / len(words) >= _ON_SUBJECT
        prose = line_shape.prose and kind is LineKind.TEXT and not credit
        if (keep[index - 1] and continues(texts[index - 1], line)) or (
            prose and (on_subject or parted_by_debris)
        ):
            keep[index] = True
            end = max(end, index)
            parted_by_debris, short_run = True, 0
        elif kind is LineKind.TEXT and not credit:
            parted_by_debris = False
    return [i for i, kept in enumerate(keep) if kept and not body[i]]


def kept_first(body: list[bool]) -> int:
    """The first kept line's index."""
    return next(i for i, keep in enumerate(body) if keep)


def _date_stamp(texts: list[str], head: int, first_body: int) -> str | None:
    """The page's date stamp: a short dated line between the headline and the body ('Published'
    first), else one just above the headline."""
    below = [i for i in range(head + 1, first_body) if _is_stamp(texts[i])]
    published = [i for i in below if _PUBLISHED.search(texts[i])]
    if published or below:
        return texts[(published or below)[0]]
    above = [i for i in range(max(0, head - _STAMP_REACH), head) if _is_stamp(texts[i])]
    return texts[above[-1]] if above else None


def _is_stamp(line: str) -> bool:
    """True for a short line that carries a date with its year."""
    return len(line) <= 120 and bool(_HAS_DATE.search(line))
