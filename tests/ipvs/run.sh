#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The side-by-side IPVS harness (README.md): keepalived 2.2.7 and ours, one timeline each.
#   ../shared/tools/ipvs-vm --timeout 600 -- tests/ipvs/run.sh [--ours PATH] [--ref PATH]
# 77 (skipped) where there is no ip_vs, as on the CI host.
[ -e /proc/net/ip_vs ] || { echo "tests/ipvs/run.sh: no /proc/net/ip_vs here: skipped" >&2; exit 77; }
exec /usr/bin/python3 "$(dirname "$0")/harness.py" "$@"
