"""The extraction pipeline: an Article -> its Extraction (every extractor, in order)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache

from generator.extract.entities import extract_entities
from generator.extract.events import extract_events, publication_date
from generator.extract.keyphrases import extract_keyphrases
from generator.extract.quote_spans import find_quote_spans
from generator.extract.quotes import extract_quotes
from generator.extract.sentences import split_sentences
from generator.extract.summary import lead_summary, summarize
from generator.extract.topics import assign_topics
from generator.extract.vocabulary import Vocabulary, default_vocabulary, load_vocabulary
from generator.extract.wordlist import read_lines
from generator.model import Article, Extraction

__all__ = ["MAX_ANALYSED_CHARS", "Vocabulary", "extract", "load_vocabulary", "resolve_date"]


MAX_ANALYSED_CHARS = 100_000
"""Longer bodies are analysed up to here (the briefing keeps all the text): bounded time."""


def analysed_text(body: str) -> str:
    """The part of `body` the extractors read: all of it, or its first ~100,000 characters."""
    if len(body) <= MAX_ANALYSED_CHARS:
        return body
    head = body[:MAX_ANALYSED_CHARS]
    cut = max(head.rfind("\n\n"), head.rfind(". "), head.rfind(" "))
    return head[:cut] if cut > MAX_ANALYSED_CHARS // 2 else head


def resolve_date(article: Article, fallback_date: dt.date | None = None) -> tuple[dt.date, bool]:
    """(date, inferred): metadata > --date > a date the text gives > the file's time.

    Relative dates in the text are resolved against the file's modification time (UTC),
    the best clue to when the copy was made; without one, against today. The date is
    inferred unless metadata, --date or the page's own date stamp (with its year) gave it:
    a date the article merely mentions, or the file's time, is a guess.
    """
    if article.date is not None:
        return article.date, False
    if fallback_date is not None:
        return fallback_date, False
    anchor = (
        dt.datetime.fromtimestamp(article.mtime, tz=dt.UTC).date()
        if article.mtime is not None
        else dt.datetime.now(tz=dt.UTC).date()
    )
    # The page's own date stamp (kept by the cleaner) beats dates mentioned in the text.
    found = publication_date(article.dateline, anchor, stamp=True) if article.dateline else None
    found = found or publication_date(article.body, anchor)
    return (found[0], not found[1]) if found else (anchor, True)


@cache
def known_languages() -> frozenset[str]:
    """The languages the extractors' word lists and models are made for (data/languages.txt)."""
    return frozenset(read_lines("languages.txt"))


def extract(
    article: Article,
    *,
    fallback_date: dt.date | None = None,
    vocabulary: Vocabulary | None = None,
    aliases: Mapping[str, str] | None = None,
    language: str = "en",
) -> Extraction:
    """Everything the briefing says about `article`, from its title and body alone.

    `language` is the text's when the article's own could not be told (the site's). In a
    language the extractors do not know, only the date and a lead are given: actors,
    quotes, topics, places, events and key phrases found by English rules would be junk.
    """
    spoken = article.language or language
    if spoken not in known_languages():
        return _lead_only(article, fallback_date, spoken)
    title, body = article.title, analysed_text(article.body)
    entities = extract_entities(title, body, aliases)
    body_start = len(title) + 2  # mention offsets are into f"{title}\n\n{body}"
    text = f"{title}\n\n{body}"
    sentences = split_sentences(body, body_start)
    date, inferred = resolve_date(article, fallback_date)
    names = [a.name for a in entities.actors]
    names += [alias for a in entities.actors for alias in a.aliases]
    names += [p.name for p in entities.places]
    tags = extract_keyphrases(title, body, names)
    spans = find_quote_spans(text, body_start)
    quoted = [(q.start, q.end) for q in spans]
    digest = summarize(title, sentences, tags, [m.start for m in entities.mentions], quoted)
    return Extraction(
        date=date,
        date_inferred=inferred,
        summary=digest.summary,
        key_points=digest.key_points,
        topics=assign_topics(title, body, entities.actors, vocabulary or default_vocabulary()),
        actors=entities.actors,
        places=entities.places,
        quotes=extract_quotes(text, body_start, entities.mentions, sentences, spans),
        events=extract_events(sentences, date, quoted, inferred),
        tags=tags,
        source_name=article.source_name,
        language=spoken,
    )


def _lead_only(article: Article, fallback_date: dt.date | None, language: str) -> Extraction:
    """The Extraction of an article in a language the extractors do not know: its date
    and its opening sentences as the summary (its own words), nothing else."""
    date, inferred = resolve_date(article, fallback_date)
    body = analysed_text(article.body)
    return Extraction(
        date=date,
        date_inferred=inferred,
        summary=lead_summary(split_sentences(body)),
        key_points=(),
        topics=(),
        actors=(),
        places=(),
        quotes=(),
        events=(),
        tags=(),
        source_name=article.source_name,
        language=language,
    )
