#!/usr/bin/env bash
# Byte-for-byte against keepalived 2.2.7: Debian's keepalived runs ka_compare.conf from start
# to stop, then test_ipvs_nl --sequence sends what our checker would; both are captured on
# an nlmon device and ka_compare.py compares the IPVS requests. Needs ip_vs (re-runs itself
# in ../shared/tools/ipvs-vm otherwise), keepalived and tcpdump; 77 without the last two.
# Usage (repository root): tests/ipvs/nl/ka_compare.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=${1:-build}
cd "$top"
if [ ! -e /proc/net/ip_vs ]; then
	make -s -C "$build" tests/ipvs/nl/test_ipvs_nl >/dev/null
	exec ../shared/tools/ipvs-vm --timeout 300 -- "$0" "$build"
fi
command -v keepalived >/dev/null && command -v tcpdump >/dev/null || exit 77
tmp=$(mktemp -d)
tpid= cap=
cleanup() {
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null || true
	ip link del nlmon_ka 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
modprobe nlmon
ip link add nlmon_ka type nlmon
ip link set nlmon_ka up

# tcpdump stops on SIGINT without reading what is still in its capture ring (libpcap's
# TPACKET_V3 hands a block over when it is full or after its timeout), so a fixed sleep
# before the signal lost the end of a capture or all of it, depending on the VM's timing.
# capture_stop sends a marker (a route-netlink request naming an unknown link, which
# ka_compare.py skips as not NETLINK_GENERIC) and stops tcpdump only once the marker is in
# the file: nlmon taps each message as it is sent, so everything before it is there too.
# The ring: with the default snaplen (256 KiB) a block holds one 256 KiB frame and the
# default 2 MiB buffer has a handful of blocks, which the slow VM overran (packets dropped by
# kernel); IPVS requests are far below 4 KiB (ka_compare.py refuses a truncated one) and a
# dropped packet fails the comparison here.
capture_start() {	# $1: file; returns once tcpdump listens
	cap=$1
	tcpdump -i nlmon_ka -U --immediate-mode -s 4096 -B 16384 -w "$cap" 2>"$cap.err" &
	tpid=$!
	for _ in $(seq 100); do grep -q listening "$cap.err" && return 0; sleep 0.1; done
	echo "tcpdump did not start" >&2; cat "$cap.err" >&2; exit 1
}
capture_stop() {
	local mark=kamark$$ found=
	ip link show dev "$mark" >/dev/null 2>&1 || true
	for _ in $(seq 300); do grep -q -a "$mark" "$cap" && { found=1; break; }; sleep 0.1; done
	kill -INT "$tpid"; wait "$tpid" || true; tpid=
	[ -n "$found" ] || { echo "capture $cap: marker not seen in 30 s" >&2; cat "$cap.err" >&2; exit 1; }
	grep -q "^0 packets dropped by kernel" "$cap.err" ||
		{ echo "capture $cap: packets lost" >&2; cat "$cap.err" >&2; exit 1; }
}

ipvsadm -C
capture_start "$tmp/ka.pcap"
keepalived -n -l -f "$here/ka_compare.conf" -p "$tmp/k.pid" -c "$tmp/c.pid" >"$tmp/ka.log" 2>&1 &
kpid=$!
for _ in $(seq 200); do ipvsadm -Ln | grep -q 10.1.0.5 && break; sleep 0.1; done
ipvsadm -Ln | grep -q 10.1.0.5 || { echo "keepalived did not program IPVS" >&2; cat "$tmp/ka.log" >&2; exit 1; }
kill -TERM "$kpid"; wait "$kpid" || true
capture_stop
ipvsadm -C
capture_start "$tmp/ours.pcap"
"$build/tests/ipvs/nl/test_ipvs_nl" --sequence
capture_stop
[ -z "${KA_COMPARE_KEEP:-}" ] || cp "$tmp"/*.pcap "$KA_COMPARE_KEEP"/
/usr/bin/python3 "$here/ka_compare.py" "$tmp/ka.pcap" "$tmp/ours.pcap"
