#!/bin/sh
# Installs OpenSSH's sshd for the ssh push tests (tests/gitops/test_push_ssh.py) on a Debian machine, as root.
#
# `make test` runs it first (.ci/run calls `make test`); tests/support/apt.sh holds the rules (only under
# CI=true as root with apt-get, never failing by itself, a no-op when sshd is there). The ssh tests skip,
# naming the reason, without sshd, except under CI=true, where a missing sshd fails them (a silent skip would
# hide the host key tests). The system's ssh service is not started (the tests run their own sshd on
# 127.0.0.1 as the current user); on a machine with systemd the package still enables it for the next boot.
set -u
. "$(dirname "$0")/apt.sh"

if command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ]; then
    exit 0
fi
apt_may_install install-sshd "sshd is not installed" "the ssh tests" || exit 0

echo "install-sshd: installing openssh-server with apt-get, for the ssh push tests" >&2
if apt_install install-sshd openssh-server && [ -x /usr/sbin/sshd ]; then
    echo "install-sshd: installed $(/usr/sbin/sshd -V 2>&1 | head -n 1)" >&2
else
    echo "install-sshd: openssh-server is not installed: the ssh tests will fail" >&2
fi
exit 0
