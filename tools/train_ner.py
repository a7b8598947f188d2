"""Train the CRF name tagger on CoNLL-2003: `python tools/train_ner.py DIR`.

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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.extract.ner_features import (  # noqa: E402
    build_doc_cues,
    doc_label_features,
    sentence_features,
    with_label_features,
)

log = logging.getLogger(__name__)

Sentence = list[tuple[str, str]]
MODEL_PATH = ROOT / "generator" / "extract" / "data" / "ner.crfsuite"
FOLDS = 4


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


def doc_features(doc: list[Sentence]) -> list[list[list[str]]]:
    """First-pass feature sequences of each sentence of a document."""
    words = [[w for w, _ in s] for s in doc]
    cues = build_doc_cues(words)
    return [sentence_features(ws, cues) for ws in words]


def second_pass(
    doc: list[Sentence], feats: list[list[list[str]]], first: list[list[str]]
) -> list[list[list[str]]]:
    """Second-pass features: the first pass's plus what it said about the same words elsewhere."""
    words = [[w for w, _ in s] for s in doc]
    extra = doc_label_features(words, first)
    return [with_label_features(fs, es) for fs, es in zip(feats, extra, strict=True)]


def train(
    items: list[tuple[list[list[str]], list[str]]], out: Path, params: dict[str, object]
) -> None:
    """Train one CRF on (features, tags) sequences and write it to `out`."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, tags in items:
        trainer.append(feats, tags)
    trainer.set_params(params)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def tag_all(model: Path, feats: list[list[list[str]]]) -> list[list[str]]:
    """Tag every sentence with `model`."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return [list(tagger.tag(f)) for f in feats]


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


def evaluate(gold: list[list[str]], pred: list[list[str]]) -> dict[str, float]:
    """Mention-level F1 per type."""
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g, p = spans(g_tags), spans(p_tags)
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


def _rerun(model: Path, feats: list[list[list[str]]], first: list[list[str]]) -> list[list[str]]:
    """Second-pass tags where the document gave new evidence, else the first pass's."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    out: list[list[str]] = []
    for f, p in zip(feats, first, strict=True):
        out.append(list(tagger.tag(f)) if any(x.startswith("d:") for xs in f for x in xs) else p)
    return out


def _report_first(conll_dir: Path, model: Path) -> None:
    """Log the first pass's mention F1 on valid.txt (quick experiments: --folds 0)."""
    vdocs = list(read_conll(conll_dir / "valid.txt"))
    gold = [[t for _, t in s] for d in vdocs for s in d]
    pred = [s for d in vdocs for s in tag_all(model, doc_features(d))]
    log.info("valid mention F1, first pass:  %s", _fmt(evaluate(gold, pred)))


def _fmt(scores: dict[str, float]) -> str:
    """Scores on one line."""
    return " ".join(f"{k}={v:.4f}" for k, v in scores.items())


def main(argv: list[str] | None = None) -> int:
    """Train on DIR/train.txt, report on DIR/valid.txt, write the model."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("conll_dir", type=Path)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--c1", type=float, default=0.02)
    ap.add_argument("--c2", type=float, default=0.2)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--min-freq", type=float, default=2)
    ap.add_argument("--folds", type=int, default=FOLDS)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.time()
    params: dict[str, object] = {
        "c1": args.c1,
        "c2": args.c2,
        "max_iterations": args.iterations,
        "feature.minfreq": args.min_freq,
        "feature.possible_transitions": True,
    }
    docs = list(read_conll(args.conll_dir / "train.txt"))
    feats = [doc_features(d) for d in docs]
    tags = [[[t for _, t in s] for s in d] for d in docs]
    first = args.out
    second = args.out.with_name(args.out.stem + "2" + args.out.suffix)
    train(
        [x for fd, td in zip(feats, tags, strict=True) for x in zip(fd, td, strict=True)],
        first,
        params,
    )
    log.info("first pass trained in %.0fs", time.time() - t0)
    if args.folds < 2:
        _report_first(args.conll_dir, first)
        return 0
    # Cross-validated first-pass tags, so the second pass learns from realistic mistakes.
    predicted: list[list[list[str]]] = [[] for _ in docs]
    for k in range(args.folds):
        fold = Path(str(args.out) + f".fold{k}")
        rest = [
            x
            for i in range(len(docs))
            if i % args.folds != k
            for x in zip(feats[i], tags[i], strict=True)
        ]
        train(rest, fold, params)
        for i in range(k, len(docs), args.folds):
            predicted[i] = tag_all(fold, feats[i])
        fold.unlink()
        log.info("fold %d done at %.0fs", k, time.time() - t0)
    items = [
        x
        for d, fd, pd, td in zip(docs, feats, predicted, tags, strict=True)
        for x in zip(second_pass(d, fd, pd), td, strict=True)
    ]
    train(items, second, params)
    log.info("trained in %.0fs, models %d + %d bytes", time.time() - t0,
             first.stat().st_size, second.stat().st_size)  # fmt: skip
    valid = args.conll_dir / "valid.txt"
    if valid.exists():
        vdocs = list(read_conll(valid))
        gold = [[t for _, t in s] for d in vdocs for s in d]
        p1 = [tag_all(first, doc_features(d)) for d in vdocs]
        log.info(
            "valid mention F1, first pass:  %s", _fmt(evaluate(gold, [s for d in p1 for s in d]))
        )
        p2 = [
            _rerun(second, second_pass(d, doc_features(d), p), p)
            for d, p in zip(vdocs, p1, strict=True)
        ]
        log.info(
            "valid mention F1, second pass: %s", _fmt(evaluate(gold, [s for d in p2 for s in d]))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
