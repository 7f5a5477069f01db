#!/bin/sh
# Run the system tests from the repo root with Debian's python3 (which has pytest).
# Arguments go to pytest: tests/system/run.sh -k respawn -x
# Environment: KEEPALIVED=/abs/path | KA_BUILDDIR=dir | KA_REFERENCE=/usr/sbin/keepalived
cd "$(dirname "$0")/../.." || exit 2
export PYTHONDONTWRITEBYTECODE=1
/usr/bin/python3 -m pytest -q tests/system "$@"
rc=$?
# 5: no tests collected (a -k that matches nothing, a broken conftest): a failure too.
[ "$rc" -eq 5 ] && echo "run.sh: no tests collected" >&2
exit "$rc"
