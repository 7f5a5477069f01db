#!/usr/bin/env bash
# The netlink IPVS backend against a real kernel: tests/ipvs/nl/test_ipvs_nl (built by
# `make check`, where it skips itself without ip_vs) run inside ../shared/tools/ipvs-vm.
# Usage (repository root): tests/ipvs/nl/run.sh [BUILD_DIR]   (default: build)
# Where /proc/net/ip_vs exists already it runs the program directly.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-build}
cd "$top"
make -s -C "$build" tests/ipvs/nl/test_ipvs_nl >/dev/null
if [ -e /proc/net/ip_vs ]; then
	exec "$build/tests/ipvs/nl/test_ipvs_nl"
fi
exec ../shared/tools/ipvs-vm --timeout 300 -- "$build/tests/ipvs/nl/test_ipvs_nl"
