"""Every article of the shared BBC corpus reads without error (slow: run in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ingest import read_articles
from generator.ingest.charrefs import decode_references

BBC = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "bbc"


@pytest.mark.slow
def test_whole_bbc_corpus_reads_without_error() -> None:
    if not BBC.is_dir():
        pytest.skip("../shared/corpus/bbc is not present")
    files = sorted(BBC.glob("*.txt"))
    assert len(files) == 2127
    warned = []
    for path in files:
        [article] = read_articles(path)
        assert article.title and article.body, path.name
        first_line = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
        headline = " ".join(decode_references(first_line).split())
        assert article.title == headline or article.warnings, path.name
        if article.warnings:
            warned.append(path.name)
    assert (
        len(warned) == 1
    )  # the one file that is not UTF-8 decodes as Windows-1252, with a warning
    [article] = read_articles(BBC / warned[0])
    assert "Windows-1252" in article.warnings[0]
    assert "\ufffd" not in article.body
