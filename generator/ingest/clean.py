"""Web-copy cleaning: copied page text -> title, clean paragraphs, credits, source hint."""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from importlib import resources

from generator.ingest import debris
from generator.ingest.debris import LineKind

MAX_TITLE_WORDS = 30
"""A first line longer than this is a paragraph, not a headline."""

_PROSE_WORDS = 15
_LEAD_WINDOW = 4
_CONTAINED_SHARE = 0.8
_MIN_CONTAINED_WORDS = 8
_OPEN_SENTENCE_WORDS = 6
_LINK_TEXT_WORDS = 8
_CONTAINED_BIGRAMS = 0.7

_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Zero-width characters, soft hyphens and the C0/C1 controls a copy may carry.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\u2028\u2029\x0b\x0c\x85]")
_CLOSED = re.compile(r"[.!?…:;][\"'”’)\]]*$|[\"”’)\]]$")
_CONTINUES_WITH = re.compile(r"^[,.;:!?)\]’”%]")
_STARTS_LOWER = re.compile(r"^[\"'“‘(\[]?[a-z]")
_STARTS_ITEM = re.compile(r"^(?:[-*•·▪–—]|\d+[.)])\s")
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")
_WORDS = re.compile(r"\w+")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_FIRST_SENTENCE = re.compile(r"^(.{10,200}?[.!?])(?:\s|$)")
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w .,'’/-]{0,60}?)?\s*\((?P<agency>[A-Za-z][A-Za-z .&-]{0,40})\)"
    r"\s*(?:[-–—]+|:)\s*"
)


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


@functools.cache
def _join_words() -> frozenset[str]:
    """Words that cannot end a sentence (data/joinwords.txt)."""
    text = resources.files(__package__).joinpath("data/joinwords.txt").read_text("utf-8")
    return frozenset(
        w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")
    )


def clean_web_text(text: str, *, title: str | None = None) -> CleanedText:
    """Clean copied web text; its first line is the title unless a `title` is given."""
    lines = _normalize_lines(text)
    warnings: list[str] = []
    if title is None or not title.strip():
        title, lines, guessed = _split_title(lines)
        if guessed:
            warnings.append("no title line: the first sentence is used as the title")
    else:
        title = _one_line(title)
    credits: list[str] = []
    hints: list[str] = []
    units = _drop_debris(lines, credits, hints)
    units = _strip_datelines(units, credits)
    paragraphs = _rejoin(units)
    paragraphs = _drop_repeats(paragraphs, title)
    if paragraphs:
        last, glued = debris.split_glued_credit(paragraphs[-1])
        _add(credits, glued)
        paragraphs[-1] = last
        paragraphs = [p for p in paragraphs if p]
    return CleanedText(
        title=title,
        body="\n\n".join(paragraphs),
        credits=tuple(credits),
        source_hint=hints[0] if hints else None,
        warnings=tuple(warnings),
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


def _add(credits: list[str], names: list[str]) -> None:
    """Append agency names not yet credited (keeps first-seen order)."""
    credits.extend(n for n in names if n not in credits)


def _drop_debris(lines: list[str], credits: list[str], hints: list[str]) -> list[str]:
    """Remove debris lines and trailers; collect agency credits and source hints."""
    units = _merge_labels([line for line in lines if line])
    total = sum(len(u) for u in units) or 1
    kept: list[str] = []
    seen = 0
    skip_caption = False
    for index, line in enumerate(units):
        seen += len(line)
        if skip_caption:
            skip_caption = False
            if line.count(" ") < 40 and debris.classify_line(line) is LineKind.TEXT:
                continue
        kind = debris.classify_line(line)
        if kind is LineKind.END and seen > total / 2:
            break
        if kind is LineKind.TRAILER:
            if not _prose_follows(units, index + 1):
                break
            # A label alone ("Read more:") mid-article: the linked headline is on the next line.
            skip_caption = line.endswith(":") or line.count(" ") < 2
            continue
        if kind is LineKind.BYLINE and kept and _NAME_LINE.fullmatch(kept[-1]):
            kept.pop()  # the writer's name above their role
        if kind is not LineKind.TEXT or not _HAS_WORD.search(line):
            skip_caption = _is_caption_label(line)
            if _CREDIT_LINE.search(line):
                _add(credits, debris.agencies_mentioned(line))
            continue
        if _take_credit_or_hint(line, index, len(units), credits, hints):
            continue
        kept.append(line)
    return kept


# Bylines and contribution notes name the agencies that wrote the story.
_CREDIT_LINE = re.compile(r"^(?:\w+ )?(?:reporting )?by\b|\bcontributed\b", re.IGNORECASE)
_HAS_WORD = re.compile(r"[^\W_]")
_NAME_LINE = re.compile(r"(?:by )?[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3}")
_VALUE_LABEL = re.compile(
    r"(?:source|date|dateline|published|updated|posted|credit|photo|photograph|picture|image"
    r"|image source|photo credit|copyright)\s*:",
    re.IGNORECASE,
)


def _merge_labels(units: list[str]) -> list[str]:
    """Put a label's value back on its line ('Source:' / 'X' -> 'Source: X')."""
    merged: list[str] = []
    for unit in units:
        if merged and _VALUE_LABEL.fullmatch(merged[-1]) and unit.count(" ") < 8:
            merged[-1] = f"{merged[-1]} {unit}"
        else:
            merged.append(unit)
    return merged


def _is_caption_label(line: str) -> bool:
    """True for a caption label standing alone ('Image caption,'): its text follows."""
    return bool(re.fullmatch(r"(?:image|picture|photo|video|media) caption\s*[:,]?", line, re.I))


def _take_credit_or_hint(
    line: str, index: int, count: int, credits: list[str], hints: list[str]
) -> bool:
    """Consume a credit, copyright or source line; True when the line was one."""
    agencies = debris.only_agencies(line)
    if agencies is None:
        agencies = debris.photo_credit(line)
    if agencies is not None:
        _add(credits, agencies)
        return True
    holder = debris.copyright_holder(line)
    if holder is not None:
        named = debris.agencies_in(holder)
        if named:
            _add(credits, named)
        elif not hints:
            hints.append(holder)
        return True
    name = debris.source_name(line)
    if name is not None:
        named = debris.agencies_in(name)
        _add(credits, named)
        # Only at the edges of the text does "Source:" name the outlet (mid-text: a chart's).
        if not hints and (index < 3 or index >= count - 2):
            hints.append(name)
        return True
    return False


def _prose_follows(units: list[str], start: int) -> bool:
    """True when article prose follows before any section that ends the article."""
    for line in units[start:]:
        kind = debris.classify_line(line)
        if kind is LineKind.END:
            return False
        if (
            kind is LineKind.TEXT
            and line.count(" ") + 1 >= _PROSE_WORDS
            and _CLOSED.search(line)
            and debris.photo_credit(line) is None
        ):
            return True
    return False


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
        _add(credits, agencies)
        place = (match["place"] or "").strip(" ,")
        rest = unit[match.end() :]
        result[index] = f"{place} - {rest}" if place else rest
        break
    return result


def _rejoin(units: list[str]) -> list[str]:
    """Join a paragraph that stops mid-sentence with the fragments that continue it."""
    paragraphs: list[str] = []
    previous = ""
    for unit in units:
        if paragraphs and _continues(previous, unit):
            glue = "" if _CONTINUES_WITH.match(unit) else " "
            paragraphs[-1] = paragraphs[-1] + glue + unit
        else:
            paragraphs.append(unit)
        previous = unit
    return paragraphs


def _continues(previous: str, following: str) -> bool:
    """True when the line `following` carries on the sentence the line `previous` leaves open."""
    if _CLOSED.search(previous) or _STARTS_ITEM.match(following):
        return False
    if _CONTINUES_WITH.match(following) or _STARTS_LOWER.match(following):
        return True
    if previous.endswith((",", "-", "–", "—")):
        return True
    last = _LAST_WORD.search(previous[-60:])
    if not last:
        return False
    if last[1].lower() in _join_words():
        return True
    # A sentence cut short before a link text with a capital ("... said" / "Jane Doe" / "on
    # Monday."): the link is short and open; a heading or list item would follow a closed line.
    return (
        last[1].islower()
        and previous.count(" ") + 1 >= _OPEN_SENTENCE_WORDS
        and following.count(" ") + 1 <= _LINK_TEXT_WORDS
        and not _CLOSED.search(following)
    )


def _drop_repeats(paragraphs: list[str], title: str) -> list[str]:
    """Drop repeated paragraphs and a caption or standfirst that repeats the lead."""
    seen = {_key(title)}
    unique: list[str] = []
    for paragraph in paragraphs:
        key = _key(paragraph)
        if key in seen:
            continue
        seen.add(key)
        unique.append(paragraph)
    tokens = [_WORDS.findall(p[:2000].lower()) for p in unique[: _LEAD_WINDOW * 2 + 1]]
    words = [set(t) for t in tokens]
    pairs = [set(itertools.pairwise(t)) for t in tokens]
    dropped: set[int] = set()
    for index in range(min(_LEAD_WINDOW, len(words))):
        if len(words[index]) < _MIN_CONTAINED_WORDS:
            continue
        for later in range(index + 1, min(index + 1 + _LEAD_WINDOW, len(words))):
            # Most words and word pairs again: the same sentence, not a lead and its follow-up.
            if later not in dropped and _contained(words, pairs, index, later):
                dropped.add(index)
                break
    return [p for i, p in enumerate(unique) if i not in dropped]


def _contained(words: list[set[str]], pairs: list[set[tuple[str, str]]], a: int, b: int) -> bool:
    """True when paragraph a's words and word pairs are largely found in paragraph b."""
    if len(words[a] & words[b]) < _CONTAINED_SHARE * len(words[a]):
        return False
    return len(pairs[a] & pairs[b]) >= _CONTAINED_BIGRAMS * len(pairs[a])


def _key(paragraph: str) -> str:
    """A paragraph's identity for duplicate checks: lower case, without trailing punctuation."""
    return paragraph.lower().rstrip(" .!?…")
