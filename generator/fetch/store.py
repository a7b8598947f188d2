"""Where fetched responses are kept: `content/articles/fetched/<host>/<name>.html|.xml`,
each with its record (`<name>.html.fetch`), written only when something changed.

Names come from `address.store_name` (a slug and a hash: never a path of the server's
choosing), and every write is checked to land inside the articles folder. The record is
written before the body: a build that reads in between sees the new record with the old
body (the same address), and a fetch stopped in between leaves a record whose hash does
not match its body, so the next run asks again, unconditionally.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from generator.fetch.address import store_name
from generator.fetch.response import Response, Validators
from generator.fetch.settings import SourceSpec
from generator.fileio import write_if_changed
from generator.ingest.record import FetchRecord, load_record, record_path, render_record

FOLDER = "fetched"
"""The folder under content/articles/ that fetched responses are kept in."""
PAGE, FEED = ".html", ".xml"

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
_UNSURE_TYPES = ("", "text/plain", "application/octet-stream")


@dataclass(frozen=True)
class Kept:
    """A response kept earlier: its body file and record (they agree)."""

    body: Path
    record: FetchRecord

    @property
    def validators(self) -> Validators:
        r = self.record
        return Validators(r.etag, r.last_modified)


def body_path(articles: Path, url: str, suffix: str) -> Path:
    """Where the body fetched from `url` is kept; refuses a path leaving `articles`."""
    folder, stem = store_name(url)
    path = articles / FOLDER / folder / f"{stem}{suffix}"
    if not path.resolve().is_relative_to(articles.resolve()):
        raise ValueError(f"refusing to write outside {articles}: {path}")
    return path


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_kept(articles: Path, url: str) -> Kept | None:
    """What was kept for `url`, when its body is there and is the one its record hashed."""
    for suffix in (PAGE, FEED):
        body = body_path(articles, url, suffix)
        record, _ = load_record(body)
        if record is None or record.url != url:
            continue
        try:
            if _sha256(body.read_bytes()) == record.sha256:
                return Kept(body, record)
        except OSError:
            continue
    return None


def kind_of(content_type: str | None, body: bytes) -> str | None:
    """PAGE or FEED by the content type (and the first bytes, when it is vague or says
    XML), or None when the response is neither (a PDF, an image)."""
    main = (content_type or "").split(";")[0].strip().lower()
    head = body[:2048].lstrip().lower()
    looks_html = head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]
    looks_feed = any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    if main in _HTML_TYPES:
        return PAGE
    if main in _FEED_TYPES or main.endswith("+xml"):
        return PAGE if looks_html and not looks_feed else FEED
    if main in _UNSURE_TYPES:
        return FEED if looks_feed else PAGE if looks_html else None
    return None


def keep_response(
    articles: Path, response: Response, suffix: str, spec: SourceSpec
) -> tuple[Path, str]:
    """Keep a 200 response's body and record; (body path, "new" | "changed" | "unchanged").

    Unchanged bytes write nothing (a record whose validators changed is updated, its
    fetch time kept)."""
    body = body_path(articles, response.url, suffix)
    record = FetchRecord(
        url=response.url,
        final_url=response.final_url,
        status=response.status,
        content_type=response.content_type,
        fetched_at=response.fetched_at,
        sha256=_sha256(response.body),
        etag=response.etag,
        last_modified=response.last_modified,
        source_name=spec.name,
        topics=spec.topics,
    )
    old, _ = load_record(body)
    try:
        same = body.read_bytes() == response.body
    except OSError:
        same, state = False, "new"
    else:
        state = "unchanged" if same else "changed"
    if same and old is not None:
        record = replace(record, fetched_at=old.fetched_at)
    body.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(record_path(body), render_record(record))
    if not same:
        write_if_changed(body, response.body)
    return body, state
