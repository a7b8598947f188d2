"""Cross-validated web-copy figures: `python tools/cv_webcopy.py PAGES_DIR [BBC_DIR]`.

The scorer's figures (../shared/tools/eval_webcopy.py: body F1 by 4-word shingles, headline
right, actors not in the article) for the text copies, each page ingested by models trained
without it (the pages split into folds by key), through the whole text path: line tagger,
cleaner, extractor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from train_lines import (  # noqa: E402
    BBC_SAMPLE,
    folds_of,
    load_clean,
    load_pages,
    model_paths,
    prf,
    score,
    title_ok,
    tokens,
    train,
    training_set,
)

from generator.extract.pipeline import extract  # noqa: E402
from generator.ingest.article import build_article, sha256_hex  # noqa: E402
from generator.ingest.clean import clean_web_text  # noqa: E402
from generator.ingest.webcopy.tagger import LineTagger  # noqa: E402
from generator.model import Actor  # noqa: E402


def leaked(actors: list[Actor], gold: dict[str, Any]) -> list[str]:
    """Actors none of whose names the marked body or the titles contain."""
    text = " ".join(tokens(gold["articleBody"] + " " + " ".join(gold["titles"])))
    return [
        actor.name
        for actor in actors
        if not any(
            tokens(n) and re.search(r"\b" + re.escape(" ".join(tokens(n))) + r"\b", text)
            for n in [actor.name, *actor.aliases]
        )
    ]


URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/")


def url_date(url: str, article: Any, counts: dict[str, int]) -> bool:
    """Whether the page's date stamp gives the date in the page's address (when it has one)."""
    found = article.date
    counts["dated"] += found is not None
    match = URL_DATE.search(url)
    if not match:
        return False
    counts["dated_urls"] += 1
    return bool(found == dt.date(*map(int, match.groups())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("bbc", type=Path, nargs="?")
    parser.add_argument("--json", type=Path, help="write per-page figures here")
    args = parser.parse_args()
    pages = load_pages(args.pages)
    clean = load_clean(args.bbc, BBC_SAMPLE)
    keys = sorted(pages)
    rows, titles, leaks, actors, per_page = [], 0, 0, 0, {}
    dates, outlets, counts = 0, 0, {"dated_urls": 0, "dated": 0}
    with tempfile.TemporaryDirectory() as tmp:
        paths = model_paths(Path(tmp))
        for fold in folds_of(keys):
            train(training_set([pages[k][0] for k in keys if k not in fold], clean), paths)
            tagger = LineTagger(paths)
            for key in fold:
                path = args.pages / "text" / f"{key}.txt"
                gold = pages[key][1]
                data = path.read_bytes()
                cleaned = clean_web_text(data.decode("utf-8"), tagger=tagger)
                article = build_article(cleaned, path, sha256_hex(data))
                extraction = extract(article)
                found = extraction.actors
                dates += url_date(gold["url"], article, counts)
                outlets += bool(article.source_name)
                rows.append(score(gold["articleBody"], article.body))
                ok = title_ok(article.title, gold["titles"])
                titles += ok
                names = leaked(list(found), gold)
                leaks += len(names)
                actors += len(found)
                per_page[key] = {
                    "title": article.title,
                    "title_ok": ok,
                    "f1": prf([rows[-1]])[2],
                    "body": article.body,
                    "leaked": names,
                }
    p, r, f = prf(rows)
    print(
        f"text, cross-validated ({len(keys)} pages): body F1 {f:.3f} (P {p:.3f} R {r:.3f}); "
        f"headline right {titles}/{len(keys)}; actors not in the article {leaks}/{actors} "
        f"({leaks / max(1, actors):.1%})"
    )
    print(
        f"outlet named on {outlets}/{len(keys)} pages; date from the page on "
        f"{counts['dated']}/{len(keys)}; of {counts['dated_urls']} pages whose address has a "
        f"date, the page's date matches it on {dates}"
    )
    if args.json:
        args.json.write_text(json.dumps(per_page, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
