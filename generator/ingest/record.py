"""The record kept beside a fetched response: where it came from, when, and what for.

A fetched page or feed is kept as it was served (`<name>.html`, `<name>.xml`) so the
readers ingest it offline like any saved file; beside it `<name>.html.fetch` (JSON) says
what the body alone cannot: the address asked and the final one after redirects, the
fetch time, status and content type, the validators for the next conditional request,
and the source's hints. The readers take the address and hints from it; `fetch` takes
the validators. The record is content, so it is untrusted like the body: a broken one is
ignored with a warning, and its values are checked before use.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.slug import is_slug

RECORD_SUFFIX = ".fetch"
MAX_RECORD_BYTES = 64 * 1024


@dataclass(frozen=True)
class FetchRecord:
    """What fetching one address found: kept beside the body as JSON."""

    url: str
    """The address asked for (a source's, or a feed entry's link)."""
    final_url: str
    """The address the body came from, after redirects."""
    status: int
    """The HTTP status of the response the body came with (200)."""
    content_type: str | None
    fetched_at: str
    """When the body was fetched: ISO 8601, UTC."""
    sha256: str
    """Of the body's bytes as kept."""
    etag: str | None = None
    last_modified: str | None = None
    source_name: str | None = None
    """The source's `name` hint: the outlet of what it brings in."""
    topics: tuple[str, ...] = ()
    """The source's `topics` hint: topic ids put first on its briefings."""

    @property
    def charset(self) -> str | None:
        """The character set the content type names, if any."""
        for param in (self.content_type or "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip(" \"'"):
                return value.strip(" \"'").lower()
        return None


def record_path(body: Path) -> Path:
    """Where the record of a fetched body lives."""
    return body.with_name(body.name + RECORD_SUFFIX)


def render_record(record: FetchRecord) -> bytes:
    """The record as the JSON kept on disk (stable: same record, same bytes)."""
    data = asdict(record)
    data["topics"] = list(record.topics)
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _text(data: dict[str, object], key: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or len(value) > 4000:
        raise ValueError(f"'{key}' must be a string")
    return value


def _web(value: str | None) -> str | None:
    return value if value and value.lower().startswith(("http://", "https://")) else None


def parse_record(data: bytes) -> FetchRecord:
    """A record from its JSON, checked; ValueError says what is wrong."""
    if len(data) > MAX_RECORD_BYTES:
        raise ValueError("too large for a fetch record")
    raw = json.loads(data.decode("utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    status = raw.get("status")
    if not isinstance(status, int) or isinstance(status, bool):
        raise ValueError("'status' must be a number")
    topics = raw.get("topics", [])
    if not isinstance(topics, list) or not all(
        isinstance(t, str) and all(is_slug(p) for p in t.split("/")) for t in topics
    ):
        raise ValueError("'topics' must be a list of topic ids")
    url = _web(_text(raw, "url", required=True))
    final_url = _web(_text(raw, "final_url", required=True))
    if url is None or final_url is None:
        raise ValueError("'url' and 'final_url' must be http(s) addresses")
    return FetchRecord(
        url=url,
        final_url=final_url,
        status=status,
        content_type=_text(raw, "content_type"),
        fetched_at=_text(raw, "fetched_at", required=True) or "",
        sha256=_text(raw, "sha256", required=True) or "",
        etag=_text(raw, "etag"),
        last_modified=_text(raw, "last_modified"),
        source_name=_text(raw, "source_name"),
        topics=tuple(topics),
    )


def load_record(body: Path) -> tuple[FetchRecord | None, str | None]:
    """The record beside `body`: (record, None), (None, None) when there is none, or
    (None, warning) when it cannot be used."""
    path = record_path(body)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_RECORD_BYTES + 1)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"fetch record {path.name} unreadable ({exc.strerror}); ignored"
    try:
        return parse_record(data), None
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"fetch record {path.name} is broken ({exc}); ignored"
