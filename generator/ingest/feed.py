"""Reader for news feeds (.xml, .rss, .atom) with feedparser: one Article per entry."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from generator.errors import InputError
from generator.ingest.article import build_article, sha256_hex
from generator.ingest.clean import clean_web_text
from generator.ingest.decode import load_bytes
from generator.ingest.htmltext import html_to_text
from generator.ingest.readout import Readout, read_entries
from generator.ingest.record import load_record
from generator.model import Article

SUFFIXES = (".xml", ".rss", ".atom")
TEASER_WORDS = 150
"""An entry whose text is shorter than this carries only a teaser: a fetched feed's
teaser entries are followed to their article page, which is ingested instead."""


def read_feed(path: Path) -> Readout:
    """Read every entry of an RSS or Atom feed file (never fetched from the network); a
    bad entry costs itself, named by its number.

    A fetched feed (one with a fetch record beside it) leaves out its teaser entries:
    their article pages were fetched beside it and are read from there."""
    data = load_bytes(path)
    if not data.strip():
        raise InputError("empty file", path)
    record, problem = load_record(path)
    base = record.final_url if record else None
    parsed = _parse(data, path)
    entries = list(parsed.get("entries") or [])
    if not entries:
        reason = parsed.get("bozo_exception")
        detail = f": {reason}" if parsed.get("bozo") and reason else ""
        raise InputError(f"not a feed, or a feed with no entries{detail}", path)
    source = (
        (record.source_name if record else None)
        or _text(parsed.get("feed", {}).get("title"))
        or None
    )
    warned = False

    def make(number: int, entry: Any) -> Article | None:
        """One entry's Article (None for a fetched feed's teaser); its error names the entry."""
        nonlocal warned
        title = _text(entry.get("title"))
        body_html = _entry_html(entry)
        text = html_to_text(body_html) if body_html else ""
        if record is not None and _teaser_link(entry, text, base) is not None:
            return None
        try:
            article = build_article(
                clean_web_text(text, title=title),
                path,
                _entry_sha256(entry, title, text),
                date=_entry_date(entry),
                source_name=source,
                url=_link(entry.get("link"), base),
                warnings=(problem,) if problem and not warned else (),
                topics=record.topics if record else (),
            )
        except InputError as exc:
            raise InputError(f"entry {number}: {exc.message}", path) from exc
        warned = True
        return article

    return read_entries(path, entries, make)


def _parse(data: bytes, path: Path | None = None) -> Any:
    """feedparser's reading of a feed's bytes."""
    import feedparser  # slow to import: only when there is a feed to read

    try:
        # Bytes, never a str: feedparser treats a string that looks like a URL as one to fetch.
        return feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    except Exception as exc:
        # feedparser lets malformed input through as its own errors: a reference to a lone
        # surrogate (UnicodeEncodeError), or to a code point past any (OverflowError).
        raise InputError(f"cannot read this feed: {type(exc).__name__}: {exc}", path) from None


def teaser_links(data: bytes, base: str) -> list[str]:
    """The links of a feed's entries that carry only a teaser (fewer than TEASER_WORDS
    words) and link to an http(s) page, in feed order, each once; `base` is the feed's
    address, which relative links are read against."""
    links: list[str] = []
    for entry in _parse(data).get("entries") or []:
        body_html = _entry_html(entry)
        link = _teaser_link(entry, html_to_text(body_html) if body_html else "", base)
        if link is not None and link not in links:
            links.append(link)
    return links


def _teaser_link(entry: Any, text: str, base: str | None) -> str | None:
    """The page to follow for an entry whose text is only a teaser, else None."""
    if len(text.split()) >= TEASER_WORDS:
        return None
    return _link(entry.get("link"), base)


def _entry_html(entry: Any) -> str:
    """The fullest text an entry carries: its content, else its summary."""
    for content in entry.get("content") or []:
        value = content.get("value")
        if isinstance(value, str) and value.strip():
            return value
    summary = entry.get("summary")
    return summary if isinstance(summary, str) else ""


def _entry_date(entry: Any) -> dt.date | None:
    """The entry's publication (else update) date."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except (AttributeError, ValueError):
                continue
    return None


def _entry_sha256(entry: Any, title: str, text: str) -> str:
    """A hash of the entry's own content, so one changed entry does not touch the others."""
    ident = entry.get("id") or entry.get("link") or ""
    stamp = entry.get("published") or entry.get("updated") or ""
    payload = json.dumps([str(ident), title, str(stamp), text], ensure_ascii=False)
    return sha256_hex(payload.encode("utf-8"))


def _text(value: object) -> str:
    """A feed string (feedparser has decoded its entities), whitespace collapsed; tags dropped."""
    if not isinstance(value, str):
        return ""
    if "<" in value:
        value = html_to_text(value)
    return " ".join(value.split())


def _link(value: object, base: str | None = None) -> str | None:
    """An http(s) link, else None (no javascript: or data: addresses); a relative one is
    read against `base`, the address a fetched feed came from."""
    if not isinstance(value, str) or not value.strip():
        return None
    link = urljoin(base, value.strip()) if base else value.strip()
    return link if link.lower().startswith(("http://", "https://")) else None
