#!/usr/bin/env bash
# Times `keepalived -t` on generated configs: ours against Debian's keepalived, same run.
# Usage: tests/bench/bench_config.sh [OUR_BINARY] [LINES...]   (default lines: 1000 10000 100000)
# Prints one row per size: lines, ours (s), keepalived (s), ratio.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ours=${1:-$top/build/keepalived/keepalived}; shift || true
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
ref=/usr/sbin/keepalived
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# global_defs-style lines: keywords with values, cycling through a set that both accept.
gen() {
	local n=$1 f=$2
	{
		echo "global_defs {"
		awk -v n="$n" 'BEGIN {
			split("router_id r%d|vrrp_garp_interval 0.%03d|vrrp_gna_interval 0.%03d|" \
			      "vrrp_version 2|vrrp_garp_master_repeat %d|smtp_connect_timeout %d|" \
			      "script_user root|vrrp_priority -%d|checker_priority -%d|" \
			      "notification_email_from a%d@example.com", kw, "|")
			for (i = 0; i < n; i++) {
				k = kw[i % 10 + 1]
				printf("  " k "\n", i % 19 + 1)
			}
		}'
		echo "}"
	} > "$f"
}

secs() {	# best of 3 wall-clock runs of "$@", in seconds
	local best=
	for _ in 1 2 3; do
		local t0 t1
		t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
		best=$(echo "$t0 $t1 ${best:-999999}" | awk '{ d = $2 - $1; print (d < $3 ? d : $3) }')
	done
	echo "$best"
}

printf '%-8s %12s %14s %8s\n' lines ours_s keepalived_s ratio
for n in "${sizes[@]}"; do
	gen "$n" "$tmp/c$n.conf"
	a=$(secs "$ours" -t -f "$tmp/c$n.conf")
	if [ -x "$ref" ]; then b=$(secs "$ref" -t -f "$tmp/c$n.conf"); else b=nan; fi
	printf '%-8s %12.4f %14s %8s\n' "$n" "$a" "$b" \
		"$(awk -v a="$a" -v b="$b" 'BEGIN { if (b == "nan") print "-"; else printf("%.3f", a / b) }')"
done
