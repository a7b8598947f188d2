"""Benchmark actor recognition: CoNLL-2003 validation F1 (all, news) and speed on BBC.

Run from the repository root: `python -m tests.bench.bench_actors [--errors N] [--keep DIR]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.briefing_md import render_briefing
from generator.extract.entities import extract_entities
from generator.model import Briefing, Source

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CONLL = SHARED / "corpus" / "conll2003"
BBC = SHARED / "corpus" / "bbc"
EVAL = SHARED / "tools" / "eval_actors.py"


def split_article(raw: str) -> tuple[str, str]:
    """Headline = first line, body = the rest."""
    title, _, body = raw.partition("\n")
    return title.strip(), body.strip()


def write_briefings(out: Path) -> float:
    """Extract entities from every validation document into minimal briefing files."""
    total = 0.0
    for path in sorted((CONLL / "valid-docs").glob("*.txt")):
        title, body = split_article(path.read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        ea = extract_entities(title, body)
        total += time.perf_counter() - t0
        b = Briefing(
            title=title or path.stem,
            slug="doc-" + path.stem,
            date=dt.date(1996, 8, 30),
            date_inferred=True,
            source=Source(file=path.name),
            actors=ea.actors,
            places=ea.places,
            body=body,
        )
        (out / f"{path.stem}.md").write_text(render_briefing(b), encoding="utf-8")
    return total


def bbc_speed(limit: int) -> tuple[int, float]:
    """Articles per second of extract_entities on the BBC corpus (first `limit` files)."""
    files = sorted(BBC.glob("*.txt"))[:limit]
    docs = [split_article(p.read_bytes().decode("utf-8", "replace")) for p in files]
    extract_entities(*docs[0])  # load the model outside the timing
    # CPU time of this process: on a shared machine, wall time mostly measures the neighbours.
    t0 = time.process_time()
    for title, body in docs:
        extract_entities(title, body)
    return len(docs), time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    """Print the F1 tables and the speed."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--keep", type=Path, help="write the briefings here instead of a temp dir")
    ap.add_argument("--bbc", type=int, default=400, help="BBC articles to time (0: skip)")
    args = ap.parse_args(argv)
    if not CONLL.exists():
        print("no CoNLL corpus at", CONLL)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        secs = write_briefings(out)
        gold = CONLL / "valid-gold.json"
        for extra in ([], ["--subset", "news"]):
            cmd = [sys.executable, str(EVAL), str(out), str(gold), *extra]
            if args.errors:
                cmd += ["--errors", str(args.errors)]
            print(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    print(f"CoNLL valid: {secs * 1000 / 216:.1f} ms per document")
    if args.bbc and BBC.exists():
        n, secs = bbc_speed(args.bbc)
        print(f"BBC: {n} articles in {secs:.2f}s CPU = {n / secs:.0f} articles/s, "
              f"{secs * 1000 / n:.1f} ms per article")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
