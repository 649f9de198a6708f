# Sourced by tests/support/install-{sshd,go,shells}.sh: the one place that decides whether this machine may
# install test tools, and that installs them with apt-get.
#
# The rules every installer keeps: it installs only under CI=true, as root, with apt-get (so a developer's
# machine is never changed); it never fails by itself (it says what is missing, and the tests that need it
# skip, naming the reason, or fail under CI=true, where a silent skip would hide them); apt-get's output goes
# to a log that is shown (its last lines) only when apt-get fails.
# POSIX sh: `make test` runs the installers with sh.

apt_options="-qq -o Acquire::Retries=2 -o Acquire::http::Timeout=30 -o DPkg::Lock::Timeout=120"
apt_updated=""

# apt_may_install NAME MISSING TESTS: succeeds when this machine may install (CI=true, root, apt-get);
# otherwise says why on stderr ("NAME: MISSING; TESTS will skip ...") and fails.
apt_may_install() {
    if [ "${CI:-}" != "true" ]; then
        echo "$1: $2; $3 will skip (CI=true installs what they need, as root on Debian)" >&2
        return 1
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "$1: $2 and this is not a root Debian machine: $3 will fail" >&2
        return 1
    fi
    return 0
}

# apt_install NAME [APT-GET INSTALL ARGUMENTS...] PACKAGE...: `apt-get update` (once per script) then
# `apt-get install -y --no-install-recommends ...`, with no service started by the install. Returns
# apt-get's exit status; on failure prints the last lines of its log, prefixed by NAME.
apt_install() {
    apt_name=$1
    shift
    apt_log=$(mktemp "${TMPDIR:-/tmp}/hubctl-$apt_name.XXXXXX") || return 1
    # policy-rc.d is Debian's hook that keeps package installs from starting services (openssh-server would
    # listen on port 22); a missing one is made for the duration of the install.
    apt_guard=/usr/sbin/policy-rc.d
    apt_made_guard=""
    if [ ! -e "$apt_guard" ] && printf '#!/bin/sh\nexit 101\n' >"$apt_guard" && chmod 755 "$apt_guard"; then
        apt_made_guard=1
    fi
    apt_status=0
    if [ -z "$apt_updated" ]; then
        # shellcheck disable=SC2086  # apt_options is a list of words
        DEBIAN_FRONTEND=noninteractive apt-get $apt_options update >"$apt_log" 2>&1 || apt_status=$?
        [ "$apt_status" -eq 0 ] && apt_updated=1
    fi
    if [ "$apt_status" -eq 0 ]; then
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get $apt_options install -y --no-install-recommends "$@" \
            >>"$apt_log" 2>&1 || apt_status=$?
    fi
    if [ -n "$apt_made_guard" ]; then
        rm -f "$apt_guard"
    fi
    if [ "$apt_status" -ne 0 ]; then
        echo "$apt_name: apt-get failed (exit $apt_status) installing $*:" >&2
        tail -n 5 "$apt_log" >&2
    fi
    rm -f "$apt_log"
    return "$apt_status"
}
