"""Cluster identity: two spellings of one API server are one cluster (the duplicate-server check)."""

from __future__ import annotations

import pytest

from hubctl.spec.servers import normalize_server

SAME = [
    ("https://pci-eu-1.example.com", "https://PCI-EU-1.example.com:443/"),
    ("https://pci-eu-1.example.com", "HTTPS://pci-eu-1.Example.COM./"),
    ("https://pci-eu-1.example.com", "https://pci%2Deu%2D1.example.com//"),
    ("https://k8s.example.com:6443/api", "https://K8S.example.com:6443/api/"),
    ("https://k8s.example.com/%7Euser", "https://k8s.example.com/~user"),
    ("https://k8s.example.com/a%2fb", "https://k8s.example.com/a%2Fb"),
    ("https://[2001:db8::1]", "https://[2001:DB8:0:0::1]:443"),
    ("https://[::1]:6443", "https://[0:0:0:0:0:0:0:1]:6443/"),
    ("https://10.0.0.1", "https://10.0.0.1:443/"),
    ("https://bücher.example", "https://xn--bcher-kva.example"),
    ("https://BÜCHER.example:443/", "https://xn--bcher-kva.example"),
    ("http://k8s.example.com", "http://k8s.example.com:80"),
    ("https://pci-eu-1.k8s.example.com", "https://pci-eu-1.k8s.example.com/./"),
    ("https://pci-eu-1.k8s.example.com", "https://pci-eu-1.k8s.example.com/x/.."),
    ("https://pci-eu-1.k8s.example.com", "https://pci-eu-1.k8s.example.com/%2e"),
    ("https://pci-eu-1.k8s.example.com", "https://pci-eu-1.k8s.example.com/%2E%2E/%2e/"),
    ("https://k8s.example.com/api", "https://k8s.example.com//api//"),
    ("https://k8s.example.com/api", "https://k8s.example.com/a/../api/./"),
    ("https://10.20.30.40:6443", "https://[::ffff:10.20.30.40]:6443"),
    ("https://10.20.30.40:6443", "https://[::FFFF:a14:1e28]:6443/"),
]
DIFFERENT = [
    ("https://k8s.example.com", "https://k8s.example.com:6443"),
    ("https://k8s.example.com", "http://k8s.example.com"),
    ("https://k8s.example.com/a/b", "https://k8s.example.com/a%2Fb"),
    ("https://k8s.example.com/A", "https://k8s.example.com/a"),
    ("https://k8s-1.example.com", "https://k8s-2.example.com"),
    ("https://[::1]", "https://[::2]"),
    ("https://k8s.example.com/a/b", "https://k8s.example.com/a"),
    ("https://10.20.30.40", "https://[::10.20.30.40]"),
]


@pytest.mark.parametrize("a, b", SAME)
def test_spellings_of_one_server_normalise_alike(a, b):
    assert normalize_server(a) == normalize_server(b)


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_different_servers_stay_apart(a, b):
    assert normalize_server(a) != normalize_server(b)


def test_unparseable_urls_compare_as_written():
    assert normalize_server("https://[::1/") == "https://[::1"
    assert normalize_server("https://h:99999/") == "https://h:99999"


@pytest.mark.parametrize("server", ["https://[2001:DB8::0:1]:443/", "https://DEV-1.example.com./"])
def test_validate_refuses_a_second_spelling_of_a_registered_server(server, hubctl, base_fleet):
    first = "https://[2001:db8::1]" if server.startswith("https://[") else "https://dev-1.example.com"
    dev = base_fleet / "clusters" / "dev-1.yaml"
    dev.write_text(dev.read_text().replace("https://dev-1.example.com", first))
    prod = base_fleet / "clusters" / "prod-1.yaml"
    prod.write_text(prod.read_text().replace("https://prod-1.example.com", server))

    result = hubctl("validate", "-C", base_fleet)

    assert result.code == 3
    assert result.out.startswith("clusters/prod-1.yaml:8:3: spec.server: server is also used by cluster `dev-1`\n")


@pytest.mark.parametrize("server", ["https://pci-eu-1.example.com/./", "https://pci-eu-1.example.com/x/..",
                                    "https://pci-eu-1.example.com/%2e", "https://[::ffff:10.20.30.40]:6443"])
def test_validate_refuses_a_dot_segment_or_mapped_alias(server, hubctl, base_fleet):
    first = "https://10.20.30.40:6443" if "ffff" in server else "https://pci-eu-1.example.com"
    dev = base_fleet / "clusters" / "dev-1.yaml"
    dev.write_text(dev.read_text().replace("https://dev-1.example.com", first))
    prod = base_fleet / "clusters" / "prod-1.yaml"
    prod.write_text(prod.read_text().replace("https://prod-1.example.com", server))

    result = hubctl("validate", "-C", base_fleet)

    assert result.code == 3
    assert result.out.startswith("clusters/prod-1.yaml:8:3: spec.server: server is also used by cluster `dev-1`\n")


@pytest.mark.parametrize("server", ["https://admin@prod-1.example.com", "https://prod-1.example.com/?x=1",
                                    "https://prod-1.example.com#frag", "https://prod-1.example.com/api?"])
def test_validate_refuses_user_info_query_or_fragment_in_a_server(server, hubctl, base_fleet):
    prod = base_fleet / "clusters" / "prod-1.yaml"
    prod.write_text(prod.read_text().replace("https://prod-1.example.com", server))

    result = hubctl("validate", "-C", base_fleet)

    assert result.code == 3
    assert "clusters/prod-1.yaml:8:3: spec.server:" in result.out
    assert "without user info (`user@`), query (`?`) or fragment (`#`)" in result.out


def _host_by_definition(host: str) -> str:
    """What spec.servers._host means, without its shortcuts: any IP address read as one, else IDNA."""
    import ipaddress
    from urllib.parse import unquote

    host = unquote(host).rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    else:
        return (getattr(address, "ipv4_mapped", None) or address).compressed
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def test_fuzz_the_host_shortcuts_change_nothing():
    """_host skips ip_address for names that cannot be an address and IDNA for ASCII names (0.1 s at 4,000
    clusters); seeded random hosts from an alphabet of address, name and non-ASCII characters."""
    import random

    from hubctl.spec.servers import _host

    rng = random.Random(17)
    alphabet = "abcdefxyz0123456789.:-%_ÄéΩ"
    hosts = ["10.0.0.1", "::1", "::ffff:10.0.0.1", "FE80::1%eth0", "1.2.3.4.nip.io", "a..b", "x" * 70,
             "münchen.de", "", "1e100", "127.1", "01.02.03.04", "%41BC.com", "xn--mnchen-3ya.de"]
    hosts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    assert [h for h in hosts if _host(h) != _host_by_definition(h)] == []
