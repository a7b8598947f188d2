"""Web addresses: which ones may be fetched, one host's key, and a safe file name for each."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

from generator.slug import slugify

SCHEMES = ("http", "https")
MAX_ADDRESS = 2000
"""Longer addresses are refused (browsers and servers cap them about here too)."""
_STEM_WORDS = 60
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_BAD_CHARS_RE = re.compile(r"[\x00-\x20\x7f]")


class AddressError(ValueError):
    """An address that is not fetched: another scheme, no host, credentials, too long."""


def looks_like_address(text: str) -> bool:
    """True for `scheme://...`: a command-line argument meant as an address, not a path."""
    return bool(_SCHEME_RE.match(text))


def check_address(url: str) -> str:
    """The address to request (fragment dropped), or AddressError saying why it is refused.

    Only http and https: no file:, ftp:, data: or others. No user name or password in the
    address (they would be sent to whoever the address names), no spaces or control
    characters, a host name, a valid port.
    """
    url = url.strip()
    if len(url) > MAX_ADDRESS:
        raise AddressError(f"address longer than {MAX_ADDRESS} characters")
    if _BAD_CHARS_RE.search(url):
        raise AddressError("address holds spaces or control characters")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        shown = f"'{scheme}:'" if scheme else "no scheme"
        raise AddressError(f"only http and https addresses are fetched, not {shown}")
    if not parts.hostname:
        raise AddressError("address has no host name")
    if parts.username is not None or parts.password is not None:
        raise AddressError("addresses with a user name or password are not fetched")
    try:
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        raise AddressError("address has an invalid port") from None
    return urlunsplit((scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def host_key(url: str) -> str:
    """The host and port an address names (`example.org:443`): politeness and robots.txt
    are per host, and robots.txt is per scheme, host and port (RFC 9309)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{parts.hostname}:{port}"


def robots_address(url: str) -> str:
    """Where the robots.txt that rules `url` lives."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def store_name(url: str) -> tuple[str, str]:
    """(folder, stem) to keep a response from `url` under: made only of [a-z0-9._-].

    The folder is the host (and port other than the scheme's default); the stem is a
    slug of the path and query and a hash of the whole address, so two addresses never
    share a name and no address can name a path outside its folder.
    """
    parts = urlsplit(url)
    host = re.sub(r"[^a-z0-9.-]+", "-", (parts.hostname or "host").lower()).strip(".-")
    default = 443 if parts.scheme == "https" else 80
    folder = host or "host"
    if parts.port and parts.port != default:
        folder = f"{folder}_{parts.port}"
    words = slugify(f"{parts.path} {parts.query}", max_len=_STEM_WORDS)
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    stem = "index" if words == "untitled" else words
    return folder, f"{stem}-{digest}"
