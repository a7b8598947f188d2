"""Grow the topic lexicons from unlabelled news (a developer tool, run once; no labels used).

Usage: python tools/topic_expand.py PATH [PATH...]
A PATH is a folder of plain-text articles (first line the headline) or a CoNLL-2003 file
(documents split at -DOCSTART-, first token of each line kept). The shipped lexicons file each
article under a top-level topic; the articles filed with a clear margin seed rounds of
naive Bayes over all the articles, and each common lower-case word gets, per topic, the log
of how much likelier it is there than elsewhere (data/topic_learned.tsv). Only generic
words are kept (no names): the file is a derived word list, not a copy of any text.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.extract.keyphrases import stop_words  # noqa: E402
from generator.extract.topics import assign_topics, normalize  # noqa: E402
from generator.extract.vocabulary import default_vocabulary  # noqa: E402
from generator.extract.wordlist import DATA  # noqa: E402

MIN_MARGIN = 0.35  # share by which the best topic must beat the runner-up
MIN_DOCS = 4  # a word must appear in this many articles
MIN_TOPIC_DOCS = 20  # a topic needs this many articles to learn from
ROUNDS = 3
MIN_RATIO = 0.5  # weaker associations are not worth shipping
LOWER_SHARE = 0.6  # share of uses in lower case a word needs (names are capitalized)
_WORD_RE = re.compile(r"[A-Za-z][a-z]+")


def _split(text: str) -> tuple[str, str]:
    """Headline and body of a plain-text article."""
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def _conll_documents(path: Path) -> list[str]:
    """The documents of a CoNLL-2003 file as plain text, one sentence a line."""
    docs: list[str] = []
    lines: list[str] = []
    words: list[str] = []
    for row in path.read_text("utf-8", errors="replace").splitlines():
        token = row.split(" ", 1)[0]
        if token == "-DOCSTART-" or not token:
            if words:
                lines.append(" ".join(words))
                words = []
            if token == "-DOCSTART-" and lines:
                docs.append("\n".join(lines))
                lines = []
            continue
        words.append(token)
    if words:
        lines.append(" ".join(words))
    if lines:
        docs.append("\n".join(lines))
    return docs


def read_articles(paths: list[str]) -> list[tuple[str, str]]:
    """(headline, body) of every article in the folders and CoNLL files given."""
    out: list[tuple[str, str]] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for file in sorted(path.glob("*.txt")):
                out.append(_split(file.read_bytes().decode("utf-8", errors="replace")))
        else:
            out.extend(_split(doc) for doc in _conll_documents(path))
    return out


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


def learn(articles: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """word -> {top-level topic id: log ratio}: lexicon labels refined by naive Bayes rounds
    on the unlabelled articles (expectation-maximisation without any given label)."""
    vocab = default_vocabulary()
    tops = {t.id for t in vocab.terms if t.parent is None}
    docs: list[Counter[str]] = []
    labels: list[str | None] = []
    doc_freq: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for title, body in articles:
        words = _WORD_RE.findall(f"{title} {body}")
        for w in words:
            uses[w.lower()] += 1
            lower[w] += w[0].islower()
        counts = Counter(normalize(w.lower()) for w in words)
        docs.append(counts)
        doc_freq.update(counts.keys())
        topics = [t for t in assign_topics(title, body, (), vocab, False) if t.id in tops]
        best = topics[0].score if topics else 0.0
        runner = topics[1].score if len(topics) > 1 else 0.0
        confident = best > 0 and (best - runner) / best >= MIN_MARGIN
        labels.append(topics[0].id if confident else None)
    stops = stop_words()
    usable = {
        w for w, n in doc_freq.items()
        if n >= MIN_DOCS and len(w) > 2 and w not in stops
        and lower[w] >= LOWER_SHARE * max(1, uses[w])  # mostly in lower case: not a name
    }  # fmt: skip
    ratios: dict[str, dict[str, float]] = {}
    for _ in range(ROUNDS):
        ratios = _ratios(docs, labels, usable)
        labels = [_best(counts, ratios) for counts in docs]
    out: dict[str, dict[str, float]] = {}
    for w in sorted(usable):
        kept = {t: round(r[w], 2) for t, r in ratios.items() if r[w] >= MIN_RATIO}
        if kept:
            out[w] = kept
    return out


def _best(counts: Counter[str], ratios: dict[str, dict[str, float]]) -> str | None:
    """The topic whose words an article uses most, by summed log ratios (None: no words)."""
    scores = {
        t: sum(r.get(w, 0.0) * min(n, 3) for w, n in counts.items()) for t, r in ratios.items()
    }
    return max(scores, key=lambda t: scores[t]) if scores else None


def main(argv: list[str]) -> int:
    """Write data/topic_learned.tsv from the articles in the folders and files given."""
    learned = learn(read_articles(argv))
    topics = sorted({t for per_topic in learned.values() for t in per_topic})
    lines = [
        "# Word evidence learned by topic_expand.py from unlabelled news (no labels used):",
        "# word<TAB>n:log-ratio ... = how much likelier the word is in articles of top-level",
        "# topic number n (the @topics line) than in the others, after naive-Bayes rounds",
        "# seeded by the hand-written lexicons.",
        "@topics\t" + "\t".join(topics),
    ]
    number = {t: i for i, t in enumerate(topics)}
    for word, per_topic in learned.items():
        cells = " ".join(f"{number[t]}:{r}" for t, r in sorted(per_topic.items()))
        lines.append(f"{word}\t{cells}")
    (DATA / "topic_learned.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
