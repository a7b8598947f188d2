"""What each output depends on: fingerprints that decide re-rendering, and briefing -> pages.

An incremental build re-renders a page exactly when its fingerprint changes: a hash of
its template set and of every value its template sees. That covers first-order
dependencies (the page shows a briefing that changed) and second-order ones no hand-kept
map gets right (an actor's canonical name, a topic's label or a count that an edit
elsewhere changed). The briefing -> pages map is derived from the same values; it says
which pages show a briefing (for the watcher, tests and `-v` logs), it decides nothing.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from generator.hashing import digest, value_bytes
from generator.site.render.feeds import Feed
from generator.site.render.pages import PageMeta, PageSpec
from generator.site.render.values import Deferred, FromInputs, resolve

BRIEFING_URL_PREFIX = "briefings/"


def _head(template: str, meta: PageMeta) -> bytes:
    """A page's template name and meta as bytes: the dataclass repr shows every field, and
    they are plain strings, numbers and links, so it is exact (and faster than pickle)."""
    return repr((template, meta)).encode("utf-8")


def page_fingerprint(key: bytes, spec: PageSpec) -> tuple[bytes | None, bytes | None]:
    """(fingerprint, serialized template + meta + values) of a page; None when unhashable.

    A page with deferred values is fingerprinted by their key (and has no serialization
    yet: its values are built only if it must be rendered).
    """
    values = spec[3]
    if isinstance(values, Deferred):
        return digest(key, _head(spec[1], spec[2]), values.key), None
    if isinstance(values, FromInputs):
        # The kind's inputs, not its values: they are all the values are made from.
        made = value_bytes((spec[1], spec[2], values.kind, values.inputs))
        return (digest(key, made) if made is not None else None), None
    data = value_bytes((spec[1], spec[2], values))
    return (digest(key, data) if data is not None else None), data


def feed_fingerprint(key: bytes, feed: Feed, digests: Mapping[str, str]) -> bytes:
    """A feed's fingerprint: its title and folder, and the file hash of each entry.

    A briefing is fully given by its file's bytes and its published slug, so hashing those
    stands in for the Briefing objects, which are costly to serialize.
    """
    entries = "\n".join(f"{b.slug} {digests.get(b.slug, '')}" for b in feed.entries)
    return digest(key, feed.title.encode(), feed.folder.encode(), entries.encode())


def _strings(value: Any, out: set[str], seen: set[int]) -> None:
    """Every string reachable from `value` through dataclasses, tuples, lists and dicts."""
    if isinstance(value, str):
        out.add(value)
        return
    if isinstance(value, (int, float, bool, type(None), bytes)):
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _strings(getattr(value, f.name), out, seen)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _strings(k, out, seen)
            _strings(v, out, seen)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for v in value:
            _strings(v, out, seen)


def shown_briefings(spec: PageSpec) -> set[str]:
    """Slugs of the briefings a page links to (it shows their title, card or quote)."""
    found: set[str] = set()
    _strings(resolve(spec[3]), found, set())
    slugs = set()
    for text in found:
        if text.startswith(BRIEFING_URL_PREFIX):
            slug = text[len(BRIEFING_URL_PREFIX) :].split("/", 1)[0]
            if slug:
                slugs.add(slug)
    if spec[0].startswith(BRIEFING_URL_PREFIX):
        slugs.add(spec[0][len(BRIEFING_URL_PREFIX) :].split("/", 1)[0])
    return slugs


def dependency_map(specs: Iterable[PageSpec], feeds: Iterable[Feed] = ()) -> dict[str, set[str]]:
    """Briefing slug -> every output that shows it.

    Its page, the topic, actor, digest and story pages linking it, the site's index pages
    (home, section indexes, timeline: they count or list briefings), its feeds, the sitemap.
    """
    deps: dict[str, set[str]] = defaultdict(set)
    indexes: set[str] = {"sitemap.xml"}
    for spec in specs:
        if spec[0].count("/") <= 1 and spec[0] != "404.html":  # home and section indexes
            indexes.add(spec[0])
        for slug in shown_briefings(spec):
            deps[slug].add(spec[0])
    for pages in deps.values():
        pages.update(indexes)
    for feed in feeds:
        for b in feed.entries:
            deps[b.slug].update((f"{feed.folder}feed.xml", f"{feed.folder}feed.json"))
    return dict(deps)
