"""Quote speaker precision and recall against hand annotations of BBC corpus quotes.

An annotation file holds `quotes`: {file, start, speaker} entries; `start` is the quoted
span's first words (enough to find it, never more), `speaker` the one who says it or null
(scare quotes, fragments). A found quote with a speaker is right when it stands for an
annotated quote (its text starts with the entry's words, or holds them, four words or more:
a quote the extractor joined holds several) whose speaker it names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import Quote

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BBC = SHARED / "corpus" / "bbc"
FIXTURES = REPO / "tests" / "fixtures" / "quotes"
HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "lord", "lady", "sir", "dame", "gen", "president"}

Entry = dict[str, str | None]


@dataclass
class Score:
    """Counts behind precision and recall, and what went wrong."""

    right: int = 0
    attributed: int = 0
    found: int = 0
    gold: int = 0
    articles: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Right speakers over quotes given a speaker."""
        return self.right / self.attributed if self.attributed else 0.0

    @property
    def recall(self) -> float:
        """Annotated quotes with a speaker found with that speaker."""
        return self.found / self.gold if self.gold else 0.0


def read_bbc(file_id: str) -> tuple[str, str]:
    """Headline and body of one BBC corpus file (cp1252 fallback for the odd one)."""
    raw = (BBC / f"{file_id}.txt").read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def load(name: str) -> dict[str, list[Entry]]:
    """An annotation file's entries by file id."""
    spec = json.loads((FIXTURES / name).read_text("utf-8"))["quotes"]
    by_file: dict[str, list[Entry]] = {}
    for item in spec:
        by_file.setdefault(str(item["file"]), []).append(item)
    return by_file


def fold(text: str) -> str:
    """Lower case, punctuation runs as one space."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def same_speaker(a: str, b: str) -> bool:
    """Names agree when one's words (honorifics aside) are all in the other's."""
    wa = set(fold(a).split()) - HONORIFICS
    wb = set(fold(b).split()) - HONORIFICS
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def matches(q: Quote, items: Sequence[Entry]) -> list[Entry]:
    """The annotated quotes a found quote stands for (a joined quote holds several)."""
    text = fold(q.text)
    return [
        i for i in items
        if text.startswith(fold(str(i["start"])))
        or (len(str(i["start"]).split()) >= 4 and fold(str(i["start"])) in text)
    ]  # fmt: skip


def score_file(file_id: str, items: Sequence[Entry], quotes: Sequence[Quote], s: Score) -> None:
    """Add one article's found quotes to the score."""
    s.articles += 1
    s.gold += sum(1 for i in items if i["speaker"])
    hit: set[str] = set()
    for q in quotes:
        if q.speaker is None:
            continue
        s.attributed += 1
        found = matches(q, items)
        right = [i for i in found if i["speaker"] and same_speaker(q.speaker, str(i["speaker"]))]
        if right:
            s.right += 1
            hit.update(str(i["start"]) for i in right)
        else:
            want = [i["speaker"] for i in found]
            s.errors.append(f"{file_id}: said {q.speaker!r}, annotated {want!r}: {q.text[:50]}")
    s.found += len(hit)
    for i in items:
        if i["speaker"] and str(i["start"]) not in hit:
            s.errors.append(f"{file_id}: missed {i['speaker']!r}: {i['start']}")


def score(
    by_file: dict[str, list[Entry]], quotes_of: Callable[[str, str, str], Sequence[Quote]]
) -> Score:
    """Score `quotes_of(file_id, title, body)` over every annotated article."""
    s = Score()
    for file_id, items in sorted(by_file.items()):
        title, body = read_bbc(file_id)
        score_file(file_id, items, quotes_of(file_id, title, body), s)
    return s
