"""The build's stages before rendering: load, group and the views, each with the caches
it reuses (the last build's, or in a preview session, what only the session keeps) and
the saves it leaves for after the output is complete (build.py writes them)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from generator.config import SiteConfig
from generator.site.incremental.cache import Memory, Sharded, keep_for_session, session_value
from generator.site.incremental.lazy import ActorKeys
from generator.site.incremental.memo import ActorsMemo, GroupMemo, TextMemo, group_first
from generator.site.incremental.parallel import parallel_parser
from generator.site.incremental.quick import (
    ACTOR_KEYS_CACHE,
    ACTORS_CACHE,
    MARKDOWN_CACHE,
    PARSE_CACHE,
    RELATED_CACHE,
    TEXT_CACHE,
)
from generator.site.model.group import BriefingModel, SiteModel, complete_model
from generator.site.model.load import LoadResult, Scan, load_scanned
from generator.site.model.related import RelatedState
from generator.site.pipeline import topic_labels
from generator.site.render.markdown import make_markdown
from generator.site.views.assemble import build_views
from generator.site.views.briefings import BriefingViews, build_briefing_views
from generator.site.views.site_views import Views


def body_key(text: str) -> bytes:
    """The Markdown cache's key of a body."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def cached_markdown(render: Callable[[str], str], cache: dict[bytes, str]) -> Callable[[str], str]:
    """`render`, remembered by the body's hash (new renders are added to `cache`)."""

    def render_cached(text: str) -> str:
        """HTML of one body, from the cache when the same text was rendered before."""
        key = body_key(text)
        html = cache.get(key)
        if html is None:
            html = cache[key] = render(text)
        return html

    return render_cached


Saves = dict[str, object]
"""Caches to write once the output is complete (so a killed build leaves its output's
temporary files, not half-written caches, and a failed one no caches that vouch for it);
a function stands for a cache known only then; a Sharded value is written shard by
shard."""


TIMELINE_EVENTS = "timeline-events"
"""Kept for the session only: the last build's timeline events (group.EventsMemo)."""
BRIEFING_MARKS = "briefing-marks"
"""Kept for the session only (keep_for_session): loading it in a new process would cost
more than it saves."""

Cached = Callable[[str], object]
"""The cache called `name` as the last build left it; None when missing or a clean build."""


def load_stage(cached: Cached, scan: Scan, jobs: int, saves: Saves) -> LoadResult:
    """Briefings of the scan: cached parses reused, changed files parsed (in parallel)."""
    old = cached(PARSE_CACHE)
    old = old if isinstance(old, dict) else {}
    loaded, parses = load_scanned(scan, old, parallel_parser(jobs))
    saves[PARSE_CACHE] = Sharded(parses, old)  # only shards with a new parse are written
    return loaded


def group_stage(
    cached: Cached,
    config: SiteConfig,
    loaded: LoadResult,
    digests: Mapping[str, str],
    saves: Saves,
) -> tuple[BriefingModel, GroupMemo]:
    """The briefing pages' part of the site model, with the last build's actors, text index
    and related lists where still valid."""
    actors, text, related = cached(ACTORS_CACHE), cached(TEXT_CACHE), cached(RELATED_CACHE)
    last = (
        actors if isinstance(actors, ActorsMemo) else None,
        text if isinstance(text, TextMemo) else None,
        related if isinstance(related, RelatedState) else None,
    )
    first, new = group_first(loaded.briefings, config.aliases, last, digests)
    if new.actors is not last[0]:
        saves[ACTORS_CACHE] = new.actors
    if new.text is not last[1]:
        saves[TEXT_CACHE] = new.text
    if new.related != last[2]:
        saves[RELATED_CACHE] = new.related
    return first, new


def complete_stage(config: SiteConfig, first: BriefingModel, session: Memory | None) -> SiteModel:
    """The whole site model (in a preview session, with the last build's timeline events)."""
    events = session_value(session, TIMELINE_EVENTS)
    model, made = complete_model(
        first, topic_labels(config), events if isinstance(events, dict) else None
    )
    keep_for_session(session, TIMELINE_EVENTS, made)
    return model


@dataclass(frozen=True)
class Viewer:
    """What the views are made with (views_stage), in the order a build needs them."""

    briefings: Callable[[Collection[str] | None, BriefingViews | None], BriefingViews]
    """build_briefing_views with this build's arguments (only, before)."""
    edited: frozenset[str]
    """Slugs of the briefings whose file changed since the last build of the session (none
    outside one): their pages are written first."""
    views: Callable[[SiteModel, BriefingViews], Views]
    """Every view, given the whole model and the briefing pages' views."""


def views_stage(
    cached: Cached,
    model: BriefingModel,
    digests: Mapping[str, str],
    memo: GroupMemo,
    saves: Saves,
    session: Memory | None,
) -> Viewer:
    """The functions making the views, with each body's Markdown rendered once per content
    (cached), and the last build's actor page keys reused where they still hold (and in a
    preview session, the last build's briefing cards and page keys: lazy.BriefingMark).

    Bodies are rendered only for the briefing pages that are rendered; the cache keeps the
    HTML of every current body it holds, and drops the bodies that are gone.
    """
    old = cached(MARKDOWN_CACHE)
    old = old if isinstance(old, dict) else {}
    cache = dict(old)
    last = cached(ACTOR_KEYS_CACHE)
    marks = events = None
    edited: frozenset[str] = frozenset()
    if session is not None:  # a preview session keeps briefing and event marks
        kept = session_value(session, BRIEFING_MARKS)
        marks = kept[0] if isinstance(kept, tuple) else {}
        events = kept[1] if isinstance(kept, tuple) else {}
        if marks:
            edited = frozenset(
                b.slug
                for b in model.briefings
                if (m := marks.get(b.slug)) is None or m.file != digests.get(b.slug)
            )
    render_body = cached_markdown(make_markdown(), cache)

    def to_save() -> Sharded:
        """The cache to store once pages are rendered: current bodies only."""
        current = {body_key(b.body) for b in model.briefings}
        return Sharded({k: v for k, v in cache.items() if k in current}, old)

    saves[MARKDOWN_CACHE] = to_save

    def briefings(only: Collection[str] | None, before: BriefingViews | None) -> BriefingViews:
        """The briefing pages' views (of `only` when given; `before`'s kept)."""
        return build_briefing_views(model, render_body, digests, marks, only, before)

    def all_views(whole: SiteModel, first: BriefingViews) -> Views:
        """Every view (the briefing pages' as made above)."""
        keys = last if isinstance(last, ActorKeys) else None
        views = build_views(whole, render_body, digests, memo.profiles, keys, marks, events, first)
        if views.actor_keys != last:
            saves[ACTOR_KEYS_CACHE] = views.actor_keys
        keep_for_session(session, BRIEFING_MARKS, (views.briefing_marks, views.event_marks))
        return views

    return Viewer(briefings, edited, all_views)
