"""Date phrases in text ("on Oct 31", "last Thursday", "in March", "next year"), resolved."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache, partial

from generator.extract.tense import FUTURE, PAST, PRESENT, is_future, tense_at, tense_of
from generator.extract.wordlist import read_table

DAY, MONTH, YEAR = "day", "month", "year"
__all__ = ["FUTURE", "PAST", "PRESENT", "DateMention", "find_dates", "is_future", "tense_of"]
_PREP_RE = re.compile(r"(?:^|(?<=\W))([A-Za-z]+)\s+$")


@dataclass(frozen=True)
class DateMention:
    """A date phrase: its span, the date it stands for and how precise that date is."""

    start: int
    end: int
    date: dt.date
    precision: str
    """day, month (the 1st stands for the month) or year (1 January stands for it)."""
    explicit_year: bool
    """Whether the phrase names its year ("2024"); else the date depends on the reference."""
    preposition: str | None
    """The word right before the phrase ("on", "in", "since"), lower-cased."""
    relative: bool = False
    """Whether the phrase only makes sense from a reference date ("yesterday", "on Monday")."""
    kind: str = ""
    """Which pattern matched: iso, dmy, mdy, my (month), wd (weekday), rel, unit, ago, yr."""


@cache
def _words() -> dict[str, dict[str, str]]:
    """kind -> word -> value from data/dates.tsv."""
    out: dict[str, dict[str, str]] = {}
    for row in read_table("dates.tsv"):
        out.setdefault(row[0], {})[row[1].lower()] = row[2] if len(row) > 2 else ""
    return out


def _alternatives(kind: str, capitalized: bool = True) -> str:
    """A regex alternation of the words of `kind`, longest first, capitalized for names."""
    words = sorted(_words()[kind], key=len, reverse=True)
    return "|".join(re.escape(w.capitalize() if capitalized else w) for w in words)


# The words other than names and numbers a phrase of _date_re can start with.
_MONTH_PART = ("early", "mid", "late")  # "early March"
_NEAR = ("last", "next", "this")  # "last Friday", "next month", "July this year"
_DAY_AROUND = ("yesterday", "tomorrow")
_YEAR_PREP = ("in", "since", "by", "until")  # "in 2004"
_OPENERS = (*_MONTH_PART, *_NEAR, *_DAY_AROUND, *_YEAR_PREP)


def _either_case(words: tuple[str, ...]) -> str:
    """Regex alternatives for the words, their first letter in either case."""
    return "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in words)


@cache
def _date_re() -> re.Pattern[str]:
    """One pattern for every date phrase; the named group that matched says which kind."""
    month = rf"(?:{_alternatives('month')})\.?"
    weekday = _alternatives("weekday")
    daypart = _alternatives("daypart", capitalized=False)
    number = _alternatives("number", capitalized=False)
    nth = r"(?:st|nd|rd|th)?"
    year = r"(?:19|20)\d\d"
    # Every phrase starts at a word boundary, with a digit or the first letter of a word
    # below: testing that once, before the alternatives, spares trying each of them at
    # every other position and word (either case of a letter: a superset is safe).
    openers = [*_words()["month"], *_words()["weekday"], *_words()["number"], *_OPENERS]
    first = "".join(sorted({c for w in openers for c in (w[0].lower(), w[0].upper())}))
    return re.compile(
        rf"""
        \b(?=[0-9{first}])(?:
        (?P<iso>\b(?P<iy>{year})-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)
      | (?P<dmy>\b(?P<d1>[0-3]?\d){nth}\s+(?:of\s+)?(?P<m1>{month})
            (?:,?\s+(?P<y1>{year}))?\b)
      | (?P<mdy>\b(?P<m2>{month})\s+(?P<d2>[0-3]?\d){nth}(?![\d:%]|\.\d)
            (?:,?\s+(?P<y2>{year}))?\b)
      | (?P<my>\b(?P<mmod>(?:{_either_case(_MONTH_PART)})[\s-]+)?(?P<m3>{month})
            (?:\s+(?:of\s+)?(?P<y3>{year})|\s+(?P<ymod>{"|".join(_NEAR)})\s+year)?\b)
      | (?P<wd>\b(?:(?P<wmod>{_either_case(_NEAR)})\s+)?(?P<w>{weekday})\b(?!s)
            (?:\s+(?:{daypart})\b)?)
      | (?P<rel>\b(?:{_either_case(_DAY_AROUND)})\b)
      | (?P<unit>\b(?P<umod>{_either_case(_NEAR)})\s+(?P<u>month|year)\b)
      | (?P<ago>\b(?P<n>\d{{1,2}}|{number})\s+(?P<au>days?|weeks?|months?|years?)\s+ago\b)
      | (?P<yr>\b(?P<yprep>{_either_case(_YEAR_PREP)})\s+(?P<y4>{year})\b(?![-/]))
        )""",
        re.VERBOSE,
    )


def _month(name: str) -> int:
    """Month number of a month name or abbreviation."""
    return int(_words()["month"][name.lower().rstrip(".")])


def _safe(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist (31 February)."""
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day)


def _pick_year(month: int, day: int, ref: dt.date, tense: str) -> dt.date | None:
    """The year for day/month: looking back in the past tense, ahead in the future, and
    the nearest to `ref` when the clause says neither."""
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _safe(y, month, day))]
    slack = dt.timedelta(days=2)
    if tense == FUTURE:
        ahead = [d for d in options if d >= ref - slack]
        return min(ahead) if ahead else None
    if tense == PAST:
        back = [d for d in options if d <= ref + slack]
        return max(back) if back else None
    return min(options, key=lambda d: abs(d - ref)) if options else None


def _add_months(ref: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after ref's month."""
    index = ref.year * 12 + ref.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _resolve(
    m: re.Match[str], ref: dt.date, tense: Callable[[], str]
) -> tuple[dt.date, str, bool] | None:
    """(date, precision, explicit year) for one match of _date_re, or None; `tense` gives
    the clause's tense, asked only by the phrases whose date depends on it."""
    g = m.group
    if g("iso"):
        d = _safe(int(g("iy")), int(g("im")), int(g("id")))
        return (d, DAY, True) if d else None
    if g("dmy") or g("mdy"):
        day, name, year = (g("d1"), g("m1"), g("y1")) if g("dmy") else (g("d2"), g("m2"), g("y2"))
        month, day_n = _month(name), int(day)
        d = _safe(int(year), month, day_n) if year else _pick_year(month, day_n, ref, tense())
        return (d, DAY, bool(year)) if d else None
    if g("my"):
        month = _month(g("m3"))
        if g("y3"):
            return dt.date(int(g("y3")), month, 1), MONTH, True
        year = ref.year
        if g("ymod"):  # "in July last year"
            return dt.date(year + {"last": -1, "next": 1}.get(g("ymod"), 0), month, 1), MONTH, False
        said = tense()
        if said == FUTURE and month < ref.month:
            year += 1
        elif said == PAST and month > ref.month:
            year -= 1
        elif said == PRESENT and abs(month - ref.month) > 6:
            year += 1 if month < ref.month else -1  # the nearer of the two
        return dt.date(year, month, 1), MONTH, False
    if g("wd"):
        return _weekday(
            int(_words()["weekday"][g("w").lower()]),
            (g("wmod") or "").lower(),
            ref,
            tense() == FUTURE,
        )
    if g("rel"):
        step = -1 if g("rel").lower() == "yesterday" else 1
        return ref + dt.timedelta(days=step), DAY, False
    if g("unit"):
        step = {"last": -1, "next": 1, "this": 0}[g("umod").lower()]
        if g("u") == "year":
            return dt.date(ref.year + step, 1, 1), YEAR, False
        return _add_months(ref, step), MONTH, False
    if g("ago"):
        raw = g("n").lower()
        n = int(raw) if raw.isdigit() else int(_words()["number"][raw])
        unit = g("au").rstrip("s")
        if unit in ("day", "week"):
            return ref - dt.timedelta(days=n * (7 if unit == "week" else 1)), DAY, False
        if unit == "month":
            return _add_months(ref, -n), MONTH, False
        return dt.date(ref.year - n, 1, 1), YEAR, False
    return dt.date(int(g("y4")), 1, 1), YEAR, True


def _weekday(target: int, mod: str, ref: dt.date, future: bool) -> tuple[dt.date, str, bool]:
    """A weekday: "last X" strictly before ref, "next X" after, else by the clause's tense."""
    back = (ref.weekday() - target) % 7
    ahead = (target - ref.weekday()) % 7
    if mod == "last":
        return ref - dt.timedelta(days=back or 7), DAY, False
    if mod == "next":
        return ref + dt.timedelta(days=ahead or 7), DAY, False
    if future:  # "will meet on Tuesday" in Tuesday's paper: that day, else the coming one
        return ref + dt.timedelta(days=ahead), DAY, False
    # Past tense: the most recent such day, the article's own day included
    # ("said on Tuesday" in Tuesday's paper is that day).
    return ref - dt.timedelta(days=back), DAY, False


# A bare month name counts as a date only after one of these ("in May", not "May said").
_MONTH_ONLY_PREPS = frozenset(
    {"in", "since", "by", "until", "from", "of", "last", "next", "this", "early", "late"}
    | {"mid", "during", "before", "after", "through"}
)


_STRIP = ".,;:!?()[]\"'“”‘’"


@cache
def _triggers() -> frozenset[str]:
    """Words without which no date phrase matches: month and weekday names, and the like."""
    names = [*_words()["month"], *_words()["weekday"]]
    return frozenset(
        [n.capitalize() for n in names] + ["yesterday", "Yesterday", "tomorrow", "Tomorrow", "ago"]
    )


def _may_hold_date(text: str) -> bool:
    """A quick test on words (far cheaper than the full pattern) that most sentences fail."""
    words = [raw.strip(_STRIP) for raw in text.split()]  # strip() leaves no trailing "."
    if not _triggers().isdisjoint(words):
        return True
    # The rest needs "month", "year" or a year's digits: most texts have none of them.
    if not any(key in text for key in ("month", "year", "19", "20")):
        return False
    prev = ""
    for word in words:
        if prev in ("last", "next", "this") and word in ("month", "year"):
            return True
        year_like = word[:2] in ("19", "20") and len(word) >= 4 and word[:4].isdigit()
        if year_like and (prev in ("in", "since", "by", "until") or "-" in word):
            return True
        prev = word.lower()
    return False


def find_dates(
    text: str,
    ref: dt.date,
    start: int = 0,
    end: int | None = None,
    kinds: Collection[str] | None = None,
) -> list[DateMention]:
    """Date phrases in text[start:end], resolved against `ref`; tense from each one's clause.

    With `kinds`, only phrases of those kinds are resolved and returned (the others are
    still matched, so they take their words away from overlapping phrases as before)."""
    stop = len(text) if end is None else end
    if not _may_hold_date(text[start:stop]):
        return []
    out: list[DateMention] = []
    for m in _date_re().finditer(text, start, stop):
        if kinds is not None and m.lastgroup not in kinds:
            continue
        before = _PREP_RE.search(text, max(0, m.start() - 12), m.start())
        prep = before.group(1).lower() if before else None
        if (
            m.group("my")
            and not m.group("y3")
            and not m.group("mmod")
            and prep not in _MONTH_ONLY_PREPS
        ):
            continue  # a bare month name ("May", "March") is too often a word or a name
        resolved = _resolve(m, ref, partial(tense_at, text, m.start(), m.end(), start, stop))
        if resolved is None:
            continue
        date, precision, explicit = resolved
        if m.group("yr"):
            prep = m.group("yprep").lower()
        elif m.group("wmod") or m.group("rel") or m.group("unit") or m.group("ago"):
            prep = None  # the phrase dates itself: "last Tuesday", "yesterday"
        kind = m.lastgroup or ""
        relative = kind not in ("iso", "dmy", "mdy", "my")
        out.append(DateMention(m.start(), m.end(), date, precision, explicit, prep, relative, kind))
    return out


FULL_KINDS = frozenset({"iso", "dmy", "mdy"})
"""The kinds of phrase naming a day of a month by its number (with or without a year)."""


@cache
def _full_hints() -> tuple[re.Pattern[str], ...]:
    """Patterns a phrase of FULL_KINDS always holds a match of: a number before a month name
    (or a year's last digits and a month and a day), a month name before a number. Each one
    starts with a digit or a month name: the engine skips straight to those characters."""
    month = _alternatives("month")
    return (
        re.compile(rf"\d(?:(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{month})|\d-[01]\d-[0-3]\d)"),
        re.compile(rf"(?:{month})\.?\s+\d"),
    )


def find_full_dates(text: str, ref: dt.date) -> list[DateMention]:
    """The phrases of find_dates(text, ref) of FULL_KINDS; most texts hold no hint of one and
    are not matched against the full pattern at all."""
    if not any(hint.search(text) for hint in _full_hints()):
        return []
    return find_dates(text, ref, kinds=FULL_KINDS)
