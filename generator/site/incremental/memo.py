"""Grouping with the last build's actor profiles and text index reused when their inputs match.

Merging actors and indexing the text are the costly parts of grouping, and most edits leave
one of them as it was: a new summary changes no actor, a fixed name no text. Each part is
keyed by a hash of exactly what it reads, so a reused part is what the build would have
computed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator.hashing import digest, value_bytes
from generator.model import Briefing
from generator.site.incremental.lazy import profile_key
from generator.site.model.actors import Actors, build_actors, update_actors
from generator.site.model.alias_table import shipped_aliases
from generator.site.model.group import (
    BriefingModel,
    SiteModel,
    actor_names,
    complete_model,
    group_briefings,
    newest_first,
)
from generator.site.model.related import RelatedState
from generator.site.model.similarity import (
    TextIndex,
    TextParts,
    fingerprint,
    index_text,
    text_digest,
)
from generator.site.model.stories import linked_actors

T = TypeVar("T")


@dataclass(frozen=True)
class ActorsKey:
    """What build_actors reads, hashed: whole, the alias tables, and each briefing's part."""

    key: bytes
    head: bytes
    """The alias tables."""
    order: tuple[tuple[str, bytes], ...]
    """(briefing slug, hash of its actors and quotes), in the order build_actors reads them."""
    parts: dict[str, bytes]
    """Per briefing file (slug and file hash): its part, for the next build to reuse."""


@dataclass(frozen=True)
class ActorsMemo:
    """The actor profiles and name links of a build, with the key of their inputs."""

    key: ActorsKey
    actors: Actors
    profiles: dict[str, bytes]
    """Actor slug -> lazy.profile_key of its profile (hashing 10,000 profiles takes a while)."""
    names: dict[str, str]
    """Actor slug -> name (group.actor_names)."""
    sets: dict[str, frozenset[str]]
    """Briefing slug -> the actor slugs it names (stories.linked_actors). Both made once
    per change of the actors, not in every build."""


@dataclass(frozen=True)
class TextMemo:
    """The text index of a build, with the key of its inputs."""

    key: bytes
    text: TextIndex
    parts: TextParts
    """What the next index can reuse of this one."""
    files: dict[str, tuple[bytes, str]]
    """Per briefing file (slug and file hash): its text's hash and its fingerprint."""


@dataclass(frozen=True)
class GroupMemo:
    """The last build's actors, text index and related lists: cached apart, as most edits
    change one or two."""

    actors: ActorsMemo
    text: TextMemo
    related: RelatedState

    @property
    def profiles(self) -> dict[str, bytes]:
        """Actor slug -> profile key."""
        return self.actors.profiles


def actors_key(
    ordered: tuple[Briefing, ...],
    aliases: Mapping[str, str],
    table: Mapping[str, str],
    files: Mapping[str, str],
    known: Mapping[str, bytes],
) -> ActorsKey:
    """What build_actors reads: each briefing's slug, actors and quotes, in order; the tables.

    Each briefing's part is kept by slug and file hash (`files`: slug -> file hash), so the
    next build hashes only the files that changed (`known`: the last build's parts).
    """
    head = digest(value_bytes((sorted(aliases.items()), sorted(table.items()))) or b"")
    parts: dict[str, bytes] = {}
    order = [(b.slug, by_file(b, files, known, parts, _actors_part)) for b in ordered]
    return ActorsKey(digest(head, *(part for _, part in order)), head, tuple(order), parts)


def _actors_part(b: Briefing) -> bytes:
    """What build_actors reads of one briefing, hashed."""
    return digest(value_bytes((b.slug, b.actors, b.quotes)) or b"")


def by_file(
    b: Briefing,
    files: Mapping[str, str],
    known: Mapping[str, T],
    made: dict[str, T],
    make: Callable[[Briefing], T],
) -> T:
    """`make(b)`, kept by the briefing's slug and file hash (`files`: slug -> file hash):
    taken from `known` (the last build's) when its file is unchanged, and put in `made`
    (this build's) for the next one."""
    file = files.get(b.slug)
    if file is None:
        return make(b)
    tag = f"{b.slug}\0{file}"
    value = known.get(tag)
    if value is None:
        value = make(b)
    made[tag] = value
    return value


def _updated_actors(
    last: ActorsMemo | None,
    key: ActorsKey,
    ordered: tuple[Briefing, ...],
    aliases: Mapping[str, str] | None,
    table: Mapping[str, str],
) -> Actors | None:
    """The last build's actors brought up to date for the briefings whose part changed
    (added, removed, edited actors or quotes), when the rest kept their order and the
    alias tables are the same; None when only a full build_actors will do."""
    if last is None or last.key.head != key.head:
        return None
    before, now = dict(last.key.order), dict(key.order)
    changed = {slug for slug, part in key.order if before.get(slug) != part}
    changed |= before.keys() - now.keys()
    if len(changed) > len(now) // 4:
        return None  # most of it: a full build costs no more
    kept_before = [slug for slug, _ in last.key.order if slug not in changed]
    if kept_before != [slug for slug, _ in key.order if slug not in changed]:
        return None  # a new date moved a briefing: the order of credits changes
    return update_actors(last.actors, ordered, changed, aliases, table)


def text_inputs(
    ordered: tuple[Briefing, ...],
    files: Mapping[str, str],
    known: Mapping[str, tuple[bytes, str]],
) -> tuple[list[bytes], list[str], dict[str, tuple[bytes, str]]]:
    """Each briefing's text hash (text_digests) and fingerprint, in order, and both per
    file for the next build: those of an unchanged file (`files`: slug -> file hash;
    `known`: the last build's) are not made again."""
    made: dict[str, tuple[bytes, str]] = {}
    pairs = [by_file(b, files, known, made, _text_pair) for b in ordered]
    return [text for text, _ in pairs], [fp for _, fp in pairs], made


def _text_pair(b: Briefing) -> tuple[bytes, str]:
    """A briefing's text hash and fingerprint."""
    return text_digest(b), fingerprint(b)


def text_key(texts: Sequence[bytes], fingerprints: Sequence[str]) -> bytes:
    """What the text index reads: each briefing's indexed text (`texts`: their hashes, in
    order) and its fingerprint."""
    h = hashlib.blake2b(digest_size=16)
    for text, fp in zip(texts, fingerprints, strict=True):
        h.update(fp.encode())
        h.update(text)
    return h.digest()


def group_with_memo(
    briefings: Iterable[Briefing],
    aliases: Mapping[str, str] | None,
    topic_labels: Mapping[str, str] | None,
    last: tuple[ActorsMemo | None, TextMemo | None, RelatedState | None] = (None, None, None),
    files: Mapping[str, str] | None = None,
) -> tuple[SiteModel, GroupMemo]:
    """build_site_model's result, reusing the parts of `last` whose keys match (and the
    related lists an edit cannot have changed); the new memo (see group_first)."""
    first, memo = group_first(briefings, aliases, last, files)
    return complete_model(first, topic_labels)[0], memo


def group_first(
    briefings: Iterable[Briefing],
    aliases: Mapping[str, str] | None,
    last: tuple[ActorsMemo | None, TextMemo | None, RelatedState | None] = (None, None, None),
    files: Mapping[str, str] | None = None,
) -> tuple[BriefingModel, GroupMemo]:
    """The briefing pages' part of the model (group.group_briefings), reusing the parts of
    `last` whose keys match (and the related lists an edit cannot have changed); the new
    memo. `files` (published slug -> file hash) lets unchanged briefing files skip hashing.
    """
    ordered = newest_first(briefings)
    table = shipped_aliases()
    old_actors, old_text, old_related = last
    known = old_actors.key.parts if old_actors is not None else {}
    akey = actors_key(ordered, aliases or {}, table, files or {}, known)
    if old_actors is not None and old_actors.key.key == akey.key:
        # Kept whole (re-saving the profiles costs more than hashing a few changed files).
        new_actors = old_actors
    else:
        made = _updated_actors(old_actors, akey, ordered, aliases, table)
        made = made or build_actors(ordered, aliases, table)
        names, sets = actor_names(made.profiles), linked_actors(made.links)
        new_actors = ActorsMemo(akey, made, _profile_keys(made, old_actors), names, sets)
    texts, fps, text_files = text_inputs(
        ordered, files or {}, old_text.files if old_text is not None else {}
    )
    tkey = text_key(texts, fps)
    if old_text is not None and old_text.key == tkey:
        new_text = old_text
    else:
        # The texts that did not change keep their terms, and most of them their vectors.
        last_parts, last_index = (old_text.parts, old_text.text) if old_text else (None, None)
        index, parts = index_text(ordered, texts, last_parts, last_index, fps)
        new_text = TextMemo(tkey, index, parts, text_files)
    actors = new_actors.actors
    first, related = group_briefings(
        ordered,
        actors.profiles,
        actors.links,
        new_text.text,
        old_related,
        new_actors.names,
        new_actors.sets,
    )
    return first, GroupMemo(new_actors, new_text, related)


def _profile_keys(actors: Actors, last: ActorsMemo | None) -> dict[str, bytes]:
    """Actor slug -> profile key; a profile kept from the last build keeps its key."""
    old = {p.slug: p for p in last.actors.profiles} if last is not None else {}
    keys = last.profiles if last is not None else {}
    return {
        p.slug: keys[p.slug] if old.get(p.slug) is p and p.slug in keys else profile_key(p)
        for p in actors.profiles
    }
