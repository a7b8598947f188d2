"""The identity join's word lists, read from the extractors' data files."""

from __future__ import annotations

from functools import cache

from generator.extract.wordlist import read_lines, read_sections
from generator.identity_types import Rules


@cache
def default_rules() -> Rules:
    """Titles, company suffixes and organization tail words from extract/data/."""

    def words(*names: str) -> frozenset[str]:
        """The lower-cased entries of some word lists, dots dropped."""
        return frozenset(w.lower().rstrip(".") for n in names for w in read_lines(n))

    return Rules(
        titles=words("courtesy.txt", "honorifics.txt"),
        org_suffixes=words("corp_suffixes.txt"),
        org_tails=frozenset(read_sections("org_tails.txt")["any"]),
        one_word_tails=frozenset(read_sections("org_tails.txt")["one_word"]),
        function_words=words("function_words.txt"),
    )
