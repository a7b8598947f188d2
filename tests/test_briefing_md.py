"""Briefing files: the contract's key order, lossless round trips, clear errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import replace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.briefing_md import (
    SafeDumper,
    _Dumper,
    content_hash,
    is_hand_edited,
    parse_briefing,
    render_briefing,
    stamp,
)
from generator.errors import InputError
from generator.model import Actor, Briefing, Event, Place, Quote, Source, Topic

SAMPLE = Briefing(
    title="Minister warns of 'red lines': talks resume",
    slug="minister-warns-of-red-lines-talks-resume",
    date=dt.date(2025, 3, 4),
    date_inferred=True,
    source=Source("Example Times", None, "a.txt", "ab" * 32),
    credits=("Reuters", "AFP"),
    summary="One sentence. Another one.",
    key_points=("First point.", "Second: with a colon."),
    topics=(
        Topic(
            "economy-business-and-finance", "economy, business and finance", "medtop:04000000", 0.82
        ),
    ),
    actors=(Actor("Ana Velarde", "person", "Energy Minister", ("Velarde", "Ms Velarde"), 4),),
    places=(Place("Port Ardith", "city"),),
    quotes=(Quote("Ana Velarde", "We will not back down."), Quote(None, "yes")),
    events=(
        Event(dt.date(2025, 3, 3), "The dam began filling."),
        Event(dt.date(2025, 3, 2), "Protesters gathered at the gates.", date_inferred=True),
    ),
    tags=("red lines", "dam"),
    body="First paragraph.\n\nSecond *paragraph*.",
)


def test_keys_are_written_in_contract_order() -> None:
    text = render_briefing(stamp(SAMPLE, "0.1.0")[0])
    front = text.split("\n---\n")[0]
    keys = [line.split(":")[0] for line in front.splitlines()[1:] if line[:1].isalpha()]
    assert keys == [
        "title", "slug", "date", "date_inferred", "language", "source", "credits", "summary",
        "key_points",
        "topics", "actors", "places", "quotes", "events", "tags", "generator",
    ]  # fmt: skip
    assert "credits: [Reuters, AFP]" in text
    assert "aliases: [Velarde, Ms Velarde]" in text


def test_empty_lists_stay_as_brackets() -> None:
    bare = Briefing("T", "t", dt.date(2025, 1, 1), False, Source())
    text = render_briefing(bare)
    for key in ("credits", "key_points", "topics", "actors", "places", "quotes", "events", "tags"):
        assert f"\n{key}: []\n" in text


def test_load_then_write_gives_the_same_bytes() -> None:
    _, text = stamp(SAMPLE, "0.1.0")
    loaded, warnings = parse_briefing(text, "x.md")
    assert warnings == []
    assert render_briefing(loaded) == text


def test_hand_edit_is_detected() -> None:
    b, text = stamp(SAMPLE, "0.1.0")
    assert not is_hand_edited(text, b)
    edited = text.replace("Second *paragraph*", "Second paragraph, fixed")
    assert is_hand_edited(edited, parse_briefing(edited, "x.md")[0])


def test_unknown_keys_are_kept_and_warned() -> None:
    text = render_briefing(SAMPLE).replace("generator:", "reviewer: jo\ngenerator:")
    loaded, warnings = parse_briefing(text, "x.md")
    assert loaded.extra == {"reviewer": "jo"}
    assert any("reviewer" in w for w in warnings)
    assert "reviewer: jo" in render_briefing(loaded)


@pytest.mark.parametrize(
    ("front", "message", "line"),
    [
        ("title: a: b\ndate: 2025-01-01\n", "not valid YAML", 2),
        ("title: T\ndate: yesterday\n", "'date' must be a date", 3),
        ("title: T\ndate: 2025-01-01\nactors: Ana\n", "'actors' must be a list", 4),
        ("a: &x [1, 2]\nb: *x\ntitle: T\n", "aliases", 3),
        ("- just\n- a list\n", "must be a mapping", 2),
    ],
)
def test_bad_front_matter_names_the_line(front: str, message: str, line: int) -> None:
    with pytest.raises(InputError) as info:
        parse_briefing(f"---\n{front}---\nbody\n", "bad.md")
    assert message in info.value.message
    assert info.value.path == "bad.md"
    assert info.value.line == line


def test_slug_with_path_parts_is_rederived() -> None:
    text = render_briefing(SAMPLE).replace(f"slug: {SAMPLE.slug}", "slug: ../../etc/passwd")
    loaded, warnings = parse_briefing(text, "x.md")
    assert loaded.slug == SAMPLE.slug
    assert warnings


# What a briefing holds: no surrogates, no control characters but tab and line breaks (the
# loader removes the others, test_hostile_values), no U+FFFE/U+FFFF.
_chars = st.characters(
    exclude_categories=("Cs", "Cc"),
    include_characters="\t\n\r",
    exclude_characters="\ufffe\uffff",
)
_text = st.text(_chars, max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    title=_text.filter(lambda t: t.strip() != ""),
    summary=_text,
    name=_text.filter(lambda t: t.strip() != ""),
    aliases=st.lists(_text, max_size=3),
    quote=_text,
    tags=st.lists(_text, max_size=3),
)
def test_round_trip_for_arbitrary_values(
    title: str, summary: str, name: str, aliases: list[str], quote: str, tags: list[str]
) -> None:
    b = Briefing(
        title=title.strip(),
        slug="s",
        date=dt.date(2025, 1, 1),
        date_inferred=False,
        source=Source(name=summary or None),
        summary=summary,
        actors=(Actor(name.strip(), "person", None, tuple(aliases), 1),),
        quotes=(Quote(None, quote),),
        tags=tuple(tags),
    )
    text = render_briefing(b)
    loaded, _ = parse_briefing(text, "x.md")
    assert render_briefing(loaded) == text
    again, _ = parse_briefing(render_briefing(loaded), "x.md")
    assert again == loaded


def test_language_is_written_read_back_and_validated() -> None:
    german = replace(SAMPLE, language="de")
    text = render_briefing(german)
    assert "\ndate_inferred: true\nlanguage: de\nsource:\n" in text
    assert parse_briefing(text, "x.md")[0].language == "de"
    # A file written before the key existed was read as English by the extractor.
    old = text.replace("language: de\n", "")
    loaded, warnings = parse_briefing(old, "x.md")
    assert (loaded.language, warnings) == ("en", [])
    for bad in ("english", "1", "d", "e1"):
        with pytest.raises(InputError, match="ISO 639-1") as err:
            parse_briefing(text.replace("language: de", f"language: {bad}"), "x.md")
        assert err.value.line == 6


def test_an_event_says_date_inferred_only_when_it_is() -> None:
    text = render_briefing(SAMPLE)
    assert text.count("date_inferred: true") == 2  # the briefing's and one event's
    events = parse_briefing(text, "x.md")[0].events
    assert [e.date_inferred for e in events] == [False, True]
    bad = text.replace("  date_inferred: true", "  date_inferred: sometimes")
    with pytest.raises(InputError, match=r"events.*date_inferred must be true or false"):
        parse_briefing(bad, "x.md")


def test_a_shared_date_object_is_written_without_yaml_aliases() -> None:
    day = dt.date(2025, 3, 3)
    b = Briefing("T", "t", day, False, Source(), events=(Event(day, "It happened."),))
    text = render_briefing(b)
    assert "&id" not in text and "*id" not in text
    assert parse_briefing(text, "x.md")[0].events[0].date == day


class _PyYamlDumper(SafeDumper):  # type: ignore[misc, valid-type]
    """PyYAML's own representer and resolver, without briefing_md's shortcuts."""

    def ignore_aliases(self, data: object) -> bool:
        return True


_scalars = st.none() | st.booleans() | st.integers() | st.dates() | _text
_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3)
)


@settings(max_examples=200, deadline=None)
@given(value=_values, also=_values)
def test_the_dumper_writes_what_pyyaml_writes(value: object, also: object) -> None:
    data = {"value": value, "again": [value, also], "also": also}
    for flow in (False, None):
        mine, theirs = (
            yaml.dump(
                data,
                Dumper=dumper,
                default_flow_style=flow,
                sort_keys=False,
                allow_unicode=True,
                width=100,
            )
            for dumper in (_Dumper, _PyYamlDumper)
        )
        assert mine == theirs


_HASH_PARTS = st.sampled_from(["  body_sha256: 'ab'", "  body_sha256:", "x", " ", "\n", "\r"])


@given(parts=st.lists(_HASH_PARTS | _text, max_size=12))
def test_content_hash_blanks_each_hash_line_and_nothing_else(parts: list[str]) -> None:
    text = "".join(parts)
    blank = re.sub(r"^(  body_sha256:).*$", r"\1", text, flags=re.M)  # its definition
    assert content_hash(text) == hashlib.sha256(blank.encode("utf-8")).hexdigest()


def test_names_kinds_and_labels_repeated_across_briefings_are_one_string_in_memory() -> None:
    """A site's parse cache holds every briefing: the names, kinds, roles and labels that
    briefings repeat are kept once, not once per briefing."""
    made = [
        Briefing(
            title=f"Story {i}",
            slug=f"story-{i}",
            date=dt.date(2025, 3, 1),
            date_inferred=False,
            source=Source(name="Wire"),
            topics=(Topic("economy/trade", "trade"),),
            actors=(Actor("Anna Berg", "person", "transport minister", ("Berg",)),),
            places=(Place("Port Ardith", "city"),),
            quotes=(Quote("Anna Berg", f"Quote {i}."),),
            tags=("harbour levy",),
        )
        for i in range(2)
    ]
    a, b = (parse_briefing(render_briefing(x), "x.md")[0] for x in made)
    assert a.actors[0].name is b.actors[0].name and a.actors[0].kind is b.actors[0].kind
    assert a.actors[0].role is b.actors[0].role and a.actors[0].aliases[0] is b.actors[0].aliases[0]
    assert a.topics[0].label is b.topics[0].label and a.source.name is b.source.name
    assert a.places[0].name is b.places[0].name and a.quotes[0].speaker is b.quotes[0].speaker
    assert a.tags[0] is b.tags[0]
