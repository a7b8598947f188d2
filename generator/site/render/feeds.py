"""Atom 1.0 and JSON Feed 1.1 documents, built with real XML/JSON escaping."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from generator.model import Briefing
from generator.site.model.group import SiteModel
from generator.site.render.pages import SiteMeta, root_prefix
from generator.site.views.context import actor_url, briefing_url, topic_url, web_url

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
FEED_ENTRIES = 30
_EPOCH = "1970-01-01T00:00:00Z"
# Characters XML 1.0 cannot carry at all: article text may hold them; they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Feed:
    """One feed: its title, the folder it lives in ('' = site root) and its newest briefings."""

    title: str
    folder: str
    entries: tuple[Briefing, ...]


def xml_text(text: str) -> str:
    """Text without the characters XML 1.0 cannot carry (escaping is done apart)."""
    return _NOT_XML.sub("", text)


def _stamp(b: Briefing) -> str:
    """A briefing's date as an RFC 3339 timestamp at midnight UTC."""
    return f"{b.date.isoformat()}T00:00:00Z"


def _updated(entries: tuple[Briefing, ...]) -> str:
    """The newest briefing's date: never the build time, so output stays byte-identical."""
    return max((_stamp(b) for b in entries), default=_EPOCH)


def _url(site: SiteMeta, folder: str, path: str) -> str:
    """`path` (relative to the site root) as seen from a feed in `folder`."""
    if site.base_url:
        return site.base_url + path
    return root_prefix(folder + "feed.xml") + path


def _entry_id(site: SiteMeta, b: Briefing) -> str:
    """A briefing's permanent id: its address when known, else a name-based UUID."""
    if site.base_url:
        return site.base_url + briefing_url(b.slug)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"briefing:{b.slug}").urn


def _feed_id(site: SiteMeta, folder: str, kind: str) -> str:
    """A feed's permanent id: its address when known, else a name-based UUID."""
    if site.base_url:
        return f"{site.base_url}{folder}feed.{kind}"
    return uuid.uuid5(uuid.NAMESPACE_URL, f"briefing-feed:{site.title}:{folder}").urn


def _text(text: str) -> str:
    """Element text as ElementTree writes it: XML-safe, with &, < and > escaped."""
    text = xml_text(text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    return text.replace("<", "&lt;").replace(">", "&gt;") if "<" in text or ">" in text else text


def _attr(value: str) -> str:
    """An attribute value as ElementTree writes it (quotes and whitespace escaped too)."""
    value = _text(value).replace('"', "&quot;")
    return value.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def _el(indent: str, tag: str, text: str | None = None, **attrs: str) -> str:
    """One indented element on its own line; text and attribute values escaped.

    Written by hand because ElementTree's serializer costs more than the rest of a feed,
    and a site has two feeds per actor; the output is what ElementTree would write.
    """
    head = "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items())
    body = _text(text) if text else ""
    if not body:  # as ElementTree: no text, or only characters XML cannot carry
        return f"{indent}<{tag}{head} />\n"
    return f"{indent}<{tag}{head}>{body}</{tag}>\n"


def _author(indent: str, name: str) -> str:
    """An <author> element holding a name."""
    return f"{indent}<author>\n{_el(indent + '  ', 'name', name)}{indent}</author>\n"


def _atom_entry(site: SiteMeta, folder: str, b: Briefing) -> str:
    """One briefing as an indented Atom <entry>."""
    i = "    "
    parts = [
        "  <entry>\n",
        _el(i, "title", b.title),
        _el(i, "id", _entry_id(site, b)),
        _el(
            i,
            "link",
            rel="alternate",
            type="text/html",
            href=_url(site, folder, briefing_url(b.slug)),
        ),
        # An undated briefing claims no publication date: `updated` (required) is the
        # stand-in date it is filed by, the time of the copy it was made from.
        *([] if b.date_inferred else [_el(i, "published", _stamp(b))]),
        _el(i, "updated", _stamp(b)),
    ]
    if b.source.name:
        parts.append(_author(i, b.source.name))
    parts.extend(_el(i, "category", term=t.id, label=t.label) for t in b.topics)
    parts.append(_el(i, "summary", b.summary or b.title, type="text"))
    parts.append("  </entry>\n")
    return "".join(parts)


def render_atom(feed: Feed, site: SiteMeta, cache: dict[tuple[str, str], str]) -> bytes:
    """An Atom 1.0 document; `cache` keeps each entry's XML per link prefix across feeds."""
    i = "  "
    parts = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        f'<feed xmlns="{ATOM_NS}" xml:lang="{_attr(site.language)}">\n',
        _el(i, "title", feed.title),
    ]
    if site.description and not feed.folder:
        parts.append(_el(i, "subtitle", site.description))
    parts += [
        _el(i, "id", _feed_id(site, feed.folder, "xml")),
        _el(i, "updated", _updated(feed.entries)),
        _el(
            i,
            "link",
            rel="self",
            type="application/atom+xml",
            href=_url(site, feed.folder, feed.folder + "feed.xml"),
        ),
        _el(
            i, "link", rel="alternate", type="text/html", href=_url(site, feed.folder, feed.folder)
        ),
        _author(i, site.title),
        _el(i, "generator", "Briefing"),
    ]
    prefix = root_prefix(feed.folder + "feed.xml")
    for b in feed.entries:
        key = (b.slug, prefix)
        if key not in cache:
            cache[key] = _atom_entry(site, feed.folder, b)
        parts.append(cache[key])
    parts.append("</feed>\n")
    return "".join(parts).encode("utf-8")


def _json_item(site: SiteMeta, folder: str, b: Briefing) -> dict[str, object]:
    """One briefing as a JSON Feed item."""
    text = "\n\n".join([b.summary or b.title, *(f"- {p}" for p in b.key_points)])
    item: dict[str, object] = {
        "id": _entry_id(site, b),
        "url": _url(site, folder, briefing_url(b.slug)),
        "title": b.title,
        "content_text": text,
        "summary": b.summary,
        ("date_modified" if b.date_inferred else "date_published"): _stamp(b),
    }
    if b.source.name:
        item["authors"] = [{"name": b.source.name}]
    source_url = web_url(b.source.url)
    if source_url:
        item["external_url"] = source_url
    tags = [t.label for t in b.topics] + list(b.tags)
    if tags:
        item["tags"] = tags
    return item


def render_json_feed(
    feed: Feed, site: SiteMeta, cache: dict[tuple[str, str], dict[str, object]]
) -> bytes:
    """A JSON Feed 1.1 document; `cache` keeps each item per link prefix across feeds."""
    prefix = root_prefix(feed.folder + "feed.json")
    items = []
    for b in feed.entries:
        key = (b.slug, prefix)
        if key not in cache:
            cache[key] = _json_item(site, feed.folder, b)
        items.append(cache[key])
    data: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": _url(site, feed.folder, feed.folder),
        "feed_url": _url(site, feed.folder, feed.folder + "feed.json"),
        "language": site.language,
        "authors": [{"name": site.title}],
        "items": items,
    }
    if site.description and not feed.folder:
        data["description"] = site.description
    # No indent: the C encoder is many times faster, and feed readers do not care.
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def render_feeds(feeds: Iterable[Feed], site: SiteMeta) -> dict[str, bytes]:
    """feed.xml and feed.json for every feed, by output path."""
    out: dict[str, bytes] = {}
    entries: dict[tuple[str, str], str] = {}
    items: dict[tuple[str, str], dict[str, object]] = {}
    for feed in feeds:
        out[f"{feed.folder}feed.xml"] = render_atom(feed, site, entries)
        out[f"{feed.folder}feed.json"] = render_json_feed(feed, site, items)
    return out


def site_feeds(model: SiteModel, title: str) -> list[Feed]:
    """The site-wide feed, then one per topic and one per actor."""
    by_slug = {b.slug: b for b in model.briefings}
    feeds = [Feed(title, "", model.briefings[:FEED_ENTRIES])]
    for t in model.topics:
        entries = tuple(map(by_slug.__getitem__, t.briefings[:FEED_ENTRIES]))
        feeds.append(Feed(f"{t.label} · {title}", topic_url(t.id), entries))
    for a in model.actors:
        entries = tuple(map(by_slug.__getitem__, a.briefings[:FEED_ENTRIES]))
        feeds.append(Feed(f"{a.name} · {title}", actor_url(a.slug), entries))
    return feeds
