"""Who says a quote: speech verbs, the subject before them, pronouns and generic subjects."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from generator.extract.entities import Mention
from generator.extract.quote_spans import QuoteSpan
from generator.extract.sentences import Sentence
from generator.extract.wordlist import read_lines, read_table

UNKNOWN = ""  # a speaker was named but is nobody we can point to ("a spokesman")
MAX_GAP = 140  # attribution text between a quote and its verb, in characters


@cache
def verb_re() -> re.Pattern[str]:
    """Speech verbs as whole lower-case words (case-sensitive: "States" is no verb)."""
    verbs = sorted(read_lines("speech_verbs.txt"), key=len, reverse=True)
    body = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in verbs)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


@cache
def _subjects() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern for a pronoun/generic subject ending a text, and each form's resolution."""
    table = {row[0].lower(): row[1] for row in read_table("quote_pronouns.tsv") if len(row) == 2}
    forms = "|".join(re.escape(f) for f in sorted(table, key=len, reverse=True))
    # Auxiliaries and adverbs may stand between the subject and the verb: "he has also said".
    pattern = re.compile(
        rf"(?<![\w-])({forms})(?:\s+(?:has|had|have|also|later|then|again|once|would|will|"
        rf"previously|[a-z]+ly))*\s*,?\s*$",
        re.IGNORECASE,
    )
    return pattern, table


@dataclass(frozen=True)
class Context:
    """What attribution needs to know about the text around every quote."""

    text: str
    mentions: tuple[Mention, ...]
    """Speaker-capable mentions outside quotes, in text order."""
    starts: tuple[int, ...]
    sentences: tuple[Sentence, ...]
    sentence_starts: tuple[int, ...]
    people: frozenset[str]
    """Canonical names of the persons mentioned."""
    speakers: list[tuple[int, str]]
    """(end offset, speaker) of the quotes attributed so far, in text order (grows)."""

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence holding `offset` (the nearest one before it)."""
        return max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)

    def sentence_of(self, offset: int) -> Sentence:
        """The sentence holding `offset` (the nearest one before it)."""
        return self.sentences[self.sentence_index(offset)]

    def in_range(self, start: int, end: int) -> list[Mention]:
        """Mentions starting in [start, end)."""
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return list(self.mentions[i:j])

    def last_before(self, offset: int, kind: str, word: str | None = None) -> str | None:
        """Canonical name of the last mention of `kind` before `offset` (holding `word`)."""
        for m in reversed(self.mentions[: bisect.bisect_left(self.starts, offset)]):
            if m.kind == kind and (word is None or word in m.canonical.lower()):
                return m.canonical
        return None


def _chain(mentions: list[Mention], text: str) -> Mention:
    """The first mention, or the person it qualifies ("US Defence Secretary Ada Brek")."""
    first = mentions[0]
    for nxt in mentions[1:]:
        gap = text[first.end : nxt.start]
        if len(gap) > 40 or not re.fullmatch(
            r"(?:['’]s)?(?:\s+[A-Z][\w.-]*|\s+(?:of|for|the|and))*\s+", gap
        ):
            break
        if nxt.kind == "person":
            return nxt
        first = nxt
    return mentions[0]


def possessive(m: Mention, text: str) -> bool:
    """Whether a mention is a possessive ("Lord X's nephew Y"): it qualifies, it does not speak."""
    return text.startswith(("'s", "’s", "'", "’"), m.end)


def pick(found: list[Mention], text: str, verb_at: int | None = None) -> str | None:
    """The speaker among a subject's mentions: the first person (not a possessive), else an
    organization or country standing right before the verb ("the ministry said")."""
    people = [m for m in found if m.kind == "person" and not possessive(m, text)]
    if found and found[0].kind != "person":
        chained = _chain(found, text)
        if chained.kind == "person":
            return chained.canonical
    if people:
        return people[0].canonical
    for m in reversed(found):
        if verb_at is None:
            return m.canonical  # "according to X": whatever X is
        gap = text[m.end : verb_at]
        if "," not in gap and len(gap.split()) <= 2:
            return m.canonical  # "China said", "the World Bank report said"
    return None


@cache
def _title_genders() -> dict[str, str]:
    """Courtesy title -> the gender it tells (data/title_genders.tsv)."""
    return {row[0]: row[1] for row in read_table("title_genders.tsv") if len(row) == 2}


_PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}


def _compatible(ctx: Context, pronoun: str | None) -> Callable[[str], bool]:
    """Whether a person (canonical name) may be what the pronoun stands for: no title of the
    other gender in the article ("she" is never "Mr X")."""
    want = _PRONOUN_GENDER.get((pronoun or "").lower())
    if want is None:
        return lambda name: True
    titles = _title_genders()
    other = {
        m.canonical
        for m in ctx.mentions
        if m.kind == "person" and titles.get(m.text.split()[0].lower().rstrip("."), want) != want
    }
    return lambda name: name not in other


def person_pronoun(ctx: Context, pos: int, pronoun: str | None = None) -> str | None:
    """Who "he"/"she" is: a compatible person quoted in the last two sentences, else the
    first compatible person (the usual subject) of the nearest sentence before naming one."""
    fits = _compatible(ctx, pronoun)
    here = ctx.sentence_index(pos)
    for at, speaker in reversed(ctx.speakers):
        near = here - ctx.sentence_index(at) <= 2
        if at < pos and near and speaker in ctx.people and fits(speaker):
            return speaker
        break
    start = ctx.sentences[here].start if ctx.sentences else 0

    def persons(a: int, b: int) -> list[Mention]:
        """The compatible, non-possessive person mentions starting in [a, b)."""
        return [
            m for m in ctx.in_range(a, b)
            if m.kind == "person" and not possessive(m, ctx.text) and fits(m.canonical)
        ]  # fmt: skip

    before = persons(start, pos)
    for i in range(here - 1, max(-1, here - 4), -1):
        people = persons(ctx.sentences[i].start, ctx.sentences[i].end)
        if people:
            quoted = {s for _, s in ctx.speakers}
            spoke = [m for m in before or people if m.canonical in quoted]
            return (spoke or before or people)[0].canonical  # "He added": who spoke before
    last = [m for m in ctx.in_range(0, pos) if m.kind == "person" and fits(m.canonical)]
    return last[-1].canonical if last else None


def resolve_subject(ctx: Context, start: int, end: int) -> str | None:
    """Speaker named in text[start:end], the subject of a speech verb; UNKNOWN if unnamed."""
    pattern = _subjects()[0]
    region = ctx.text[start:end]
    m = pattern.search(region)
    if m and not ctx.in_range(start + m.start(), end):
        return _resolve_form(ctx, m.group(1).lower(), start + m.start())
    named = pick(_last_clause(ctx, start, end), ctx.text, end) or pick(
        ctx.in_range(start, end), ctx.text, end
    )
    if named:
        return named
    return UNKNOWN if region.strip(" ,") else None


def _resolve_form(ctx: Context, form: str, pos: int) -> str:
    """Who a pronoun or generic subject at `pos` stands for ("he", "the firm"), or UNKNOWN."""
    how = _subjects()[1][form]
    if how == "person":
        return person_pronoun(ctx, pos, form) or UNKNOWN
    if how == "last-organization":
        return ctx.last_before(pos, "organization") or UNKNOWN
    if how == "named-organization":
        return ctx.last_before(pos, "organization", form.split()[-1]) or UNKNOWN
    return UNKNOWN


@cache
def _subject_first() -> re.Pattern[str]:
    """A pronoun or generic subject right after a verb: "said the firm", "added he"."""
    forms = "|".join(re.escape(f) for f in sorted(_subjects()[1], key=len, reverse=True))
    return re.compile(rf"\s*({forms})(?![\w-])", re.IGNORECASE)


_RELATIVE_RE = re.compile(r"\s*(?:who|whose|which|that|whom)\b")


def _last_clause(ctx: Context, start: int, end: int) -> list[Mention]:
    """The persons named in the clause right before the verb, after the last comma: "asked
    by X about Y, Mr Z said" is said by Mr Z. Empty when that clause is relative or names
    nobody."""
    comma = ctx.text.rfind(",", start, end)
    if comma < 0 or _RELATIVE_RE.match(ctx.text, comma + 1, end):
        return []
    return [m for m in ctx.in_range(comma + 1, end) if m.kind == "person"]


_LEADING_PRONOUN_RE = re.compile(r"\s*(?:[A-Z][a-z]+,\s+)?(He|She)\b")


def colon_subject(ctx: Context, start: int, end: int) -> str | None:
    """The speaker of a sentence that introduces a quote with a colon: its subject."""
    lead = _LEADING_PRONOUN_RE.match(ctx.text, start, end)
    if lead:
        return person_pronoun(ctx, lead.start(1), lead.group(1))
    people = [m for m in ctx.in_range(start, end) if m.kind == "person"]
    return people[0].canonical if people and not possessive(people[0], ctx.text) else None


def attribute_before(ctx: Context, q: QuoteSpan, sent: Sentence, lower: int) -> str | None:
    """Speaker from a verb before the quote in its sentence ("Mr X warned that “...”")."""
    start = max(sent.start, lower)
    verbs = list(verb_re().finditer(ctx.text, start, q.open_at))
    if not verbs:
        lead = ctx.text[start : q.open_at].rstrip()
        if lead.endswith(":"):  # "He also praised the director: “...”"
            return colon_subject(ctx, start, start + len(lead))
        return None
    verb = verbs[-1]
    if verb.group().startswith("according"):
        return pick(ctx.in_range(verb.end(), q.open_at), ctx.text) or UNKNOWN
    if verb.group().endswith("ing"):  # "He denied it, saying: ..." is said by the subject
        return colon_subject(ctx, start, verb.start()) or resolve_subject(ctx, start, verb.start())
    return resolve_subject(ctx, start, verb.start())


def attribute_after(ctx: Context, q: QuoteSpan, sent: Sentence, upper: int) -> str | None:
    """Speaker from a verb after the quote in its sentence ("“...,” said Mr X." / "he added")."""
    if q.close_at is None:
        return None
    sent = ctx.sentence_of(q.close_at)  # a long quote ends in a later sentence than it began
    start = q.close_at + 1
    end = min(sent.end, upper, start + MAX_GAP)
    verb = verb_re().search(ctx.text, start, end)
    if verb is None:
        return None
    if verb.group().startswith("according"):
        return pick(ctx.in_range(verb.end(), end), ctx.text) or UNKNOWN
    if not ctx.text[start : verb.start()].strip(" ,.!?;:—–-"):
        # Verb first: "said Mr X", "added the minister", "said the firm".
        named = pick(ctx.in_range(verb.end(), min(end, verb.end() + 80)), ctx.text)
        form = _subject_first().match(ctx.text, verb.end(), end)
        if named is None and form:
            return _resolve_form(ctx, form.group(1).lower(), verb.end())
        return named or UNKNOWN
    return resolve_subject(ctx, start, verb.start())
