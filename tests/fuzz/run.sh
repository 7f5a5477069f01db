#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/fuzz/run.sh [SECONDS]: build the fuzzers (automake targets, configured with clang,
# libFuzzer, ASan and UBSan in $FUZZ_BUILD, default build-fuzz/ beside build/) and run each
# for SECONDS (default 30) from its seed corpus: the config parser (corpus/), the HTTP
# response parser (corpus-http/), the VRRP advert decoder (corpus-vrrp/), the checker's
# configuration (corpus-check/), DNS_CHECK's reply check (corpus-dns/), SMTP_CHECK's reply
# reading (corpus-smtp/) and the VRRP configuration (corpus-vrrp-conf/); the list, with each
# one's maximum input length, is in targets. Exits non-zero on a crash or a build failure
# in any.
set -eu

secs=${1:-30}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD:-$top/build-fuzz}
work=${FUZZ_WORK:-$(mktemp -d /tmp/fuzz.XXXXXX)}
mkdir -p "$work/bin"

if ! command -v clang >/dev/null 2>&1; then
	apt-get install -y clang >/dev/null
fi

# The same configure and Makefile as the daemon: the fuzzers link its libraries.
(cd "$top" && { [ -x configure ] && [ configure -nt configure.ac ] &&
	[ Makefile.in -nt Makefile.am ] || autoreconf -fi >/dev/null; })
mkdir -p "$build"
[ -f "$build/Makefile" ] || (cd "$build" && CC=clang "$top/configure" -q --enable-fuzzers)
make -C "$build" -s -j"$(nproc)" fuzzers >/dev/null
targets=$(grep -v '^#' "$here/targets")	# name, seeds, max input length
while read -r name seeds max_len; do
	cp "$build/tests/fuzz/$name" "$work/bin/$name"
done <<EOF
$targets
EOF

# fuzz NAME SEEDS MAX_LEN: run $work/bin/NAME for $secs; non-zero on a crash or an unclean finish.
# New inputs go to $work/NAME/corpus; the checked-in seeds are only read.
# -rss_limit_mb: the parsers may hold a few MB per input, never hundreds.
fuzz() {
	name=$1 seeds=$2 max_len=$3 dir=$work/$1
	mkdir -p "$dir/corpus" "$dir/artifacts"
	"$work/bin/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-max_len="$max_len" -print_final_stats=1 \
		-artifact_prefix="$dir/artifacts/" \
		"$dir/corpus" "$seeds" 2>&1 | tee "$dir/log" | grep -E '^(#[0-9]+ *DONE|INFO: Seed|==[0-9]+==|SUMMARY|stat::number_of_executed_units|.*(crash|leak|timeout|oom)-)' || true

	if ls "$dir/artifacts/" | grep -q .; then
		echo "$name: crash artifacts in $dir/artifacts" >&2
		return 1
	fi
	if ! grep -q 'Done [0-9]* runs' "$dir/log"; then
		echo "$name: did not finish cleanly; see $dir/log" >&2
		return 1
	fi
	echo "$name: no crash in ${secs}s (log: $dir/log)"
}

failed=0
while read -r name seeds max_len; do
	fuzz "$name" "$here/$seeds" "$max_len" </dev/null || failed=1
done <<EOF
$targets
EOF
exit $failed
