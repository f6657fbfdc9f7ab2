#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-jobs.sh OUTDIR < JOBS: runs VM scenarios side by side and prints their
# output in the order given, as if they had run one after the other.
#
# Each line of JOBS is "KVER SCENARIO_FILE [arm64]", the arguments of
# run-scenario.sh, "system KVER", the real-system test on that kernel
# (tests/system/run.sh), or "bench KVER", the benchmark's smoke run
# (tests/bench/run.sh --smoke). A line may start with "first ": that job starts
# before all the others (a long one, so it does not come last and leave
# a lane idle) but still prints in its place. DAX_KMEM_LANES scenarios run at once (default: one per
# CPU). An x86 guest has one vCPU, and TCG runs it on one host thread: run
# one at a time, a 2-core machine keeps a core idle for the whole of
# make check. Every scenario has a work directory of its own
# (OUTDIR/[arm64/]KVER/NAME), so side by side they share nothing.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
lanes=${DAX_KMEM_LANES:-$(nproc)}
[ "$lanes" -ge 1 ] 2>/dev/null || lanes=1

spool=$(mktemp -d)
# Stopped (Ctrl-C, a CI timeout), the lanes' QEMUs must stop too: they
# run under timeout(1), each in a process group of its own that a signal
# to ours misses, so every process below this one is named. A later run
# would otherwise write into the work directories of guests still running.
descendants() {
	local c
	for c in $(pgrep -P "$1"); do
		descendants "$c"
		echo "$c"
	done
}
stop_lanes() {
	local pids
	pids=$(descendants $$)
	# shellcheck disable=SC2086 # one pid a word
	[ -z "$pids" ] || kill $pids 2>/dev/null
}
trap 'stop_lanes; rm -rf "$spool"' EXIT
trap 'exit 130' INT TERM
mapfile -t jobs
printed=0
order=()
for i in "${!jobs[@]}"; do
	case "${jobs[$i]}" in "first "*) order+=("$i"); jobs[i]=${jobs[$i]#first } ;; esac
done
for i in "${!jobs[@]}"; do
	case " ${order[*]} " in *" $i "*) ;; *) order+=("$i") ;; esac
done

# A job that ends without any TAP line, or with a status other than 0,
# is a failure of its own: nothing it should have tested is lost silently.
verdict() {
	local i=$1 rc
	rc=$(cat "$spool/$i.done")
	if ! grep -qE '^(not )?ok ' "$spool/$i.out"; then
		echo "not ok - job '${jobs[$i]}': printed no test result (exit status $rc)"
	elif [ "$rc" != 0 ]; then
		echo "not ok - job '${jobs[$i]}': exit status $rc"
	fi
}

# Print, in order, every finished job no unfinished one comes before.
flush() {
	while [ "$printed" -lt "${#jobs[@]}" ] && [ -s "$spool/$printed.done" ]; do
		cat "$spool/$printed.out"
		verdict "$printed"
		printed=$((printed + 1))
	done
}

running=0
for i in "${order[@]}"; do
	while [ "$running" -ge "$lanes" ]; do
		wait -n
		running=$((running - 1))
		flush
	done
	(
		read -r kver scenario arch <<< "${jobs[$i]}"
		name=$(basename "$scenario" .sh)
		{
			if [ "$kver" = system ]; then
				echo "# system $scenario"
				"$top/tests/system/run.sh" "$scenario"
			elif [ "$kver" = bench ]; then
				echo "# bench smoke"
				"$top/tests/bench/run.sh" --smoke --kernels "$scenario"
			elif [ "${arch:-}" = arm64 ]; then
				echo "# arm64 $kver $name"
				"$top/tests/vm/run-scenario.sh" "$kver" "$scenario" "$out" arm64
			else
				echo "# $kver $name"
				"$top/tests/vm/run-scenario.sh" "$kver" "$scenario" "$out"
			fi
		} > "$spool/$i.out" 2>&1
		echo $? > "$spool/$i.done"
	) &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n
	running=$((running - 1))
	flush
done
flush
# A job whose shell died before it could say it was done.
while [ "$printed" -lt "${#jobs[@]}" ]; do
	cat "$spool/$printed.out" 2>/dev/null
	echo "not ok - job '${jobs[$printed]}': did not finish"
	printed=$((printed + 1))
done
