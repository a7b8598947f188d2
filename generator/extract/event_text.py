"""An event's text: its sentence without the date phrase, or none when that would break it."""

from __future__ import annotations

import re
from functools import cache

from generator.extract.dates import DateMention, _words

_SPACES_RE = re.compile(r"\s{2,}")
_PUNCT_FIX_RE = re.compile(r"\s+([,.;:!?])|,\s*(?=[.;:!?])|^[-–—,;:\s]+")
_WORD_RE = re.compile(r"[\w'’]+")
_DASHES = "-–—"
_CUT_MARKS = ",;:-–—([\"'“‘ "
_OPENERS = "\"'“‘([ -–—"
# A day joined to the date after it: "4-6 March", "10/11 May", "20 and 21 August".
_JOINED_RE = re.compile(r"(?<![\d.,])\d{1,2}(?:st|nd|rd|th)?\s*(?:[-–—/]|\band|\bor|\bto)\s*$")
# A day of a month: "25", "2nd"; not "4.464" or "180".
_DAY_RE = re.compile(r"\d{1,2}(?:st|nd|rd|th)?\b(?![.,]\d)")
# A date phrase in possessive form ("Sunday's vote"): its noun has no owner without it.
_POSSESSIVE_RE = re.compile(r"^['’]s\b")


@cache
def _kind(kind: str) -> frozenset[str]:
    """The words of one kind of data/dates.tsv."""
    return frozenset(_words()[kind])


@cache
def _date_names() -> frozenset[str]:
    """Month and weekday names: a word that goes on a list of dates ("Monday and Tuesday")."""
    return _kind("month") | _kind("weekday")


def _first_word(text: str) -> str:
    """The first word of `text` lower-cased ('' when it starts with punctuation or ends)."""
    m = _WORD_RE.match(text.lstrip())
    return m.group().lower() if m else ""


def _last_word(text: str) -> str:
    """The last word of `text` as written ('' when it ends in punctuation or is empty)."""
    m = re.search(r"[\w'’]+$", text.rstrip())
    return m.group() if m else ""


def _function_word(head: str) -> str:
    """The last word of `head`, lower-cased, when it is written as a function word: in lower
    case, or opening the sentence ("Group A" ends with a name, not an article)."""
    word = _last_word(head)
    first = not head.rstrip()[: -len(word) or None].strip(_OPENERS) if word else False
    return word.lower() if word.islower() or first else ""


def _continues_a_list(tail: str) -> bool:
    """Whether `tail` carries on a range or list of dates ("-6 March", ", 2 and 9 July")."""
    rest = tail.lstrip()
    if rest[:1] in _DASHES + "/" and _DAY_RE.match(rest[1:].lstrip()):
        return True
    rest = rest.lstrip(",").lstrip()
    if _DAY_RE.match(rest):
        return True
    joiner = _first_word(rest)
    if joiner not in ("and", "or", "to", "until", "through"):
        return False
    after = rest[len(joiner) :].lstrip()
    return bool(_DAY_RE.match(after)) or _first_word(after) in _date_names()


def _leaves_a_hole(head: str, tail: str, took_preposition: bool) -> bool:
    """Whether the words around the gap cannot meet: a word left without its object
    ("the deadline of" + "."), or two function words in a row ("beginning" + "for"). A
    conjunction may meet a comma when the gap was a whole dating phrase ("while [on
    Thursday], Italy refused"), not when the date was its second part ("Tuesday and")."""
    word = _function_word(head)
    ends = not _first_word(tail)  # the clause ends at the gap: end, comma or stop
    if word in _kind("conjunction"):
        return ends and not (took_preposition and tail.lstrip()[:1] == ",")
    if word in _kind("needs-object"):
        nxt = _first_word(tail)
        return ends or nxt in _kind("needs-object") or nxt in _kind("conjunction")
    return False


def strip_date(sentence: str, d: DateMention, dating: frozenset[str]) -> str | None:
    """`sentence` without the date phrase `d` (and its dating preposition, one of `dating`,
    with a word like "late" before it), or None when the rest would not be a sentence: the
    date is the object of another word ("the deadline of 31 December"), one end of a range
    or list ("4-6 March", "20 and 21 August"), a possessive ("Sunday's vote") or part of a
    title ("What Happens Tomorrow")."""
    s, e = d.start, d.end
    took_preposition = False
    if d.preposition and d.preposition in dating:
        modifiers = "|".join(map(re.escape, sorted(_kind("event-modifier"))))
        pattern = rf"(?i)(?<!\w)(?:(?:{modifiers})\s+)?{re.escape(d.preposition)}\s+$"
        m = re.search(pattern, sentence[:s])
        if m:
            s, took_preposition = m.start(), True
    head, tail = _unwrap(sentence[:s], sentence[e:])
    before = _last_word(sentence[: d.start])
    if (
        _JOINED_RE.search(head)
        or _continues_a_list(tail)
        or _POSSESSIVE_RE.match(tail)
        or _leaves_a_hole(head, tail, took_preposition)
    ):
        return None
    opening = not head.strip(_OPENERS)  # nothing but quotes or brackets before the date
    if opening and _first_word(tail) in _kind("conjunction"):
        return None  # "On Monday and ..."
    if not took_preposition and not opening and sentence[d.start].isupper():
        after = tail.lstrip(" ")[:1]
        if before[:1].isupper() or (after.isupper() and tail[:1] == " "):
            return None  # a name's word: "What Happens Tomorrow", "the Sunday Times"
    return _join(head, tail, opening)


def _unwrap(head: str, tail: str) -> tuple[str, str]:
    """Head and tail without the brackets or dashes that held the date phrase alone:
    "(on 10 April)", "- on 6 January -", "poetry - on 6 January."."""
    lead, rest = head.rstrip(), tail.lstrip()
    if lead.endswith("(") and rest.startswith(")"):
        return lead[:-1], rest[1:]
    spaced = lead[-1:] in _DASHES and head[len(lead) :] != ""
    if spaced and (not rest or rest[0] in ".!?" or (rest[0] in _DASHES and tail[:1] == " ")):
        return lead[:-1], rest[1:] if rest[:1] in _DASHES else rest
    return head, tail


def _join(head: str, tail: str, opening: bool) -> str:
    """Head and tail of a sentence whose middle was taken out, spaces and stops mended."""
    lead, rest = head.rstrip(), tail.lstrip()
    if opening:
        rest = rest.lstrip(" ,")
        text = lead + rest[:1].upper() + rest[1:]
    else:
        if rest.startswith(",") and (
            lead.endswith(",") or _function_word(lead) in _kind("conjunction")
        ):
            rest = rest[1:].lstrip()  # "while, Italy refused" -> "while Italy refused"
        text = lead + ("" if rest[:1] in ",.;:!?" else " ") + rest
    text = _SPACES_RE.sub(" ", _PUNCT_FIX_RE.sub(lambda m: m.group(1) or "", text)).strip()
    return text if text.rstrip("\"'”’)")[-1:] in ".!?…" else text + "."


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word, with "…", never after a word that
    needs what was cut ("the ground of nationality or…")."""
    words = text[: limit - 1].split(" ")[:-1] or [text[: limit - 1]]
    dangling = _kind("needs-object") | _kind("conjunction")
    while len(words) > 1 and (words[-1].lower() in dangling or not words[-1].strip(_CUT_MARKS)):
        words.pop()
    return " ".join(words).rstrip(_CUT_MARKS) + "…"
