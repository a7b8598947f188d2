"""Dated events (the clause that says what happened on a date) and the article's own date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import cache

from generator.extract.dates import DAY, MONTH, DateMention, _words, find_dates, find_full_dates
from generator.extract.event_text import shorten, strip_date
from generator.extract.sentences import Sentence
from generator.extract.spans import Spans
from generator.model import Event

MAX_EVENT_CHARS = 200
MAX_EVENTS = 12
MAX_SENTENCE_DATES = 16
"""Dates looked at in one sentence: more make a list, not events, and each costs a pass over
the sentence (a 100,000-character "sentence" of dates took minutes)."""
_CLAUSE_RE = re.compile(r"[;:]\s|\s[–—]\s|,\s")
# A date after these bounds a span or a deadline; it does not say when something happened.
_NOT_EVENT = frozenset({"since", "until", "till", "by", "before", "after", "from", "through",
                        "between", "to", "than", "ahead", "within"})  # fmt: skip


@cache
def _event_preps() -> frozenset[str]:
    """Prepositions that date a happening ("on", "in") and leave the event text with it."""
    return frozenset(_words()["event-preposition"])


def _bracketed(text: str, at: int) -> bool:
    """Whether offset `at` of `text` is inside round brackets."""
    return text.count("(", 0, at) > text.count(")", 0, at)


def _clause(text: str, at: int) -> str:
    """The part of a long sentence around offset `at`, at most MAX_EVENT_CHARS long."""
    if len(text) <= MAX_EVENT_CHARS:
        return text
    at = max(0, min(at, len(text) - 1))  # the date phrase is gone: stay inside the text
    # A cut inside brackets would start or end the piece in the middle of them.
    cuts = [0] + [m.end() for m in _CLAUSE_RE.finditer(text) if not _bracketed(text, m.start())]
    cuts.append(len(text))
    lo = max(c for c in cuts if c <= at)
    hi = min(c for c in cuts if c > at)
    while True:  # widen by whole clauses while it fits
        grown = False
        nxt = [c for c in cuts if c > hi]
        if nxt and nxt[0] - lo <= MAX_EVENT_CHARS:
            hi, grown = nxt[0], True
        prv = [c for c in cuts if c < lo]
        if prv and hi - prv[-1] <= MAX_EVENT_CHARS:
            lo, grown = prv[-1], True
        if not grown:
            break
    piece = text[lo:hi].strip(" ,;:–—")
    if len(piece) > MAX_EVENT_CHARS:
        piece = shorten(piece, MAX_EVENT_CHARS)
    elif piece and piece[-1] not in ".!?…":
        piece += "."
    return piece[:1].upper() + piece[1:]


def _usable(d: DateMention) -> bool:
    """Whether a date phrase dates a happening (not "since May", not "next year")."""
    if d.precision not in (DAY, MONTH) or d.preposition in _NOT_EVENT:
        return False
    if d.precision == MONTH:  # "in March", "last month"; not "by the end of March"
        return (d.kind == "my" and d.preposition in _event_preps()) or d.kind == "unit"
    return True


def extract_events(
    sentences: Sequence[Sentence],
    ref: dt.date,
    quoted: Sequence[tuple[int, int]] = (),
    inferred: bool = False,
) -> tuple[Event, ...]:
    """Events: each dated sentence's clause, dates resolved against the article date `ref`.

    A date inside a quote (`quoted`: spans in the sentences' offsets) is left out: the
    quote's words without their speaker make a poor timeline entry. When `ref` is
    `inferred`, an event whose date came from it ("on Sunday", "on 3 May") says so."""
    found: list[tuple[dt.date, int, str, bool]] = []
    seen: set[tuple[dt.date, str]] = set()
    inside = Spans.of(quoted)
    for order, sent in enumerate(sentences):
        for d in find_dates(sent.text, ref)[:MAX_SENTENCE_DATES]:
            at = sent.start + d.start
            if not _usable(d) or at in inside:
                continue
            stripped = strip_date(sent.text, d, _event_preps())
            if stripped is None:
                continue  # the date cannot come out without breaking the sentence
            text = _clause(stripped, d.start)
            if len(text.split()) < 4 or (d.date, text) in seen:
                continue
            seen.add((d.date, text))
            found.append((d.date, order, text, inferred and not d.explicit_year))
    found.sort(key=lambda item: (item[0], item[1]))
    return tuple(Event(date, text, guessed) for date, _, text, guessed in found[:MAX_EVENTS])


@cache
def _published_re() -> re.Pattern[str]:
    """A "Published on:" label and the space after it, whatever its case."""
    words = sorted(_words()["published"], key=len, reverse=True)
    # Testing the first letter before the word boundary and each word is twice as fast.
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?i)(?=[{first}])\b(?:{alternatives})\b\s*(?:on|at)?\s*:?\s*")


def publication_date(
    text: str, anchor: dt.date, stamp: bool = False
) -> tuple[dt.date, bool] | None:
    """The article's own date as the text gives it, resolved against `anchor` (file time),
    and whether the text states it: (date, stated), or None.

    A "Published ..." line wins (stated when it names its year); else the latest full
    date (with its year) not after the anchor (stated only when `text` is the page's date
    stamp: in the body it is a date the article mentions, a guess); else the latest
    day-and-month date in the week before the anchor (a guess).
    """
    for m in _published_re().finditer(text):
        dates = find_dates(text, anchor, m.end(), min(len(text), m.end() + 40))
        if dates and dates[0].start == m.end() and dates[0].precision == DAY:
            return dates[0].date, dates[0].explicit_year
    # Only a day-of-month phrase can say it: the others name no day ("in March", "next
    # year") or one relative to the anchor ("on Tuesday", "yesterday").
    found = [d for d in find_full_dates(text, anchor) if d.precision == DAY and d.date <= anchor]
    full = [d.date for d in found if d.explicit_year]
    if full:
        return max(full), stamp
    recent = [d.date for d in found if not d.relative and anchor - d.date <= dt.timedelta(days=7)]
    return (max(recent), False) if recent else None
