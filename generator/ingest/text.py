"""Reader for raw copied web text (.txt, .text, .md): decode, then clean."""

from __future__ import annotations

from pathlib import Path

from generator.ingest.article import build_article, sha256_hex
from generator.ingest.clean import clean_web_text
from generator.ingest.decode import decode_bytes, load_bytes
from generator.ingest.readout import Readout

SUFFIXES = (".txt", ".text", ".md")


def read_text(path: Path) -> Readout:
    """Read one article of copied web text; its first line is the title."""
    data = load_bytes(path)
    text, warnings = decode_bytes(data, str(path))
    cleaned = clean_web_text(text)
    return Readout((build_article(cleaned, path, sha256_hex(data), warnings=tuple(warnings)),))
