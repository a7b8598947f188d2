"""Reader for articles as JSON (.json: one object or a list) or JSON Lines (.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.ingest.article import build_article, parse_date, sha256_hex
from generator.ingest.clean import clean_web_text
from generator.ingest.decode import decode_bytes, load_bytes
from generator.ingest.readout import Readout, read_entries
from generator.model import Article

SUFFIXES = (".json", ".jsonl")

_TEXT_KEYS = ("text", "body", "content")


def read_json(path: Path) -> Readout:
    """Read the articles of a .json or .jsonl file; a bad record costs itself, its error
    naming the line (or list item)."""
    data = load_bytes(path)
    text, warnings = decode_bytes(data, str(path))
    if path.suffix.lower() == ".jsonl":
        lines = [(n, raw) for n, raw in enumerate(text.split("\n"), start=1) if raw.strip()]
        if not lines:
            raise InputError("no articles in the file", path)

        def from_line(_: int, line: tuple[int, str]) -> Article:
            number, raw = line
            record = _loads(raw, path, number)
            return _article(record, path, number, "", _record_sha256(record), tuple(warnings))

        return read_entries(path, lines, from_line, "lines")
    loaded = _loads(text, path, None)
    if not isinstance(loaded, list):  # one article: the file's hash is its hash
        return Readout((_article(loaded, path, None, "", sha256_hex(data), tuple(warnings)),))
    if not loaded:
        raise InputError("no articles in the file", path)

    def from_item(number: int, item: Any) -> Article:
        sha = sha256_hex(data) if len(loaded) == 1 else _record_sha256(item)
        return _article(item, path, None, f"item {number}: ", sha, tuple(warnings))

    return read_entries(path, loaded, from_item, "items")


def _loads(text: str, path: Path, line: int | None) -> Any:
    """Parse JSON, turning a syntax error into an InputError with its line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = line if line is not None else exc.lineno
        raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", path, where) from exc
    except RecursionError as exc:
        raise InputError("invalid JSON: nested too deeply", path, line) from exc
    except ValueError as exc:  # a number over Python's 4,300 digits
        raise InputError(f"invalid JSON: {exc}", path, line) from None


def _article(
    record: Any, path: Path, line: int | None, prefix: str, sha: str, warnings: tuple[str, ...]
) -> Article:
    """One record -> Article; the keys are title, text (or body), date, source, url. Errors
    name the `line`, and start with `prefix` (`item 3: `)."""
    if not isinstance(record, dict):
        raise InputError(f"{prefix}expected an object with title and text", path, line)
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise InputError(f"{prefix}'title' must be a string", path, line)
    body = next((record[k] for k in _TEXT_KEYS if record.get(k) is not None), None)
    if not isinstance(body, str) or not body.strip():
        raise InputError(f"{prefix}missing 'text' (or 'body')", path, line)
    date_value = record.get("date")
    date = parse_date(date_value)
    if date_value not in (None, "") and date is None:
        raise InputError(f"{prefix}'date' is not a date (YYYY-MM-DD): {date_value!r}", path, line)
    cleaned = clean_web_text(body, title=title)
    source = record.get("source") or record.get("source_name")
    url = record.get("url")
    try:
        return build_article(
            cleaned,
            path,
            sha,
            warnings=warnings,
            date=date,
            source_name=source.strip() if isinstance(source, str) and source.strip() else None,
            url=url if isinstance(url, str) and url.startswith(("http://", "https://")) else None,
            line=line,
        )
    except InputError as exc:
        raise InputError(prefix + exc.message, path, line) from exc


def _record_sha256(record: Any) -> str:
    """A hash of one record's content (stable whatever else the file holds)."""
    return sha256_hex(json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8"))
