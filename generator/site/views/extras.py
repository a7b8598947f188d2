"""Views of the cross-briefing features: stories, related lists, digests, graphs, charts (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from generator.model import Briefing
from generator.site.model.actors import ActorProfile
from generator.site.model.digest import Digest, week_end, week_key, weekly_counts
from generator.site.model.group import SiteModel
from generator.site.model.related import Related
from generator.site.model.stories import Story
from generator.site.views.context import (
    BriefingCard,
    Coverage,
    DigestView,
    EventView,
    Link,
    MentionChart,
    RelatedView,
    StoryRef,
    StoryView,
    WeekCount,
    actor_url,
    date_label,
    digest_url,
    story_url,
    topic_url,
)
from generator.site.views.graph import (
    MIN_SHARED,
    SITE_ACTORS,
    GraphView,
    build_actor_graph,
    build_site_graph,
)

STORY_ACTORS = 12


def _coverage(card: BriefingCard, same: bool) -> Coverage:
    """A story's list entry for one briefing."""
    return Coverage(
        card.title, card.url, card.source, card.date, card.date_label, same, card.undated
    )


def build_story_view(
    s: Story,
    cards: Mapping[str, BriefingCard],
    links: Mapping[str, Mapping[str, str]],
    names: Mapping[str, str],
    events: Sequence[EventView],
) -> StoryView:
    """A story page: its briefings oldest first, their outlets and shared actors."""
    coverage = tuple(_coverage(cards[x], x in s.duplicates) for x in s.briefings)
    sources = tuple(dict.fromkeys(c.source for c in coverage if c.source))
    named: Counter[str] = Counter()
    for x in s.briefings:
        named.update(set(links.get(x, {}).values()))
    actors = tuple(
        Link(names[a], actor_url(a), n)
        for a, n in sorted(named.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0])))
        if n > 1 and a in names
    )[:STORY_ACTORS]
    return StoryView(
        slug=s.slug,
        url=story_url(s.slug),
        title=s.title,
        first=coverage[0].date_label,
        last=coverage[-1].date_label,
        coverage=coverage,
        sources=sources,
        actors=actors,
        events=tuple(events),
    )


def story_refs(stories: Sequence[Story], cards: Mapping[str, BriefingCard]) -> dict[str, StoryRef]:
    """Briefing slug -> its story and the story's other briefings ("also covered by")."""
    refs = {}
    for s in stories:
        for x in s.briefings:
            others = tuple(_coverage(cards[o], o in s.duplicates) for o in s.briefings if o != x)
            refs[x] = StoryRef(story_url(s.slug), s.title, others)
    return refs


def related_views(
    related: Sequence[Related], cards: Mapping[str, BriefingCard]
) -> tuple[RelatedView, ...]:
    """The related list of one briefing."""
    return tuple(
        RelatedView(c.title, c.url, r.reason, c.date, c.date_label, c.source, c.undated)
        for r in related
        if (c := cards.get(r.briefing))
    )


def build_digest_views(
    digests: Sequence[Digest],
    cards: Mapping[str, BriefingCard],
    labels: Mapping[str, str],
    names: Mapping[str, str],
) -> tuple[DigestView, ...]:
    """Every week's digest page view, newest first, linked to the weeks before and after."""
    views = []
    for k, d in enumerate(digests):
        year, week = d.key.split("-w")
        views.append(
            DigestView(
                key=d.key,
                url=digest_url(d.key),
                title=f"Week {int(week)}, {year}",
                span=f"{date_label(d.start)} to {date_label(week_end(d.start))}",
                count=len(d.briefings),
                topics=tuple(
                    (
                        Link(labels.get(t, t), topic_url(t)) if t else None,
                        tuple(cards[x] for x in slugs),
                    )
                    for t, slugs in d.topics
                ),
                actors=tuple(Link(names[a], actor_url(a), n) for a, n in d.actors if a in names),
                newer=_week_link(digests[k - 1]) if k > 0 else None,
                older=_week_link(digests[k + 1]) if k + 1 < len(digests) else None,
            )
        )
    return tuple(views)


def _week_link(d: Digest) -> Link:
    """A link to a week's digest."""
    year, week = d.key.split("-w")
    return Link(f"Week {int(week)}, {year}", digest_url(d.key), len(d.briefings))


def mention_chart(p: ActorProfile, by_slug: Mapping[str, Briefing]) -> MentionChart | None:
    """An actor's briefings per week, each week linked to its digest (every week with a
    briefing has one); None for an actor in fewer than two dated briefings (one bar says
    nothing). An undated briefing's stand-in date is no fact to chart."""
    dated = [by_slug[s] for s in p.briefings]
    dates = [b.date for b in dated if not b.date_inferred]
    if len(dates) < 2:
        return None
    span, counts = weekly_counts(dates)
    bars = []
    for index, monday, n in counts:
        key = week_key(monday)
        label = f"week of {date_label(monday)}"
        bars.append(WeekCount(index, label, n, digest_url(key)))
    last = counts[-1][1]
    first = last.fromordinal(last.toordinal() - 7 * (span - 1))
    return MentionChart(
        span=span,
        first=f"week of {date_label(first)}",
        last=bars[-1].label,
        top=max(w.count for w in bars),
        weeks=tuple(bars),
    )


def actor_graph(p: ActorProfile, names: Mapping[str, str]) -> GraphView | None:
    """The co-mention graph of one actor (most profiles have none: see MIN_SHARED)."""
    shared = p.co_mentioned
    # Most-shared first: without two neighbours worth drawing there is no graph to build.
    if len(shared) < 2 or shared[1][1] < MIN_SHARED:
        return None
    return build_actor_graph(
        p.name,
        actor_url(p.slug),
        len(p.briefings),
        [(names[s], actor_url(s), n) for s, n in shared if n >= MIN_SHARED and s in names],
    )


def site_graph(model: SiteModel) -> GraphView | None:
    """The co-mention graph of the site's most-covered actors."""
    top = sorted(model.actors, key=lambda a: (-len(a.briefings), a.slug))
    top = top[:SITE_ACTORS]
    index = {a.slug: i for i, a in enumerate(top)}
    pairs = []
    for i, a in enumerate(top):
        for other, n in a.co_mentioned:
            j = index.get(other)
            if j is not None and i < j:
                pairs.append((i, j, n))
    return build_site_graph([(a.name, actor_url(a.slug), len(a.briefings)) for a in top], pairs)
