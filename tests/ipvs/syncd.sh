#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lvs_sync_daemon on a VRRP instance against a real kernel (run it in the IPVS VM):
# our daemon in namespace A runs VI_1 (VRID 51) with `lvs_sync_daemon eth0 VI_1`:
#  1. alone it becomes MASTER: `ipvsadm -Ln --daemon` shows the master sync daemon
#     (mcast=eth0, syncid=51) and no backup one;
#  2. a higher-priority peer (our daemon, namespace B) preempts it: A's BACKUP sync
#     daemon runs instead of the MASTER one;
#  3. A stops: no sync daemon is left.
# Usage (repository root, where /proc/net/ip_vs exists):
#   tests/ipvs/syncd.sh [BUILD_DIR]     (default: build)
#   ../shared/tools/ipvs-vm -- tests/ipvs/syncd.sh
# Exit 77 without /proc/net/ip_vs (this host).
set -euo pipefail
[ -e /proc/net/ip_vs ] || { echo "syncd.sh: no /proc/net/ip_vs: skipped"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
ka=$build/keepalived/keepalived
[ -x "$ka" ] || { echo "syncd.sh: no $ka (build first)"; exit 1; }
unset KEEPALIVED_IPVS_RECORD

tag=ks$(printf '%04x' $((RANDOM % 65536)))
nsa=${tag}a nsb=${tag}b
work=$(mktemp -d)
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
	done
	ip netns del "$nsa" 2>/dev/null || true
	ip netns del "$nsb" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	for n in a b; do
		[ -f "$work/$n.log" ] && { echo "--- $n.log"; tail -30 "$work/$n.log"; }
	done
	exit 1
}

ip netns add "$nsa"
ip netns add "$nsb"
ip link add "${tag}va" type veth peer name "${tag}vb"
ip link set "${tag}va" netns "$nsa"
ip link set "${tag}vb" netns "$nsb"
ip -n "$nsa" link set "${tag}va" name eth0
ip -n "$nsb" link set "${tag}vb" name eth0
ip -n "$nsa" addr add 192.0.2.1/24 dev eth0
ip -n "$nsb" addr add 192.0.2.2/24 dev eth0
for ns in "$nsa" "$nsb"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
done

conf() {	# name priority lvs_sync_daemon-line
	cat >"$work/$1.conf" <<EOF
global_defs {
    router_id syncd_$1
    $3
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int 0.2
    version 3
    virtual_ipaddress {
        192.0.2.100/24
    }
}
EOF
}

start() {	# name namespace: our daemon in the background, its parent's PID in $!
	ip netns exec "$2" "$ka" -n -l -D -f "$work/$1.conf" -p "$work/$1.pid" \
		-r "$work/$1-vrrp.pid" -c "$work/$1-check.pid" >"$work/$1.log" 2>&1 &
	pids+=($!)
}

daemons() { ip netns exec "$nsa" ipvsadm -Ln --daemon; }

wait_daemons() {	# what-we-wait-for: poll A's sync daemons (10 s) until they match exactly
	local want=$1 i
	for i in $(seq 100); do
		[ "$(daemons | sed 's/ (mcast=\([^,]*\), syncid=\([0-9]*\).*/ \1 \2/')" = "$want" ] &&
			return 0
		sleep 0.1
	done
	fail "A's sync daemons: wanted '$want', have '$(daemons)'"
}

t0=$(date +%s.%N)
conf a 100 "lvs_sync_daemon eth0 VI_1"
conf b 200 ""
start a "$nsa"
pida=$!
wait_daemons "master sync daemon eth0 51"
grep -q '(VI_1) Entering MASTER STATE' "$work/a.log" || fail "A is not MASTER"
echo "ok 1 - MASTER: $(daemons)"

start b "$nsb"
pidb=$!
wait_daemons "backup sync daemon eth0 51"
grep -q '(VI_1) Entering BACKUP STATE$' "$work/a.log" || fail "A did not go BACKUP"
echo "ok 2 - preempted, BACKUP: $(daemons)"

kill -TERM "$pida"
for i in $(seq 100); do kill -0 "$pida" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pida" 2>/dev/null && fail "A did not stop"
[ -z "$(daemons)" ] || fail "A stopped, sync daemons left: $(daemons)"
echo "ok 3 - stopped: no sync daemon left"
kill -TERM "$pidb"
grep -E "IPVS cmd|Can't initialize ipvs" "$work/a.log" && fail "IPVS errors in A's log"
awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN { printf "syncd.sh: passed in %.1f s\n", t1 - t0 }'
