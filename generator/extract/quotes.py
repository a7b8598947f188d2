"""Direct quotes and their speakers: speech-verb patterns, pronouns, split and long quotes."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from generator.extract.entities import Mention
from generator.extract.quote_spans import QuoteSpan, find_quote_spans
from generator.extract.sentences import Sentence
from generator.extract.wordlist import read_lines, read_table
from generator.model import Quote

SPEAKER_KINDS = frozenset({"person", "organization", "country"})
_MIN_UNATTRIBUTED_WORDS = 6  # shorter unattributed quotes are scare quotes or titles
_MAX_GAP = 140  # attribution text between a quote and its verb, in characters
_UNKNOWN = ""  # a speaker was named but is nobody we can point to ("a spokesman")
_WS_RE = re.compile(r"\s+")


@cache
def _verb_re() -> re.Pattern[str]:
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
class _Context:
    """What attribution needs to know about the text around every quote."""

    text: str
    mentions: tuple[Mention, ...]
    """Speaker-capable mentions outside quotes, in text order."""
    starts: tuple[int, ...]
    sentences: tuple[Sentence, ...]
    sentence_starts: tuple[int, ...]

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
    """The first mention, or the person it qualifies ("US Defence Secretary Pete Hegseth")."""
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


def _pick(found: list[Mention], text: str) -> str | None:
    """The speaker among the mentions of a subject: a person first, else the first actor."""
    if not found:
        return None
    chosen = _chain(found, text)
    if chosen.kind != "person":
        people = [m for m in found if m.kind == "person"]
        if people:
            chosen = people[0]
    return chosen.canonical


def _resolve_subject(ctx: _Context, start: int, end: int) -> str | None:
    """Speaker named in text[start:end], the subject of a speech verb; _UNKNOWN if unnamed."""
    pattern, table = _subjects()
    region = ctx.text[start:end]
    m = pattern.search(region)
    if m and not ctx.in_range(start + m.start(), end):
        form = m.group(1).lower()
        how = table[form]
        pos = start + m.start()
        if how == "person":
            return ctx.last_before(pos, "person") or _UNKNOWN
        if how == "last-organization":
            return ctx.last_before(pos, "organization") or _UNKNOWN
        if how == "named-organization":
            return ctx.last_before(pos, "organization", form.split()[-1]) or _UNKNOWN
        return _UNKNOWN
    named = _pick(ctx.in_range(start, end), ctx.text)
    if named:
        return named
    return _UNKNOWN if region.strip(" ,") else None


def _attribute_before(ctx: _Context, q: QuoteSpan, sent: Sentence, lower: int) -> str | None:
    """Speaker from a verb before the quote in its sentence ("Mr X warned that “...”")."""
    start = max(sent.start, lower)
    verbs = list(_verb_re().finditer(ctx.text, start, q.open_at))
    if not verbs:
        return None
    verb = verbs[-1]
    if verb.group().startswith("according"):
        return _pick(ctx.in_range(verb.end(), q.open_at), ctx.text) or _UNKNOWN
    return _resolve_subject(ctx, start, verb.start())


def _attribute_after(ctx: _Context, q: QuoteSpan, sent: Sentence, upper: int) -> str | None:
    """Speaker from a verb after the quote in its sentence ("“...,” said Mr X." / "he added")."""
    if q.close_at is None:
        return None
    sent = ctx.sentence_of(q.close_at)  # a long quote ends in a later sentence than it began
    start = q.close_at + 1
    end = min(sent.end, upper, start + _MAX_GAP)
    verb = _verb_re().search(ctx.text, start, end)
    if verb is None:
        return None
    if verb.group().startswith("according"):
        return _pick(ctx.in_range(verb.end(), end), ctx.text) or _UNKNOWN
    if not ctx.text[start : verb.start()].strip(" ,.!?;:—–-"):
        # Verb first: "said Mr X", "added the minister".
        return _pick(ctx.in_range(verb.end(), min(end, verb.end() + 80)), ctx.text) or _UNKNOWN
    return _resolve_subject(ctx, start, verb.start())


def _clean(text: str) -> str:
    """Quote text on one line, without stray spaces."""
    return _WS_RE.sub(" ", text).strip()


@dataclass
class _Found:
    """A quote being assembled: its spans' text, speaker and whether it is a whole quote."""

    text: str
    speaker: str | None
    attributed: bool
    full: bool
    span: QuoteSpan


def _merge_paragraphs(spans: list[QuoteSpan], text: str) -> list[tuple[QuoteSpan, str]]:
    """Join a quote left open at a paragraph's end with the next paragraph's opening quote."""
    out: list[tuple[QuoteSpan, str]] = []
    i = 0
    while i < len(spans):
        q, body = spans[i], text[spans[i].start : spans[i].end]
        while (
            q.close_at is None
            and i + 1 < len(spans)
            and not text[q.end : spans[i + 1].open_at].strip()
        ):
            i += 1
            nxt = spans[i]
            body += " " + text[nxt.start : nxt.end]
            q = QuoteSpan(q.start, nxt.end, q.open_at, nxt.close_at, nxt.paragraph)
        out.append((q, body))
        i += 1
    return out


def extract_quotes(
    text: str,
    body_start: int,
    mentions: Sequence[Mention],
    sentences: Sequence[Sentence],
) -> tuple[Quote, ...]:
    """Direct quotes in text[body_start:] with speakers (actors' canonical names) or None."""
    spans = find_quote_spans(text, body_start)
    if not spans:
        return ()
    inside = [(q.start, q.end) for q in spans]
    usable = tuple(
        m
        for m in mentions
        if m.kind in SPEAKER_KINDS and not any(a <= m.start < b for a, b in inside)
    )
    ctx = _Context(
        text, usable, tuple(m.start for m in usable), tuple(sentences),
        tuple(s.start for s in sentences),
    )  # fmt: skip
    found: list[_Found] = []
    for q, body in _merge_paragraphs(spans, text):
        found.append(_attribute(ctx, q, _clean(body), found))
    return _finish(found)


def _line_start(text: str, offset: int) -> int:
    """Offset of the first character of the line holding `offset`."""
    return text.rfind("\n", 0, offset) + 1


def _attribute(ctx: _Context, q: QuoteSpan, body: str, found: list[_Found]) -> _Found:
    """Find the speaker of one quote, using the quotes found before it in the paragraph."""
    sent = ctx.sentence_of(q.open_at)
    prev = found[-1] if found and found[-1].span.paragraph == q.paragraph else None
    lower = prev.span.close_at + 1 if prev and prev.span.close_at is not None else 0
    para_start = _line_start(ctx.text, q.open_at)
    starts_para = not ctx.text[para_start : q.open_at].strip()
    lead = ctx.text[max(sent.start, lower) : q.open_at].strip()
    full = (not lead or lead.endswith((":", ",")) or starts_para) and body[:1].isupper()
    speaker = _attribute_before(ctx, q, sent, lower)
    if speaker is None:
        speaker = _attribute_after(ctx, q, sent, _next_open(ctx.text, q))
    if prev is not None and prev.attributed and prev.span.close_at is not None:
        between = ctx.text[prev.span.close_at + 1 : q.open_at]
        same = (
            speaker is None or speaker == prev.speaker or (speaker == _UNKNOWN and not prev.speaker)
        )
        if same and prev.full and len(between) <= 80 and _verb_re().search(between):
            prev.text = _join(prev.text, between, body)  # "“A,” he said. “B.”" is one quote
            return _Found("", None, False, False, q)
        if speaker is None and (
            ctx.sentence_of(prev.span.open_at) == sent or len(between) <= _MAX_GAP
        ):
            speaker = prev.speaker if prev.speaker is not None else _UNKNOWN
    if speaker is None and full and not lead:
        speaker = _from_previous_sentence(ctx, q.open_at, para_start)
    if speaker is None and starts_para and full:
        speaker = _from_previous_paragraph(ctx, para_start, q.paragraph, found)
    return _Found(body, speaker or None, speaker is not None, full, q)


def _next_open(text: str, q: QuoteSpan) -> int:
    """Where the next quote in the paragraph opens (or the paragraph ends)."""
    end = text.find("\n", q.end)
    end = len(text) if end < 0 else end
    nxt = min(
        (i for i in (text.find("“", q.end + 1, end), text.find('"', q.end + 1, end)) if i >= 0),
        default=end,
    )
    return nxt


def _join(first: str, between: str, second: str) -> str:
    """One quote from a quote split by its attribution: "“A,” he said. “B.”" -> "A. B." """
    if first.endswith(",") and between.rstrip().endswith("."):
        first = first[:-1] + "."
    return f"{first} {second}"


def _from_previous_sentence(ctx: _Context, open_at: int, para_start: int) -> str | None:
    """The speaker of a reporting sentence just before a quote ("X told the BBC: ...")."""
    i = ctx.sentence_index(open_at)
    if i == 0:
        return None
    prev = ctx.sentences[i - 1]
    if prev.end < _line_start(ctx.text, max(0, para_start - 2)):
        return None  # not in this paragraph nor the one before
    verbs = list(_verb_re().finditer(ctx.text, prev.start, prev.end))
    if not verbs or '"' in prev.text or "“" in prev.text:
        return None
    verb = verbs[-1]
    if verb.group().startswith("according"):
        return _pick(ctx.in_range(verb.end(), prev.end), ctx.text)
    return _resolve_subject(ctx, prev.start, verb.start()) or None


def _from_previous_paragraph(
    ctx: _Context, para_start: int, paragraph: int, found: list[_Found]
) -> str | None:
    """The speaker of a quote that fills its paragraph: "X said:" before it, or X quoted before."""
    prev_end = para_start - 1
    prev_start = _line_start(ctx.text, max(0, prev_end - 1)) if prev_end > 0 else 0
    before = ctx.text[prev_start:prev_end].rstrip()
    if before.endswith(":"):
        sent = ctx.sentence_of(prev_start + len(before) - 1)
        verbs = list(_verb_re().finditer(ctx.text, sent.start, prev_start + len(before)))
        if verbs:
            return _resolve_subject(ctx, sent.start, verbs[-1].start())
    last = next((f for f in reversed(found) if f.text), None)
    if last is not None and last.speaker and last.span.paragraph == paragraph - 1:
        return last.speaker  # the same voice goes on in the next paragraph
    return None


def _finish(found: list[_Found]) -> tuple[Quote, ...]:
    """Keep whole quotes and attributed partial ones, once each, in text order."""
    out: list[Quote] = []
    seen: set[str] = set()
    for f in found:
        text = f.text.strip(" ,;:")
        if not text or text in seen:
            continue
        words = len(text.split())
        if f.speaker is None and not (
            f.full and (f.attributed or words >= _MIN_UNATTRIBUTED_WORDS)
        ):
            continue  # a scare quote or a title, not something somebody said
        seen.add(text)
        out.append(Quote(speaker=f.speaker, text=text))
    return tuple(out)
