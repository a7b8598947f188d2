"""The shipped alias table: country names and capitals, organization short forms (read once)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from generator.extract.wordlist import read_lines, read_table

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = "the shipped alias table"


def _rows(path: Path) -> list[list[str]]:
    """Tab-separated rows of a data file, comments and blank lines skipped."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _split(cell: str) -> list[str]:
    """A `|`-separated gazetteer cell."""
    return [x.strip() for x in cell.split("|") if x.strip()]


@cache
def shipped_aliases() -> dict[str, str]:
    """Case-folded surface form -> canonical name, for organizations and countries.

    Countries: other names and capital cities ("Beijing said" means China's government);
    organizations: their other names; then this package's own table of short forms and
    metonyms (data/aliases.tsv), which wins.
    """
    table: dict[str, str] = {}
    for row in read_table("countries.tsv"):
        name = row[0]
        others = _split(row[1]) if len(row) > 1 else []
        capitals = _split(row[3]) if len(row) > 3 else []
        for form in (*others, *capitals):
            table.setdefault(form.casefold(), name)
    # Within one article "the Commission" is clear; across a whole site a bare generic word
    # ("Commission", "Council") can be any of them, so such forms are left unmerged.
    generic = {w.casefold() for w in read_lines("org_words.txt")}
    for row in read_table("organizations.tsv"):
        for form in _split(row[1] if len(row) > 1 else ""):
            if not all(w in generic for w in form.casefold().split()):
                table.setdefault(form.casefold(), row[0])
    for own in _rows(DATA / "aliases.tsv"):
        if len(own) >= 2 and own[0] and own[1]:
            table[own[0].casefold()] = own[1]
    # A form that is its own canonical name is no alias.
    return {k: v for k, v in table.items() if k != v.casefold()}
