"""Sift copied page lines: drop debris and trailers, take credits and source hints out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.ingest import debris
from generator.ingest.debris import LineKind

_PROSE_WORDS = 15
"""A line this long that ends a sentence is article prose (related-link headlines are shorter)."""
_CAPTION_WORDS = 40
_EDGE_LINES = 8
"""Page furniture (dates, bylines) sits within this many lines of the top."""

_HAS_WORD = re.compile(r"[^\W_]")
_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)"
# "Jane Doe", "By Jane Doe and John Roe", "Jane Doe in Tavena": a byline without its label.
_NAME_LINE = re.compile(rf"(?:by )?{_NAME}{{1,3}}(?: (?:and|in) {_NAME}{{0,3}})?")
_PROMO = re.compile(r"\b(?:e-?mails?|inbox|newsletters?|sign up|subscribe)\b", re.IGNORECASE)
_SOURCE_LABEL = re.compile(r"source\s*:", re.IGNORECASE)
_STAMP = re.compile(r"\b(?:19|20)\d\d\b|\d[:.]\d\d|\bago\b", re.IGNORECASE)
_BYLINE = re.compile(
    r"(?i:by|words by|written by)\s+(?P<name>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3})"
)
_BIO_VERBS = (" is ", " was ", " writes ", " covers ", " reports ", " has been ", " lives ")
# A removed line that carries a date: a month name or an ISO date, with a year.
_DATED = re.compile(
    r"(?i)^(?=.*\b(?:19|20)\d\d\b)(?:(?:published|updated|posted|first published|last updated|"
    r"date)\b.{0,20})?.{0,20}\b(?:\d{4}-\d\d-\d\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)"
)
_UNDER_NAME = (LineKind.BYLINE, LineKind.DATE)
_CAPTION_LABEL = re.compile(r"(?:image|picture|photo|video|media) caption\s*[:,]?", re.IGNORECASE)
# Bylines and contribution notes name the agencies that wrote the story.
_CREDIT_LINE = re.compile(
    r"^(?:\w+ )?(?:reporting )?by\b|\bcontributed\b|\binputs? from\b", re.IGNORECASE
)
_VALUE_LABEL = re.compile(
    r"(?:source|date|dateline|published|updated|posted|credit|photo|photograph|picture|image"
    r"|image source|photo credit|copyright)\s*:",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    # "PARIS", "Lyon (France)", then the agency in brackets and a dash
    r"^(?P<place>[A-Z][\w .,'’/-]{0,60}?(?: \([A-Z][\w .'’-]{0,30}\))?)?"
    r"\s*\((?P<agency>[A-Za-z][A-Za-z .&-]{0,40})\)\s*(?:[-–—]+|:)\s*"
)


@dataclass(frozen=True)
class Sifted:
    """The lines of article text left, and what the debris said about the article."""

    lines: tuple[str, ...]
    credits: tuple[str, ...]
    hints: tuple[str, ...]
    stamps: tuple[str, ...] = ()
    """Date stamps removed from the page ('Published 4 March 2025'): the likely publication date."""


def add_credits(credits: list[str], names: list[str]) -> None:
    """Append agency names not yet credited (keeps first-seen order)."""
    credits.extend(n for n in names if n not in credits)


def sift_lines(lines: list[str], keep: list[bool] | None = None) -> Sifted:
    """Remove debris lines and trailers; collect agency credits and source hints. With `keep`
    (the line tagger's verdict per line) a line it dropped is debris whatever it says."""
    if keep is None:
        keep = [True] * len(lines)
    pairs = [(line, kept) for line, kept in zip(lines, keep, strict=True) if line]
    units = _merge_labels([line for line, _kept in pairs])
    kinds = [debris.classify_line(u) for u in units]
    # A label merged with its value ('Source:' + 'X') leaves fewer units: then no verdicts.
    dropped = (
        [not kept for _line, kept in pairs] if len(units) == len(pairs) else [False] * len(units)
    )
    prose_after = _prose_after(units, kinds)
    total = sum(len(u) for u in units) or 1
    credits: list[str] = []
    hints: list[str] = []
    kept: list[str] = []
    seen = 0
    skip_caption = promo = False
    writers: list[str] = []
    stamps: list[str] = []
    for index, (line, kind) in enumerate(zip(units, kinds, strict=True)):
        seen += len(line)
        if kind is LineKind.DATE and not _is_stamp(line, index, len(units)):
            kind = LineKind.TEXT
        if (
            (kind is not LineKind.TEXT or dropped[index])
            and index < _EDGE_LINES
            and _DATED.match(line)
        ):
            stamps.append(line)
        if skip_caption:
            skip_caption = False
            if kind is LineKind.TEXT and line.count(" ") < _CAPTION_WORDS:
                continue
        if kind is LineKind.END and seen > total / 2:
            break
        if kind is LineKind.TRAILER:
            if not prose_after[index]:
                break
            # A label alone ("Read more:") mid-article: the linked headline is on the next line.
            skip_caption = line.endswith(":") or line.count(" ") < 2
            continue
        if kind in _UNDER_NAME and kept and len(kept) < 4 and _NAME_LINE.fullmatch(kept[-1]):
            writers.append(kept.pop())  # the writer's name above their role or the date
        byline = _BYLINE.match(line) if kind is not LineKind.TEXT else None
        if byline:
            writers.append(byline["name"])
        if kind is LineKind.TEXT and _is_writer_bio(line, writers):
            continue
        if promo and kind is LineKind.TEXT and _PROMO.search(line) and line.count(" ") < 40:
            continue  # the blurb under a newsletter's name
        promo = kind is LineKind.DEBRIS and "newsletter" in line.lower()
        if kind is not LineKind.TEXT or not _HAS_WORD.search(line):
            skip_caption = bool(_CAPTION_LABEL.fullmatch(line))
            if _CREDIT_LINE.search(line):
                add_credits(credits, debris.agencies_mentioned(line))
            continue
        if _take_credit_or_hint(line, index, len(units), credits, hints) or dropped[index]:
            continue
        kept.append(line)
    kept = _strip_datelines(kept, credits)
    return Sifted(
        lines=tuple(kept), credits=tuple(credits), hints=tuple(hints), stamps=tuple(stamps)
    )


def _is_writer_bio(line: str, writers: list[str]) -> bool:
    """True for a note on the writer ('Jane Doe is a former teacher and ...')."""
    if not writers or line.count(" ") >= _CAPTION_WORDS:
        return False
    for writer in writers:
        name = writer.removeprefix("By ").removeprefix("by ")
        rest = line[len(name) :] if line.startswith(name) else ""
        if rest.startswith(_BIO_VERBS):
            return True
    return False


def _is_stamp(line: str, index: int, count: int) -> bool:
    """True for a page's date stamp: at the top or the end, with a year, a time or 'ago'.

    A bare 'Friday, 25 February' elsewhere heads a schedule and is article text.
    """
    at_edge = index < _EDGE_LINES or index >= count - _EDGE_LINES // 2
    return at_edge and bool(_STAMP.search(line))


def _merge_labels(units: list[str]) -> list[str]:
    """Put a label's value back on its line ('Source:' / 'X' -> 'Source: X')."""
    merged: list[str] = []
    for unit in units:
        if merged and _VALUE_LABEL.fullmatch(merged[-1]) and unit.count(" ") < 8:
            merged[-1] = f"{merged[-1]} {unit}"
        else:
            merged.append(unit)
    return merged


def _prose_after(units: list[str], kinds: list[LineKind]) -> list[bool]:
    """For each line: does article prose follow it before a section that ends the article?"""
    result = [False] * len(units)
    found = False
    for index in range(len(units) - 1, -1, -1):
        result[index] = found
        kind, line = kinds[index], units[index]
        if kind is LineKind.END:
            found = False
        elif (
            kind is LineKind.TEXT
            and line.count(" ") + 1 >= _PROSE_WORDS
            and debris.closes_sentence(line)
            and debris.photo_credit(line) is None
        ):
            found = True
    return result


def _take_credit_or_hint(
    line: str, index: int, count: int, credits: list[str], hints: list[str]
) -> bool:
    """Consume a credit, copyright or source line; True when the line was one."""
    agencies = debris.only_agencies(line)
    if agencies is None:
        agencies = debris.photo_credit(line)
    if agencies is not None:
        add_credits(credits, agencies)
        return True
    holder = debris.copyright_holder(line)
    if holder is not None:
        named = debris.agencies_in(holder)
        if named:
            add_credits(credits, named)
        elif not hints:
            hints.append(holder)
        return True
    name = debris.source_name(line)
    if name is not None:
        named = debris.agencies_in(name)
        add_credits(credits, named)
        # Only at the edges of the text does "Source:" name the outlet (mid-text: a chart's);
        # an agency named there is a credit.
        if not named and not hints and (index < 3 or index >= count - 2):
            hints.append(name)
        return True
    # "Source: News agencies": no outlet, but no article text either.
    return bool(_SOURCE_LABEL.match(line)) and len(line) < 80


def _strip_datelines(units: list[str], credits: list[str]) -> list[str]:
    """Remove a wire agency from a dateline ('LONDON (Reuters) - ...'), crediting it."""
    result = list(units)
    for index, unit in enumerate(result[:3]):
        match = _DATELINE.match(unit)
        if not match:
            continue
        agencies = debris.agencies_in(match["agency"])
        if not agencies:
            continue
        add_credits(credits, agencies)
        place = (match["place"] or "").strip(" ,")
        rest = unit[match.end() :]
        result[index] = f"{place} - {rest}" if place else rest
        break
    return result
