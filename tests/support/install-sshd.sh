#!/bin/sh
# Installs OpenSSH's sshd for the ssh push tests (tests/gitops/test_push_ssh.py) on a Debian machine, as root.
#
# `make test` runs it first (.ci/run calls `make test`), but it installs only when CI=true, so a developer's
# machine is never changed. It never fails by itself: when sshd is already there it does nothing; without
# CI=true, root or apt-get, or when apt-get fails, it says so. The ssh tests then skip, naming the reason,
# except under CI=true, where a missing sshd fails them (a silent skip would hide the host key tests).
# The system's ssh service is not started (the tests run their own sshd on 127.0.0.1 as the current user);
# on a machine with systemd the package still enables it for the next boot.
set -u

if command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ]; then
    exit 0
fi
if [ "${CI:-}" != "true" ]; then
    echo "install-sshd: sshd is not installed; the ssh tests will skip (CI=true installs it as root on Debian)" >&2
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-sshd: sshd is not installed and this is not a root Debian machine: the ssh tests will fail" >&2
    exit 0
fi

echo "install-sshd: installing openssh-server with apt-get, for the ssh push tests" >&2
log=$(mktemp "${TMPDIR:-/tmp}/hubctl-install-sshd.XXXXXX")
# policy-rc.d is Debian's hook that keeps package installs from starting services; a missing one is made
# for the duration of the install, so no sshd starts listening on port 22.
guard=/usr/sbin/policy-rc.d
made_guard=""
if [ ! -e "$guard" ] && printf '#!/bin/sh\nexit 101\n' >"$guard" && chmod 755 "$guard"; then
    made_guard=1
fi
apt_options="-qq -o Acquire::Retries=2 -o Acquire::http::Timeout=30 -o DPkg::Lock::Timeout=120"
# shellcheck disable=SC2086  # apt_options is a list of words
DEBIAN_FRONTEND=noninteractive apt-get $apt_options update >"$log" 2>&1 &&
    DEBIAN_FRONTEND=noninteractive apt-get $apt_options install -y --no-install-recommends openssh-server \
        >>"$log" 2>&1
status=$?
if [ -n "$made_guard" ]; then
    rm -f "$guard"
fi
if [ "$status" -ne 0 ] || ! [ -x /usr/sbin/sshd ]; then
    echo "install-sshd: apt-get could not install openssh-server (exit $status): the ssh tests will fail" >&2
    tail -n 5 "$log" >&2
else
    echo "install-sshd: installed $(/usr/sbin/sshd -V 2>&1 | head -n 1)" >&2
fi
rm -f "$log"
exit 0
