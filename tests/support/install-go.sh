#!/bin/sh
# Installs a Go toolchain and the Go library sources the Go oracle needs (tests/oracle), on Debian, as root.
#
# The oracle builds tests/oracle/goref, a reference renderer that uses Go's own text/template and Sprig the way
# Argo CD's ApplicationSet controller does, in GOPATH mode against the library sources Debian packages under
# /usr/share/gocode: no module proxy, no network once installed.
#
# `make test` runs it first, but it installs only when CI=true, so a developer's machine is never changed. It
# never fails by itself: when Go and the sources are already there it does nothing; without CI=true, root or
# apt-get, or when apt-get fails, it says so. The oracle tests then skip, naming the reason, except under
# CI=true, where a missing Go fails them.
#
# Go: golang-1.23-go from bookworm-backports when that suite can be added and installs (1.22+ is needed for
# `range` over an integer, which Argo CD v3.5.1's Go 1.25 has); otherwise bookworm's golang-go (1.19), with
# which the oracle still runs and the range-over-int cases are left out (tests/oracle/cases.py).
set -u

sprig=/usr/share/gocode/src/github.com/Masterminds/sprig
yaml=/usr/share/gocode/src/gopkg.in/yaml.v2
have_go() { ls /usr/lib/go-1.2*/bin/go >/dev/null 2>&1 || command -v go >/dev/null 2>&1; }
have_go_123() { ls /usr/lib/go-1.2[2-9]/bin/go >/dev/null 2>&1; }

if have_go_123 && [ -d "$sprig" ] && [ -d "$yaml" ]; then
    exit 0
fi
if [ "${CI:-}" != "true" ]; then
    if ! have_go || ! [ -d "$sprig" ]; then
        echo "install-go: Go or Sprig's sources are not installed; the Go oracle tests will skip" \
            "(CI=true installs them as root on Debian)" >&2
    fi
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-go: Go is not installed and this is not a root Debian machine: the oracle tests will fail" >&2
    exit 0
fi

log=$(mktemp "${TMPDIR:-/tmp}/hubctl-install-go.XXXXXX")
apt_options="-qq -o Acquire::Retries=2 -o Acquire::http::Timeout=30 -o DPkg::Lock::Timeout=120"
libraries="golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev"

# bookworm-backports carries Go 1.23; the suite is added only on bookworm, and only when absent. It stays
# configured afterwards; backports have a low default priority, so nothing else is upgraded from it.
backports=/etc/apt/sources.list.d/hubctl-bookworm-backports.sources
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
if [ "$codename" = bookworm ] && ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\n%s\n' \
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" >"$backports"
fi

echo "install-go: installing Go and Sprig's sources with apt-get, for the Go oracle tests" >&2
# shellcheck disable=SC2086  # apt_options and libraries are lists of words
DEBIAN_FRONTEND=noninteractive apt-get $apt_options update >"$log" 2>&1
# shellcheck disable=SC2086
if ! DEBIAN_FRONTEND=noninteractive apt-get $apt_options install -y --no-install-recommends \
        -t bookworm-backports golang-1.23-go $libraries >>"$log" 2>&1; then
    echo "install-go: golang-1.23-go from bookworm-backports did not install; trying golang-go" >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get $apt_options install -y --no-install-recommends \
        golang-go $libraries >>"$log" 2>&1
fi
status=$?
if ! have_go || ! [ -d "$sprig" ] || ! [ -d "$yaml" ]; then
    echo "install-go: apt-get could not install Go and Sprig's sources (exit $status): the oracle tests will fail" >&2
    tail -n 5 "$log" >&2
else
    echo "install-go: installed $(ls -d /usr/lib/go-1.* 2>/dev/null | tr '\n' ' ')and Sprig's sources" >&2
fi
rm -f "$log"
exit 0
