"""Whether a capital city's mention stands for its government ("Beijing said") or the city."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from generator.extract.ner_gazetteer import load_words
from generator.extract.tokens import Token
from generator.extract.wordlist import read_sections

_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


@cache
def _context() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(words before that make a place, words before that make a government, city nouns)."""
    sections = read_sections("capital_context.txt")
    return (
        frozenset(sections.get("place_before", ())),
        frozenset(sections.get("government_before", ())),
        frozenset(sections.get("place_nouns", ())),
    )


def _acts(tokens: Sequence[Token], i: int) -> bool:
    """True when a government verb follows, auxiliaries allowed ("has warned", "said")."""
    aux = load_words("auxiliaries.txt")
    while i < len(tokens) and tokens[i].text.lower() in aux:
        i += 1
    return i < len(tokens) and tokens[i].text.lower() in load_words("gov_verbs.txt")


def _and_government(tokens: Sequence[Token], start: int, end: int) -> bool:
    """ "Washington and Beijing said": the verb follows the last of two joined names."""
    n = len(tokens)
    if end + 1 < n and tokens[end].text == "and" and tokens[end + 1].text[:1].isupper():
        j = end + 2
        while j < n and tokens[j].text[:1].isupper() and j < end + 5:
            j += 1
        return _acts(tokens, j)
    return False


def capital_is_government(tokens: Sequence[Token], start: int, end: int) -> bool:
    """True when the capital at tokens [start, end) names its government, not the city.

    The words around it decide: a place preposition before ("in Beijing") keeps the city;
    a verb of speech or policy after ("Beijing said", "Beijing has warned"), a possessive
    on a noun that is not the city's own ("Beijing's stance", not "Beijing's airport"), or a
    word before that takes a party ("talks with Beijing", "pressure on Washington") make it
    the government. A noun of the city's own after it ("Beijing airport") and a name after
    a possessive ("Moscow's Red Square") keep the city; with no sign either way, the city.
    """
    place_before, government_before, place_nouns = _context()
    n = len(tokens)
    before = tokens[start - 1].text.lower() if start > 0 else ""
    if before in place_before:
        return False
    if _acts(tokens, end) or _and_government(tokens, start, end):
        return True
    possessive = end < n and tokens[end].text in _POSSESSIVE
    after = tokens[end + possessive : end + possessive + 2]
    # "Beijing airport", "Belgrade's main airport", "London's FTSE index": the city's own.
    if any(t.text.lower() in place_nouns for t in after):
        return False
    if possessive:
        return bool(after) and after[0].text.isalpha() and after[0].text.islower()
    if before in ("to", "on", "from") and start > 1:
        before = tokens[start - 2].text.lower()  # "adviser to Beijing", "pressure on Washington"
    return before in government_before
