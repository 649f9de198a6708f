"""One spelling per API server: the identity the duplicate-cluster check compares.

Argo CD keys clusters by the exact server string, so `https://PCI-EU-1.example.com:443/` registers a
second cluster that reaches the same API server as `https://pci-eu-1.example.com` (an alias other spaces'
flows could be placed on). Two servers are the same when their normalised forms are equal. The forms
follow what the client dials, not only RFC 3986: client-go cleans the path (dot segments, repeated
slashes) and Go dials an IPv4-mapped IPv6 address as the IPv4 address. User info, query and fragment are
refused in a cluster server by the schema, so they never reach the comparison.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"https": 443, "http": 80}
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


_IPV4_CHARS = frozenset("0123456789.")


def _host(host: str) -> str:
    host = unquote(host).rstrip(".").lower()
    literal = host.split("%")[0]
    if ":" in literal or _IPV4_CHARS.issuperset(literal):  # what ip_address can read; a name never is
        try:
            address = ipaddress.ip_address(literal)
        except ValueError:
            pass
        else:
            mapped = getattr(address, "ipv4_mapped", None)
            return (mapped or address).compressed
    if host.isascii():  # IDNA leaves an ASCII name as it is (or refuses it: then it is compared as written)
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _decode_unreserved(match: re.Match) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED_CHARS else f"%{match.group(1).upper()}"


def _remove_dot_segments(segments: list[str]) -> list[str]:
    """RFC 3986 5.2.4 on a path split at `/`: `.` dropped, `..` drops the segment before it (never above
    the root)."""
    out: list[str] = []
    for segment in segments:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    return out


def _path(path: str) -> str:
    """Percent-encoding in one canonical form (RFC 3986 6.2.2): unreserved characters (`.` too) decoded,
    the hex of the others upper case (`%2F` stays apart from `/`); then dot segments, empty segments
    (repeated slashes) and the trailing slash removed, as client-go's path cleaning does."""
    decoded = _PERCENT.sub(_decode_unreserved, path)
    segments = _remove_dot_segments([s for s in decoded.split("/") if s])
    return "".join(f"/{s}" for s in segments)


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
