#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/bench/fixed.sh [RUNS] [KVER...]
#
# What a 1 GiB add costs beyond its memory, per kernel and memmap
# placement: one VM each runs guest-fixed.sh RUNS times (default 5) and
# this prints the medians of loading the module, of the add from insmod,
# and of a bind on a memoryless node and on a node that already has
# memory. Run it alone: a second VM on the same host skews the numbers.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
shift
kernels=${*:-$("$top/scripts/kernels.sh")}
echo "# tests/bench/fixed.sh $runs at $(git -C "$top" rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# medians of $runs runs, seconds: load_bare (insmod adding nothing), load (insmod adding 1 GiB),"
echo "# bind_cold (1 GiB on a memoryless node), bind_warm (1 GiB on a node with memory)"
for kver in $kernels; do
	for variant in dram range; do
		dir=$top/build/bench/fixed/$kver-$variant
		mkdir -p "$dir"
		"$top/tests/bench/boot.sh" "$kver" "$top/tests/bench/guest-fixed.sh" "$dir" 2 carve "$runs" "$variant"
		tr -d '\r' < "$dir/tap.log" | grep '^bench ' | awk -v k="$kver" -v v="$variant" '
		function median(list,    n, a, i, j, t) {
			n = split(list, a, " ")
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
					t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
				}
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		{
			for (i = 2; i <= NF; i++) {
				split($i, kv, "=")
				if (kv[1] ~ /_s$/ && kv[2] != "") v_[kv[1]] = v_[kv[1]] " " kv[2]
			}
			n++
		}
		END {
			printf "%s memmap=%s runs=%d", k, v, n
			for (key in v_) printf " %s=%.4f", key, median(substr(v_[key], 2))
			printf "\n"
		}'
	done
done
