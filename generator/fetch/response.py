"""What a fetch hands back: a response, the validators for the next conditional request,
or an error that says why, for the user."""

from __future__ import annotations

from dataclasses import dataclass


class FetchError(Exception):
    """One address could not be fetched; the message says why, for the user."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        """The HTTP status that made the fetch fail, if one did."""


@dataclass(frozen=True)
class Validators:
    """What the last response said to send for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {"If-None-Match": self.etag} if self.etag else {}
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class Response:
    """One fetched address: 200 with a body, or 304 (unchanged) without."""

    url: str
    """The address asked for."""
    final_url: str
    """The address that answered, after redirects."""
    status: int
    content_type: str | None
    body: bytes
    etag: str | None
    last_modified: str | None
    fetched_at: str
    """ISO 8601, UTC, to the second."""
