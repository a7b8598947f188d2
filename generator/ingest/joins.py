"""When one line of copied text carries on the sentence of the line before it."""

from __future__ import annotations

import functools
import re
from importlib import resources

from generator.ingest import debris

_OPEN_SENTENCE_WORDS = 6
_LINK_TEXT_WORDS = 8
_CONTINUES_WITH = re.compile(r"^[,.;:!?)\]’”%]")
_STARTS_LOWER = re.compile(r"^[\"'“‘(\[]?[a-z]")
_STARTS_ITEM = re.compile(r"^(?:[-*•·▪–—]|\d+[.)])\s")
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")


@functools.cache
def _join_words() -> frozenset[str]:
    """Words that cannot end a sentence (data/joinwords.txt)."""
    text = resources.files("generator.ingest").joinpath("data/joinwords.txt").read_text("utf-8")
    return frozenset(
        w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")
    )


def continues(previous: str, following: str) -> bool:
    """True when the line `following` carries on the sentence the line `previous` leaves open."""
    if debris.closes_sentence(previous) or _STARTS_ITEM.match(following):
        return False
    if _CONTINUES_WITH.match(following) or _STARTS_LOWER.match(following):
        return True
    if previous.endswith((",", "-", "–", "—")):
        return True
    last = _LAST_WORD.search(previous[-60:])
    if not last:
        return False
    if last[1].lower() in _join_words():
        return True
    # A sentence cut short before a link text with a capital ("... said" / "Jane Doe" / "on
    # Monday."): the link is short and open; a heading or list item would follow a closed line.
    return (
        last[1].islower()
        and previous.count(" ") + 1 >= _OPEN_SENTENCE_WORDS
        and following.count(" ") + 1 <= _LINK_TEXT_WORDS
        and not debris.closes_sentence(following)
    )
