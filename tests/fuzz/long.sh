#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/fuzz/long.sh DIR [NAME...]: the long runs. Each target (NAME, or all of targets)
# runs until RUNS executions (default 10,000,000) or HOURS of fuzzing (default 6), JOBS at
# a time (default: the number of cores), at nice NICE (default 19). The fuzzers are
# tests/fuzz/run.sh's (build them with it first: `bash tests/fuzz/run.sh 1`).
#
# A run is cut into chunks of CHUNK seconds (default 1800), each a libFuzzer run from the
# same corpus, DIR/NAME/corpus, which a later chunk (or a later long.sh) goes on from; the
# executions of each chunk are added up, so a run that is stopped loses one chunk's count
# at the most. Logs: DIR/NAME/N.log; one line per chunk in DIR/summary. Crash inputs go to
# DIR/NAME/artifacts/ and end the target's run. Exits non-zero if a target crashed.
set -euo pipefail

dir=$(realpath "${1:?usage: long.sh DIR [NAME...]}")
shift
here=$(cd "$(dirname "$0")" && pwd)
bin=${FUZZ_BUILD:-$here/../../build-fuzz}/tests/fuzz
runs=${RUNS:-10000000} limit=$(( ${HOURS:-6} * 3600 )) chunk=${CHUNK:-1800}
mkdir -p "$dir"

# long NAME SEEDS MAX_LEN: one target's run, chunk by chunk.
long() {
	local name=$1 seeds=$here/$2 max_len=$3 total=0 secs=0 n=0 rc=0 got start
	local d=$dir/$name
	mkdir -p "$d/corpus" "$d/artifacts"
	start=$(date +%s)
	while [ "$total" -lt "$runs" ] && [ "$secs" -lt "$limit" ]; do
		n=$((n + 1))
		rc=0
		nice -n "${NICE:-19}" "$bin/$name" -runs=$((runs - total)) \
			-max_total_time=$(( chunk < limit - secs ? chunk : limit - secs )) \
			-timeout=10 -rss_limit_mb=1024 -max_len="$max_len" -print_final_stats=1 \
			-artifact_prefix="$d/artifacts/" "$d/corpus" "$seeds" \
			</dev/null >"$d/$n.log" 2>&1 || rc=$?
		got=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/$n.log")
		total=$((total + ${got:-0}))
		secs=$(( $(date +%s) - start ))
		echo "$(date '+%F %T') $name chunk $n rc=$rc executions=${got:-?}" \
		     "total=$total seconds=$secs" >>"$dir/summary"
		[ "$rc" -eq 0 ] || return 1
	done
}

mapfile -t targets < <(grep -v '^#' "$here/targets")
if [ $# -gt 0 ]; then
	mapfile -t targets < <(printf '%s\n' "${targets[@]}" | grep -E "^($(IFS='|'; echo "$*"))[[:space:]]")
fi
failed=0
running=0
for t in "${targets[@]}"; do
	read -r name seeds max_len <<<"$t"
	if [ "$running" -ge "${JOBS:-$(nproc)}" ]; then
		wait -n || failed=1
		running=$((running - 1))
	fi
	long "$name" "$seeds" "$max_len" &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || failed=1
	running=$((running - 1))
done
exit "$failed"
