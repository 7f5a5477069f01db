#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/fuzz/run.sh [SECONDS]: build the config parser fuzzer with clang (ASan, UBSan) and run
# it for SECONDS (default 30) from the seed corpus. Exits non-zero on a crash or a build failure.
set -eu

secs=${1:-30}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=${FUZZ_WORK:-$(mktemp -d /tmp/fuzz_parser.XXXXXX)}
mkdir -p "$work/corpus" "$work/artifacts"

if ! command -v clang >/dev/null 2>&1; then
	apt-get install -y clang >/dev/null
fi

clang -g -O1 -std=gnu11 -D_GNU_SOURCE -I"$top/lib" \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	"$here/fuzz_parser.c" "$top/lib/parser.c" "$top/lib/cfg_values.c" "$top/lib/cfg_reader.c" \
	"$top/lib/cfg_expand.c" "$top/lib/cfg_include.c" "$top/lib/log.c" "$top/lib/utils.c" \
	-o "$work/fuzz_parser"

# New inputs go to $work/corpus; the checked-in seeds are only read.
# -rss_limit_mb: the parser may hold a few MB per input, never hundreds.
"$work/fuzz_parser" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	-max_len=16384 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	"$work/corpus" "$here/corpus" 2>&1 | tee "$work/log" | grep -E '^(#[0-9]+ *DONE|INFO: Seed|==[0-9]+==|SUMMARY|stat::number_of_executed_units|.*(crash|leak|timeout|oom)-)' || true

if ls "$work/artifacts/" | grep -q .; then
	echo "fuzz_parser: crash artifacts in $work/artifacts" >&2
	exit 1
fi
if ! grep -q 'Done [0-9]* runs' "$work/log"; then
	echo "fuzz_parser: did not finish cleanly; see $work/log" >&2
	exit 1
fi
echo "fuzz_parser: no crash in ${secs}s (log: $work/log)"
