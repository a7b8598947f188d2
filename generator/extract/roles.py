"""Roles of people: titles before a name and appositions after it."""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass

from generator.extract.ner_gazetteer import load_gazetteer, load_words
from generator.extract.tokens import Token

# Small words that may sit inside a title ("Ambassador to the US", "Minister of Finance").
_CONNECTORS = frozenset({"of", "to", "the", "for", "and", "&", "'s", "’s", "on", "at", "in"})
_DETERMINERS = frozenset({"a", "an", "the"})
# Lower-case words that may precede a title in running text ("former prime minister X").
_MODIFIERS = frozenset(
    {
        "former", "acting", "deputy", "vice", "prime", "foreign", "finance", "defence",
        "defense", "interior", "economy", "trade", "health", "opposition", "senior", "top",
        "chief", "executive", "general", "managing", "economics", "party", "state",
        "central", "bank", "company", "campaign", "policy", "security", "club", "team",
        "national", "assistant", "associate", "junior", "first", "regional", "union",
        "labour", "labor", "election", "military", "army", "police", "industry", "justice",
    }
)  # fmt: skip
_STOP_AFTER = frozenset(
    {",", ";", ".", ":", ")", "(", '"', "“", "”", "!", "?", "--", "-", "–", "—"}
)
_MAX_ROLE = 18


@dataclass(frozen=True)
class RoleCandidate:
    """A role found next to one mention; a higher `rank` is more informative."""

    text: str
    rank: int
    position: int


def _is_cap(word: str) -> bool:
    """A capitalized word (title or acronym), not punctuation."""
    return word[:1].isupper() and any(c.isalpha() for c in word)


def _has_role_word(words: Sequence[str]) -> bool:
    """True when one of the words heads a role ("secretary", "chairman")."""
    role_words = load_words("role_words.txt")
    return any(w.lower().rstrip(".") in role_words for w in words)


def title_before(tokens: Sequence[Token], start: int, stop_at: Container[int]) -> str | None:
    """The title written just before a name: "US Treasury Secretary", "Ambassador to the US"."""
    role_words = load_words("role_words.txt")
    courtesy = load_words("courtesy.txt")
    j = start - 1
    while j >= 0 and tokens[j].text.lower().rstrip(".") in courtesy:
        j -= 1
    end = j + 1
    while j >= 0 and j not in stop_at and start - j <= _MAX_ROLE:
        w = tokens[j].text
        low = w.lower()
        if _is_cap(w) or low in _CONNECTORS or low in role_words or low in _MODIFIERS:
            j -= 1
            continue
        break
    # "spokesman Sir Menzies Campbell": an honorific between title and name is neither.
    while end > j + 1 and _is_honorific_only(tokens[end - 1].text):
        end -= 1
    words = [t.text for t in tokens[j + 1 : end]]
    while words and (words[0].lower() in _CONNECTORS or words[0].lower() in _DETERMINERS):
        words.pop(0)
    # The head noun of a pre-name title is its last word ("Defence Secretary") or the
    # first when a prepositional phrase follows ("Ambassador to the US").
    if not words or not _has_role_word(words):
        return None
    if words[-1].lower() in _CONNECTORS or (words[-1].endswith("s") and _plural_head(words)):
        return None
    return _join(tokens, end - len(words), end)


def _is_honorific_only(word: str) -> bool:
    """An honorific that is no role of its own (Sir, Dame, Lord), unlike President."""
    low = word.lower().rstrip(".")
    return low in load_gazetteer().honorifics and low not in load_words("role_words.txt")


def _plural_head(words: Sequence[str]) -> bool:
    """ "Presidents Trump and Xi": a plural title names several people, not this one's role."""
    role_words = load_words("role_words.txt")
    last = words[-1].lower()
    return last not in role_words and last[:-1] in role_words


def apposition_after(tokens: Sequence[Token], end: int, stop_at: Container[int]) -> str | None:
    """The apposition after a name: "X, chairman and chief executive, said" -> its middle."""
    n = len(tokens)
    if end >= n or tokens[end].text != ",":
        return None
    i = end + 1
    # Skip an age: "John Smith, 45, a lawyer".
    if i + 1 < n and tokens[i].text.isdigit() and tokens[i + 1].text == ",":
        i += 2
    j = i
    while j < n and not _role_ends(tokens, j) and j - i < _MAX_ROLE:
        j += 1
    if j == i or j >= n or not _role_ends(tokens, j) or j - i >= _MAX_ROLE:
        return None
    words = [t.text for t in tokens[i:j]]
    first = words[0].lower()
    role_words = load_words("role_words.txt")
    if not (
        first in _DETERMINERS
        or first in role_words
        or first in _MODIFIERS
        or _is_cap(words[0])
        or first.endswith("'s")
    ):
        return None
    if not _has_role_word(words) or any(w.lower() in _VERBS for w in words):
        return None
    if any(k in stop_at for k in range(i, j)):
        return None  # "X, coach Y and trainer Z": a list of people, not X's role
    k = i + 1 if first in _DETERMINERS else i
    return _join(tokens, k, j) if k < j else None


def _role_ends(tokens: Sequence[Token], j: int) -> bool:
    """Whether an apposition ends before token j: punctuation, or a word that opens a new
    sentence after an abbreviation's period ("... at Warner Bros. However, ...")."""
    word = tokens[j].text
    if word in _STOP_AFTER:
        return True
    return (
        j > 0
        and tokens[j - 1].text.endswith(".")
        and word[:1].isupper()
        and word.lower() in load_words("function_words.txt")
    )


_VERBS = frozenset(
    {
        "said", "says", "told", "who", "which", "that", "was", "is", "are", "were", "has",
        "have", "had", "will", "would", "can", "could", "did", "does", "do", "be", "been",
    }
)  # fmt: skip


def _join(tokens: Sequence[Token], i: int, j: int) -> str:
    """Tokens [i, j) joined with single spaces, no space before clitics and commas."""
    out = ""
    for t in tokens[i:j]:
        if out and not (t.text in {",", "'s", "’s", ")"} or t.text.startswith(("'", "’"))):
            out += " "
        out += t.text
    return out


def role_candidates(
    tokens: Sequence[Token], start: int, end: int, stop_at: Container[int]
) -> list[RoleCandidate]:
    """Roles next to the name at tokens [start, end): title before, apposition after."""
    out: list[RoleCandidate] = []
    title = title_before(tokens, start, stop_at)
    if title:
        out.append(RoleCandidate(title, 3 if " " in title else 1, start))
    appo = apposition_after(tokens, end, stop_at)
    if appo:
        out.append(RoleCandidate(appo, 2, start))
    return out


def best_role(candidates: Sequence[RoleCandidate]) -> str | None:
    """The most informative role, the earliest among equals."""
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c.rank, -c.position)).text
