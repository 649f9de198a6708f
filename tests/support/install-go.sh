#!/bin/sh
# Installs a Go toolchain and the Go library sources the Go oracle needs (tests/oracle), on Debian, as root.
#
# The oracle builds tests/oracle/goref, a reference renderer that uses Go's own text/template and Sprig the way
# Argo CD's ApplicationSet controller does, in GOPATH mode against the library sources Debian packages under
# /usr/share/gocode: no module proxy, no network once installed.
#
# `make test` runs it first; tests/support/apt.sh holds the rules (only under CI=true as root with apt-get,
# never failing by itself, a no-op when Go and the sources are there). The oracle tests skip, naming the
# reason, without Go, except under CI=true, where a missing Go fails them.
#
# Go: golang-1.23-go from bookworm-backports when that suite can be added and installs (1.22+ is needed for
# `range` over an integer, which Argo CD v3.5.1's Go 1.25 has); otherwise bookworm's golang-go (1.19), with
# which the oracle still runs and the range-over-int cases are left out (tests/oracle/cases.py).
set -u
. "$(dirname "$0")/apt.sh"

sprig=/usr/share/gocode/src/github.com/Masterminds/sprig
yaml=/usr/share/gocode/src/gopkg.in/yaml.v2
have_go() { ls /usr/lib/go-1.2*/bin/go >/dev/null 2>&1 || command -v go >/dev/null 2>&1; }
have_go_123() { ls /usr/lib/go-1.2[2-9]/bin/go >/dev/null 2>&1; }

if have_go_123 && [ -d "$sprig" ] && [ -d "$yaml" ]; then
    exit 0
fi
if [ "${CI:-}" != "true" ] && have_go && [ -d "$sprig" ]; then
    exit 0  # an older Go: the oracle runs without the range-over-int cases
fi
apt_may_install install-go "Go or Sprig's sources are not installed" "the Go oracle tests" || exit 0

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
# shellcheck disable=SC2086  # libraries is a list of words
if ! apt_install install-go -t bookworm-backports golang-1.23-go $libraries; then
    echo "install-go: golang-1.23-go from bookworm-backports did not install; trying golang-go" >&2
    # shellcheck disable=SC2086
    apt_install install-go golang-go $libraries
fi
if ! have_go || ! [ -d "$sprig" ] || ! [ -d "$yaml" ]; then
    echo "install-go: Go and Sprig's sources are not installed: the oracle tests will fail" >&2
else
    echo "install-go: installed $(ls -d /usr/lib/go-1.* 2>/dev/null | tr '\n' ' ')and Sprig's sources" >&2
fi
exit 0
