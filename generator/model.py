"""Plain frozen dataclasses passed between the pipeline stages, linked by slug."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, is_dataclass
from operator import attrgetter
from typing import Any, Literal

ActorKind = Literal["person", "organization", "country"]
ACTOR_KINDS: tuple[str, ...] = ("person", "organization", "country")


@dataclass(frozen=True, slots=True)
class Article:
    """A raw article after reading and cleaning: what ingest hands to extract."""

    title: str
    """Headline, one line, whitespace collapsed."""
    body: str
    """Cleaned text: paragraphs separated by one blank line, no page debris."""
    file: str
    """Input file name (no folders) the article came from."""
    sha256: str
    """Hash of the input file's bytes (for feeds: of the entry's own content)."""
    date: dt.date | None = None
    """Publication date given by the input's metadata, if any."""
    source_name: str | None = None
    """Outlet given by the input's metadata or a clear hint in the text."""
    url: str | None = None
    """Canonical address given by the input, if any."""
    credits: tuple[str, ...] = ()
    """Wire and photo agencies the cleaner removed from the text."""
    mtime: float | None = None
    """Modification time of the input file: anchors relative dates when nothing else does."""
    warnings: tuple[str, ...] = ()
    """Things the reader had to guess (e.g. cp1252 fallback), for the user."""
    dateline: str | None = None
    """The page's date stamp removed by the cleaner ('Published 4 March 2025'), if any."""
    language: str | None = None
    """ISO 639-1 code of the text's language; None when the text cannot tell."""
    topics: tuple[str, ...] = ()
    """Topic ids the input's source names (a fetched source's `topics` hint): they lead
    the briefing's topics."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a briefing came from."""

    name: str | None = None
    url: str | None = None
    file: str | None = None
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic of a briefing; `id` is the slug path (`parent/child`)."""

    id: str
    label: str
    iptc: str | None = None
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Actor:
    """A person, organization or country acting in a briefing."""

    name: str
    """Canonical name: the fullest form in the article."""
    kind: str
    """One of ACTOR_KINDS."""
    role: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: int = 1


@dataclass(frozen=True, slots=True)
class Place:
    """Where something happens: city, region, sea, place."""

    name: str
    kind: str = "place"


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quote; `speaker` is an actor's canonical name or None."""

    speaker: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Event:
    """A dated happening, the date resolved against the briefing's date."""

    date: dt.date
    text: str
    date_inferred: bool = False
    """Whether the date was worked out from an inferred briefing date ("on Sunday")."""


@dataclass(frozen=True, slots=True)
class GeneratorInfo:
    """Which version wrote the briefing and the hash of what it wrote."""

    version: str
    body_sha256: str


@dataclass(frozen=True, slots=True)
class Briefing:
    """One briefing: the front matter and the cleaned Markdown body."""

    title: str
    slug: str
    date: dt.date
    date_inferred: bool
    source: Source
    credits: tuple[str, ...] = ()
    summary: str = ""
    key_points: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = ()
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    tags: tuple[str, ...] = ()
    generator: GeneratorInfo | None = None
    body: str = ""
    """The cleaned article text in Markdown."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Unknown front matter keys, kept as they were (written after the known ones)."""
    language: str = "en"
    """ISO 639-1 code of the article text (written after `date_inferred`)."""


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the extractor finds in an Article (everything but title/slug/body)."""

    date: dt.date
    date_inferred: bool
    summary: str
    key_points: tuple[str, ...]
    topics: tuple[Topic, ...]
    actors: tuple[Actor, ...]
    places: tuple[Place, ...]
    quotes: tuple[Quote, ...]
    events: tuple[Event, ...]
    tags: tuple[str, ...]
    source_name: str | None = None
    language: str = "en"
    """The text's language: extraction is empty past the summary when it is not known."""


def fast_pickling(cls: type) -> None:
    """Give a frozen slotted dataclass a cheap pickle state: a tuple of its field values.

    dataclasses' own state methods look the fields up again for every object, which made
    the site's caches (tens of thousands of these) about 15% slower to save and load.
    """
    names = tuple(f.name for f in fields(cls))
    values = attrgetter(*names)
    setter = object.__setattr__

    def getstate(self: object) -> tuple[Any, ...]:
        """The field values, in order."""
        state = values(self)
        return state if len(names) > 1 else (state,)

    def setstate(self: object, state: tuple[Any, ...]) -> None:
        """Set the fields from getstate's tuple."""
        for name, value in zip(names, state, strict=True):
            setter(self, name, value)

    cls.__getstate__ = getstate  # type: ignore[method-assign,assignment]
    cls.__setstate__ = setstate  # type: ignore[attr-defined]


# Every dataclass of this module, so that a new one cannot miss it.
for _cls in [c for c in list(globals().values()) if isinstance(c, type) and is_dataclass(c)]:
    if _cls.__module__ == __name__:
        fast_pickling(_cls)
