"""Recognise page-debris lines and agency credits, from the patterns in data/."""

from __future__ import annotations

import enum
import functools
import re
from importlib import resources

MAX_DEBRIS_WORDS = 20
"""Longer lines are article text: no debris pattern is tried on them..."""
MAX_MARKER_WORDS = 80
"""... but for the markers that open a trailer or end the article, up to this length."""

_SPLIT_CREDIT = re.compile(r"\s*(?:[/,;|&+]|\band\b|\bvia\b|\bfor\b|\s[-–—]\s)\s*", re.IGNORECASE)
_FIRST_TOKEN = re.compile(r"[\s/,;|&+:()\[\].]+")
_CREDIT_NOISE = re.compile(
    r"^[\s(\[]+|^(?:(?:photos?|photographs?|pictures?|pics?|images?|files?|handout|screengrab|"
    r"courtesy(?: of)?|copyright|credit|source)\b[\s:.,]*)+|[\s.:()\[\]]+$",
    re.IGNORECASE,
)
_PHOTO_LABEL = (
    r"(?:[\w'’]+ )?(?:file )?(?:photos?|photographs?|pictures?|pics?|images?|videos?|graphics?|"
    r"illustrations?|credits?|photo credits?|image credits?|image sources?|source images?|"
    r"(?:main|top|header|cover|hero|lead) (?:image|photo|picture))"
)
_PHOTO_LINE = re.compile(
    rf"^{_PHOTO_LABEL}\s*(?P<sep>[:,]|\.{{2,}}|…)\s*(?P<credit>.{{1,120}})$", re.IGNORECASE
)
_CAPTION_LABEL = re.compile(
    r"[\s(\[](?:photo|photograph|picture|image|credit|photo credit)s?\s*$", re.IGNORECASE
)
_CREDIT_WORD = re.compile(r"[A-Z0-9(]")
# A line made only of capitalised names parted by slashes or bars: who took and who owns a
# picture ("Jane Doe/Harbour Times/Getty Images", "Alex Roe | Getty Images", "NASA/JPL-Caltech").
_CREDIT_NAME = r"[A-Z][\w.'’&-]*(?: (?:[A-Z][\w.'’&-]*|of|de|van|von))*"
_CREDIT_NAMES = re.compile(rf"\(?{_CREDIT_NAME}(?: ?[/|] ?{_CREDIT_NAME}){{1,4}}\)?")
_COPYRIGHT = re.compile(
    r"^(?:copyright\b|\(c\)|©)[\s:©]*(?:\(c\)\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?[\s,]*)?"
    r"(?P<holder>.{2,80}?)[\s.,]*(?:all rights reserved\b.*)?$",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"^source\s*:\s*(?P<name>[^.!?]{2,60}?)\.?$", re.IGNORECASE)


class LineKind(enum.Enum):
    """What a short line of copied web text is."""

    TEXT = "text"
    DEBRIS = "debris"
    TRAILER = "trailer"
    BYLINE = "byline"
    DATE = "date"
    END = "end"


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """Load data/debris.txt once: one combined whole-line regex per section."""
    sections: dict[str, list[str]] = {}
    current = ""
    text = resources.files(__package__).joinpath("data/debris.txt").read_text("utf-8")
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        sections.setdefault(current, []).append(line)
    # Matched against the lower-cased line: about twice as fast as re.IGNORECASE.
    return {name: re.compile("|".join(f"(?:{p})" for p in pats)) for name, pats in sections.items()}


@functools.cache
def _agencies() -> tuple[tuple[str, ...], ...]:
    """data/agencies.txt: one tuple of spellings per agency, the canonical name first."""
    text = resources.files(__package__).joinpath("data/agencies.txt").read_text("utf-8")
    rows = (raw.strip() for raw in text.splitlines())
    return tuple(
        tuple(s.strip() for s in row.split("|") if s.strip())
        for row in rows
        if row and not row.startswith("#")
    )


@functools.cache
def agency_names() -> dict[str, str]:
    """Every known spelling of a wire or photo agency (lower case) -> its canonical name."""
    names: dict[str, str] = {}
    for spellings in _agencies():
        for spelling in spellings:
            names.setdefault(spelling.lower(), spellings[0])
    return names


@functools.cache
def _agency_slash_credit() -> re.Pattern[str]:
    """A caption's closing credit: an agency, a slash and a photographer ('REUTERS/Jane Doe')."""
    spellings = sorted({s for row in _agencies() for s in row}, key=len, reverse=True)
    agency = "|".join(re.escape(s) for s in spellings)
    name = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}(?:, ?[A-Z][a-z]+)?"  # ", File", ", Pool"
    tail = r"(?:\s*(?i:purchase licensing rights))?(?:,?\s*(?i:opens? (?:in )?(?:a )?new tab))?"
    return re.compile(
        rf"(?:^|[\s(\[])\(?(?P<agency>(?i:{agency}))(?i: photos?| pictures?| images?)?"
        rf"\s*/\s*{name}\)?{tail}\s*$"
    )


@functools.cache
def _first_words() -> frozenset[str]:
    """First words a line made only of agency credits can start with (a fast pre-check)."""
    noise = {"photo", "photos", "photograph", "picture", "pictures", "pic", "image", "images"}
    noise |= {"file", "files", "handout", "courtesy", "copyright", "credit", "source"}
    return frozenset({_FIRST_TOKEN.split(s, maxsplit=1)[0] for s in agency_names()} | noise)


@functools.cache
def _glued_credit() -> re.Pattern[str]:
    """An agency credit in capitals (or in brackets) glued after an article's last sentence."""
    spellings = sorted(agency_names(), key=len, reverse=True)
    upper = "|".join(re.escape(s.upper()) for s in spellings if len(s) > 1)
    any_case = "|".join(re.escape(s) for s in spellings if len(s) > 1)
    one = rf"(?:(?:{upper})\b|\((?i:{any_case})\))"
    closed = r"(?<=[.!?…\"”’')\]])\s*(?:[-–—]+\s*)?"
    dashed = r"\s+[-–—]+\s*"
    return re.compile(rf"(?:{closed}|{dashed})(?P<credits>{one}(?:\s*(?:[/,&]|and)?\s*{one})*)\s*$")


@functools.cache
def _mentioned() -> re.Pattern[str]:
    """Any agency spelling as written (or in capitals), as a whole word."""
    written = {spelling for row in _agencies() for spelling in row}
    forms = sorted(written | {s.upper() for s in written}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")


def agencies_mentioned(line: str) -> list[str]:
    """Agencies named anywhere in a credit line ('AP writer Jane Doe contributed ...')."""
    names = agency_names()
    found: list[str] = []
    for match in _mentioned().finditer(line[:400]):
        name = names.get(match[0].lower())
        if name and name not in found:
            found.append(name)
    return found


_CLOSERS = "\"'”’)]"


def closes_sentence(line: str) -> bool:
    """True when a line ends a sentence: a stop (or colon), maybe inside closing quotes."""
    if line.endswith(('"', "”", "’", ")", "]")):
        return True  # a closing quote or bracket ends what it opened
    return line.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…", ":", ";")


def classify_line(line: str) -> LineKind:
    """Say whether a (trimmed, space-collapsed) line is text, debris or opens a trailer."""
    if len(line) > 600 or line.count(" ") >= MAX_MARKER_WORDS:
        return LineKind.TEXT
    patterns = _patterns()
    lower = line.lower()
    if patterns["end"].fullmatch(lower):
        return LineKind.END
    if patterns["trailer"].fullmatch(lower):
        return LineKind.TRAILER
    if patterns["long"].fullmatch(lower):
        return LineKind.DEBRIS
    if len(line) > 240 or line.count(" ") >= MAX_DEBRIS_WORDS:
        return LineKind.TEXT
    if patterns["byline"].fullmatch(lower):
        return LineKind.BYLINE
    if patterns["date"].fullmatch(lower):
        return LineKind.DATE
    if patterns["line"].fullmatch(lower) or patterns["line-cased"].fullmatch(line):
        return LineKind.DEBRIS
    return LineKind.TEXT


def agencies_in(fragment: str) -> list[str]:
    """Canonical agency names in a credit such as 'Jane Doe/AFP via Getty Images'."""
    names = agency_names()
    found: list[str] = []
    for part in _SPLIT_CREDIT.split(fragment):
        key = _CREDIT_NOISE.sub("", part.strip()).strip().lower()
        name = names.get(key)
        if name and name not in found:
            found.append(name)
    return found


def only_agencies(line: str) -> list[str] | None:
    """The agencies a line consists of ('REUTERS', '(AFP)', 'AFP/Getty Images'), else None."""
    if len(line) > 80 or line.count(" ") > 8:
        return None
    first = _FIRST_TOKEN.split(line.strip("()[] "), maxsplit=1)[0].lower()
    if first not in _first_words():
        return None
    names = agency_names()
    parts = [_CREDIT_NOISE.sub("", p.strip()).strip().lower() for p in _SPLIT_CREDIT.split(line)]
    parts = [p for p in parts if p]
    if not parts or any(p not in names for p in parts):
        return None
    return agencies_in(line)


def photo_credit(line: str) -> list[str] | None:
    """Agencies of a photo credit or captioned credit line ('PHOTO: REUTERS'), else None."""
    if len(line) > 600:
        return None
    if _CREDIT_NAMES.fullmatch(line):  # "Jane Doe/Harbour Times/Getty Images", "NASA/JPL/ASU"
        parts = re.split(r" ?[/|] ?", line.strip("()"))
        if len(parts) >= 3 or agencies_in(parts[-1]):
            return agencies_in(line)
    match = _PHOTO_LINE.match(line) if line.count(" ") < 14 else None
    if match:
        credit = match["credit"]
        # "Photo: ..." opening a line is always a credit; after a comma it must look like one.
        if match["sep"] != "," or _looks_like_credit(credit):
            return agencies_in(credit)
    if "/" in line[-120:]:
        match = _agency_slash_credit().search(line, max(0, len(line) - 120))
        if match:  # "... March 12, 2025. REUTERS/Jane Doe", "(AP Photo/Jane Doe)"
            return agencies_in(match["agency"])
    copyright_at = line.rfind("©")
    if copyright_at > 0 and len(line) - copyright_at < 80:  # "... on Monday © Jane Doe, AFP"
        credit = line[copyright_at + 1 :].strip()
        if credit and _looks_like_credit(credit):
            return agencies_in(credit)
    # A caption ending in its credit: "... on Tuesday. Photograph: Jane Doe/AP".
    colon = line.rfind(":")
    if colon < 0 or len(line) - colon > 80:
        return None
    if not _CAPTION_LABEL.search(line, max(0, colon - 30), colon):
        return None
    credit = line[colon + 1 :].strip(" )]")
    if credit and not any(c in credit for c in ".!?") and _looks_like_credit(credit):
        return agencies_in(credit)
    return None


def _looks_like_credit(credit: str) -> bool:
    """True for 'Jane Doe/AFP' or 'Getty Images': an agency, or a few capitalised names."""
    if agencies_in(credit):
        return True
    words = [w for w in _SPLIT_CREDIT.split(credit) for w in w.split() if w]
    return 0 < len(words) <= 6 and all(_CREDIT_WORD.match(w) for w in words)


def copyright_holder(line: str) -> str | None:
    """The holder named by a '(c) 2024 X' or 'Copyright X' line, else None."""
    if len(line) > 200:
        return None
    match = _COPYRIGHT.match(line)
    if not match:
        return None
    holder = match["holder"].strip(" .,;:")
    return holder or None


def source_name(line: str) -> str | None:
    """The outlet named by a 'Source: X' line, else None."""
    if len(line) > 80:
        return None
    match = _SOURCE.match(line)
    if not match or _patterns()["not-source"].fullmatch(match["name"].strip().lower()):
        return None
    return match["name"].strip()


def split_glued_credit(paragraph: str) -> tuple[str, list[str]]:
    """Split '... resolved. BLOOMBERG' into ('... resolved.', ['Bloomberg'])."""
    tail_start = max(0, len(paragraph) - 120)
    match = _glued_credit().search(paragraph, tail_start)
    if not match:
        return paragraph, []
    credits = agencies_in(re.sub(r"[()]", "", match["credits"]))
    if not credits:
        return paragraph, []
    kept = paragraph[: match.start()].rstrip()
    if kept and kept[-1].isalnum():  # "... resolved - REUTERS": the dash stood for the stop
        kept += "."
    return kept, credits
