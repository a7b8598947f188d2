"""The site's page kinds, one registry: each kind's pages (paths and metas), template, the
frozen inputs a page is made from, and the template values made from those inputs.

A new page kind is one entry in KINDS plus its template. The incremental layer hashes a
page's inputs (render.values.FromInputs), so a page's fingerprint covers all its values
are made from; `Page.key` is for the lists too big to hash (thousands of cards): a key the
views made from the cards' own hashes (Views.list_keys, the actor pages' keys).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.model import ACTOR_KINDS
from generator.site.model.group import SiteModel
from generator.site.render.pages import Metas, PageMeta, PageSpec, SiteMeta, briefing_page_specs
from generator.site.render.values import Deferred, FromInputs, Values
from generator.site.views.context import KIND_LABELS, Link, TopicView, briefing_url
from generator.site.views.site_views import Views

HOME_BRIEFINGS = 20
HOME_TOPICS = 12
HOME_ACTORS = 16
HOME_DIGESTS = 4
HOME_STORIES = 5
PLACE_BRIEFINGS = 3
"""Briefings the places index links for each place (the newest)."""


@dataclass(frozen=True)
class Sources:
    """What pages are made from: the site model, its views and the site meta."""

    model: SiteModel
    views: Views
    meta: SiteMeta


def _one(s: Sources) -> int:
    """One page of the kind."""
    return 1


def _each(name: str) -> Callable[[Sources], int]:
    """A page for each item of the views' `name` tuple."""
    return lambda s: len(getattr(s.views, name))


@dataclass(frozen=True)
class Page:
    """One page of a kind: its output path, what its meta says, and its frozen inputs."""

    path: str
    title: str
    section: str
    inputs: Any
    description: str = ""
    feeds: str | None = None
    """The folder whose feeds the page links (None: none)."""
    key: bytes | None = None
    """A hash of `inputs` the views made from card hashes (big lists); None: hash inputs."""
    root: str | None = None
    """Links from this prefix instead of relative ones (the 404 page, served anywhere)."""


@dataclass(frozen=True)
class PageKind:
    """A kind of page: its template, its pages (with their inputs), its values from inputs."""

    name: str
    template: str
    pages: Callable[[Sources], Iterable[Page]]
    values: Callable[[Any], Values]
    count: Callable[[Sources], int] = _one
    """How many pages it has (the progress bar is told before they are listed)."""


def _count(t: TopicView) -> Link:
    """A topic as the topics index shows it: its label, link and number of briefings."""
    return Link(t.label, t.url, t.count)


def _as_is(inputs: Values) -> Values:
    """Template values that are the inputs themselves."""
    return inputs


def _home(s: Sources) -> Iterator[Page]:
    """The home page: the newest briefings and digests, the biggest topics and actors."""
    topics = sorted(s.views.topics, key=lambda t: (-t.count, t.id))
    actors = sorted(s.views.actors, key=lambda a: (-a.count, a.slug))
    inputs = {
        "briefings": tuple(b.card for b in s.views.briefings[:HOME_BRIEFINGS]),
        "topics": tuple(_count(t) for t in topics[:HOME_TOPICS]),
        "actors": tuple(Link(a.name, a.url, a.count) for a in actors[:HOME_ACTORS]),
        "digests": tuple(Link(d.title, d.url, d.count) for d in s.views.digests[:HOME_DIGESTS]),
        "stories": s.views.stories[:HOME_STORIES],
    }
    yield Page("index.html", s.meta.title, "home", inputs, s.meta.description, feeds="")


def _topics_index(s: Sources) -> Iterator[Page]:
    """The topics index: labels and counts only (every topic's cards would make each edit
    re-render it)."""
    by_url = {t.url: t for t in s.views.topics}
    top = tuple(t for t in s.views.topics if "/" not in t.id)
    inputs = tuple((_count(t), tuple(_count(by_url[c.url]) for c in t.children)) for t in top)
    yield Page("topics/index.html", "Topics", "topics", {"topics": inputs})


def _topics(s: Sources) -> Iterator[Page]:
    """A page per topic: its newest briefings."""
    for t in s.views.topics:
        key = s.views.list_keys.get(f"topic:{t.id}")
        yield Page(f"{t.url}index.html", t.label, "topics", {"topic": t}, feeds=t.url, key=key)


def _topic_months(s: Sources) -> Iterator[Page]:
    """A page per month of a topic too big for one page."""
    for mo in s.views.topic_months:
        key = s.views.list_keys.get(f"topic:{mo.id}:{mo.key}")
        title = f"{mo.topic.label}: {mo.label}"
        yield Page(f"{mo.url}index.html", title, "topics", {"month": mo}, key=key)


def _actors_index(s: Sources) -> Iterator[Page]:
    """The actors index: every actor by kind, and the site's co-mention graph."""
    shown = tuple((a.kind, a.name, a.url, a.count) for a in s.views.actors)
    yield Page("actors/index.html", "Actors", "actors", (shown, s.views.site_graph))


def _actors_index_values(inputs: tuple[Any, Any]) -> Values:
    """The actors index's groups: (kind label, actors sorted by name) in the schema's order."""
    shown, graph = inputs
    groups = []
    for kind in ACTOR_KINDS:
        members = sorted(
            (Link(name, url, count) for k, name, url, count in shown if k == kind),
            key=lambda link: (link.label.casefold(), link.url),
        )
        if members:
            groups.append((KIND_LABELS.get(kind, kind), tuple(members)))
    return {"groups": tuple(groups), "graph": graph}


def _actors(s: Sources) -> Iterator[Page]:
    """A page per actor: its views are made only when the page is rendered."""
    for a in s.views.actors:
        yield Page(f"{a.url}index.html", a.name, "actors", a.page, feeds=a.url, key=a.page.key)


def _made(inputs: Deferred) -> Values:
    """Template values the views deferred."""
    return inputs.build()


def _timeline(s: Sources) -> Iterator[Page]:
    """The timeline's front page: its newest days, and links to the months."""
    inputs = {
        "days": s.views.timeline,
        "months": tuple(m.link for m in s.views.months),
        "month": None,
    }
    key = s.views.list_keys.get("timeline")
    yield Page("timeline/index.html", "Timeline", "timeline", inputs, key=key)


def _timeline_months(s: Sources) -> Iterator[Page]:
    """A timeline page per month."""
    for m in s.views.months:
        inputs = {"days": m.items, "months": (), "month": m}
        key = s.views.list_keys.get(f"timeline:{m.key}")
        title = f"Timeline: {m.link.label}"
        yield Page(f"{m.link.url}index.html", title, "timeline", inputs, key=key)


def _stories(s: Sources) -> Iterator[Page]:
    """A page per story."""
    for story in s.views.stories:
        yield Page(f"{story.url}index.html", story.title, "stories", {"story": story})


def _digests_index(s: Sources) -> Iterator[Page]:
    """The digests index: weeks without their cards (re-rendered only when a week's count,
    span or top actors change)."""
    digests = tuple(dataclasses.replace(d, topics=()) for d in s.views.digests)
    yield Page("digest/index.html", "Weekly digests", "digest", {"digests": digests})


def _digests(s: Sources) -> Iterator[Page]:
    """A page per week."""
    for d in s.views.digests:
        yield Page(f"{d.url}index.html", d.title, "digest", {"digest": d})


def _search(s: Sources) -> Iterator[Page]:
    """The search page (Pagefind's UI)."""
    yield Page("search/index.html", "Search", "search", {})


def _places(s: Sources) -> Iterator[Page]:
    """The places index: every place the briefings name, by name, with its newest briefings."""
    named: dict[str, list[Link]] = {}
    for b in s.model.briefings:  # newest first
        for place in dict.fromkeys(p.name for p in b.places):
            named.setdefault(place, []).append(Link(b.title, briefing_url(b.slug)))
    ordered = sorted(named.items(), key=lambda item: (item[0].casefold(), item[0]))
    inputs = tuple((Link(p, "", len(ls)), tuple(ls[:PLACE_BRIEFINGS])) for p, ls in ordered)
    yield Page("places/index.html", "Places", "places", inputs)


def _places_values(inputs: tuple[tuple[Link, tuple[Link, ...]], ...]) -> Values:
    """The places index's values: (place with its count, its newest briefings) by name."""
    return {"places": inputs}


def _not_found(s: Sources) -> Iterator[Page]:
    """The 404 page: served at whatever depth was requested, so links from the site root."""
    yield Page("404.html", "Page not found", "404", {}, root=s.meta.base_url or "/")


KINDS: tuple[PageKind, ...] = (
    PageKind("home", "index.html", _home, _as_is),
    PageKind("topics", "topics.html", _topics_index, _as_is),
    PageKind("topic", "topic.html", _topics, _as_is, _each("topics")),
    PageKind("topic-month", "topic_month.html", _topic_months, _as_is, _each("topic_months")),
    PageKind("actors", "actors.html", _actors_index, _actors_index_values),
    PageKind("actor", "actor.html", _actors, _made, _each("actors")),
    PageKind("timeline", "timeline.html", _timeline, _as_is),
    PageKind("timeline-month", "timeline.html", _timeline_months, _as_is, _each("months")),
    PageKind("story", "story.html", _stories, _as_is, _each("stories")),
    PageKind("digests", "digests.html", _digests_index, _as_is),
    PageKind("digest", "digest.html", _digests, _as_is, _each("digests")),
    PageKind("places", "places.html", _places, _places_values),
    PageKind("search", "search.html", _search, _as_is),
    PageKind("404", "404.html", _not_found, _as_is),
)
"""Every page kind but the briefing pages (pages.briefing_page_specs: written first)."""


def _spec(kind: PageKind, page: Page, meta: Metas) -> PageSpec:
    """A page's spec: path, template, meta and its values as made from its inputs."""
    if page.root is not None:
        made = PageMeta(page.title, page.path, page.root, page.section)
    else:
        made = meta(page.path, page.title, page.section, page.description, page.feeds)
    inputs, make = page.inputs, kind.values
    if page.key is not None:
        return page.path, kind.template, made, Deferred(page.key, lambda: make(inputs))
    return page.path, kind.template, made, FromInputs(kind.name, inputs, make)


def list_page_specs(sources: Sources, meta: Metas) -> Iterator[PageSpec]:
    """The HTML pages of every kind in KINDS, in registry order."""
    for kind in KINDS:
        for page in kind.pages(sources):
            yield _spec(kind, page, meta)


def list_page_count(sources: Sources) -> int:
    """How many pages list_page_specs yields."""
    return sum(kind.count(sources) for kind in KINDS)


def page_specs(sources: Sources, metas: Metas | None = None) -> Iterator[PageSpec]:
    """Every HTML page of the site, briefing pages first (the search index reads only them),
    404 included; `metas` makes the pages' metas (by default, anew)."""
    metas = metas or Metas(sources.meta)
    yield from briefing_page_specs(sources.views.briefings, metas)
    yield from list_page_specs(sources, metas)
