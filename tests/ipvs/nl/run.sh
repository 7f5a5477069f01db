#!/usr/bin/env bash
# The netlink IPVS backend against a real kernel, in one VM boot:
#  1. tests/ipvs/nl/test_ipvs_nl (built by `make check`, where it skips itself without
#     ip_vs): ipvsadm -Ln / --timeout / --daemon and the recorder's table after each step;
#  2. tests/ipvs/nl/ka_compare.sh: our requests byte for byte against Debian's keepalived
#     2.2.7's for the same configuration (skipped without keepalived or tcpdump).
# Usage (repository root): tests/ipvs/nl/run.sh [BUILD_DIR]   (default: build)
# Without /proc/net/ip_vs it re-runs itself inside ../shared/tools/ipvs-vm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=${1:-build}
cd "$top"
if [ ! -e /proc/net/ip_vs ]; then
	make -s -C "$build" tests/ipvs/nl/test_ipvs_nl >/dev/null
	exec ../shared/tools/ipvs-vm --timeout 300 -- "$here/run.sh" "$build"
fi
"$build/tests/ipvs/nl/test_ipvs_nl"
rc=0
"$here/ka_compare.sh" "$build" || rc=$?
[ "$rc" -eq 77 ] && { echo "ka_compare: skipped (no keepalived or tcpdump)"; rc=0; }
exit "$rc"
