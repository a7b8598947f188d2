"""The tense a date phrase is spoken in: its own clause first, else the nearest verb marker."""

from __future__ import annotations

import re
from functools import cache

from generator.extract.wordlist import read_table

PAST, PRESENT, FUTURE = "past", "present", "future"

# Where a clause ends: punctuation, dashes, and words that open another clause. A date's
# tense is read from its own clause ("..., whose party faces an election on April 27")
# so that a past verb elsewhere in the sentence does not drag it backwards.
_BOUNDARY_RE = re.compile(
    r"[,;:()\[\]]|\s[–—-]\s|(?<!\w)(?:that|which|who|whose|whom|while|whereas|although|though"
    r"|because|but|and|when|where|if|unless)(?!\w)",
    re.I,
)
_PARTICIPLE_RE = re.compile(r"(?<!\w)(?:be|been|being)\s+$", re.I)


@cache
def _markers(kind: str) -> tuple[str, ...]:
    """The marker words of one kind (future, past, present) from data/dates.tsv."""
    words = [row[1].lower() for row in read_table("dates.tsv") if row[0] == kind]
    return tuple(sorted(set(words), key=len, reverse=True))


def _alternation(kind: str) -> str:
    """A regex alternation of one kind's marker words."""
    return "|".join(re.escape(w) for w in _markers(kind))


@cache
def _future_re() -> re.Pattern[str]:
    """Words that look ahead: "will", "is due to", "faces", "ahead of", "upcoming"."""
    return re.compile(rf"(?<!\w)(?:{_alternation('future')})(?!\w)", re.I)


@cache
def _past_re() -> re.Pattern[str]:
    """Words that put a clause in the past: listed irregular forms, and regular -ed forms."""
    return re.compile(rf"(?<!\w)(?:{_alternation('past')}|[a-z]{{3,}}ed)(?!\w)")


@cache
def _any_re() -> re.Pattern[str]:
    """Every marker, each kind in its own group: future, listed past forms ("said"),
    regular -ed forms (often participles: "is expected to be signed") and present."""
    return re.compile(
        rf"(?<!\w)(?:(?P<future>{_alternation('future')})|(?P<said>{_alternation('past')})"
        rf"|(?P<ed>[a-z]{{3,}}ed)|(?P<present>{_alternation('present')}))(?!\w)"
    )


def is_future(clause: str) -> bool:
    """Whether a clause speaks of the future ("will meet", "is due to", "faces")."""
    return _future_re().search(clause) is not None


def tense_of(clause: str) -> str:
    """FUTURE, PAST or PRESENT for a whole clause (a look-ahead word wins over a past form)."""
    if is_future(clause):
        return FUTURE
    return PAST if _past_re().search(clause) else PRESENT


_CLAUSE_REACH = 400
"""Characters searched on either side of a date for the ends of its clause."""


def clause_bounds(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause of text[lo:hi] around the span [start, end): between the boundaries
    nearest to it on either side."""
    # A clause is short: look no further than this either side, so a text with many dates
    # (or one with no sentence breaks) costs linear time, not quadratic.
    lo, hi = max(lo, start - _CLAUSE_REACH), min(hi, end + _CLAUSE_REACH)
    left, right = lo, hi
    for m in _BOUNDARY_RE.finditer(text, lo, hi):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            right = m.start()
            break
    return left, right


def _nearest(text: str, start: int, end: int, lo: int, hi: int) -> dict[str, int]:
    """Marker kind -> distance in characters of its nearest marker to text[start:end]."""
    out: dict[str, int] = {}
    for m in _any_re().finditer(text, lo, hi):
        kind = m.lastgroup or PRESENT
        if kind in ("said", "ed") and _PARTICIPLE_RE.search(
            text, max(lo, m.start() - 7), m.start()
        ):
            continue  # "will be held": the auxiliary carries the tense, not the participle
        distance = start - m.end() if m.end() <= start else m.start() - end
        out[kind] = min(out.get(kind, distance), distance)
    return out


def _verdict(near: dict[str, int]) -> str | None:
    """The tense the markers say: a look-ahead word unless a plain past form ("said") stands
    nearer (both: present, the nearer date); then any past form; then present; None
    without markers."""
    future, said = near.get("future"), near.get("said")
    if future is not None and (said is None or future <= said):
        # "Ministers met ahead of the summit on ...": looking ahead from a past moment
        # may land on either side of the article's date, so the nearer date wins.
        return PRESENT if said is not None or "ed" in near else FUTURE
    if said is not None or "ed" in near:
        return PAST
    return PRESENT if near else None


def tense_at(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> str:
    """The tense of the date phrase text[start:end] inside the sentence text[lo:hi].

    Its own clause decides when it holds a marker ("whose party faces an election on April
    27" looks ahead whatever the rest of the sentence says); else the marker nearest to the
    phrase in the sentence; else PRESENT (the nearest date wins)."""
    stop = len(text) if hi is None else hi
    left, right = clause_bounds(text, start, end, lo, stop)
    own = _verdict(_nearest(text, start, end, left, right))
    if own is not None:
        return own
    near = _nearest(text, start, end, lo, stop)
    if not near:
        return PRESENT
    kind = min(near, key=lambda k: near[k])
    return {"future": FUTURE, "present": PRESENT}.get(kind, PAST)
