#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/fuzz/long.sh DIR [NAME...]: the long runs. Each target (NAME, or all of targets)
# is fuzzed until DIR holds RUNS executions of it (default 10,000,000) or HOURS of its
# fuzzing (default 6), JOBS targets at a time (default: the number of cores), at nice NICE
# (default 19). The fuzzers are tests/fuzz/run.sh's (build them with it first:
# `bash tests/fuzz/run.sh 1`), or FUZZ_BUILD's.
#
# A run is cut into chunks of CHUNK seconds (default 1800), each a libFuzzer run from the
# target's corpus, DIR/NAME/corpus. The counts are DIR's, not one invocation's: the
# executions and seconds of every chunk so far are in DIR/NAME/total, and a later long.sh
# with the same DIR goes on from them (and from the corpus). A chunk cut short (the
# machine stopped, the script killed) is counted when the next long.sh starts, by the
# last status line of its log: a little less than it ran. Logs: DIR/NAME/N.log; one line
# per chunk in DIR/summary. Crash inputs go to DIR/NAME/artifacts/ and end the target's
# run. Exits non-zero if a target crashed.
set -euo pipefail

dir=$(realpath "${1:?usage: long.sh DIR [NAME...]}")
shift
here=$(cd "$(dirname "$0")" && pwd)
bin=${FUZZ_BUILD:-$here/../../build-fuzz}/tests/fuzz
runs=${RUNS:-10000000} limit=$(( ${HOURS:-6} * 3600 )) chunk=${CHUNK:-1800}
mkdir -p "$dir"

# executions LOG: what a chunk's log says it ran; without the final stats (a chunk cut
# short), the count of its last status line ("#N ...").
executions() {
	local got
	got=$(sed -n 's/^stat::number_of_executed_units: *//p' "$1")
	[ -n "$got" ] || got=$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$1" | tail -n 1)
	echo "${got:-0}"
}

# long NAME SEEDS MAX_LEN: one target's run, chunk by chunk, from DIR's counts.
long() {
	local name=$1 seeds=$here/$2 max_len=$3 total=0 secs=0 n=0 rc=0 got start end
	local d=$dir/$name
	mkdir -p "$d/corpus" "$d/artifacts"
	[ ! -s "$d/total" ] || read -r total secs n <"$d/total"
	if [ -s "$d/chunk" ]; then
		read -r n start <"$d/chunk"
		got=0 end=$start	# stopped before its fuzzer wrote a line: nothing to count
		if [ -s "$d/$n.log" ]; then
			got=$(executions "$d/$n.log")
			end=$(stat -c %Y "$d/$n.log")
		fi
		total=$((total + got))
		secs=$((secs + end - start))
		echo "$total $secs $n" >"$d/total"
		rm "$d/chunk"
		echo "$(date '+%F %T') $name chunk $n cut short executions>=$got" \
		     "total=$total seconds=$secs" >>"$dir/summary"
	fi
	while [ "$total" -lt "$runs" ] && [ "$secs" -lt "$limit" ]; do
		n=$((n + 1))
		start=$(date +%s)
		echo "$n $start" >"$d/chunk"
		rc=0
		nice -n "${NICE:-19}" "$bin/$name" -runs=$((runs - total)) \
			-max_total_time=$(( chunk < limit - secs ? chunk : limit - secs )) \
			-timeout=10 -rss_limit_mb=1024 -max_len="$max_len" -print_final_stats=1 \
			-artifact_prefix="$d/artifacts/" "$d/corpus" "$seeds" \
			</dev/null >"$d/$n.log" 2>&1 || rc=$?
		got=$(executions "$d/$n.log")
		total=$((total + got))
		secs=$((secs + $(date +%s) - start))
		echo "$total $secs $n" >"$d/total"
		rm "$d/chunk"
		echo "$(date '+%F %T') $name chunk $n rc=$rc executions=$got" \
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
