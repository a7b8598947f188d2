"""Train the page-copy line tagger: `python tools/train_lines.py PAGES_DIR [BBC_DIR]`.

PAGES_DIR holds gold.json and text/KEY.txt (../shared/corpus/webpages): each copied page's
lines are labelled by the article body a person marked (B: most of its word triples are in
the marked body), the headline (H: the line that matches a page title, nearest above the
body) and the rest (P before the article, I inside it, A after it). Clean articles from
BBC_DIR (title line, then paragraphs) are added with page debris sprinkled in, and each page
also as a partial selection, so that neither is mistaken for a whole page.

Writes generator/ingest/data/{lines1,lines2,headline}.crfsuite. Figures on pages the models
did not see come from tools/cv_webcopy.py.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycrfsuite

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.ingest.webcopy.context import page_features, stacked_features  # noqa: E402
from generator.ingest.webcopy.headline import candidates  # noqa: E402
from generator.ingest.webcopy.lines import Features, read_page, split_lines  # noqa: E402
from generator.ingest.webcopy.tagger import MODEL_FILES, marginals  # noqa: E402

DATA = ROOT / "generator" / "ingest" / "data"


def model_paths(folder: Path) -> list[tuple[Path, Path, Path]]:
    """Each bag's three model files in a folder."""
    return [(folder / first, folder / second, folder / head) for first, second, head in MODEL_FILES]


TOKEN = re.compile(r"\w+")
FOLDS = 5
BBC_SAMPLE = 150
PARAMS = {"c1": 0.2, "c2": 0.5, "max_iterations": 200, "feature.possible_transitions": True}
HEAD_PARAMS = dict(PARAMS)


@dataclass(frozen=True)
class Example:
    """One labelled line sequence; `group` names the page it was made from (folds keep a
    group together), `kind` says how: a page, a partial selection of one, or clean text."""

    lines: list[str]
    gaps: list[bool]
    labels: list[str]
    group: str
    kind: str


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.casefold())


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)))


def title_ok(pred: str, titles: list[str]) -> bool:
    """The scorer's headline test: the words match a title (a site name after | or - may trail)."""
    pw = tokens(pred)
    if not pw:
        return False
    for title in titles:
        for part in [title, *re.split(r"\s+[|\u2013\u2014-]\s+", title)]:
            cw = tokens(part)
            if cw and sum((Counter(pw) & Counter(cw)).values()) / max(len(pw), len(cw)) >= 0.8:
                return True
    return False


def label_page(lines: list[str], body: str, titles: list[str]) -> list[str]:
    """H, B, P, I or A for each line, from the marked body and the page's titles."""
    toks = tokens(body)
    grams = {tuple(toks[i : i + 3]) for i in range(len(toks) - 2)}
    joined = " " + " ".join(toks) + " "
    labels = []
    for line in lines:
        t = tokens(line)
        if len(t) >= 3:
            share = sum(tuple(t[i : i + 3]) in grams for i in range(len(t) - 2)) / (len(t) - 2)
        else:
            share = 1.0 if t and f" {' '.join(t)} " in joined else 0.0
        labels.append("B" if share >= 0.5 else "O")
    # A line of one or two words is found in almost any body: it counts only between the
    # body's longer lines.
    long_body = [i for i, line in enumerate(lines) if labels[i] == "B" and len(tokens(line)) >= 3]
    first_body = long_body[0] if long_body else len(lines)
    last_body = long_body[-1] if long_body else -1
    for i, line in enumerate(lines):
        if labels[i] == "B" and len(tokens(line)) < 3 and not first_body < i < last_body:
            labels[i] = "O"
    # The headline: a title line (the longest match), the nearest one above the body.
    hits = [i for i, line in enumerate(lines) if len(line) < 400 and title_ok(line, titles)]
    if hits:
        most = max(len(tokens(lines[i])) for i in hits)
        hits = [i for i in hits if len(tokens(lines[i])) >= min(most, 3)]
        above = [i for i in hits if i < first_body]
        labels[above[-1] if above else hits[0]] = "H"
    return regions(labels)


def regions(labels: list[str]) -> list[str]:
    """Split O into P (before the article), I (debris inside it) and A (after it)."""
    inside = [i for i, lab in enumerate(labels) if lab in "HB"]
    if not inside:
        return ["P"] * len(labels)
    first, last = inside[0], inside[-1]
    return [
        lab if lab not in "OPIA" else ("P" if i < first else "A" if i > last else "I")
        for i, lab in enumerate(labels)
    ]


def load_pages(pages: Path) -> dict[str, tuple[Example, dict[str, Any]]]:
    """Each page's labelled lines and its gold record, by key."""
    gold = json.loads((pages / "gold.json").read_text(encoding="utf-8"))
    out = {}
    for key, g in gold.items():
        lines, gaps = split_lines((pages / "text" / f"{key}.txt").read_text(encoding="utf-8"))
        labels = label_page(lines, g["articleBody"], g["titles"])
        out[key] = (Example(lines, gaps, labels, key, "page"), g)
    return out


def load_clean(bbc: Path | None, count: int) -> list[Example]:
    """Clean articles: the first line is the headline, every other line body."""
    if bbc is None:
        return []
    files = sorted(bbc.glob("*.txt"))
    random.Random(7).shuffle(files)
    out = []
    for path in files[:count]:
        lines, gaps = split_lines(path.read_text(encoding="utf-8", errors="replace"))
        if len(lines) > 1:
            out.append(Example(lines, gaps, ["H"] + ["B"] * (len(lines) - 1), path.name, "clean"))
    return out


def training_set(pages: list[Example], clean: list[Example], seed: int = 11) -> list[Example]:
    """The labelled pages, and made from them: partial selections (the article with a few
    lines around it, as a user selects it) and clean articles with debris from these pages
    sprinkled in (a section label above the title, a newsletter prompt, a date, a credit, a
    trailer), so that neither is mistaken for a whole page."""
    rng = random.Random(seed)
    out = list(pages)
    debris = [
        (line, page.gaps[i], page.group)
        for page in pages
        for i, line in enumerate(page.lines)
        if page.labels[i] in "PIA" and len(tokens(line)) <= 20
    ]
    for page in pages:
        inside = [i for i, lab in enumerate(page.labels) if lab in "HB"]
        if not inside or "H" not in page.labels:
            continue
        first = max(0, page.labels.index("H") - rng.randint(0, 3))
        last = min(len(page.lines), inside[-1] + 1 + rng.randint(0, 4))
        out.append(
            Example(
                page.lines[first:last],
                page.gaps[first:last],
                regions(page.labels[first:last]),
                page.group,
                "crop",
            )
        )
    for article in clean:
        lines: list[str] = []
        gaps: list[bool] = []
        labels: list[str] = []
        for i, (line, gap, lab) in enumerate(
            zip(article.lines, article.gaps, article.labels, strict=True)
        ):
            if i == 0:
                _sprinkle(rng, debris, 2, lines, gaps, labels)
            lines.append(line)
            gaps.append(gap)
            labels.append(lab)
            if i < len(article.lines) - 1:
                most = 3 if i == 0 else (1 if rng.random() < 0.2 else 0)
                _sprinkle(rng, debris, most, lines, gaps, labels)
        _sprinkle(rng, debris, 4, lines, gaps, labels)
        out.append(Example(lines, gaps, regions(labels), article.group, "clean"))
    return out


def _sprinkle(
    rng: random.Random,
    debris: list[tuple[str, bool, str]],
    most: int,
    lines: list[str],
    gaps: list[bool],
    labels: list[str],
) -> None:
    """Append up to `most` lines of debris, labelled O."""
    for _ in range(rng.randint(0, most) if debris else 0):
        line, gap, _group = rng.choice(debris)
        lines.append(line)
        gaps.append(gap)
        labels.append("O")


Sequence = tuple[list[Features], list[str]]


def train_model(items: list[Sequence], path: Path, params: dict[str, Any] | None = None) -> None:
    """Train one CRF on (features, labels) sequences."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in items:
        trainer.append(pycrfsuite.ItemSequence(features), labels)
    trainer.set_params(params or PARAMS)
    trainer.train(str(path))


def out_of_fold(
    examples: list[Example], items: list[Sequence], use: Callable[[int, Any], Any]
) -> list[Any]:
    """use(i, tagger) for every example i, the tagger trained without i's group."""
    fold_of = [zlib.crc32(e.group.encode()) % FOLDS for e in examples]
    result: list[Any] = [None] * len(items)
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "inner.crfsuite"
        for fold in range(FOLDS):
            train_model([items[i] for i in range(len(items)) if fold_of[i] != fold], model)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            for i in range(len(items)):
                if fold_of[i] == fold:
                    result[i] = use(i, tagger)
            tagger.close()
    return result


def train(examples: list[Example], bags: list[tuple[Path, Path, Path]]) -> None:
    """Train the three models of each bag, each later one on what the earlier ones made of
    pages they did not see (inner folds), as it will be at use. Bag k learns from a sample
    of the pages drawn with replacement (the first bag from all of them): the tagger
    averages the bags, which steadies it where one model would swing on a few pages."""
    pages = [read_page(e.lines, e.gaps) for e in examples]
    featured = [(page_features(page), e.labels) for page, e in zip(pages, examples, strict=True)]

    def stack(i: int, tagger: Any) -> Sequence:
        features = featured[i][0]
        body, headline = marginals(tagger, features)
        return stacked_features(pages[i], features, body, headline), featured[i][1]

    stacked = out_of_fold(examples, featured, stack)
    seconds = out_of_fold(examples, stacked, lambda i, tagger: marginals(tagger, stacked[i][0]))
    heads: list[tuple[str, Sequence]] = []
    for page, example, (body, headline) in zip(pages, examples, seconds, strict=True):
        if "H" not in example.labels or example.kind not in HEADLINE_KINDS:
            continue
        # The headline printed twice (a breadcrumb, a share line) is the headline both times.
        truth = example.lines[example.labels.index("H")].casefold()
        for index, features in candidates(page, body, headline):
            label = "H" if example.lines[index].casefold() == truth else "N"
            heads.append((example.group, ([features], [label])))
    groups = sorted({e.group for e in examples})
    for number, (first, second, head) in enumerate(bags):
        rng = random.Random(number)
        drawn = Counter(rng.choice(groups) for _ in groups) if number else Counter(groups)
        take = [drawn[e.group] for e in examples]
        train_model([item for item, n in zip(featured, take, strict=True) for _ in range(n)], first)
        train_model([item for item, n in zip(stacked, take, strict=True) for _ in range(n)], second)
        chosen = [item for group, item in heads for _ in range(drawn[group])]
        train_model(chosen, head, HEAD_PARAMS)


HEADLINE_KINDS = ("page", "crop")


def folds_of(keys: list[str]) -> list[list[str]]:
    """The outer folds of page keys, for figures on unseen pages."""
    ordered = sorted(keys)
    return [ordered[i::FOLDS] for i in range(FOLDS)]


def score(true: str, pred: str) -> tuple[float, float, float]:
    """The scorer's per-page shingle tp, fp, fn, normalised."""
    t, p = shingles(true), shingles(pred)
    tp = sum(min(t[k], p[k]) for k in t.keys() | p.keys())
    fp = sum(max(0, p[k] - t[k]) for k in p)
    fn = sum(max(0, t[k] - p[k]) for k in t)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def prf(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision and recall averaged over pages, and F1 from the averages (the scorer's)."""
    ps = [
        1.0 if fp == fn == 0 else (tp / (tp + fp) if tp + fp else 0.0)
        for tp, fp, fn in rows
        if tp + fp > 0
    ]
    rs = [
        1.0 if fp == fn == 0 else (tp / (tp + fn) if tp + fn else 0.0)
        for tp, fp, fn in rows
        if tp + fn > 0
    ]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("bbc", type=Path, nargs="?")
    args = parser.parse_args()
    pages = load_pages(args.pages)
    clean = load_clean(args.bbc, BBC_SAMPLE)
    train(training_set([pages[k][0] for k in sorted(pages)], clean), model_paths(DATA))
    for path in sorted(DATA.glob("*.crfsuite")):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
