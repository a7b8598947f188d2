"""The date a page's date stamp gives ('Nov. 19, 2019 8:03 am ET', '19.11.2019', '2019-11-19')."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from importlib import resources

_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_NUMERIC = re.compile(r"(?<![\d.:/])(\d{1,2})([./-])(\d{1,2})\2((?:19|20)?\d\d)(?![\d./])")
_WORD = r"[^\W\d_]{3,10}\.?"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\.?(?: de)? ({_WORD})(?: de)?,? ((?:19|20)\d\d)\b"
)
_MONTH_DAY_YEAR = re.compile(rf"\b({_WORD}) (\d{{1,2}})(?:st|nd|rd|th)?,? ((?:19|20)\d\d)\b")
# A 12-hour clock or a US time zone: the page writes its numeric dates month first.
_US = re.compile(r"(?i)\b(?:a\.?m|p\.?m|[ecmp][sd]?t)\b")


@functools.cache
def _months() -> dict[str, int]:
    """Month names and abbreviations, lower case (data/months.tsv)."""
    text = resources.files("generator.ingest").joinpath("data/months.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {word: int(number) for word, number in rows}


def stamp_date(line: str) -> dt.date | None:
    """The first date with its year that a stamp line gives, or None (an ambiguous numeric
    date such as 03/04/2019 on a page that gives no sign of its order is none)."""
    found: list[tuple[int, dt.date]] = []
    for match in _ISO.finditer(line):
        _add(found, match.start(), int(match[1]), int(match[2]), int(match[3]))
    for match in _DAY_MONTH_YEAR.finditer(line):
        month = _months().get(match[2].lower().rstrip("."))
        if month:
            _add(found, match.start(), int(match[3]), month, int(match[1]))
    for match in _MONTH_DAY_YEAR.finditer(line):
        month = _months().get(match[1].lower().rstrip("."))
        if month:
            _add(found, match.start(), int(match[3]), month, int(match[2]))
    for match in _NUMERIC.finditer(line):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        year += 2000 if year < 100 else 0
        if first > 12 or first == second:
            day, month = first, second
        elif second > 12 or _US.search(line):
            month, day = first, second
        else:
            continue  # 03/04/2019 with no sign of the order: no date rather than a guess
        _add(found, match.start(), year, month, day)
    return min(found)[1] if found else None


def _add(found: list[tuple[int, dt.date]], at: int, year: int, month: int, day: int) -> None:
    """Add the date at a position in the line, when it exists."""
    with contextlib.suppress(ValueError):
        found.append((at, dt.date(year, month, day)))
