"""Benchmark the extractors: quote attribution, AG News topic accuracy, time per article.

Run from the repository root: `python -m tests.bench.bench_extract [--errors N] [--limit N]`.
Prints the speaker precision/recall on the hand-annotated BBC quotes
(tests/fixtures/quotes/bbc-annotations.json), the share of AG News items whose primary
topic agrees with their class, and the time the extractors take per BBC article (entity
recognition timed apart, it belongs to another benchmark).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import time
from collections import Counter
from pathlib import Path

from generator.extract.entities import extract_entities
from generator.extract.events import extract_events
from generator.extract.keyphrases import extract_keyphrases
from generator.extract.pipeline import extract
from generator.extract.quote_spans import find_quote_spans
from generator.extract.quotes import extract_quotes
from generator.extract.sentences import split_sentences
from generator.extract.summary import summarize
from generator.extract.topics import assign_topics
from generator.extract.vocabulary import default_vocabulary
from generator.model import Article
from tests.quote_scoring import BBC, load, read_bbc, score

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
AGNEWS = SHARED / "corpus" / "agnews" / "test.csv"
# AG News classes -> the top-level topics that agree with them (see the corpus README).
WORLD = {
    "politics", "conflict-war-and-peace", "crime-law-and-justice", "society", "environment",
    "disaster-accident-and-emergency-incident", "health", "religion", "labour",
    "human-interest", "education", "weather",
}  # fmt: skip
AG_NAMES = {"1": "world", "2": "sport", "3": "business", "4": "sci/tech"}
AG_CLASSES = {
    "1": WORLD,
    "2": {"sport"},
    "3": {"economy-business-and-finance"},
    "4": {"science-and-technology"},
}


def bench_quotes(show_errors: int) -> None:
    """Speaker attribution precision/recall over each annotated quote set."""
    for name in ("bbc-annotations.json", "bbc-heldout.json"):
        s = score(load(name), lambda f, t, b: extract(Article(t, b, f"{f}.txt", "0")).quotes)
        print(f"quotes ({name}): {s.articles} articles, {s.gold} attributed quotes annotated")
        print(f"  speaker precision {s.precision:.3f} ({s.right}/{s.attributed})")
        print(f"  speaker recall {s.recall:.3f} ({s.found}/{s.gold})")
        for line in s.errors[:show_errors]:
            print("   ", line)


def bench_topics(limit: int, show_errors: int) -> None:
    """Share of AG News items whose primary topic agrees with the class."""
    if not AGNEWS.exists():
        print("topics: AG News not found, skipped")
        return
    vocab = default_vocabulary()
    rows = list(csv.reader(AGNEWS.open(encoding="utf-8")))[: limit or None]
    ok = 0
    halves = [0, 0]  # agreement on even and odd rows: tune on one, check on the other
    confusion: Counter[tuple[str, str]] = Counter()
    errors = []
    start = time.perf_counter()
    for row, (cls, title, desc) in enumerate(rows):
        desc = desc.replace("\\", " ")
        actors = extract_entities(title, desc).actors
        topics = assign_topics(title, desc, actors, vocab)
        top = topics[0].id.split("/")[0] if topics else "none"
        good = top in AG_CLASSES[cls]
        ok += good
        halves[row % 2] += good
        confusion[(cls, top)] += 1
        if not good:
            errors.append(f"class {cls} -> {top}: {title}")
    took = time.perf_counter() - start
    share = ok / len(rows)
    per_item = took / len(rows) * 1000
    print(f"topics: AG News primary topic agrees with the class for {share:.4f} of {len(rows)}")
    evens, odds = (len(rows) + 1) // 2, len(rows) // 2
    print(f"  even rows {halves[0] / max(evens, 1):.4f}, odd rows {halves[1] / max(odds, 1):.4f}")
    by_class = Counter(cls for cls, _, _ in rows)
    agree = Counter(cls for (cls, top), n in confusion.items() for _ in range(n)
                    if top in AG_CLASSES[cls])  # fmt: skip
    print("  by class: " + ", ".join(
        f"{AG_NAMES[c]} {agree[c] / by_class[c]:.3f}" for c in sorted(by_class)
    ))  # fmt: skip
    print(f"  ({per_item:.2f} ms/item, entity recognition included)")
    for (cls, top), n in confusion.most_common(12):
        print(f"    class {cls} -> {top}: {n}")
    for line in errors[:show_errors]:
        print("   ", line)


def bench_speed(limit: int, rounds: int = 3) -> None:
    """Milliseconds per BBC article: entities apart, then every other extractor together.

    Each figure is the best of `rounds` passes: the machine is shared, the best pass is the
    one least disturbed by other work."""
    files = sorted(BBC.glob("bbc-*.txt"))[: limit or None]
    docs = [read_bbc(f.stem) for f in files]
    vocab = default_vocabulary()
    analyses = [extract_entities(title, body) for title, body in docs]
    best = {"entities": 1e9, "ours": 1e9, "extract": 1e9}
    for _ in range(rounds):
        t0 = time.perf_counter()
        for title, body in docs:
            extract_entities(title, body)
        t1 = time.perf_counter()
        for (title, body), ea in zip(docs, analyses, strict=True):
            text = f"{title}\n\n{body}"
            start = len(title) + 2
            sentences = split_sentences(body, start)
            names = [a.name for a in ea.actors] + [p.name for p in ea.places]
            tags = extract_keyphrases(title, body, names)
            spans = find_quote_spans(text, start)
            quoted = [(q.start, q.end) for q in spans]
            summarize(title, sentences, tags, [m.start for m in ea.mentions], quoted)
            extract_quotes(text, start, ea.mentions, sentences, spans)
            extract_events(sentences, dt.date(2005, 1, 1), quoted)
            assign_topics(title, body, ea.actors, vocab)
        t2 = time.perf_counter()
        for title, body in docs:
            extract(Article(title, body, "x.txt", "0", date=dt.date(2005, 1, 1)))
        t3 = time.perf_counter()
        best["entities"] = min(best["entities"], t1 - t0)
        best["ours"] = min(best["ours"], t2 - t1)
        best["extract"] = min(best["extract"], t3 - t2)
    n = len(docs)
    words = sum(len(body.split()) for _, body in docs) / n
    print(f"speed: {n} BBC articles, {words:.0f} words on average, best of {rounds} passes")
    print(f"  extractors except entities {best['ours'] / n * 1000:.2f} ms/article")
    print(f"  entities {best['entities'] / n * 1000:.2f} ms/article")
    print(f"  extract() {n / best['extract']:.0f} articles/s")


def main() -> int:
    """Run the three benchmarks and print their numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", type=int, default=0, help="show this many errors of each")
    parser.add_argument("--limit", type=int, default=0, help="items per benchmark (0: all)")
    parser.add_argument("--only", choices=["quotes", "topics", "speed"], default=None)
    args = parser.parse_args()
    if not BBC.is_dir():
        print(f"{BBC} not found")
        return 1
    if args.only in (None, "quotes"):
        bench_quotes(args.errors)
    if args.only in (None, "topics"):
        bench_topics(args.limit, args.errors)
    if args.only in (None, "speed"):
        bench_speed(args.limit or 400)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
