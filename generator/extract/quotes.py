"""Direct quotes and their speakers: speech-verb patterns, pronouns, split and long quotes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.extract.entities import Mention
from generator.extract.quote_spans import QuoteSpan, find_quote_spans
from generator.extract.sentences import Sentence
from generator.extract.spans import Spans
from generator.extract.speakers import (
    MAX_GAP,
    UNKNOWN,
    Context,
    attribute_after,
    attribute_before,
    pick,
    resolve_subject,
    verb_re,
)
from generator.model import Quote

SPEAKER_KINDS = frozenset({"person", "organization", "country"})
_MIN_UNATTRIBUTED_WORDS = 6  # shorter unattributed quotes are scare quotes or titles
_MAX_FRAGMENT_WORDS = 3  # a phrase this short quoted inside a sentence is no quote
_WS_RE = re.compile(r"\s+")


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
            q = QuoteSpan(q.start, nxt.end, q.open_at, nxt.close_at, q.paragraph, nxt.end_paragraph)
        out.append((q, body))
        i += 1
    return out


def extract_quotes(
    text: str,
    body_start: int,
    mentions: Sequence[Mention],
    sentences: Sequence[Sentence],
    spans: Sequence[QuoteSpan] | None = None,
) -> tuple[Quote, ...]:
    """Direct quotes in text[body_start:] with speakers (actors' canonical names) or None;
    `spans` are the quoted spans when the caller has found them already."""
    spans = list(find_quote_spans(text, body_start) if spans is None else spans)
    if not spans:
        return ()
    inside = Spans.of((q.start, q.end) for q in spans)
    usable = tuple(m for m in mentions if m.kind in SPEAKER_KINDS and m.start not in inside)
    ctx = Context(
        text, usable, tuple(m.start for m in usable), tuple(sentences),
        tuple(s.start for s in sentences),
        frozenset(m.canonical for m in usable if m.kind == "person"), [],
    )  # fmt: skip
    found: list[_Found] = []
    for q, body in _merge_paragraphs(spans, text):
        item = _attribute(ctx, q, _clean(body), found)
        found.append(item)
        if item.speaker:
            ctx.speakers.append((q.end, item.speaker))
    return _finish(found)


def _line_start(text: str, offset: int) -> int:
    """Offset of the first character of the line holding `offset`."""
    return text.rfind("\n", 0, offset) + 1


def _attribute(ctx: Context, q: QuoteSpan, body: str, found: list[_Found]) -> _Found:
    """Find the speaker of one quote, using the quotes found before it in the paragraph."""
    sent = ctx.sentence_of(q.open_at)
    prev = found[-1] if found and found[-1].span.end_paragraph == q.paragraph else None
    lower = prev.span.close_at + 1 if prev and prev.span.close_at is not None else 0
    para_start = _line_start(ctx.text, q.open_at)
    starts_para = not ctx.text[para_start : q.open_at].strip()
    lead = ctx.text[max(sent.start, lower) : q.open_at].strip()
    full = (not lead or lead.endswith((":", ",")) or starts_para) and body[:1].isupper()
    speaker = attribute_before(ctx, q, sent, lower)
    if speaker is None:
        speaker = attribute_after(ctx, q, sent, _next_open(ctx.text, q))
    if prev is not None and prev.attributed and prev.span.close_at is not None:
        between = ctx.text[prev.span.close_at + 1 : q.open_at]
        same = (
            speaker is None or speaker == prev.speaker or (speaker == UNKNOWN and not prev.speaker)
        )
        if same and prev.full and len(between) <= 80 and verb_re().search(between):
            prev.text = _join(prev.text, between, body)  # "“A,” he said. “B.”" is one quote
            return _Found("", None, False, False, q)
        if speaker is None and (
            ctx.sentence_of(prev.span.open_at) == sent or len(between) <= MAX_GAP
        ):
            speaker = prev.speaker if prev.speaker is not None else UNKNOWN
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


def _from_previous_sentence(ctx: Context, open_at: int, para_start: int) -> str | None:
    """The speaker of a reporting sentence just before a quote ("X told the BBC: ...")."""
    i = ctx.sentence_index(open_at)
    if i == 0:
        return None
    prev = ctx.sentences[i - 1]
    if prev.end < _line_start(ctx.text, max(0, para_start - 2)):
        return None  # not in this paragraph nor the one before
    verbs = list(verb_re().finditer(ctx.text, prev.start, prev.end))
    if not verbs or '"' in prev.text or "“" in prev.text:
        return None
    verb = verbs[-1]
    if verb.group().startswith("according"):
        return pick(ctx.in_range(verb.end(), prev.end), ctx.text)
    return resolve_subject(ctx, prev.start, verb.start()) or None


def _from_previous_paragraph(
    ctx: Context, para_start: int, paragraph: int, found: list[_Found]
) -> str | None:
    """The speaker of a quote that fills its paragraph: "X said:" before it, or X quoted before."""
    prev_end = para_start - 1
    prev_start = _line_start(ctx.text, max(0, prev_end - 1)) if prev_end > 0 else 0
    before = ctx.text[prev_start:prev_end].rstrip()
    if before.endswith(":"):
        sent = ctx.sentence_of(prev_start + len(before) - 1)
        verbs = list(verb_re().finditer(ctx.text, sent.start, prev_start + len(before)))
        if verbs:
            return resolve_subject(ctx, sent.start, verbs[-1].start())
    last = next((f for f in reversed(found) if f.text), None)
    if last is not None and last.speaker and last.span.end_paragraph == paragraph - 1:
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
        if not f.full and words <= _MAX_FRAGMENT_WORDS:
            continue  # a phrase quoted inside a sentence ("a 'slim chance'"): no quote
        if f.speaker is None and not (
            f.full and (f.attributed or words >= _MIN_UNATTRIBUTED_WORDS)
        ):
            continue  # a scare quote or a title, not something somebody said
        seen.add(text)
        out.append(Quote(speaker=f.speaker, text=text))
    return tuple(out)
