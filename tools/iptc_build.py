"""Derive data/iptc_topics.json from the IPTC Media Topics release (a developer tool, run once).

Usage: python tools/iptc_build.py ../shared/vocab/iptc-mediatopics.json
Keeps the 17 top-level terms (with their current labels), their live second-level terms and
the third-level terms listed in data/iptc_promoted.txt (placed under their top-level term);
every other live descendant's label becomes a keyword of the kept term above it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.extract.wordlist import DATA, read_lines  # noqa: E402
from generator.slug import slugify  # noqa: E402

CREDIT = (
    "Derived from the IPTC Media Topics vocabulary (https://iptc.org/standards/media-topics/), "
    "(c) IPTC, licensed under CC BY 4.0; top-level labels as currently published."
)
CURRENT_TOP_LABELS = {
    "medtop:01000000": "arts, culture, entertainment and media",
    "medtop:12000000": "religion",
    "medtop:16000000": "conflict, war and peace",
}


def build(concepts: list[dict[str, Any]]) -> dict[str, Any]:
    """The compact vocabulary: terms in file order, each {id, label, iptc, parent, keywords}."""
    live = {c["qcode"]: c for c in concepts if not c.get("retired")}
    parent = {q: next((b for b in c["broader"] if b != q), None) for q, c in live.items()}
    # A concept that names itself as broader (one does) is not a top-level term.
    tops = [q for q in live if parent[q] is None and q.endswith("000000")]
    promoted = set(read_lines("iptc_promoted.txt"))

    def top_of(q: str) -> str | None:
        seen = set()
        while parent.get(q) and q not in seen:
            seen.add(q)
            q = parent[q]  # type: ignore[assignment]
        return q if q in tops else None

    kept: dict[str, dict[str, Any]] = {}
    for q in tops:
        label = CURRENT_TOP_LABELS.get(q, live[q]["label"].strip())
        kept[q] = {"id": slugify(label), "label": label, "iptc": q, "parent": None, "keywords": []}
    for q, c in live.items():
        label = c["label"].strip()
        top = top_of(q)
        if top is None or q == top or not (parent[q] == top or label in promoted):
            continue
        item = {"id": f"{kept[top]['id']}/{slugify(label)}", "label": label, "iptc": q,
                "parent": kept[top]["id"], "keywords": []}  # fmt: skip
        kept[q] = item
    for q, c in live.items():
        if q in kept:
            continue
        up = parent[q]
        while up is not None and up not in kept:
            up = parent.get(up)
        if up is not None:
            kept[up]["keywords"].append(c["label"].strip().lower())
    terms = sorted(kept.values(), key=lambda t: (t["parent"] or t["id"], t["parent"] is not None))
    return {"credit": CREDIT, "terms": terms}


def main(argv: list[str]) -> int:
    """Write data/iptc_topics.json from the release named on the command line."""
    source = json.loads(Path(argv[0]).read_text("utf-8"))
    out = build(source["concepts"])
    (DATA / "iptc_topics.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=0, sort_keys=False) + "\n", "utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
