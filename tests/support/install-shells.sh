#!/bin/sh
# Installs zsh and fish for the completion tests (tests/cli/test_completion.py) on a Debian machine, as root.
#
# Like install-sshd.sh (the rules are in tests/support/apt.sh): `make test` runs it, it installs only under
# CI=true as root with apt-get, it never fails by itself, and under CI=true a missing shell fails its test
# instead of skipping it.
set -u
. "$(dirname "$0")/apt.sh"

missing=""
for shell in zsh fish; do
    command -v "$shell" >/dev/null 2>&1 || missing="$missing $shell"
done
[ -z "$missing" ] && exit 0
apt_may_install install-shells "${missing# } not installed" "their completion tests" || exit 0

echo "install-shells: installing$missing with apt-get, for the completion tests" >&2
# shellcheck disable=SC2086  # missing is a list of words
apt_install install-shells $missing || echo "install-shells:$missing not installed: their tests will fail" >&2
exit 0
