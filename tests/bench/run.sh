#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/bench/run.sh [--smoke] [--sizes "1 4 16 64"] [--rounds N] [--runs N]
#                    [--kernels "KVER ..."] [--online "default offline"]
#                    [--out DIR]
#
# `make bench`: for every installed Debian amd64 kernel and every size,
# boots QEMU TCG VMs (tests/bench/boot.sh) that measure
#   kmem-dram   dax_kmem, struct pages in DRAM (the default)
#   kmem-range  dax_kmem memmap=range (when the build has that parameter)
#   peer        nd_e820 -> ndctl create-namespace -m devdax
#               -> daxctl reconfigure-device --mode=system-ram
#   reference   the same memory as boot RAM: "node 1 deferred pages
#               initialised in N ms"
# Every dax_kmem and peer boot runs under each --online policy: "default"
# is the kernel's own auto-online setting (what users have: offline on
# Debian 6.1, online on 6.12, where the module refuses the kernel's
# online of its blocks and onlines them itself), "offline" boots with
# memhp_default_state=offline. The reference is boot RAM, one boot.
# One boot per method per round; rounds and methods interleave
# (ref, kmem-dram, kmem-range, peer, ref, ...; size by size, kernel by
# kernel inside a round), so drift hits every method. kmem and peer boots
# do --runs add/remove cycles each; DRAM spent is taken from each boot's
# first add only (see guest-kmem.sh). Figures are medians over rounds
# (and runs). Writes raw.csv, summary.csv, results.md and time-vs-size.png
# into --out (default tests/bench/results, replaced only when the run
# completes).
#
# --smoke: one 1 GiB round, one run per boot, the kernel's own policy
# only, into a temporary folder; prints TAP lines "ok - bench smoke: ..."
# for make check.
set -u
# All of it in one function: bash parses it whole before running it, so
# editing this file during a long run cannot derail that run.
main() {
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/bench
smoke=
sizes="1 4 16 64"
rounds=3
runs=2
kernels=
onlines="default offline"
out=
while [ $# -gt 0 ]; do
	case "$1" in
	--smoke) smoke=1 ;;
	--sizes) sizes=$2; shift ;;
	--rounds) rounds=$2; shift ;;
	--runs) runs=$2; shift ;;
	--kernels) kernels=$2; shift ;;
	--online) onlines=$2; shift ;;
	--out) out=$2; shift ;;
	*) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$kernels" ] || kernels=$("$top/scripts/kernels.sh")
if [ -n "$smoke" ]; then
	sizes=1
	rounds=1
	runs=1
	onlines=default
fi
tmpout=$(mktemp -d /tmp/dax_kmem-bench.XXXXXX)
[ -n "$smoke" ] && trap 'rm -rf "$tmpout"' EXIT
work=${BENCH_WORK:-$top/build/bench}
# The smoke checks every console it finds there: none from an older run.
[ -n "$smoke" ] && work=$work/smoke && rm -rf "$work"
mkdir -p "$work"
raw=$tmpout/raw.csv
echo "kernel,online,size_gib,method,round,run,status,add_online_s,remove_s,bind_online_s,dram_kib,usable_kib,node1_kib,detail" > "$raw"

say() { [ -n "$smoke" ] && echo "# $*" || echo "bench: $*" >&2; }

# Host memory: node 1's backend is reserve=off, so only what the guest
# touches is allocated; a size still needs room for the struct pages the
# guest writes (16 MiB per GiB) plus node 0's 3 GiB.
host_kib=$(awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo)

# boot_one KVER SIZE METHOD ROUND ONLINE: one VM, its result lines into
# raw.csv (the reference's ONLINE is "none": boot RAM).
boot_one() {
	local kver=$1 size=$2 method=$3 round=$4 online=$5 script layout variant='' n=$runs
	case "$method" in
	kmem-dram) script=guest-kmem.sh layout=carve variant=dram ;;
	kmem-range) script=guest-kmem.sh layout=carve variant=range ;;
	peer) script=guest-peer.sh layout=carve ;;
	reference) script=guest-ref.sh layout=ram n=1 ;;
	esac
	local dir=$work/$kver/${size}G/$method-$online-$round start secs
	mkdir -p "$dir"
	start=$(date +%s)
	# Boot RAM has no hot-plug policy to pick: the reference boots as ever.
	local boot_online=$online
	[ "$online" = none ] && boot_online=offline
	BENCH_ONLINE=$boot_online "$here/boot.sh" "$kver" "$here/$script" "$dir" "$size" "$layout" "$n" "$variant"
	local status=$?
	secs=$(( $(date +%s) - start ))
	say "$kver ${size}G $method ($online) round $round: qemu status $status, ${secs}s"
	local lines
	lines=$(tr -d '\r' < "$dir/tap.log" 2>/dev/null | grep '^bench ')
	if [ -z "$lines" ]; then
		echo "$kver,$online,$size,$method,$round,0,failed,,,,,,,qemu status $status; see $dir" >> "$raw"
		return
	fi
	echo "$lines" | awk -v k="$kver" -v o="$online" -v s="$size" -v r="$round" '
	{
		delete f
		for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = substr($i, length(kv[1]) + 2) }
		status = "ok"
		if (f["unavailable"] == 1) status = "unavailable"
		else if (f["rc"] != "" && f["rc"] !~ /^0+$/) status = "failed"
		else if (f["add_online_s"] == "") status = "failed"
		detail = ""
		for (key in f) if (key !~ /^(method|run|add_online_s|remove_s|bind_online_s|dram_kib|usable_kib|node1_kib)$/)
			detail = detail (detail == "" ? "" : " ") key "=" f[key]
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", k, o, s, f["method"], r, f["run"], status,
			f["add_online_s"], f["remove_s"], f["bind_online_s"], f["dram_kib"], f["usable_kib"],
			f["node1_kib"], detail
	}' >> "$raw"
}

# Sizes that do not fit are reported, not run.
runnable=
for size in $sizes; do
	need=$(( (3 * 1024 + size * 16 + 512) * 1024 ))
	if [ "$need" -gt "$host_kib" ]; then
		say "${size} GiB skipped: needs ~$((need / 1024)) MiB of host memory, $((host_kib / 1024)) MiB available"
		echo "all,all,$size,all,0,0,not-run,,,,,,,host has $((host_kib / 1024)) MiB available" >> "$raw"
	else
		runnable="$runnable $size"
	fi
done

declare -A no_range
for size in $runnable; do
	for round in $(seq 1 "$rounds"); do
		for kver in $kernels; do
			boot_one "$kver" "$size" reference "$round" none
			for online in $onlines; do
				for method in kmem-dram kmem-range peer; do
					# Once a build says it has no memmap=, do not boot for it again.
					if [ "$method" = kmem-range ] && [ -n "${no_range[$kver]:-}" ]; then
						continue
					fi
					boot_one "$kver" "$size" "$method" "$round" "$online"
					if [ "$method" = kmem-range ] &&
						grep -q "^$kver,$online,$size,kmem-range,$round,.*,unavailable," "$raw"; then
						no_range[$kver]=1
					fi
				done
			done
		done
	done
done

# Machine, then tables and plot.
{
	echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
	echo "nproc=$(nproc)"
	echo "free_g=$(free -g | awk '$1 == "Mem:" { print $2 " GiB total, " $7 " GiB available" }')"
	echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
	echo "kernels=$(echo "$kernels" | tr '\n' ' ' | sed 's/ *$//')"
	echo "host_kernel=$(uname -r)"
	echo "ndctl=$(ndctl --version) daxctl=$(daxctl --version)"
	echo "cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "sizes_gib=$sizes"
	echo "rounds=$rounds runs_per_boot=$runs"
	# The module measured: the tree is shared and changes under a long run.
	echo "source=$(git -C "$top" rev-parse --short HEAD)$(git -C "$top" diff --quiet HEAD -- drivers include arch Kbuild 2>/dev/null || echo '+uncommitted')"
	for kver in $kernels; do
		echo "ko_$kver=$(sha256sum "$top/build/$kver/dax_kmem.ko" | cut -c1-12)"
	done
} > "$tmpout/machine.txt"
/usr/bin/python3 "$here/report.py" "$tmpout" > "$tmpout/report.log" 2>&1
report_rc=$?

if [ -n "$smoke" ]; then
	for kver in $kernels; do
		for method in reference kmem-dram kmem-range peer; do
			row=$(grep "^$kver,[^,]*,1,$method," "$raw" | head -n 1)
			status=$(echo "$row" | cut -d, -f7)
			t=$(echo "$row" | cut -d, -f8)
			case "$status" in
			ok) echo "ok - bench smoke: $kver $method 1 GiB add+online ${t}s" ;;
			unavailable) echo "ok - bench smoke: $kver $method # SKIP memmap= parameter not in this build" ;;
			*) echo "not ok - bench smoke: $kver $method produced a number (${row:-no row})" ;;
			esac
			case "$method:$status" in
			kmem-*:ok)
				tb=$(echo "$row" | cut -d, -f10)
				if [ -n "$tb" ]; then
					echo "ok - bench smoke: $kver $method 1 GiB bind+online ${tb}s"
				else
					echo "not ok - bench smoke: $kver $method 1 GiB bind+online produced a number ($row)"
				fi
				;;
			esac
		done
	done
	for f in summary.csv results.md; do
		if [ "$report_rc" -eq 0 ] && [ -s "$tmpout/$f" ]; then
			echo "ok - bench smoke: $f written (temporary folder)"
		else
			echo "not ok - bench smoke: $f written (temporary folder)"
			sed 's/^/# /' "$tmpout/report.log"
		fi
	done
	consoles=0 oops=
	for f in "$work"/*/1G/*-1/console.log; do
		[ -f "$f" ] || continue
		consoles=$((consoles + 1))
		grep -qE 'Oops|BUG:|WARNING:|Kernel panic|blocked for more than [0-9]+ seconds' "$f" && oops="$oops $f"
	done
	if [ "$consoles" -eq 0 ]; then
		echo "not ok - bench smoke: no oops, BUG, WARNING or hung task on the VMs' consoles (no console log in $work)"
	elif [ -z "$oops" ]; then
		echo "ok - bench smoke: no oops, BUG, WARNING or hung task on the VMs' consoles ($consoles boots)"
	else
		echo "not ok - bench smoke: no oops, BUG, WARNING or hung task on the VMs' consoles ($oops)"
	fi
	if [ -s "$tmpout/time-vs-size.png" ]; then
		echo "ok - bench smoke: plot written"
	else
		echo "not ok - bench smoke: plot written"
	fi
	exit 0
fi

cat "$tmpout/report.log"
[ "$report_rc" -eq 0 ] || { echo "bench: report failed; raw results in $tmpout" >&2; exit 1; }
dest=${out:-$here/results}
mkdir -p "$dest"
(cd "$dest" && rm -f raw.csv summary.csv results.md machine.txt time-vs-size.png)
cp "$tmpout"/raw.csv "$tmpout"/summary.csv "$tmpout"/results.md "$tmpout"/machine.txt "$dest"/
[ -f "$tmpout/time-vs-size.png" ] && cp "$tmpout/time-vs-size.png" "$dest"/
rm -rf "$tmpout"
echo "bench: results in ${dest#$top/}/"
}
main "$@"
exit $?
