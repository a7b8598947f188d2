"""Reader for saved web pages (.html, .htm): trafilatura's extraction, lxml as fallback."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.ingest.article import build_article, parse_date, sha256_hex
from generator.ingest.clean import clean_web_text
from generator.ingest.decode import decode_bytes, load_bytes
from generator.ingest.htmltext import (
    MAX_TAG_ATTRIBUTES,
    bound_tags,
    element_text,
    page_meta,
    page_title,
    parse_html,
)
from generator.ingest.liblog import reading
from generator.ingest.readout import Readout
from generator.ingest.record import load_record

SUFFIXES = (".html", ".htm")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Page:
    """What extraction found in a page: text (one block a line) and metadata."""

    text: str
    title: str | None = None
    date: dt.date | None = None
    sitename: str | None = None
    url: str | None = None


def read_html(path: Path) -> Readout:
    """Read one saved web page: its main text, cleaned, with the page's metadata.

    A fetched page's record (`<name>.html.fetch`) gives the address it came from, the
    character set the server named, and the source's outlet name and topics."""
    data = load_bytes(path)
    record, problem = load_record(path)
    charset = record.charset if record else None
    markup, warnings = decode_bytes(data, str(path), declared=charset)
    if problem:
        warnings.append(problem)
    markup, cut = bound_tags(markup)  # and characters lxml refuses removed
    if cut:
        warnings.append(
            f"{cut:,} tag(s) with over {MAX_TAG_ATTRIBUTES} attributes: the rest were dropped"
        )
    with reading(path):
        page = _extract_trafilatura(markup)
    if page is None:
        page = _extract_lxml(markup)
    cleaned = clean_web_text(page.text, title=headline(page.title, markup))
    own_url = page.url if page.url and page.url.startswith(("http://", "https://")) else None
    article = build_article(
        cleaned,
        path,
        sha256_hex(data),
        warnings=tuple(warnings),
        date=page.date,
        source_name=(record.source_name if record else None) or page.sitename,
        url=record.final_url if record else own_url,
        topics=record.topics if record else (),
    )
    return Readout((article,))


_WORDS = re.compile(r"\w+")
_HEADLINE_WORDS = 3
_CONTAINED = 0.8


def headline(title: str | None, markup: str) -> str | None:
    """The page's headline: the longest <h1> its title holds ('Site | Tagline: Headline'
    holds the headline, a logo's <h1> is no part of it), else the title."""
    if not title:
        return title
    root = parse_html(markup)
    if root is None:
        return title
    title_words = Counter(_WORDS.findall(title.casefold()))
    best = None
    for element in root.iter("h1"):
        text = " ".join(element.text_content().split())
        words = Counter(_WORDS.findall(text.casefold()))
        count = sum(words.values())
        if count < _HEADLINE_WORDS or count >= sum(title_words.values()):
            continue
        if sum((words & title_words).values()) >= _CONTAINED * count:
            best = text if best is None or len(text) > len(best) else best
    return best or title


def _extract_trafilatura(markup: str) -> _Page | None:
    """Main text and metadata by trafilatura (never fetches); None when it finds nothing."""
    try:
        import trafilatura
    except ImportError as exc:  # a broken install should not stop plain extraction
        log.debug("trafilatura unavailable: %s", exc)
        return None
    try:
        doc: Any = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
            include_images=False,
            include_links=False,
        )
        if hasattr(doc, "as_dict"):  # trafilatura 2 returns a Document, 1.x a dict
            doc = doc.as_dict()
    except Exception as exc:  # trafilatura can fail on odd markup: fall back, never crash
        log.debug("trafilatura failed: %s", exc)
        return None
    if not isinstance(doc, dict) or not str(doc.get("text") or "").strip():
        return None
    return _Page(
        text=str(doc["text"]),
        title=_str_or_none(doc.get("title")),
        date=parse_date(doc.get("date")),
        sitename=_str_or_none(doc.get("sitename")),
        url=_str_or_none(doc.get("url")),
    )


def _extract_lxml(markup: str) -> _Page:
    """A simple extraction: the page title and the visible text of <article>, <main> or <body>."""
    root = parse_html(markup)
    if root is None:
        return _Page(text="")
    title = page_title(root)
    sitename = page_meta(root, "og:site_name", "application-name")
    url = page_meta(root, "og:url")
    date = parse_date(page_meta(root, "article:published_time", "date", "dc.date"))
    container = None
    for xpath in ("//article", "//main", "//body"):
        found = root.xpath(xpath)
        if found:
            container = found[0]
            break
    text = element_text(container if container is not None else root)
    return _Page(text=text, title=title, date=date, sitename=sitename, url=url)


def _str_or_none(value: object) -> str | None:
    """A non-empty stripped string, else None."""
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None
