"""Briefing <-> Markdown file with YAML front matter, a lossless round trip."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
from dataclasses import replace
from typing import Any

import yaml

from generator.errors import InputError
from generator.front_matter import load_front_matter, split_front_matter
from generator.model import (
    ACTOR_KINDS,
    Actor,
    Briefing,
    Event,
    GeneratorInfo,
    Place,
    Quote,
    Source,
    Topic,
)
from generator.slug import is_slug, slugify

SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

KEYS = (
    "title", "slug", "date", "date_inferred", "language", "source", "credits", "summary",
    "key_points", "topics", "actors", "places", "quotes", "events", "tags", "generator",
)  # fmt: skip
MAX_FRONT_MATTER = 1_000_000
_LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
DEFAULT_LANGUAGE = "en"
"""The language of a briefing file written before the key existed: the extractor then
knew English only and read every article as English."""
_TOPIC_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$")
_HASH_KEY = "  body_sha256:"
# A body_sha256 line is a match starting a line: a pattern starting with its text, not "^",
# lets the engine skip straight to it (a file has one, after thousands of characters).
_HASH_LINE_RE = re.compile(rf"{_HASH_KEY}[^\n]*")


class _Flow(list[Any]):
    """A list written in flow style: `[a, b]`."""


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))
_SHORT = 40  # scalars up to this long repeat across files ("kind", "person", names)
_SHORT_TAGS: dict[tuple[str, Any], str] = {}
_MAX_SHORT_TAGS = 20_000


class _Dumper(SafeDumper):  # type: ignore[misc, valid-type]
    """Block style everywhere except lists of short names; never anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        # Two fields sharing one object (a date) must not become &id001/*id001: the
        # loader refuses aliases (alias bombs), so the file must not contain any.
        return True

    def represent_data(self, data: Any) -> yaml.Node:
        """The nodes PyYAML's dispatch makes, made directly for text, mappings and lists
        (nearly every value; a file has hundreds) when the dump's options allow."""
        kind = type(data)
        if kind is str and self.default_style is None:
            return yaml.ScalarNode(_STR, data)
        block = self.default_flow_style
        if kind is dict and block is not None and not self.sort_keys:
            pairs = [(self.represent_data(k), self.represent_data(v)) for k, v in data.items()]
            return yaml.MappingNode(_MAP, pairs, flow_style=block)
        if kind is list and block is not None:
            return yaml.SequenceNode(_SEQ, [self.represent_data(v) for v in data], flow_style=block)
        node: yaml.Node = super().represent_data(data)
        return node

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """PyYAML's implicit tag of a node, remembered for short scalars (the emitter asks
        twice per scalar; the answer depends on the value alone: no path resolvers here)."""
        if kind is yaml.ScalarNode and _plain_text(self, value, implicit):
            return _STR
        if kind is not yaml.ScalarNode or len(value) > _SHORT:
            return str(super().resolve(kind, value, implicit))
        key = (value, implicit)
        tag = _SHORT_TAGS.get(key)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))
            if len(_SHORT_TAGS) < _MAX_SHORT_TAGS:
                _SHORT_TAGS[key] = tag
        return tag


def _plain_text(dumper: yaml.SafeDumper, value: str, implicit: Any) -> bool:
    """Whether PyYAML would tag the scalar a plain string without trying a pattern: no
    implicit typing asked for, or no implicit resolver for its first character (most text)."""
    if dumper.yaml_path_resolvers:
        return False
    resolvers = dumper.yaml_implicit_resolvers
    return not implicit[0] or (value[:1] not in resolvers and None not in resolvers)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(_Flow, _represent_flow)


def _front_matter(b: Briefing) -> dict[str, Any]:
    gen = b.generator or GeneratorInfo(version="", body_sha256="")
    data: dict[str, Any] = {
        "title": b.title,
        "slug": b.slug,
        "date": b.date,
        "date_inferred": b.date_inferred,
        "language": b.language,
        "source": {
            "name": b.source.name,
            "url": b.source.url,
            "file": b.source.file,
            "sha256": b.source.sha256,
        },
        "credits": _Flow(b.credits),
        "summary": b.summary,
        "key_points": list(b.key_points),
        "topics": [
            {"id": t.id, "label": t.label, "iptc": t.iptc, "score": t.score} for t in b.topics
        ],
        "actors": [
            {
                "name": a.name,
                "kind": a.kind,
                "role": a.role,
                "aliases": _Flow(a.aliases),
                "mentions": a.mentions,
            }
            for a in b.actors
        ],
        "places": [{"name": p.name, "kind": p.kind} for p in b.places],
        "quotes": [{"speaker": q.speaker, "text": q.text} for q in b.quotes],
        "events": [_event(e) for e in b.events],
        "tags": _Flow(b.tags),
        "generator": {"version": gen.version, "body_sha256": gen.body_sha256},
    }
    for key, value in b.extra.items():
        if key not in data:
            data[key] = value
    return data


def _event(e: Event) -> dict[str, Any]:
    """An event's mapping: `date_inferred` only on an event dated from an inferred date."""
    out: dict[str, Any] = {"date": e.date, "text": e.text}
    if e.date_inferred:
        out["date_inferred"] = True
    return out


def render_briefing(b: Briefing) -> str:
    """The briefing file's text: front matter in the contract's key order, then the body."""
    fm = yaml.dump(
        _front_matter(b),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    body = b.body.strip()
    return f"---\n{fm}---\n\n{body}\n" if body else f"---\n{fm}---\n"


def _starts_line(m: re.Match[str]) -> bool:
    """Whether a match of _HASH_LINE_RE starts its line (only those are body_sha256 lines)."""
    return m.start() == 0 or m.string[m.start() - 1] == "\n"


def content_hash(text: str) -> str:
    """Hash of a briefing file's text with its own body_sha256 value blanked out."""
    blank = _HASH_LINE_RE.sub(lambda m: _HASH_KEY if _starts_line(m) else m.group(), text)
    return hashlib.sha256(blank.encode("utf-8")).hexdigest()


def stamp(b: Briefing, version: str) -> tuple[Briefing, str]:
    """Set generator info so a later hand edit can be told apart; returns (briefing, text)."""
    draft = replace(b, generator=GeneratorInfo(version=version, body_sha256=""))
    text = render_briefing(draft)
    digest = content_hash(text)
    final = replace(b, generator=GeneratorInfo(version=version, body_sha256=digest))
    # Only the hash line differs from the draft: dumping that one value gives its exact
    # YAML line, where rendering the whole file again would cost a millisecond per article.
    line = yaml.dump({"body_sha256": digest}, Dumper=_Dumper, width=100).rstrip("\n")
    m = next(filter(_starts_line, _HASH_LINE_RE.finditer(text)), None)
    return final, text if m is None else f"{text[: m.start()]}  {line}{text[m.end() :]}"


def is_hand_edited(text: str, b: Briefing) -> bool:
    """True when the file's bytes are no longer what ingest wrote."""
    stored = b.generator.body_sha256 if b.generator else ""
    return not stored or content_hash(text) != stored


# ---------------------------------------------------------------- parsing


_MISSING: Any = object()

MAX_LIST_ITEMS = 1_000
"""Longest list a briefing may hold (actors, places, quotes, events, tags, an actor's
aliases...): each actor makes pages and feeds, so one 1 MB file of 20,000 actors made 60,000
files (325 MB). Ingest writes at most about a hundred."""
MAX_MARKDOWN_CHARS = 500_000
"""Longest body rendered as Markdown: markdown-it takes 10 to 20 s per MB on hostile shapes
(`[[[[`, a million blank-line paragraphs). A longer body is shown as plain text."""
_MAX_NUMBER = 10**18
"""Numbers (mentions, scores) must lie strictly between minus this and this: a longer one is
a typo or an attack, and one over 4,300 digits cannot even be printed."""
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Control characters (but tab and line breaks) and the two non-characters: a browser shows
them as boxes or not at all, XML cannot hold them; a hand edit or a `\\0` escape puts them
in a briefing, and they are removed, with a warning, before anything is made of it."""


class _Fields:
    """Typed access to front matter values, errors naming the key and its line."""

    def __init__(self, data: dict[str, Any], yaml_text: str, path: str, controls: bool):
        self.data = data
        self.yaml_text = yaml_text
        self.path = path
        self.controls: dict[str, None] = {}
        """Keys whose text held control characters (removed), in the order met."""
        self.may_hold_controls = controls or "\\" in yaml_text
        """Whether a value can hold a control character: only as itself (`controls`: the file
        holds one) or as an escape."""

    def line_of(self, key: str) -> int | None:
        m = re.search(rf"^{re.escape(key)}\s*:", self.yaml_text, re.M)
        return self.yaml_text.count("\n", 0, m.start()) + 2 if m else None

    def fail(self, key: str, what: str) -> InputError:
        # A missing key has no line of its own: point at the front matter's opening line.
        return InputError(f"'{key}' {what}", self.path, self.line_of(key) or 1)

    def text(self, key: str, value: Any = _MISSING, *, required: bool = False) -> str | None:
        value = self.data.get(key) if value is _MISSING else value
        if value is None:
            if required:
                raise self.fail(key, "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
            raise self.fail(key, f"must be text, not {type(value).__name__}")
        text = str(value)
        if not self.may_hold_controls or _CONTROL_RE.search(text) is None:
            return text
        self.controls[key] = None
        return _CONTROL_RE.sub("", text)

    def notes(self) -> list[str]:
        """A warning for each key whose text held control characters."""
        return [f"control characters removed from {key!r} (line {self.line_of(key) or 1})"
                for key in self.controls]  # fmt: skip

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list, not {type(value).__name__}")
        return self.bounded(key, value)

    def bounded(self, key: str, items: list[Any]) -> list[Any]:
        """`items`, refused when longer than MAX_LIST_ITEMS."""
        if len(items) > MAX_LIST_ITEMS:
            raise self.fail(key, f"has {len(items):,} items (at most {MAX_LIST_ITEMS:,})")
        return items

    def mappings(self, key: str) -> list[dict[str, Any]]:
        out = self.items(key)
        for item in out:
            if not isinstance(item, dict):
                raise self.fail(key, "must be a list of mappings")
        return out

    def texts(self, key: str, value: Any = _MISSING) -> tuple[str, ...]:
        items = self.items(key) if value is _MISSING else value
        if not isinstance(items, list):
            raise self.fail(key, "must be a list")
        return tuple(str(self.text(key, v)) for v in self.bounded(key, items) if v is not None)

    def flag(self, key: str, value: Any, field: str = "") -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"{field} must be true or false".lstrip())
        return value

    def date(self, key: str, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(key, f"must be a date like 2025-11-04, not {value!r}")


def _shared(value: str | None) -> str | None:
    """One string object for each name, kind, role, label and key phrase, however many
    briefings repeat it: a site's parse cache holds them all, most of them repeats."""
    return None if value is None else sys.intern(value)


def _shared_all(values: tuple[str, ...]) -> tuple[str, ...]:
    """_shared for each of `values`."""
    return tuple(map(sys.intern, values))


def parse_briefing(text: str, path: str) -> tuple[Briefing, list[str]]:
    """A Briefing from a file's text, and warnings (unknown keys, re-derived slug)."""
    yaml_text, body, _ = split_front_matter(text, path)
    data = load_front_matter(yaml_text, path)
    controls = _CONTROL_RE.search(text) is not None  # one look at the file: most have none
    f = _Fields(data, yaml_text, path, controls)
    warnings: list[str] = []

    title = (f.text("title", required=True) or "").strip()
    if not title:
        raise f.fail("title", "is empty")
    slug = f.text("slug") or ""
    if not is_slug(slug):
        new = slugify(title)
        warnings.append(f"slug {slug!r} is not a plain ASCII slug; using {new!r}")
        slug = new
    if "date" not in data:
        raise f.fail("date", "is missing")
    date = f.date("date", data["date"])
    inferred = f.flag("date_inferred", data.get("date_inferred", False))
    language = (f.text("language") or DEFAULT_LANGUAGE).strip().lower()
    if not _LANGUAGE_RE.match(language):
        raise f.fail("language", f"must be an ISO 639-1 code like en, not {language!r}")

    src = data.get("source") or {}
    if not isinstance(src, dict):
        raise f.fail("source", "must be a mapping (name, url, file, sha256)")
    source = Source(
        name=_shared(f.text("source", src.get("name"))),
        url=f.text("source", src.get("url")),
        file=f.text("source", src.get("file")),
        sha256=f.text("source", src.get("sha256")),
    )
    topics = []
    for t in f.mappings("topics"):
        tid = f.text("topics", t.get("id")) or ""
        if not _TOPIC_ID_RE.match(tid):
            warnings.append(f"topic id {tid!r} is not a slug path; dropped")
            continue
        score = t.get("score", 0.0)
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise f.fail("topics", "score must be a number")
        if not -_MAX_NUMBER < score < _MAX_NUMBER:  # also false for nan
            raise f.fail("topics", f"score must be a finite number, not {score!r:.40}")
        label = sys.intern(f.text("topics", t.get("label")) or tid)
        iptc = _shared(f.text("topics", t.get("iptc")))
        topics.append(Topic(sys.intern(tid), label, iptc, float(score)))
    actors = []
    for a in f.mappings("actors"):
        name = (f.text("actors", a.get("name")) or "").strip()
        kind = f.text("actors", a.get("kind")) or ""
        if not name:
            raise f.fail("actors", "has an actor with no name")
        if kind not in ACTOR_KINDS:
            raise f.fail("actors", f"kind of {name!r} must be one of {', '.join(ACTOR_KINDS)}")
        mentions = a.get("mentions", 1)
        if isinstance(mentions, bool) or not isinstance(mentions, int):
            raise f.fail("actors", f"mentions of {name!r} must be a whole number")
        if not -_MAX_NUMBER < mentions < _MAX_NUMBER:
            raise f.fail("actors", f"mentions of {name!r} must have at most 18 digits")
        aliases = _shared_all(f.texts("actors", a.get("aliases") or []))
        role = _shared(f.text("actors", a.get("role")))
        actors.append(Actor(sys.intern(name), sys.intern(kind), role, aliases, mentions))
    places = [
        Place(sys.intern(str(f.text("places", p.get("name"), required=True))),
              sys.intern(f.text("places", p.get("kind")) or "place"))
        for p in f.mappings("places")
    ]  # fmt: skip
    quotes = [
        Quote(_shared(f.text("quotes", q.get("speaker"))),
              str(f.text("quotes", q.get("text")) or ""))
        for q in f.mappings("quotes")
    ]  # fmt: skip
    events = [
        Event(
            f.date("events", e.get("date")),
            str(f.text("events", e.get("text")) or ""),
            f.flag("events", e.get("date_inferred", False), "date_inferred"),
        )
        for e in f.mappings("events")
    ]
    gen = data.get("generator")
    info = None
    if isinstance(gen, dict):
        info = GeneratorInfo(
            sys.intern(str(f.text("generator", gen.get("version")) or "")),
            str(f.text("generator", gen.get("body_sha256")) or ""),
        )
    extra = {k: v for k, v in data.items() if k not in KEYS}
    for key in extra:
        warnings.append(f"unknown key {key!r} kept as it is")
    b = Briefing(
        title=title,
        slug=slug,
        date=date,
        date_inferred=inferred,
        source=source,
        credits=_shared_all(f.texts("credits")),
        summary=f.text("summary") or "",
        key_points=f.texts("key_points"),
        topics=tuple(topics),
        actors=tuple(actors),
        places=tuple(places),
        quotes=tuple(quotes),
        events=tuple(events),
        tags=_shared_all(f.texts("tags")),
        generator=info,
        body=(_CONTROL_RE.sub("", body) if controls else body).strip("\n"),
        extra=extra,
        language=sys.intern(language),
    )
    warnings.extend(f.notes())
    if controls and _CONTROL_RE.search(body):
        warnings.append("control characters removed from the body")
    if len(b.body) > MAX_MARKDOWN_CHARS:
        warnings.append(f"body of {len(b.body):,} characters: shown as plain text (Markdown "
                        f"is read up to {MAX_MARKDOWN_CHARS:,})")  # fmt: skip
    return b, warnings
