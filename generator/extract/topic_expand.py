"""Grow the topic lexicons from unlabelled news (a developer tool, run once; no labels used).

Usage: python -m generator.extract.topic_expand FOLDER [FOLDER...]
Files are plain-text articles (first line the headline). The shipped lexicons file each
article under a top-level topic; articles filed with a clear margin vote for the words
they use, and a word that is common, written in lower case and used mostly under one
topic becomes a weak keyword of that topic in data/topic_learned.txt. Only generic words
are kept (no names), so the file is a derived word list, not a copy of any text.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from generator.extract.keyphrases import stop_words
from generator.extract.topics import assign_topics, normalize
from generator.extract.vocabulary import default_vocabulary
from generator.extract.wordlist import DATA

MIN_MARGIN = 0.35  # share by which the best topic must beat the runner-up
MIN_DOCS = 5  # a word must appear in this many articles
MIN_TOPIC_DOCS = 20  # a topic needs this many articles to learn from
MIN_RATIO = 1.0  # natural log of how much likelier a word is under its topic than elsewhere
ROUNDS = 3
WEIGHT_SCALE = float(__import__("os").environ.get("WS", "0.25"))
WEIGHT_CAP = float(__import__("os").environ.get("WC", "1.0"))
MIN_RATIO = float(__import__("os").environ.get("MR", "1.0"))
MAX_PER_TOPIC = 300
_WORD_RE = re.compile(r"[A-Za-z][a-z]+")


def _read(path: Path) -> tuple[str, str]:
    """Headline and body of a plain-text article."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def _ratios(
    docs: list[Counter[str]], labels: list[str | None], vocab_words: set[str]
) -> dict[str, dict[str, float]]:
    """topic -> word -> log(P(word | topic) / P(word | other topics)), Laplace-smoothed."""
    per_topic: dict[str, Counter[str]] = defaultdict(Counter)
    for counts, label in zip(docs, labels, strict=True):
        if label is not None:
            per_topic[label].update(counts)
    sizes = Counter(label for label in labels if label is not None)
    topics = [t for t in per_topic if sizes[t] >= MIN_TOPIC_DOCS]
    everything: Counter[str] = Counter()
    for t in topics:
        everything.update(per_topic[t])
    total_all = sum(everything.values())
    n_words = len(vocab_words)
    out: dict[str, dict[str, float]] = {}
    for t in topics:
        mine = per_topic[t]
        total_mine = sum(mine.values())
        rest_total = total_all - total_mine
        out[t] = {
            w: math.log(
                ((mine[w] + 1) / (total_mine + n_words))
                / ((everything[w] - mine[w] + 1) / (rest_total + n_words))
            )
            for w in vocab_words
        }
    return out


def learn(paths: list[Path]) -> dict[str, list[tuple[str, float]]]:
    """Top-level topic id -> [(word, weight)]: lexicon labels refined by naive Bayes rounds
    on the unlabelled articles (expectation-maximisation without any given label)."""
    vocab = default_vocabulary(learned=False)
    tops = {t.id for t in vocab.terms if t.parent is None}
    docs: list[Counter[str]] = []
    labels: list[str | None] = []
    doc_freq: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for path in paths:
        title, body = _read(path)
        words = _WORD_RE.findall(f"{title} {body}")
        for w in words:
            uses[w.lower()] += 1
            lower[w] += w[0].islower()
        counts = Counter(normalize(w.lower()) for w in words)
        docs.append(counts)
        doc_freq.update(counts.keys())
        topics = [t for t in assign_topics(title, body, (), vocab) if t.id in tops]
        best = topics[0].score if topics else 0.0
        runner = topics[1].score if len(topics) > 1 else 0.0
        confident = best > 0 and (best - runner) / best >= MIN_MARGIN
        labels.append(topics[0].id if confident else None)
    stops = stop_words()
    usable = {
        w for w, n in doc_freq.items()
        if n >= MIN_DOCS and len(w) > 3 and w not in stops
        and lower[w] >= 0.8 * max(1, uses[w])  # mostly written in lower case: not a name
    }  # fmt: skip
    ratios: dict[str, dict[str, float]] = {}
    for _ in range(ROUNDS):
        ratios = _ratios(docs, labels, usable)
        labels = [_best(counts, ratios) for counts in docs]
    known = {k.split("^")[0] for t in vocab.terms for k in t.keywords}
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for w in usable - known:
        topic, ratio = max(((t, r[w]) for t, r in ratios.items()), key=lambda x: x[1])
        if ratio >= MIN_RATIO:
            out[topic].append((w, round(min(WEIGHT_CAP, WEIGHT_SCALE * ratio), 2)))
    return {k: sorted(v, key=lambda x: -x[1])[:MAX_PER_TOPIC] for k, v in out.items()}


def _best(counts: Counter[str], ratios: dict[str, dict[str, float]]) -> str | None:
    """The topic whose words an article uses most, by summed log ratios (None: no words)."""
    scores = {
        t: sum(r.get(w, 0.0) * min(n, 3) for w, n in counts.items()) for t, r in ratios.items()
    }
    return max(scores, key=lambda t: scores[t]) if scores else None


def main(argv: list[str]) -> int:
    """Write data/topic_learned.txt from the articles in the folders given."""
    paths = sorted(p for folder in argv for p in Path(folder).glob("*.txt"))
    learned = learn(paths)
    lines = [
        "# Weak keywords learned by topic_expand.py from unlabelled news (no labels used):",
        "# words used mostly in articles the hand-written lexicons file under one topic.",
    ]
    for topic in sorted(learned):
        words = sorted(learned[topic])
        lines.append(f"{topic}: " + ", ".join(f"{w}^{weight}" for w, weight in words))
    (DATA / "topic_learned.txt").write_text("\n".join(lines) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
