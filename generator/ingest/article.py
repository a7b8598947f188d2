"""Assemble an Article from cleaned text and the facts of the file it came from."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from generator.errors import InputError
from generator.ingest.clean import CleanedText
from generator.ingest.language import detect_language
from generator.model import Article


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of some bytes (an input file, or one feed entry's content)."""
    return hashlib.sha256(data).hexdigest()


def file_mtime(path: Path) -> float | None:
    """The file's modification time, or None when it cannot be read."""
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def build_article(
    cleaned: CleanedText,
    path: Path,
    sha256: str,
    *,
    warnings: tuple[str, ...] = (),
    date: dt.date | None = None,
    source_name: str | None = None,
    url: str | None = None,
    line: int | None = None,
    topics: tuple[str, ...] = (),
) -> Article:
    """Make the Article, refusing one without a title or a body (named by file and line)."""
    if not cleaned.title and not cleaned.body:
        raise InputError("no article text left after removing page debris", path, line)
    if not cleaned.body:
        raise InputError("title but no body", path, line)
    if not cleaned.title:
        raise InputError("body but no title", path, line)
    return Article(
        title=cleaned.title,
        body=cleaned.body,
        file=path.name,
        sha256=sha256,
        date=date or cleaned.date,
        source_name=source_name or cleaned.source_hint,
        url=url or None,
        credits=cleaned.credits,
        mtime=file_mtime(path),
        warnings=warnings + cleaned.warnings,
        dateline=cleaned.dateline,
        language=detect_language(cleaned.title, cleaned.body),
        topics=topics,
    )


def parse_date(value: object) -> dt.date | None:
    """A date from metadata ('2024-03-05', '2024-03-05T10:00:00Z'), or None if it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
