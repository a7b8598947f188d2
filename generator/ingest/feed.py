"""Reader for news feeds (.xml, .rss, .atom) with feedparser: one Article per entry."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.ingest.build import build_article, sha256_hex
from generator.ingest.clean import clean_web_text
from generator.ingest.decode import load_bytes
from generator.ingest.htmltext import html_to_text
from generator.ingest.readout import Readout, read_entries
from generator.model import Article

SUFFIXES = (".xml", ".rss", ".atom")


def read_feed(path: Path) -> Readout:
    """Read every entry of an RSS or Atom feed file (never fetched from the network); a
    bad entry costs itself, named by its number."""
    data = load_bytes(path)
    if not data.strip():
        raise InputError("empty file", path)
    import feedparser  # 0.15 s to import: only when there is a feed to read

    try:
        # Bytes, never a str: feedparser treats a string that looks like a URL as one to fetch.
        parsed: Any = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    except Exception as exc:
        # feedparser lets malformed input through as its own errors: a reference to a lone
        # surrogate (UnicodeEncodeError), or to a code point past any (OverflowError).
        raise InputError(f"cannot read this feed: {type(exc).__name__}: {exc}", path) from None
    entries = list(parsed.get("entries") or [])
    if not entries:
        reason = parsed.get("bozo_exception")
        detail = f": {reason}" if parsed.get("bozo") and reason else ""
        raise InputError(f"not a feed, or a feed with no entries{detail}", path)
    source = _text(parsed.get("feed", {}).get("title")) or None

    def make(number: int, entry: Any) -> Article:
        """One entry's Article; its error names the entry."""
        try:
            return _entry_article(entry, path, source)
        except InputError as exc:
            raise InputError(f"entry {number}: {exc.message}", path) from exc

    return read_entries(path, entries, make)


def _entry_article(entry: Any, path: Path, source: str | None) -> Article:
    """An entry's text, cleaned, with its date and link."""
    title = _text(entry.get("title"))
    body_html = _entry_html(entry)
    text = html_to_text(body_html) if body_html else ""
    cleaned = clean_web_text(text, title=title)
    return build_article(
        cleaned,
        path,
        _entry_sha256(entry, title, text),
        date=_entry_date(entry),
        source_name=source,
        url=_link(entry.get("link")),
    )


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


def _link(value: object) -> str | None:
    """An http(s) link, else None (no javascript: or data: addresses)."""
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None
