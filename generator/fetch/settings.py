"""briefing.toml's `[[sources]]` and `[fetch]`: what to follow, and how politely."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from generator.errors import ConfigError
from generator.fetch.address import AddressError, check_address
from generator.slug import is_slug


@dataclass(frozen=True)
class SourceSpec:
    """One source to follow: a feed or a page."""

    url: str
    """Its address (http or https), as it will be requested."""
    name: str | None = None
    """Outlet name for what it brings in (wins over the page's own)."""
    topics: tuple[str, ...] = ()
    """Topic ids put first on each briefing it brings in."""


@dataclass(frozen=True)
class FetchSettings:
    """How politely, and how patiently, `briefing fetch` and `briefing ingest URL` fetch."""

    delay: float = 1.0
    """Seconds between the end of one request to a host and the start of the next
    (a longer Crawl-delay in the host's robots.txt wins, up to MAX_CRAWL_DELAY)."""
    timeout: float = 10.0
    """Seconds to connect, and to wait for each read of the response."""
    deadline: float = 60.0
    """Seconds one whole request may take, body included: a server sending a byte at a
    time cannot hold a fetch for longer."""
    max_mb: float = 5.0
    """Largest body kept, in MB (also the largest raw article ingest reads)."""
    max_redirects: int = 5
    """Redirects followed for one request."""
    contact: str = ""
    """A web address or e-mail added to the User-Agent, for site owners to reach you."""

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)


MAX_CRAWL_DELAY = 60.0
"""A robots.txt Crawl-delay is honoured up to this many seconds."""


def _where(number: int, entry: object) -> str:
    url = entry.get("url") if isinstance(entry, dict) else None
    return f"[[sources]] entry {number}" + (f" ({url})" if isinstance(url, str) else "")


def parse_source(number: int, entry: object, path: Path) -> SourceSpec:
    """One `[[sources]]` entry, checked; errors name the entry."""
    where = _where(number, entry)
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table with a 'url'", path)
    unknown = sorted(set(entry) - {"url", "name", "topics"})
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} (url, name, topics)", path)
    url = entry.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where}: needs a 'url' (the address of a feed or a page)", path)
    try:
        url = check_address(url)
    except AddressError as exc:
        raise ConfigError(f"{where}: {exc}", path) from None
    name = entry.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip() or len(name) > 200):
        raise ConfigError(f"{where}: 'name' must be a short text (the outlet's name)", path)
    topics = entry.get("topics", [])
    if not isinstance(topics, list) or not all(
        isinstance(t, str) and all(is_slug(part) for part in t.split("/")) for t in topics
    ):
        raise ConfigError(
            f"{where}: 'topics' must be a list of topic ids, like "
            '["economy-business-and-finance", "environment/natural-resources"]',
            path,
        )
    return SourceSpec(url=url, name=name.strip() if name else None, topics=tuple(topics))


def sources_from_addresses(addresses: Sequence[str]) -> tuple[SourceSpec, ...]:
    """Sources for addresses given on the command line (errors: exit code 2)."""
    specs: dict[str, SourceSpec] = {}
    for address in addresses:
        try:
            url = check_address(address)
        except AddressError as exc:
            raise ConfigError(f"{exc}: {address[:200]}") from None
        specs.setdefault(url, SourceSpec(url))
    return tuple(specs.values())


def parse_sources(data: object, path: Path) -> tuple[SourceSpec, ...]:
    """Every `[[sources]]` entry, checked, none twice."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ConfigError("'sources' must be a list of [[sources]] tables, each with a 'url'", path)
    specs: list[SourceSpec] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(data, start=1):
        spec = parse_source(number, entry, path)
        if spec.url in seen:
            raise ConfigError(
                f"{_where(number, entry)}: the same address as entry {seen[spec.url]}", path
            )
        seen[spec.url] = number
        specs.append(spec)
    return tuple(specs)


_LIMITS: dict[str, tuple[float, float]] = {
    "delay": (0.0, 3600.0),
    "timeout": (0.01, 600.0),
    "deadline": (0.01, 3600.0),
    "max_mb": (0.001, 1024.0),
    "max_redirects": (0, 30),
}


def parse_fetch_settings(data: object, path: Path) -> FetchSettings:
    """The `[fetch]` table, checked: numbers in range, no unknown keys."""
    if data is None:
        return FetchSettings()
    if not isinstance(data, dict):
        raise ConfigError("[fetch] must be a table (delay = 1.0, timeout = 10, ...)", path)
    known = {f.name for f in fields(FetchSettings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"[fetch]: unknown key(s) {', '.join(unknown)} ({', '.join(sorted(known))})", path
        )
    updates: dict[str, Any] = {}
    for key, value in data.items():
        if key == "contact":
            if not isinstance(value, str) or any(c in value for c in "\r\n()"):
                raise ConfigError("[fetch]: 'contact' must be a web address or an e-mail", path)
            updates[key] = value.strip()
            continue
        low, high = _LIMITS[key]
        whole = key == "max_redirects"
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (whole and not isinstance(value, int))
            or not math.isfinite(value)
            or not low <= value <= high
        ):
            kind = "a whole number" if whole else "a number"
            raise ConfigError(f"[fetch]: '{key}' must be {kind} from {low:g} to {high:g}", path)
        updates[key] = value
    return replace(FetchSettings(), **updates)
