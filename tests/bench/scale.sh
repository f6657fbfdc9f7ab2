#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/bench/scale.sh [--kernels "KVER ..."] [--online "default offline"]
#                      [--cases "NAME ..."] [--out DIR]
#
# `make bench-scale`: dax_kmem at sizes and range counts that a single
# 1-64 GiB range does not reach, one VM per case (tests/bench/boot.sh,
# guest-scale.sh), memmap on the range, every range given by ranges= to
# one insmod and removed by rmmod:
#   size-N    one N GiB range, 128 MiB blocks (N = 4 16 64 256)
#   blk2g-N   the same with 2 GiB blocks: a 2 GiB boot-RAM node above the
#             range makes boot RAM end at 4+N+2 GiB, a 2 GiB multiple
#             above 64 GiB, which is when x86 picks them
#   r64-n1    64 ranges of 1 GiB on one node
#   r64-n8    64 ranges of 1 GiB over 8 nodes, 8 a node
#   ref-N     the kernel's boot-time init of N GiB on node 1 (guest-ref.sh)
# under the kernel's own auto-online policy (--online default, what users
# have) and/or memhp_default_state=offline. QEMU backs guest RAM lazily, and
# only the range's memmap (16 MiB per GiB) is touched, so 256 GiB needs ~5
# GiB of this machine. Writes scale-raw.csv and, through scale-report.py,
# scale.md with the cost model into --out (default tests/bench/results).
# Run it alone: a second VM on the same host skews the figures.
set -u
main() {
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/bench
kernels=
onlines=default
cases="ref-4 size-4 ref-16 size-16 ref-64 size-64 ref-256 size-256 blk2g-64 blk2g-256 r64-n1 r64-n8"
out=$here/results
while [ $# -gt 0 ]; do
	case "$1" in
	--kernels) kernels=$2; shift ;;
	--online) onlines=$2; shift ;;
	--cases) cases=$2; shift ;;
	--out) out=$2; shift ;;
	*) echo "scale.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$kernels" ] || kernels=$("$top/scripts/kernels.sh")
work=${BENCH_WORK:-$top/build/bench}/scale
mkdir -p "$work" "$out"
raw=$work/scale-raw.csv
host_kib=$(awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo)
fields="kernel,case,online,size_gib,range_gib,nodes,status,block_bytes,auto_online,load_s,first_gib_s,onlines_traced,first_range_s,add_online_s,per_range_ms,remove_s,dram_kib,usable_kib,online_blocks,want_blocks,left_blocks,added,ranges,detail"
echo "$fields" > "$raw"

for kver in $kernels; do
	for online in $onlines; do
		for c in $cases; do
			size=${c##*-}
			range_gib=$size nodes=1 top_ram=0 script=guest-scale.sh layout=carve
			case "$c" in
			size-*) ;;
			blk2g-*) top_ram=2 ;;
			r64-n*) nodes=${c#r64-n} size=64 range_gib=1 ;;
			ref-*)
				# Boot RAM has no auto-online policy: one boot.
				[ "$online" = "${onlines%% *}" ] || continue
				script=guest-ref.sh layout=ram ;;
			*) echo "scale.sh: unknown case '$c'" >&2; exit 2 ;;
			esac
			dir=$work/$kver/$online/$c
			# What the guest touches: node 0, the memmap (16 MiB a GiB,
			# on the range or, for ref-N, on node 1), the top node.
			need=$(( (3 * 1024 + size * 16 + top_ram * 1024 + 1024) * 1024 ))
			if [ "$need" -gt "$host_kib" ]; then
				echo "scale: $kver $online $c skipped: needs ~$((need >> 10)) MiB, $((host_kib >> 10)) MiB available" >&2
				echo "$kver,$c,$online,$size,$range_gib,$nodes,not-run,,,,,,,,,,,,,,,,,host has $((host_kib >> 10)) MiB available" >> "$raw"
				continue
			fi
			mkdir -p "$dir"
			start=$(date +%s)
			BENCH_HOT_NODES=$nodes BENCH_TOP_RAM_GIB=$top_ram BENCH_ONLINE=$online \
				BENCH_RANGE_GIB=$range_gib \
				"$here/boot.sh" "$kver" "$here/$script" "$dir" "$size" "$layout" 1 range
			status=$?
			echo "scale: $kver $online $c: qemu status $status, $(( $(date +%s) - start )) s" >&2
			tr -d '\r' < "$dir/tap.log" 2>/dev/null | grep -m1 '^bench ' | awk -v k="$kver" -v c="$c" -v o="$online" -v s="$size" \
				-v rg="$range_gib" -v n="$nodes" -v q="$status" -v d="$dir" -v fields="$fields" '
			{
				for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = substr($i, length(kv[1]) + 2) }
				if (f["method"] == "reference") f["ranges"] = 1
				status = "ok"
				if (NF < 2) status = "failed"
				else if (f["rc"] != "" && f["rc"] != 0) status = "failed"
				else if (f["add_online_s"] == "") status = "failed"
				else if (f["method"] != "reference" &&
					 (f["added"] != f["ranges"] || f["online_blocks"] != f["want_blocks"] ||
					  f["left_blocks"] != 0 || f["remove_rc"] != 0)) status = "failed"
				f["kernel"] = k; f["case"] = c; f["online"] = o; f["size_gib"] = s
				f["range_gib"] = rg; f["nodes"] = n; f["status"] = status
				f["detail"] = status == "ok" ? "" : "qemu status " q "; see " d
				m = split(fields, names, ",")
				for (i = 1; i <= m; i++) printf "%s%s", f[names[i]], i < m ? "," : "\n"
			}
			END { if (NR == 0) print k "," c "," o "," s "," rg "," n ",failed,,,,,,,,,,,,,,,,,qemu status " q "; no result; see " d }' >> "$raw"
		done
	done
done

{
	echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
	echo "nproc=$(nproc)"
	echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
	echo "kernels=$(echo "$kernels" | tr '\n' ' ' | sed 's/ *$//')"
	echo "source=$(git -C "$top" rev-parse --short HEAD)$(git -C "$top" diff --quiet HEAD -- drivers include arch Kbuild 2>/dev/null || echo '+uncommitted')"
} > "$work/scale-machine.txt"
/usr/bin/python3 "$here/scale-report.py" "$work" || return 1
cp "$raw" "$work/scale.md" "$work/scale-machine.txt" "$out"/
echo "scale: results in ${out#$top/}/scale.md" >&2
}
main "$@"
exit $?
