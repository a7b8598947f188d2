"""Train the CRF name tagger on CoNLL-2003: `python -m generator.extract.train_ner DIR`.

DIR holds train.txt (used to train) and valid.txt (used to report mention F1 and to
choose settings). The model is written to generator/extract/data/ner.crfsuite.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pycrfsuite

from generator.extract.ner_features import build_doc_cues, sentence_features

log = logging.getLogger(__name__)

Sentence = list[tuple[str, str]]
MODEL_PATH = Path(__file__).resolve().parent / "data" / "ner.crfsuite"


def read_conll(path: Path) -> Iterator[list[Sentence]]:
    """Yield documents as lists of sentences of (token, IOB2 tag)."""
    doc: list[Sentence] = []
    sent: Sentence = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            cols = raw.split()
            if not cols:
                if sent:
                    doc.append(sent)
                    sent = []
                continue
            if cols[0] == "-DOCSTART-":
                if sent:
                    doc.append(sent)
                    sent = []
                if doc:
                    yield doc
                doc = []
                continue
            sent.append((cols[0], cols[-1]))
    if sent:
        doc.append(sent)
    if doc:
        yield doc


def doc_items(doc: list[Sentence]) -> Iterator[tuple[list[list[str]], list[str]]]:
    """Feature sequences and labels of each sentence of a document."""
    words = [[w for w, _ in s] for s in doc]
    cues = build_doc_cues(words)
    for s, ws in zip(doc, words, strict=True):
        yield sentence_features(ws, cues), [t for _, t in s]


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end, type) from IOB2 tags."""
    out: set[tuple[int, int, str]] = set()
    start, typ = -1, ""
    for i, t in enumerate([*tags, "O"]):
        if start >= 0 and (t == "O" or t.startswith("B-") or t[2:] != typ):
            out.add((start, i, typ))
            start = -1
        if t.startswith("B-") or (t.startswith("I-") and start < 0):
            start, typ = i, t[2:]
    return out


def evaluate(model: Path, docs: list[list[Sentence]]) -> dict[str, float]:
    """Mention-level F1 per type on `docs`."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for doc in docs:
        for feats, gold in doc_items(doc):
            pred = tagger.tag(feats)
            g, p = spans(gold), spans(pred)
            for s in p & g:
                tp[s[2]] = tp.get(s[2], 0) + 1
            for s in p - g:
                fp[s[2]] = fp.get(s[2], 0) + 1
            for s in g - p:
                fn[s[2]] = fn.get(s[2], 0) + 1
    out: dict[str, float] = {}
    for typ in ("PER", "ORG", "LOC", "MISC"):
        a, b, c = tp.get(typ, 0), fp.get(typ, 0), fn.get(typ, 0)
        out[typ] = 2 * a / (2 * a + b + c) if a else 0.0
    a, b, c = sum(tp.values()), sum(fp.values()), sum(fn.values())
    out["all"] = 2 * a / (2 * a + b + c) if a else 0.0
    return out


def main(argv: list[str] | None = None) -> int:
    """Train on DIR/train.txt, report on DIR/valid.txt, write the model."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("conll_dir", type=Path)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--min-freq", type=float, default=2)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for doc in read_conll(args.conll_dir / "train.txt"):
        for feats, tags in doc_items(doc):
            trainer.append(feats, tags)
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.minfreq": args.min_freq,
            "feature.possible_transitions": True,
        }
    )
    log.info("features built in %.0fs; training", time.time() - t0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    log.info("trained in %.0fs, model %d bytes", time.time() - t0, args.out.stat().st_size)
    valid = args.conll_dir / "valid.txt"
    if valid.exists():
        scores = evaluate(args.out, list(read_conll(valid)))
        log.info("valid mention F1: %s", " ".join(f"{k}={v:.4f}" for k, v in scores.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
