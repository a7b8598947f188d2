"""Which Host headers the dev server answers, and when its address deserves a warning."""

from __future__ import annotations

import ipaddress

LOCAL_NAMES = ("localhost",)


def _host_name(header: str) -> str:
    """The name or address of a Host header, without its port (`[::1]:8000` -> `::1`)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _is_address(name: str) -> bool:
    """Whether a host name is an IP address (a name no DNS answer can rebind)."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(header: str | None, host: str) -> bool:
    """Whether a request's Host header names this server: `localhost` (and `*.localhost`),
    an IP address (the one bound, or the machine's own when bound to all), or the name given
    with `--host`. Any other name is what a DNS-rebinding page sends: a site of the attacker's
    whose name now points here, reading the preview with the visitor's browser."""
    if header is None:
        return True  # HTTP/1.0 clients (curl, scripts); every browser sends a Host
    name = _host_name(header).rstrip(".")
    allowed = {*LOCAL_NAMES, host.strip("[]").lower()}
    return name in allowed or name.endswith(".localhost") or _is_address(name)


def exposure_warning(host: str) -> str | None:
    """What to tell the user when the server listens beyond this machine, or None."""
    name = host.strip("[]")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if name == "localhost" or (address is not None and address.is_loopback):
        return None
    if not name or (address is not None and address.is_unspecified):
        return (f"listening on every network interface (--host {host}): anyone who can reach "
                "this machine can read the site and its build errors (a preview server, not "
                "a web server)")  # fmt: skip
    return (f"listening on {host}: other machines may reach the preview and read the site "
            "and its build errors")  # fmt: skip
