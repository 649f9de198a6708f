"""One spelling per API server: the identity the duplicate-cluster check compares.

Argo CD keys clusters by the exact server string, so `https://PCI-EU-1.example.com:443/` registers a
second cluster that reaches the same API server as `https://pci-eu-1.example.com` (an alias other spaces'
flows could be placed on). Two servers are the same when their normalised forms are equal.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"https": 443, "http": 80}
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _host(host: str) -> str:
    host = unquote(host).rstrip(".").lower()
    try:
        return ipaddress.ip_address(host.split("%")[0]).compressed
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _decode_unreserved(match: re.Match) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED_CHARS else f"%{match.group(1).upper()}"


def _path(path: str) -> str:
    """Percent-encoding in one canonical form (RFC 3986 6.2.2): unreserved characters decoded, the hex of
    the others upper case (`%2F` stays apart from `/`)."""
    return _PERCENT.sub(_decode_unreserved, path).rstrip("/")


def normalize_server(url: str) -> str:
    """`url` with scheme and host lower-cased, the host IDNA-encoded (IPv6 compressed, without brackets
    in the comparison), the default port and trailing slashes removed, percent-encoding canonical.

    A URL that cannot be parsed is returned stripped of trailing slashes (compared as written).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.rstrip("/")
    scheme = parts.scheme.lower()
    host = _host(parts.hostname or "")
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{host}{_path(parts.path)}{query}"
