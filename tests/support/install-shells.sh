#!/bin/sh
# Installs zsh and fish for the completion tests (tests/cli/test_completion.py) on a Debian machine, as root.
#
# Like install-sshd.sh: `make test` runs it, it installs only under CI=true as root with apt-get, it never
# fails by itself, and under CI=true a missing shell fails its test instead of skipping it.
set -u

missing=""
for shell in zsh fish; do
    command -v "$shell" >/dev/null 2>&1 || missing="$missing $shell"
done
[ -z "$missing" ] && exit 0
if [ "${CI:-}" != "true" ]; then
    echo "install-shells:$missing not installed; their completion tests will skip (CI=true installs them)" >&2
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-shells:$missing not installed and this is not a root Debian machine: their tests will fail" >&2
    exit 0
fi
echo "install-shells: installing$missing with apt-get, for the completion tests" >&2
log=$(mktemp "${TMPDIR:-/tmp}/hubctl-install-shells.XXXXXX")
apt_options="-qq -o Acquire::Retries=2 -o Acquire::http::Timeout=30 -o DPkg::Lock::Timeout=120"
# shellcheck disable=SC2086  # apt_options and missing are lists of words
DEBIAN_FRONTEND=noninteractive apt-get $apt_options update >"$log" 2>&1 &&
    DEBIAN_FRONTEND=noninteractive apt-get $apt_options install -y --no-install-recommends $missing >>"$log" 2>&1
status=$?
if [ "$status" -ne 0 ]; then
    echo "install-shells: apt-get could not install$missing (exit $status): their tests will fail" >&2
    tail -n 5 "$log" >&2
fi
rm -f "$log"
exit 0
