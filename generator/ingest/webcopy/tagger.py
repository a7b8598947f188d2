"""Tag each line of a whole-page copy as headline, article text or page debris (CRFs).

The first model reads each line with its neighbours; the second reads the first one's
probabilities across the page too (where the body's largest stretch lies, how sure the
lines around are), so a line is judged by the article it sits in; the third chooses the
headline among the lines above the body.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pycrfsuite

from generator.ingest.webcopy.context import page_features, stacked_features
from generator.ingest.webcopy.headline import candidates
from generator.ingest.webcopy.lines import Features, Page, read_page

HEADLINE, BODY, STANDFIRST = "H", "B", "S"
BAGS = 3
MODEL_FILES = tuple(
    (f"lines1-{n}.crfsuite", f"lines2-{n}.crfsuite", f"headline-{n}.crfsuite") for n in range(BAGS)
)
"""Each bag's models' files in generator/ingest/data/ (made by tools/train_lines.py): the
tagger averages what the bags say."""

RIVAL = 0.3
"""A candidate scoring at least this share of the best one's is a close rival."""

SURE, UNSURE, REACH = 0.5, 0.2, 3
"""A line the second model gives at least SURE is article text, and so is one it gives at
least UNSURE that is at most REACH lines from such a line (kept lines chain): an advert or a
photo credit between two paragraphs does not cut the article."""


@dataclass(frozen=True)
class TaggedLines:
    """The tagger's reading of a page: per line, whether it is article text, and the headline."""

    body: tuple[bool, ...]
    headline_index: int | None
    body_probability: tuple[float, ...]
    headline_probability: tuple[float, ...]


def marginals(
    tagger: pycrfsuite.Tagger, features: list[Features]
) -> tuple[list[float], list[float]]:
    """The model's probability of article text (body or standfirst) and of headline per line."""
    tagger.set(pycrfsuite.ItemSequence(features))
    labels = set(tagger.labels())
    count = len(features)
    body = [
        sum(tagger.marginal(label, i) for label in (BODY, STANDFIRST) if label in labels)
        for i in range(count)
    ]
    head = (
        [tagger.marginal(HEADLINE, i) for i in range(count)]
        if HEADLINE in labels
        else [0.0] * count
    )
    return body, head


def unglued(lines: list[str], chosen: int) -> int:
    """The headline line without a breadcrumb glued to it ('Home News Business Headline'):
    the line under the chosen one when the chosen one ends with it."""
    following = lines[chosen + 1] if chosen + 1 < len(lines) else ""
    glued = (
        bool(following)
        and len(following) < len(lines[chosen])
        and lines[chosen].casefold().endswith(following.casefold())
    )
    return chosen + 1 if glued else chosen


def hysteresis(body: list[float]) -> tuple[bool, ...]:
    """Which lines are article text: the sure ones, and unsure ones near kept ones."""
    keep = [p >= SURE for p in body]
    changed = True
    while changed:
        changed = False
        for index, p in enumerate(body):
            if keep[index] or p < UNSURE:
                continue
            lo, hi = max(0, index - REACH), min(len(body), index + REACH + 1)
            if any(keep[lo:hi]):
                keep[index] = changed = True
    return tuple(keep)


def _open(path: Path | None, name: str) -> pycrfsuite.Tagger:
    """A tagger on a model file (the packaged one named `name` when no path is given)."""
    tagger = pycrfsuite.Tagger()
    if path is None:
        packaged = resources.files("generator.ingest") / "data" / name
        with resources.as_file(packaged) as file:
            tagger.open(str(file))
    else:
        tagger.open(str(path))
    return tagger


class LineTagger:
    """The trained models, in bags: two line models and the headline chooser each (the
    packaged ones unless other paths are given)."""

    def __init__(self, bags: list[tuple[Path, Path, Path]] | None = None) -> None:
        self._bags = (
            [tuple(_open(None, name) for name in names) for names in MODEL_FILES]
            if bags is None
            else [tuple(_open(path, "") for path in paths) for paths in bags]
        )

    def tag(self, lines: list[str], gaps: list[bool]) -> TaggedLines:
        """Label every line; the headline is the candidate the headline models like best."""
        if not lines:
            return TaggedLines((), None, (), ())
        page = read_page(lines, gaps)
        features = page_features(page)
        body = [0.0] * len(lines)
        head = [0.0] * len(lines)
        for first, second, _chooser in self._bags:
            first_body, first_head = marginals(first, features)
            stacked = stacked_features(page, features, first_body, first_head)
            for index, (b, h) in enumerate(zip(*marginals(second, stacked), strict=True)):
                body[index] += b / len(self._bags)
                head[index] += h / len(self._bags)
        best = self._headline(page, body, head)
        return TaggedLines(hysteresis(body), best, tuple(body), tuple(head))

    def _headline(self, page: Page, body: list[float], head: list[float]) -> int:
        """The candidate the headline models like best (else the line models' best)."""
        found = candidates(page, body, head)
        if not found:
            return max(range(len(page.lines)), key=head.__getitem__)
        scores = [0.0] * len(found)
        for _first, _second, chooser in self._bags:
            for number, (_index, features) in enumerate(found):
                chooser.set(pycrfsuite.ItemSequence([features]))
                scores[number] += chooser.marginal(HEADLINE, 0)
        best = max(range(len(found)), key=scores.__getitem__)
        chosen = found[best][0]
        if unglued(page.lines, chosen) != chosen:
            return chosen + 1
        # A standfirst follows its headline: of two close rivals one above the other, the
        # upper one is the headline.
        above = best - 1
        if (
            above >= 0
            and found[above][0] == chosen - 1
            and scores[above] >= RIVAL * scores[best]
            and page.shapes[chosen - 1].headline_like
        ):
            return chosen - 1
        return chosen


@functools.cache
def default_tagger() -> LineTagger:
    """The packaged models, loaded once per process."""
    return LineTagger()
